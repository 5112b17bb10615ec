// The latest sample of every scope and server, judged against utilization thresholds.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "query/analysis.h"

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
    std::optional<Severity> severity;   // nullopt: below the warning threshold, not stale
};

struct StatusResult {
    std::vector<ScopeStatus> scopes;  // by scope in address order, then server
    WorstSeverity worst;
};

// `percent` to one decimal as a person reads it beside its status: rounded, except where
// rounding would cross a threshold (89.96 is shown 89.9 below --critical 90, 79.99 as 79.9
// below --warning 80, 80.04 as 80.1 at or above --warning 80.04), so that the figure never
// contradicts the status judged on the unrounded value.
double shown_percent(double percent, const StatusOptions& options);

// REQUIRES: 0 <= options.warning <= options.critical <= 100.
StatusResult scope_status(SampleReader& reader, const SeriesFilter& filter,
                          const StatusOptions& options);

}  // namespace fostat
