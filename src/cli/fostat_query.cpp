#include "cli/options.h"
#include "cli/query.h"

int main(int argc, char** argv) {
    CLI::App app{
        "Answers questions about the DHCP failover statistics that fostat-collect recorded. "
        "Opens the database read-only.",
        "fostat-query"};
    fostat::QueryOptions common;
    int status = 0;
    fostat::add_query_options(app, common);
    fostat::setup_scopes(app, common, status);
    fostat::setup_samples(app, common, status);
    fostat::setup_check(app, common, status);
    fostat::setup_status(app, common, status);
    fostat::setup_imbalance(app, common, status);
    fostat::setup_trend(app, common, status);
    fostat::setup_plot(app, common, status);
    fostat::setup_report(app, common, status);
    app.require_subcommand(1);
    app.footer(
        "Exit status (monitoring-plugin convention): 0 OK, 1 warning found, 2 critical "
        "finding, 3 error.\nSee fostat-query COMMAND --help.");
    return fostat::run_program(app, argc, argv, status);
}
