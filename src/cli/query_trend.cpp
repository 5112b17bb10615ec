#include "analyses/trend.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"
#include "fostat/text.h"
#include "reports/trend_report.h"

namespace fostat {
namespace {

struct TrendArgs {
    std::string bucket;
    bool per_server = false;
    bool buckets = false;
    DurationValue horizon{"365d"};
    ForecastWindowArgs windows;
    TrendSource source = TrendSource::rollups;
    DurationValue stale;
};

TrendOptions parse_trend_args(const TrendArgs& args) {
    TrendOptions options;
    if (!args.bucket.empty()) {
        if (args.bucket != "1h" && args.bucket != "1d" && args.bucket != "1w")
            throw InputError("--bucket: " + excerpt(args.bucket) + " is not one of 1h, 1d, 1w");
        options.bucket = parse_duration(args.bucket);
    }
    options.per_server = args.per_server;
    options.horizon = args.horizon.seconds;
    parse_forecast_windows(args.windows, options);
    options.source = args.source;
    return options;
}

int run_trend(const QueryOptions& common, const TrendArgs& args) {
    TrendReportOptions report{parse_trend_args(args), args.horizon.text, args.buckets};
    return run_check_command(common, args.stale, /*rollups_count=*/true, [&](QueryContext& q) {
        report.analysis.zone = q.time.zone();
        const auto run = [&](const TrendVisitor& visit, bool names_only) {
            return trend_each(*q.db, q.filter, report.analysis, visit, names_only);
        };
        return write_trend_report(q.format, q.output.stream(), report, q.time, run).worst;
    });
}

}  // namespace

void setup_trend(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<TrendArgs>();
    CLI::App* sub = app.add_subcommand(
        "trend",
        "How full each scope is getting, and when the first client will be refused: "
        "utilization (addr_in_use / num_addr) per bucket (min, mean, max, last), its peak, the "
        "growth of the daily peak in addresses a day, and the dates on which the daily peak "
        "reaches num_addr (runs out: central; earliest: 1 chance in 10 that it comes sooner) "
        "and on which each server's own free addresses (this_addr_free) at their daily trough "
        "reach 0, or '> 365d' beyond --horizon. The forecast is fitted to each UTC day's "
        "extremes over the newest 91 days, with daily and weekly cycles, accelerating growth, "
        "steps and spikes modelled (docs/analyses.md); it needs 3 days whose samples span 20 "
        "hours. Buckets come from the hourly and daily rollups (raw samples only where the "
        "window cuts a day), so a year is fast. With --tz, days and weeks (from Monday) are "
        "the zone's, labelled with the local date: made of hourly rollups where the zone's "
        "offset is whole hours, of raw samples otherwise; without it, UTC days and weeks.\n"
        "The table has a line per scope (and per server with --per-server) and flags: "
        "crit/warn (see exit status), own (a server's own free addresses run out a day or more "
        "before the scope's), size (num_addr changed), short (too little history to "
        "forecast). CSV and JSON carry every field; --buckets adds the buckets.\n"
        "Exit status: 2 if the earliest likely date of the scope or of a server's own free "
        "addresses is within --critical-within of the window's end, else 1 if within "
        "--warn-within or a server "
        "is --stale, else 0; 3 when the window holds no sample of what was asked.");
    add_query_options(*sub, common);
    sub->add_option("--bucket", args->bucket,
                    "1h, 1d or 1w (default: 1h up to 2 days, 1d up to 90 days, else 1w)")
        ->type_name("SIZE");
    sub->add_flag("--per-server", args->per_server, "a line for each server too");
    sub->add_flag("--buckets", args->buckets, "also list every bucket");
    add_duration_option(*sub, "--horizon", args->horizon, "forecast this far ahead");
    add_forecast_window_options(*sub, args->windows);
    add_stale_option(*sub, args->stale);
    // A test hook: every bucket from raw samples, to compare with the rollups.
    sub->add_flag_function(
           "--from-raw", [args](std::int64_t) { args->source = TrendSource::raw; },
           "compute every bucket from raw samples instead of the rollups (slow; for tests)")
        ->group("");
    sub->callback([&common, &status, args] { status = run_trend(common, *args); });
}

}  // namespace fostat
