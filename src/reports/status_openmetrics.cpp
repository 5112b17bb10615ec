#include "reports/status_openmetrics.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analyses/status.h"
#include "formats/openmetrics.h"

namespace fostat {
namespace {

struct CounterMetric {
    Counter counter;
    std::string_view name;
    std::string_view help;
};

// Prometheus' conventions: a gauge has no _total (that is a counter's), a count of things
// is named after the things, ratios are 0 to 1 with _ratio, times are _seconds. The seven
// share one prefix, as node_filesystem_files and node_filesystem_files_free do; summing
// them with one another would mean nothing, so they are not one metric with a label.
constexpr std::array<CounterMetric, kCounterCount> kCounterMetrics = {{
    {Counter::num_addr, "fostat_scope_addresses",
     "Addresses of the scope in the failover relationship (num_addr, Windows NumAddr)."},
    {Counter::addr_free, "fostat_scope_addresses_free",
     "Free addresses that can be leased out (addr_free, AddrFree)."},
    {Counter::addr_in_use, "fostat_scope_addresses_in_use",
     "Addresses leased out to clients (addr_in_use, AddrInUse)."},
    {Counter::partner_addr_free, "fostat_scope_addresses_free_partner",
     "Free addresses owned by the partner of the server (partner_addr_free, PartnerAddrFree)."},
    {Counter::this_addr_free, "fostat_scope_addresses_free_this",
     "Free addresses owned by the server itself (this_addr_free, ThisAddrFree)."},
    {Counter::partner_addr_in_use, "fostat_scope_addresses_in_use_partner",
     "Addresses leased out by the partner of the server (partner_addr_in_use, "
     "PartnerAddrInUse)."},
    {Counter::this_addr_in_use, "fostat_scope_addresses_in_use_this",
     "Addresses leased out by the server itself (this_addr_in_use, ThisAddrInUse)."},
}};

// As exit_status() counts a row: info never happens in status, unknown utilization is 0.
std::int64_t severity_value(const ScopeStatus& s) {
    if (s.severity == Severity::critical)
        return 2;
    if (s.severity == Severity::warning)
        return 1;
    return 0;
}

}  // namespace

void write_status_openmetrics(std::ostream& out, const StatusResult& result, bool timestamps) {
    // The labels of each row, escaped once.
    std::vector<std::string> labels;
    labels.reserve(result.scopes.size());
    for (const ScopeStatus& s : result.scopes) {
        const Relationship& r = *s.latest.relationship;
        labels.push_back(label_set({{"server", s.series.server},
                                    {"relationship", r.name},
                                    {"scope", s.series.scope},
                                    {"mode", to_string(r.mode)},
                                    {"state", to_string(r.state)}}));
    }
    const auto when = [&](const ScopeStatus& s) {
        return timestamps ? std::optional(s.latest.timestamp) : std::nullopt;
    };

    OpenMetricsWriter w(out);
    for (const CounterMetric& m : kCounterMetrics) {
        w.gauge(m.name, m.help);
        for (std::size_t i = 0; i < result.scopes.size(); ++i) {
            const ScopeStatus& s = result.scopes[i];
            if (const auto& v = s.latest.counters[m.counter])  // NULL: no sample, never 0
                w.sample(labels[i], static_cast<std::int64_t>(*v), when(s));
        }
    }
    w.gauge("fostat_scope_utilization_ratio",
            "Addresses in use over addresses of the scope, 0 to 1 (status's used %); left out "
            "when either is unknown or the scope has no addresses.",
            "ratio");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.utilization)
            w.sample(labels[i], *s.utilization / 100, when(s));
    }
    w.gauge("fostat_scope_expected_share_ratio",
            "The share of the free addresses the server should hold, 0 to 1: its load-balance "
            "percentage, or the reserve of a hot-standby standby.",
            "ratio");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.relationship->expected_share / 100, when(s));
    }
    w.gauge("fostat_scope_severity",
            "The status of the scope and server as the exit status of status counts it: 0 ok "
            "(or utilization unknown), 1 warning (or older than the stale limit), 2 critical.");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], severity_value(s), when(s));
    }
    w.gauge("fostat_scope_sample_timestamp_seconds",
            "When the latest sample was taken, in seconds since 1970-01-01T00:00:00Z.", "seconds");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.timestamp, when(s));
    }
    // A time, not the seconds left: a textfile collector serves the same file for minutes,
    // and the time stays true while it does.
    w.gauge("fostat_scope_earliest_exhaustion_timestamp_seconds",
            "The earliest likely time (1 in 10 sooner) at which the free addresses of the scope, "
            "or the server's own, run out (status's runs out), in seconds since "
            "1970-01-01T00:00:00Z; left out with too short a history or beyond the horizon.",
            "seconds");
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.runs_out)
            w.sample(labels[i], *s.runs_out, when(s));
    }
    w.finish();
}

}  // namespace fostat
