#include "analyses/status.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <SQLiteCpp/Database.h>

namespace fostat {
namespace {

// The earliest likely dates of one scope and server: the scope's free addresses and the
// server's own, each only from a fitted forecast.
struct RunsOut {
    std::optional<std::int64_t> scope;
    std::optional<std::int64_t> own;
};

// Trend's forecasts for the rows, keyed by scope and server, over the days up to `as_of` (the
// latest sample of the rows), as add_forecasts says.
std::map<std::pair<std::string, std::string>, RunsOut> forecasts(SQLite::Database& db,
                                                                 const SeriesFilter& filter,
                                                                 const TrendOptions& forecast,
                                                                 std::int64_t as_of,
                                                                 std::vector<TrendLine>* drawn) {
    TrendOptions options = forecast;
    options.bucket = kDaySeconds;   // daily rollups; the forecast reads days whatever the bucket
    options.per_server = true;      // the servers' own free pools
    options.server_demand = false;  // and nothing else of theirs
    options.zone = nullptr;         // the forecast's days are UTC days
    SeriesFilter window = filter;
    const std::int64_t day = as_of - ((as_of % kDaySeconds) + kDaySeconds) % kDaySeconds;
    window.since = day - kForecastDays * kDaySeconds;  // whole days: only the last one is cut
    std::map<std::pair<std::string, std::string>, RunsOut> out;
    trend_each(db, window, options,
               [&](const TrendResult&, std::span<TrendLine> lines, TrendBuckets&) {
                   const TrendLine& scope = lines.front();  // the scope's line, then its servers'
                   if (drawn)
                       drawn->insert(drawn->end(), lines.begin(), lines.end());
                   const bool scope_fitted = scope.fit != "short";
                   for (const TrendLine& line : lines.subspan(1)) {
                       RunsOut& r = out[{line.scope, line.server}];
                       if (scope_fitted)
                           r.scope = scope.earliest;
                       if (line.own_fit != "short")
                           r.own = line.own_earliest;
                   }
               });
    return out;
}

}  // namespace

double shown_percent(double percent, const StatusOptions& options) {
    double shown = std::round(percent * 10) / 10;
    for (const double threshold : {options.warning, options.critical}) {
        if (percent < threshold && shown >= threshold)
            shown = std::floor(percent * 10) / 10;
        else if (percent >= threshold && shown < threshold)
            shown = std::ceil(percent * 10) / 10;
    }
    return shown + 0.0;  // never "-0"
}

StatusResult scope_status(SampleReader& reader, const SeriesFilter& filter,
                          const StatusOptions& options) {
    StatusResult result;
    for (const Series& series : reader.series(filter)) {
        const std::optional<Point> latest = reader.latest(series, filter);
        if (!latest)
            continue;
        ScopeStatus status;
        status.series = series;
        status.latest = *latest;
        status.utilization = utilization_percent(latest->counters);
        if (status.utilization) {
            if (*status.utilization >= options.critical) {
                status.severity = Severity::critical;
            } else if (*status.utilization >= options.warning) {
                status.severity = Severity::warning;
            }
        }
        if (options.stale_after && options.now - latest->timestamp > *options.stale_after) {
            status.stale = true;
            if (!status.severity)
                status.severity = Severity::warning;
        }
        if (status.severity)
            result.worst.add(*status.severity);
        if (result.scopes.empty() || latest->timestamp > result.as_of)
            result.as_of = latest->timestamp;
        result.scopes.push_back(std::move(status));
    }
    std::stable_sort(result.scopes.begin(), result.scopes.end(),
                     [](const ScopeStatus& a, const ScopeStatus& b) {
                         if (a.series.scope != b.series.scope) {
                             return scope_less(a.series.scope, b.series.scope);
                         }
                         return a.series.server < b.series.server;
                     });
    return result;
}

void add_forecasts(SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& forecast,
                   StatusResult& result, std::vector<TrendLine>* drawn) {
    if (result.scopes.empty())
        return;
    const auto runs_out = forecasts(db, filter, forecast, result.as_of, drawn);
    for (ScopeStatus& status : result.scopes) {
        const auto found = runs_out.find({status.series.scope, status.series.server});
        if (found == runs_out.end())
            continue;
        const RunsOut& r = found->second;
        // The sooner of the two; "own" as trend's own flag has it (own_runs_out_first): a day
        // or more before the scope's, since a pool split between the servers empties with
        // the scope's free addresses.
        status.runs_out_own = r.own && (!r.scope || *r.own < *r.scope);
        status.runs_out = status.runs_out_own ? r.own : r.scope;
        status.own_runs_out = r.own && (!r.scope || *r.own <= *r.scope - kDaySeconds);
        status.forecast_severity = forecast_severity(status.runs_out, result.as_of, forecast);
        if (status.forecast_severity) {
            if (!status.severity || *status.forecast_severity > *status.severity)
                status.severity = status.forecast_severity;
            result.worst.add(*status.forecast_severity);
        }
    }
}

}  // namespace fostat
