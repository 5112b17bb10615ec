#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/query.h"
#include "cli/query_common.h"
#include "format/openmetrics.h"
#include "fostat/error.h"
#include "query/status.h"

namespace fostat {
namespace {

struct StatusArgs {
    LevelOptions levels;
    std::string stale;
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
    if (!s.utilization)
        return "unknown";
    return s.severity ? std::string(to_string(*s.severity)) : "ok";
}

int run_status(const QueryOptions& options, const StatusArgs& args) {
    StatusOptions t;
    const UtilizationLevels levels = levels_of(args.levels);
    t.warning = levels.warning;
    t.critical = levels.critical;
    StatusOptions judged = t;
    judged.stale_after = parse_stale(args.stale);
    QueryContext q = open_query(options, /*openmetrics=*/true);
    judged.now = q.now;
    require_samples(q, options);
    if (args.timestamps && q.format != OutputFormat::openmetrics)
        throw InputError("--timestamps: only with --format openmetrics");
    SampleReader reader(*q.db);
    const StatusResult result = scope_status(reader, q.filter, judged);
    if (q.format == OutputFormat::openmetrics) {
        write_status_openmetrics(q.output.stream(), result, args.timestamps);
        q.output.finish();
        return result.worst.exit_status();
    }
    auto out = make_result_writer(q.format, q.output.stream());
    if (q.format == OutputFormat::table) {
        // Free addresses: the scope's, this server's own and its partner's.
        out->begin(
            {"scope", "server", "used %", "free", "own", "partner", "state", "status", "sample"});
        for (const ScopeStatus& s : result.scopes) {
            const Point& p = s.latest;
            out->row({s.series.scope, s.series.server, shown(s.utilization, t),
                      counter(p, Counter::addr_free), counter(p, Counter::this_addr_free),
                      counter(p, Counter::partner_addr_free),
                      std::string(to_string(p.relationship->state)), level(s),
                      short_time(p.timestamp, q.time)});
        }
    } else {
        std::vector<std::string> columns = {"scope", "server", "relationship", "timestamp",
                                            "utilization"};
        for (std::string_view name : kCounterNames)
            columns.emplace_back(name);
        for (const char* c :
             {"mode", "role", "expected_share", "state", "source_state", "status"}) {
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
            out->row(cells);
        }
    }
    out->end();
    q.output.finish();
    return result.worst.exit_status();
}

}  // namespace

void setup_status(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<StatusArgs>();
    CLI::App* sub = app.add_subcommand(
        "status",
        "Show the latest sample of every scope and server: utilization (addr_in_use / "
        "num_addr), free addresses on each side, failover state. Exit status 1 when a scope "
        "is at or above --warning (or its latest sample is older than --stale), 2 at or "
        "above --critical, 3 when there is no sample at all, as a monitoring check. "
        "--format openmetrics writes them as Prometheus gauges (fostat_scope_addresses_*, "
        "fostat_scope_utilization_ratio, fostat_scope_severity, ...) for node_exporter's "
        "textfile collector.");
    add_query_options(*sub, common);
    add_level_options(*sub, args->levels);
    sub->add_option("--stale", args->stale,
                    "a latest sample older than DURATION (e.g. 15m) is a warning: the "
                    "collector has stopped")
        ->type_name("DURATION");
    sub->add_flag("--timestamps", args->timestamps,
                  "with --format openmetrics: give each sample the time of the latest sample "
                  "(OpenMetrics, in seconds). node_exporter's textfile collector refuses a "
                  "file with timestamps; the gauge fostat_scope_sample_timestamp_seconds has "
                  "the time without them");
    sub->callback([&common, &status, args] { status = run_status(common, *args); });
}

}  // namespace fostat
