// The latest sample of every scope and server, judged against utilization thresholds and
// against the forecast of when free addresses run out (trend's, docs/analyses.md,
// Forecasts).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "analyses/analysis.h"
#include "analyses/trend.h"

namespace SQLite {
class Database;
}

namespace fostat {

struct StatusOptions {
    double warning = 80;   // utilization in percent at which a scope is a warning
    double critical = 90;  // ... and critical
    // A latest sample older than this, at `now`, is a warning: the collector has stopped
    // (or lost that server) and the other figures are history.
    std::optional<std::int64_t> stale_after;
    std::int64_t now = 0;
};

struct ScopeStatus {
    Series series;
    Point latest;
    std::optional<double> utilization;  // addr_in_use / num_addr in percent; unknown if NULL
    bool stale = false;                 // older than StatusOptions::stale_after
    // The earliest likely date on which the scope's free addresses (TrendLine::earliest)
    // or this server's own (TrendLine::own_earliest) run out, whichever comes first; nullopt
    // without a forecast, with too short a history (fit "short"), or when neither is due
    // within the horizon.
    std::optional<std::int64_t> runs_out;
    bool runs_out_own = false;  // runs_out is the server's own pool's date
    // The server's own free addresses run out a day or more before the scope's (or the
    // scope's do not within the horizon), as trend's own_runs_out_first: what the table
    // flags (a pool split between the servers always empties a little before the scope).
    bool own_runs_out = false;
    std::optional<Severity> forecast_severity;  // of runs_out (forecast_severity())
    // The worse of the utilization's (or stale's) and the forecast's; nullopt: none.
    std::optional<Severity> severity;
};

struct StatusResult {
    std::vector<ScopeStatus> scopes;  // by scope in address order, then server
    // The latest sample of all rows: where the forecasts count from (TrendResult::as_of).
    std::int64_t as_of = 0;
    WorstSeverity worst;
};

// `percent` to one decimal as a person reads it beside its status: rounded, except where
// rounding would cross a threshold (89.96 is shown 89.9 below --critical 90, 79.99 as 79.9
// below --warning 80, 80.04 as 80.1 at or above --warning 80.04), so that the figure never
// contradicts the status judged on the unrounded value.
double shown_percent(double percent, const StatusOptions& options);

// The rows' utilization and staleness; no forecast yet (add_forecasts). The rows' points
// hold relationships that live as long as `reader`.
// REQUIRES: 0 <= options.warning <= options.critical <= 100.
StatusResult scope_status(SampleReader& reader, const SeriesFilter& filter,
                          const StatusOptions& options);

// Gives each row its runs_out and forecast_severity, as trend forecasts them (with
// forecast's horizon, warn_within and critical_within), and raises its severity (and the
// result's worst) to the forecast's. Trend reads the kForecastDays whole UTC days before the
// day of result.as_of, and that day, whatever filter.since says (the window picks the latest
// samples, the forecast needs the days before them): daily rollups, and the raw samples of
// the last day. Throws StorageError as trend_each does.
// With `drawn`, also appends there the lines the forecasts came from, in address order: each
// scope's (its servers combined), then its servers' (own free addresses): what a chart of the
// scope draws.
void add_forecasts(SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& forecast,
                   StatusResult& result, std::vector<TrendLine>* drawn = nullptr);

}  // namespace fostat
