// One remote-write request's body (docs/metrics.md, "Pushed after each run"): the metrics of
// fostat's samples (formats/metrics.h) as Prometheus remote-write 1.0 time series, a protobuf
// WriteRequest compressed with snappy's block format.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "fostat/sample.h"

namespace fostat {

class WriteBatch {
  public:
    WriteBatch();
    ~WriteBatch();
    WriteBatch(WriteBatch&&) noexcept;
    WriteBatch& operator=(WriteBatch&&) noexcept;

    // Adds each known metric of `sample` to its series. REQUIRES: a series' samples come in
    // time order.
    void add(const Sample& sample);

    // Metric samples added (up to kSampleMetricCount a fostat sample).
    std::size_t samples() const;
    bool empty() const { return samples() == 0; }

    // The request's body: the WriteRequest serialized and snappy-compressed.
    std::string body() const;

    void clear();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// A body uncompressed: the serialized WriteRequest (for tests and the benchmark). Throws
// std::runtime_error when `body` is not snappy's block format.
std::string uncompressed(const std::string& body);

}  // namespace fostat
