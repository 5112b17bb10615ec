#include <memory>

#include "analyses/plot.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"
#include "reports/svg.h"

namespace fostat {
namespace {

int run_plot(const QueryOptions& common, const LevelOptions& level_options) {
    // The common --format is for tables; a plot is SVG whatever it says.
    if (common.format != "table")
        throw InputError("--format: plot writes SVG only; leave --format out");
    if (common.scopes.empty()) {
        throw InputError(
            "plot: name the scope to draw with --scope (repeat it for several); fostat-query "
            "scopes lists them");
    }
    if (common.scopes.size() > kMostPlotScopes) {
        throw InputError("plot: " + std::to_string(common.scopes.size()) +
                         " scopes are more than one picture shows legibly (" +
                         std::to_string(kMostPlotScopes) +
                         "); fostat-query report -o site.html shows every scope, each chart a "
                         "click away");
    }
    const UtilizationLevels levels = levels_of(level_options);
    QueryContext q = open_query(common);
    require_samples(q, common, /*rollups_count=*/true);
    // Axis labels in the zone of --tz, always as ISO text whatever the output's time format.
    const TimeFormatter time(common.tz);
    PlotOptions options;
    options.columns = plot_panel_columns(common.scopes.size());
    options.warning = levels.warning;
    options.critical = levels.critical;
    const Plot plot = make_plot(*q.db, q.filter, time, common.tz, options);
    write_svg(plot, q.output.stream());
    q.output.finish();
    return kExitOk;
}

}  // namespace

void setup_plot(CLI::App& app, QueryOptions& common, int& status) {
    CLI::App* sub = app.add_subcommand(
        "plot",
        "Draw the scopes of --scope as a self-contained SVG, one panel each (up to 24; small "
        "multiples: 1 column up to 3 scopes, 2 up to 8, else 3, each with its time axis): each "
        "server's utilization (addr_in_use / num_addr), each server's free "
        "addresses (its own below, its partner's hatched above), imbalance and starved "
        "episodes shaded (as imbalance finds them with its defaults), invariant episodes "
        "marked (check), num_addr changes as dotted lines, trend's forecast dashed through "
        "the fitted daily peak to the date the scope runs out (and each server's own free "
        "addresses through their daily trough), with a band to the earliest likely date, and "
        "the --warning and --critical utilization levels (as status judges) as lines. Times "
        "on the axis are in the zone of --tz. Each series keeps the samples with the lowest "
        "and highest value of each pixel column, so a year stays small. Write it to a file "
        "with -o plot.svg.\nExit status: 0, or 3 on an error.");
    add_query_options(*sub, common);
    auto levels = std::make_shared<LevelOptions>();
    add_level_options(*sub, *levels);
    sub->callback([&common, &status, levels] { status = run_plot(common, *levels); });
}

}  // namespace fostat
