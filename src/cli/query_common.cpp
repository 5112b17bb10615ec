#include "cli/query_common.h"

#include <algorithm>
#include <functional>
#include <iostream>
#include <tuple>

#include "analyses/levels.h"
#include "analyses/trend.h"
#include "cli/stored_names.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"
#include "storage/database.h"

namespace fostat {
namespace {

// "of --scope 10.1.2.0/24 --server dhcp1 " or empty.
std::string filter_text(const QueryOptions& o) {
    std::string text;
    for (const std::string& scope : o.scopes)
        text += "--scope " + scope + ' ';
    for (const std::string& server : o.servers)
        text += "--server " + terminal_text(server) + ' ';
    return text.empty() ? text : "of " + text;
}

}  // namespace

QueryContext open_query(const QueryOptions& o, bool openmetrics) {
    const std::int64_t now = unix_now();
    SeriesFilter filter = make_filter(o, now);
    const OutputFormat format =
        read_option("--format", [&] { return parse_output_format(o.format, openmetrics); });
    const TimeStyle style =
        read_option("--time-format", [&] { return parse_time_style(o.time_format); });
    // Only CSV: a table's short times are cut from the ISO form, JSON is for programs, and
    // OpenMetrics has its own. With spreadsheet or epoch, samples' CSV is no longer the
    // canonical CSV (import refuses a time without a zone).
    if (style != TimeStyle::iso && format != OutputFormat::csv)
        throw InputError("--time-format " + o.time_format + ": only with --format csv");
    TimeFormatter time = read_option("--tz", [&] { return TimeFormatter(o.tz, style); });
    if (!o.output.empty() && o.output != "-")
        refuse_output_over_database("-o", o.output, o.db);
    auto db = open_database(o.db, Access::read_only);
    // One read transaction for the whole query: it sees every run wholly or not at all,
    // however long it takes while collectors commit.
    ReadTransaction read(*db);
    {
        SampleReader reader(*db);
        require_known_names(reader, o.db, o.scopes, filter);
    }
    return QueryContext{
        std::move(db), std::move(read), std::move(filter), format, time, Output(o.output), now};
}

void require_samples(QueryContext& q, const QueryOptions& o, bool rollups_count) {
    SampleReader reader(*q.db);
    bool pruned = false;
    for (const Series& series : reader.series(q.filter)) {
        if (reader.latest(series, q.filter))
            return;
        pruned = pruned || reader.has_pruned_day(series, q.filter);
        if (pruned && rollups_count)
            return;
    }
    const TimeFormatter time(o.tz);
    std::string window;
    if (!o.since.empty() && !o.until.empty()) {
        window =
            "between " + time.format(q.filter.since) + " and " + time.format(q.filter.until) + ' ';
    } else if (!o.since.empty()) {
        window = "since " + time.format(q.filter.since) + ' ';
    } else if (!o.until.empty()) {
        window = "until " + time.format(q.filter.until) + ' ';
    }
    std::string what = filter_text(o) + window;
    if (!what.empty())
        what.pop_back();
    if (pruned) {
        throw Error(o.db + ": no raw samples" + (what.empty() ? "" : " " + what) +
                    ": prune removed them, and only trend and plot read the rollups it kept");
    }
    throw Error(o.db + ": no samples" + (what.empty() ? "" : " " + what) +
                ": is the collector running?");
}

void add_stale_option(CLI::App& app, DurationValue& stale) {
    add_duration_option(app, "--stale", stale,
                        "a server whose newest sample is older than DURATION (e.g. 15m) is "
                        "reported and makes the exit status at least 1 (warning): its collector "
                        "has stopped");
}

void add_level_options(CLI::App& app, LevelOptions& levels) {
    levels.warning =
        app.add_option("--warning", levels.given.warning, "utilization in % that is a warning")
            ->capture_default_str();
    levels.critical = app.add_option("--critical", levels.given.critical,
                                     "utilization in % that is critical (given alone, either "
                                     "one moves the other's default out of its way)")
                          ->capture_default_str();
}

namespace {

// The value of an option if the command line or a config file gave it.
template <typename T>
std::optional<T> if_given(const CLI::Option* option, const T& value) {
    return option && option->count() > 0 ? std::optional(value) : std::nullopt;
}

}  // namespace

UtilizationLevels levels_of(const LevelOptions& levels) {
    UtilizationLevels t;
    std::tie(t.warning, t.critical) =
        settle_levels(if_given(levels.warning, levels.given.warning),
                      if_given(levels.critical, levels.given.critical), levels.given.warning,
                      levels.given.critical, std::greater<>());
    if (!(t.warning >= 0 && t.warning <= 100))
        throw InputError("--warning: give 0 to 100 (%)");
    if (!(t.critical >= 0 && t.critical <= 100))
        throw InputError("--critical: give 0 to 100 (%)");
    if (t.warning > t.critical)
        throw InputError("--warning is above --critical");
    return t;
}

std::optional<std::int64_t> parse_stale(const DurationValue& stale) {
    return stale.text.empty() ? std::nullopt : std::optional(stale.seconds);
}

void add_forecast_window_options(CLI::App& app, ForecastWindowArgs& args) {
    args.warn = add_duration_option(app, "--warn-within", args.warn_within,
                                    "exit 1 when free addresses run out within this");
    args.critical = add_duration_option(app, "--critical-within", args.critical_within,
                                        "exit 2 when free addresses run out within this");
}

void parse_forecast_windows(const ForecastWindowArgs& args, TrendOptions& options) {
    // Sooner is more severe: a shorter time left.
    std::tie(options.warn_within, options.critical_within) =
        settle_levels(if_given(args.warn, args.warn_within.seconds),
                      if_given(args.critical, args.critical_within.seconds),
                      args.warn_within.seconds, args.critical_within.seconds, std::less<>());
    if (options.critical_within > options.warn_within) {
        throw InputError("--critical-within " + args.critical_within.text +
                         " is longer than --warn-within " + args.warn_within.text);
    }
}

namespace {

// A server and its newest stored sample in the filter's series.
using StaleServer = ServerNewest;

// The servers of the filter whose newest stored sample, whatever the window, is more than
// `stale_after` before q.now.
std::vector<StaleServer> find_stale(QueryContext& q, std::int64_t stale_after) {
    std::vector<StaleServer> newest = SampleReader(*q.db).newest_by_server(q.filter);
    std::erase_if(newest, [&](const StaleServer& s) { return q.now - s.newest <= stale_after; });
    return newest;
}

// Reports each stale server: below the table, or on standard error beside CSV and JSON.
// Returns the exit status raised to at least 1 (a warning, docs/cli.md) when there is one.
int report_stale(QueryContext& q, const std::vector<StaleServer>& stale, std::int64_t stale_after,
                 int status) {
    // Below a table in the zone of --tz; on standard error in ISO form UTC, whatever
    // --time-format says.
    const TimeFormatter time = q.format == OutputFormat::table ? q.time : TimeFormatter();
    for (const StaleServer& s : stale) {
        const std::int64_t age = q.now - s.newest;
        const std::string line = "stale: " + terminal_text(s.server) + ": newest sample " +
                                 time.format(s.newest) + " is " +
                                 format_duration(age < 3600 ? age : age - age % 60) +
                                 " old (more than --stale " + format_duration(stale_after) +
                                 "): is its collector running?";
        if (q.format == OutputFormat::table)
            q.output.stream() << line << '\n';
        else
            std::cerr << "fostat-query: warning: " << line << '\n';
    }
    return stale.empty() ? status : std::max(status, kExitWarning);
}

}  // namespace

int run_check_command(const QueryOptions& options, const DurationValue& stale, bool rollups_count,
                      const std::function<WorstSeverity(QueryContext&)>& analyse) {
    const auto stale_after = parse_stale(stale);
    QueryContext q = open_query(options);
    require_samples(q, options, rollups_count);
    int status = analyse(q).exit_status();
    if (stale_after)
        status = report_stale(q, find_stale(q, *stale_after), *stale_after, status);
    q.output.finish();
    return status;
}

}  // namespace fostat
