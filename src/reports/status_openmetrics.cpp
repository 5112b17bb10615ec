#include "reports/status_openmetrics.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analyses/status.h"
#include "formats/metrics.h"
#include "formats/openmetrics.h"

namespace fostat {
namespace {

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
        const std::array<std::string_view, kSeriesLabels.size()> values = {
            s.series.server, r.name, s.series.scope, to_string(r.mode), to_string(r.state)};
        labels.push_back(label_set(kSeriesLabels, values));
    }
    const auto when = [&](const ScopeStatus& s) {
        return timestamps ? std::optional(s.latest.timestamp) : std::nullopt;
    };

    OpenMetricsWriter w(out);
    const auto gauge = [&](const MetricName& m) { w.gauge(m.name, m.help, m.unit); };
    for (std::size_t c = 0; c < kCounterCount; ++c) {
        gauge(kCounterMetrics[c]);
        for (std::size_t i = 0; i < result.scopes.size(); ++i) {
            const ScopeStatus& s = result.scopes[i];
            if (const auto& v = s.latest.counters.values[c])  // NULL: no sample, never 0
                w.sample(labels[i], static_cast<std::int64_t>(*v), when(s));
        }
    }
    gauge(kUtilizationMetric);
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.utilization)
            w.sample(labels[i], *s.utilization / 100, when(s));
    }
    gauge(kExpectedShareMetric);
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.relationship->expected_share / 100, when(s));
    }
    gauge(kSeverityMetric);
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], severity_value(s), when(s));
    }
    gauge(kSampleTimestampMetric);
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        w.sample(labels[i], s.latest.timestamp, when(s));
    }
    gauge(kExhaustionMetric);
    for (std::size_t i = 0; i < result.scopes.size(); ++i) {
        const ScopeStatus& s = result.scopes[i];
        if (s.runs_out)
            w.sample(labels[i], *s.runs_out, when(s));
    }
    w.finish();
}

}  // namespace fostat
