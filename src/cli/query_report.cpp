#include <memory>

#include "analyses/site_report.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"
#include "reports/html_report.h"

namespace fostat {
namespace {

// Without --since, the report shows the 30 days up to the newest sample.
constexpr std::int64_t kDefaultWindow = 30 * kDaySeconds;

struct ReportArgs {
    LevelOptions levels;
    DurationValue stale;
    ForecastWindowArgs windows;
};

int run_report(const QueryOptions& common, const ReportArgs& args) {
    if (common.format != "table")
        throw InputError("--format: report writes HTML only; leave --format out");
    const UtilizationLevels levels = levels_of(args.levels);
    SiteReportOptions options;
    options.status.warning = levels.warning;
    options.status.critical = levels.critical;
    options.status.stale_after = parse_stale(args.stale);
    parse_forecast_windows(args.windows, options.forecast);

    QueryContext q = open_query(common);
    options.status.now = q.now;
    if (common.since.empty()) {
        SampleReader reader(*q.db);
        std::int64_t newest = 0;
        for (const ServerNewest& n : reader.newest_by_server(q.filter))
            newest = std::max(newest, n.newest);
        if (newest > 0)
            q.filter.since = std::min(q.filter.until, newest) - kDefaultWindow;
    }
    require_samples(q, common);
    const SiteReport report = make_site_report(*q.db, q.filter, options);
    HtmlReportOptions html;
    html.warning = levels.warning;
    html.critical = levels.critical;
    html.zone = common.tz.empty() ? "UTC" : common.tz;
    // The page's times are ISO text in the zone of --tz, whatever --time-format says.
    write_html_report(report, TimeFormatter(common.tz), html, q.output.stream());
    q.output.finish();
    return report.worst.exit_status();
}

}  // namespace

void setup_report(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<ReportArgs>();
    CLI::App* sub = app.add_subcommand(
        "report",
        "Write the whole site on one self-contained HTML page (docs/report.md): collection "
        "health, the relationships and their state, counts of findings, and every scope in "
        "one table, riskiest first (critical, starved, earliest likely exhaustion, "
        "utilization, invariant violations), with its utilization now and at its peak, each "
        "server's own free addresses, the relationship's state, the date free addresses run "
        "out, a sparkline of the window and its findings (status, check and imbalance with "
        "their defaults); sortable and filterable in the browser, each scope's chart a click "
        "away; the imbalance episodes and invariant violations listed below, linked to their "
        "scopes. No request to any network: it works from a file, offline. The window is "
        "--since/--until, else the 30 days up to the newest sample; times in the zone of --tz. "
        "Write it with -o site.html (put in place only when complete).\nExit status as the "
        "checks': 0, 1 when the worst finding is a warning (or a server is --stale), 2 when "
        "critical, 3 on an error or when there is no sample at all.");
    add_query_options(*sub, common);
    add_level_options(*sub, args->levels);
    add_stale_option(*sub, args->stale);
    add_forecast_window_options(*sub, args->windows);
    sub->callback([&common, &status, args] { status = run_report(common, *args); });
}

}  // namespace fostat
