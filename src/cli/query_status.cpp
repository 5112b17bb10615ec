#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analyses/status.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"
#include "fostat/text.h"
#include "reports/status_openmetrics.h"

namespace fostat {
namespace {

struct StatusArgs {
    LevelOptions levels;
    DurationValue stale;
    ForecastWindowArgs windows;
    bool timestamps = false;  // --format openmetrics: each sample with its time
};

Cell counter(const Point& p, Counter c) {
    const auto& v = p.counters[c];
    return v ? Cell(static_cast<std::int64_t>(*v)) : Cell();
}

// One decimal, never rounded across a threshold (shown_percent); CSV and JSON carry the
// unrounded value.
Cell shown(std::optional<double> value, const StatusOptions& thresholds) {
    if (!value)
        return {};
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", shown_percent(*value, thresholds));
    return Figure{text};
}

Cell unrounded(std::optional<double> value) {
    return value ? Cell(*value) : Cell();
}

// "11-24 08:00" in the zone of --tz, as check's table shows times.
std::string short_time(std::int64_t t, const TimeFormatter& time) {
    const std::string text = time.format(t);
    return text.substr(5, 5) + ' ' + text.substr(11, 5);
}

std::string level(const ScopeStatus& s) {
    if (s.stale)
        return "stale";
    if (s.severity)
        return std::string(to_string(*s.severity));
    return s.utilization ? "ok" : "unknown";
}

// The earliest likely date in the zone of --tz, "own" after it when it is the server's own
// free addresses that run out.
Cell runs_out(const ScopeStatus& s, const TimeFormatter& time) {
    if (!s.runs_out)
        return {};
    return time.format(*s.runs_out).substr(0, 10) + (s.own_runs_out ? " own" : "");
}

// "30d" rather than format_duration's "4w2d": the windows are given in days.
std::string days(std::int64_t seconds) {
    return seconds % kDaySeconds == 0 ? std::to_string(seconds / kDaySeconds) + "d"
                                      : format_duration(seconds);
}

// Below the table: what the runs-out column means, and the rows the forecast makes a warning
// or critical, so that a scope far below --warning says why it is one.
void write_forecast_notes(const StatusResult& result, const TrendOptions& forecast,
                          QueryContext& q) {
    const auto& rows = result.scopes;
    if (std::none_of(rows.begin(), rows.end(), [](const ScopeStatus& s) { return s.runs_out; }))
        return;
    std::ostream& out = q.output.stream();
    out << "runs out: 1 in 10 that the scope's free addresses run out sooner, own: the\n"
           "server's own free addresses; forecast as trend's, as of "
        << q.time.format(result.as_of) << '\n';
    // Names as the table shows them (formats/result_writer.h): escaped, in display columns.
    std::size_t scope_width = 0, server_width = 0;
    for (const ScopeStatus& s : rows) {
        if (s.forecast_severity) {
            scope_width = std::max(scope_width, display_width(terminal_text(s.series.scope)));
            server_width = std::max(server_width, display_width(terminal_text(s.series.server)));
        }
    }
    const auto padded = [](const std::string& name, std::size_t width) {
        const std::string shown = terminal_text(name);
        return shown + std::string(width - display_width(shown) + 2, ' ');
    };
    for (const Severity severity : {Severity::critical, Severity::warning}) {
        bool heading = false;
        for (const ScopeStatus& s : rows) {
            if (s.forecast_severity != severity)
                continue;
            if (!heading) {
                out << to_string(severity) << ": runs out within "
                    << (severity == Severity::critical
                            ? days(forecast.critical_within) + " (--critical-within)"
                            : days(forecast.warn_within) + " (--warn-within)")
                    << '\n';
            }
            heading = true;
            out << "  " << padded(s.series.scope, scope_width)
                << padded(s.series.server, server_width)
                << std::get<std::string>(runs_out(s, q.time)) << '\n';
        }
    }
}

int run_status(const QueryOptions& options, const StatusArgs& args) {
    StatusOptions t;
    const UtilizationLevels levels = levels_of(args.levels);
    t.warning = levels.warning;
    t.critical = levels.critical;
    StatusOptions judged = t;
    judged.stale_after = parse_stale(args.stale);
    TrendOptions forecast;
    parse_forecast_windows(args.windows, forecast);
    QueryContext q = open_query(options, /*openmetrics=*/true);
    judged.now = q.now;
    require_samples(q, options);
    if (args.timestamps && q.format != OutputFormat::openmetrics)
        throw InputError("--timestamps: only with --format openmetrics");
    SampleReader reader(*q.db);
    StatusResult result = scope_status(reader, q.filter, judged);
    add_forecasts(*q.db, q.filter, forecast, result);
    if (q.format == OutputFormat::openmetrics) {
        write_status_openmetrics(q.output.stream(), result, args.timestamps);
        q.output.finish();
        return result.worst.exit_status();
    }
    auto out = make_result_writer(q.format, q.output.stream());
    if (q.format == OutputFormat::table) {
        // Free addresses: the scope's, this server's own and its partner's.
        out->begin({"scope", "server", "used %", "free", "own", "partner", "state", "status",
                    "runs out", "sample"});
        for (const ScopeStatus& s : result.scopes) {
            const Point& p = s.latest;
            out->row({s.series.scope, s.series.server, shown(s.utilization, t),
                      counter(p, Counter::addr_free), counter(p, Counter::this_addr_free),
                      counter(p, Counter::partner_addr_free),
                      std::string(to_string(p.relationship->state)), level(s), runs_out(s, q.time),
                      short_time(p.timestamp, q.time)});
        }
    } else {
        std::vector<std::string> columns = {"scope", "server", "relationship", "timestamp",
                                            "utilization"};
        for (std::string_view name : kCounterNames)
            columns.emplace_back(name);
        for (const char* c : {"mode", "role", "expected_share", "state", "source_state", "status",
                              "earliest_exhaustion", "exhaustion_of"}) {
            columns.emplace_back(c);
        }
        out->begin(columns);
        for (const ScopeStatus& s : result.scopes) {
            const Point& p = s.latest;
            const Relationship& r = *p.relationship;
            std::vector<Cell> cells = {s.series.scope, s.series.server, r.name,
                                       q.time.format(p.timestamp), unrounded(s.utilization)};
            for (std::size_t i = 0; i < kCounterCount; ++i) {
                cells.push_back(counter(p, static_cast<Counter>(i)));
            }
            cells.insert(cells.end(), {std::string(to_string(r.mode)), r.role, r.expected_share,
                                       std::string(to_string(r.state)), r.source_state, level(s)});
            if (s.runs_out) {
                cells.push_back(q.time.format(*s.runs_out));
                cells.push_back(std::string(s.runs_out_own ? "own" : "scope"));
            } else {
                cells.insert(cells.end(), {Cell(), Cell()});
            }
            out->row(cells);
        }
    }
    out->end();
    if (q.format == OutputFormat::table)
        write_forecast_notes(result, forecast, q);
    q.output.finish();
    return result.worst.exit_status();
}

}  // namespace

void setup_status(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<StatusArgs>();
    CLI::App* sub = app.add_subcommand(
        "status",
        "Show the latest sample of every scope and server: utilization (addr_in_use / "
        "num_addr), free addresses on each side, failover state, and when free addresses "
        "run out: the earliest likely date (1 in 10 sooner) on which the scope's free "
        "addresses, or the server's own ('own'), run out, as trend forecasts it from the "
        "daily peaks of up to 91 days before the latest sample; '-' with fewer than 3 days "
        "or beyond 365 days. Exit status 1 when a scope is at or above --warning, runs out "
        "within --warn-within, or its latest sample is older than --stale; 2 at or above "
        "--critical or when it runs out within --critical-within; 3 when there is no sample "
        "at all, as a monitoring check. --format openmetrics writes them as Prometheus gauges "
        "(fostat_scope_addresses_*, fostat_scope_utilization_ratio, fostat_scope_severity, "
        "fostat_scope_earliest_exhaustion_timestamp_seconds, ...) for node_exporter's "
        "textfile collector.");
    add_query_options(*sub, common);
    add_level_options(*sub, args->levels);
    sub->add_option("--stale", args->stale,
                    "a latest sample older than DURATION (e.g. 15m) is a warning: the "
                    "collector has stopped")
        ->type_name("DURATION");
    add_forecast_window_options(*sub, args->windows);
    sub->add_flag("--timestamps", args->timestamps,
                  "with --format openmetrics: give each sample the time of the latest sample "
                  "(OpenMetrics, in seconds). node_exporter's textfile collector refuses a "
                  "file with timestamps; the gauge fostat_scope_sample_timestamp_seconds has "
                  "the time without them");
    sub->callback([&common, &status, args] { status = run_status(common, *args); });
}

}  // namespace fostat
