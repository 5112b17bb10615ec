#include "cli/collect.h"
#include "cli/collect_config.h"
#include "cli/options.h"

int main(int argc, char** argv) {
    CLI::App app{
        "Records DHCP failover scope statistics (the seven DHCP_FAILOVER_STATISTICS counters "
        "per scope and server) into an SQLite database, one run per invocation or every "
        "--every interval.",
        "fostat-collect"};
    fostat::CollectOptions common;
    int status = 0;
    fostat::add_collect_options(app, common);
    fostat::add_every_option(app, common);
    fostat::setup_simulate(app, common, status);
    fostat::setup_import(app, common, status);
    fostat::setup_isc(app, common, status);
    fostat::setup_isc_log(app, common, status);
    fostat::setup_kea(app, common, status);
    fostat::setup_windows(app, common, status);
    fostat::setup_prune(app, common, status);
    fostat::setup_delete(app, common, status);
    fostat::add_config_option(app);
    app.require_subcommand(1);
    app.footer(
        "Exit status: 0 the run was stored, 3 an error (one line on stderr; nothing of the "
        "failed run is stored).\nSee fostat-collect COMMAND --help, and docs/ for each source.");
    return fostat::run_program(app, argc, argv, status);
}
