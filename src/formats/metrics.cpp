#include "formats/metrics.h"

namespace fostat {

std::array<std::string_view, kSeriesLabels.size()> series_label_values(const Sample& sample) {
    return {sample.server, sample.relationship.name, sample.scope,
            to_string(sample.relationship.mode), to_string(sample.relationship.state)};
}

const MetricName& sample_metric(std::size_t i) {
    if (i < kCounterCount)
        return kCounterMetrics[i];
    return i == kCounterCount ? kUtilizationMetric : kExpectedShareMetric;
}

std::optional<MetricValue> sample_metric_value(const Sample& sample, std::size_t i) {
    if (i < kCounterCount) {
        if (const auto& v = sample.counters.values[i])
            return static_cast<std::int64_t>(*v);
        return std::nullopt;
    }
    if (i == kCounterCount) {
        if (const auto percent = utilization_percent(sample.counters))
            return *percent / 100;
        return std::nullopt;
    }
    return sample.relationship.expected_share / 100;
}

}  // namespace fostat
