// status --format openmetrics: status's latest samples as OpenMetrics gauges, for
// node_exporter's textfile collector or any Prometheus-compatible store.
#pragma once

#include <ostream>

namespace fostat {

struct StatusResult;

// One gauge per counter and figure of status's latest samples (docs/cli.md, "status as
// OpenMetrics"). NULL counters and an unknown utilization are left out. With `timestamps`,
// each sample carries its time (OpenMetrics only; node_exporter's textfile collector refuses
// a file with timestamps).
void write_status_openmetrics(std::ostream& out, const StatusResult& result, bool timestamps);

}  // namespace fostat
