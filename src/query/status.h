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
};

struct ScopeStatus {
    Series series;
    Point latest;
    std::optional<double> utilization;  // addr_in_use / num_addr in percent; unknown if NULL
    std::optional<Severity> severity;   // nullopt: below the warning threshold
};

struct StatusResult {
    std::vector<ScopeStatus> scopes;  // by scope in address order, then server
    WorstSeverity worst;
};

// REQUIRES: 0 <= options.warning <= options.critical <= 100.
StatusResult scope_status(SampleReader& reader, const SeriesFilter& filter,
                          const StatusOptions& options);

}  // namespace fostat
