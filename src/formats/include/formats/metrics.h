// The names of fostat's figures as Prometheus metrics (docs/metrics.md): the one place for
// status --format openmetrics, samples --format openmetrics and fostat-collect --remote-write.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "fostat/sample.h"

namespace fostat {

struct MetricName {
    std::string_view name;
    std::string_view help;
    std::string_view unit;  // empty for a count of addresses
};

// The seven counters, in the order of Counter. Prometheus' conventions: a gauge has no
// _total (that is a counter's), a count of things is named after the things, ratios are 0 to
// 1 with _ratio, times are _seconds. The seven share one prefix, as node_filesystem_files and
// node_filesystem_files_free do; summing them with one another would mean nothing, so they
// are not one metric with a label.
inline constexpr std::array<MetricName, kCounterCount> kCounterMetrics = {{
    {"fostat_scope_addresses",
     "Addresses of the scope in the failover relationship (num_addr, Windows NumAddr).", ""},
    {"fostat_scope_addresses_free", "Free addresses that can be leased out (addr_free, AddrFree).",
     ""},
    {"fostat_scope_addresses_in_use", "Addresses leased out to clients (addr_in_use, AddrInUse).",
     ""},
    {"fostat_scope_addresses_free_partner",
     "Free addresses owned by the partner of the server (partner_addr_free, PartnerAddrFree).", ""},
    {"fostat_scope_addresses_free_this",
     "Free addresses owned by the server itself (this_addr_free, ThisAddrFree).", ""},
    {"fostat_scope_addresses_in_use_partner",
     "Addresses leased out by the partner of the server (partner_addr_in_use, "
     "PartnerAddrInUse).",
     ""},
    {"fostat_scope_addresses_in_use_this",
     "Addresses leased out by the server itself (this_addr_in_use, ThisAddrInUse).", ""},
}};

inline constexpr MetricName kUtilizationMetric{
    "fostat_scope_utilization_ratio",
    "Addresses in use over addresses of the scope, 0 to 1 (status's used %); left out when "
    "either is unknown or the scope has no addresses.",
    "ratio"};
inline constexpr MetricName kExpectedShareMetric{
    "fostat_scope_expected_share_ratio",
    "The share of the free addresses the server should hold, 0 to 1: its load-balance "
    "percentage, or the reserve of a hot-standby standby.",
    "ratio"};

// status's alone: figures of its analysis, not of one stored sample.
inline constexpr MetricName kSeverityMetric{
    "fostat_scope_severity",
    "The status of the scope and server as the exit status of status counts it: 0 ok (or "
    "utilization unknown), 1 warning (or older than the stale limit), 2 critical.",
    ""};
inline constexpr MetricName kSampleTimestampMetric{
    "fostat_scope_sample_timestamp_seconds",
    "When the latest sample was taken, in seconds since 1970-01-01T00:00:00Z.", "seconds"};
// A time, not the seconds left: a textfile collector serves the same file for minutes, and
// the time stays true while it does.
inline constexpr MetricName kExhaustionMetric{
    "fostat_scope_earliest_exhaustion_timestamp_seconds",
    "The earliest likely time (1 in 10 sooner) at which the free addresses of the scope, or "
    "the server's own, run out (status's runs out), in seconds since 1970-01-01T00:00:00Z; "
    "left out with too short a history or beyond the horizon.",
    "seconds"};

// The labels of every series, in this order. The state is one: a change of state starts a
// new series.
inline constexpr std::array<std::string_view, 5> kSeriesLabels = {"server", "relationship", "scope",
                                                                  "mode", "state"};

// The values of kSeriesLabels for `sample`; they point into it.
std::array<std::string_view, kSeriesLabels.size()> series_label_values(const Sample& sample);

// The metrics of one stored sample, in order: the seven counters, the utilization and the
// expected share.
inline constexpr std::size_t kSampleMetricCount = kCounterCount + 2;
const MetricName& sample_metric(std::size_t i);

using MetricValue = std::variant<std::int64_t, double>;

// The value of sample_metric(i) in `sample`: nullopt for a NULL counter (no sample, never
// 0) and an unknown utilization.
std::optional<MetricValue> sample_metric_value(const Sample& sample, std::size_t i);

}  // namespace fostat
