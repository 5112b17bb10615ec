#include "push/write_request.h"

#include <snappy.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "formats/metrics.h"
#include "src/push/remote_write.pb.h"

namespace fostat {

struct WriteBatch::State {
    prompb::WriteRequest request;
    // Each series of the request by its metric and label values.
    std::unordered_map<std::string, prompb::TimeSeries*> series;
    std::size_t samples = 0;
};

WriteBatch::WriteBatch() : state_(std::make_unique<State>()) {}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::add(const Sample& sample) {
    const std::array<std::string_view, kSeriesLabels.size()> values = series_label_values(sample);
    std::string key;
    for (const std::string_view value : values) {
        key += value;
        key.push_back('\0');
    }
    const std::size_t common = key.size();
    for (std::size_t m = 0; m < kSampleMetricCount; ++m) {
        const std::optional<MetricValue> value = sample_metric_value(sample, m);
        if (!value)
            continue;
        key.resize(common);
        key.push_back(static_cast<char>(m));
        prompb::TimeSeries*& series = state_->series[key];
        if (series == nullptr) {
            series = state_->request.add_timeseries();
            // The protocol wants the labels sorted by name, and none with an empty value
            // (Prometheus reads one as absent).
            std::vector<std::pair<std::string_view, std::string_view>> labels = {
                {"__name__", sample_metric(m).name}};
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (!values[i].empty())
                    labels.emplace_back(kSeriesLabels[i], values[i]);
            }
            std::sort(labels.begin(), labels.end());
            for (const auto& [name, text] : labels) {
                prompb::Label* label = series->add_labels();
                label->set_name(std::string(name));
                label->set_value(std::string(text));
            }
        }
        prompb::Sample* out = series->add_samples();
        out->set_value(std::visit([](auto v) { return static_cast<double>(v); }, *value));
        out->set_timestamp(sample.timestamp * 1000);
        ++state_->samples;
    }
}

std::size_t WriteBatch::samples() const {
    return state_->samples;
}

std::string WriteBatch::body() const {
    std::string raw;
    if (!state_->request.SerializeToString(&raw))
        throw std::runtime_error("remote write: the request cannot be serialized");
    std::string compressed;
    snappy::Compress(raw.data(), raw.size(), &compressed);
    return compressed;
}

void WriteBatch::clear() {
    state_->request.Clear();
    state_->series.clear();
    state_->samples = 0;
}

std::string uncompressed(const std::string& body) {
    std::string raw;
    if (!snappy::Uncompress(body.data(), body.size(), &raw))
        throw std::runtime_error("not snappy's block format");
    return raw;
}

}  // namespace fostat
