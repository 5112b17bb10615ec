// OpenMetrics 1.0 text, the exposition format of Prometheus: gauges and their samples.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fostat {

// Writes metric families one after the other and ends them with "# EOF". Gauges only.
class OpenMetricsWriter {
  public:
    explicit OpenMetricsWriter(std::ostream& out) : out_(out) {}

    // Starts a family: # HELP, # TYPE gauge, and # UNIT when `unit` is not empty.
    // REQUIRES: `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*, starts no earlier family, and ends
    // with "_" + unit when there is a unit.
    void gauge(std::string_view name, std::string_view help, std::string_view unit = {});

    // One sample of the family begun last. `labels` is a label set from label_set().
    // `timestamp` in Unix seconds, as OpenMetrics has it (the Prometheus text format 0.0.4
    // would read the same digits as milliseconds).
    void sample(std::string_view labels, std::variant<std::int64_t, double> value,
                std::optional<std::int64_t> timestamp = std::nullopt);

    // "# EOF". Nothing may follow.
    void finish();

  private:
    std::ostream& out_;
    std::string name_;
    std::string line_;
};

// "{name=\"value\",...}" with every value escaped as OpenMetrics requires: backslash, double
// quote and line feed as \\, \" and \n. Bytes that are not UTF-8 become U+FFFD, since both
// OpenMetrics and Prometheus refuse a label value that is not UTF-8.
// REQUIRES: every name matches [a-zA-Z_][a-zA-Z0-9_]*.
std::string label_set(std::initializer_list<std::pair<std::string_view, std::string_view>> labels);

// The same of names[i] = values[i]. REQUIRES: as many values as names.
std::string label_set(std::span<const std::string_view> names,
                      std::span<const std::string_view> values);

}  // namespace fostat
