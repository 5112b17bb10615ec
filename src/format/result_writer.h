// Query results as a table for people, CSV for spreadsheets, JSON for programs.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fostat {

// An empty cell is NULL: "-" in a table, an empty CSV field, null in JSON.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

// openmetrics is status's alone (format/openmetrics.h); it has no ResultWriter.
enum class OutputFormat { table, csv, json, openmetrics };

// Throws InputError for anything but table, csv, json, and openmetrics where
// `openmetrics_allowed`.
OutputFormat parse_output_format(std::string_view text, bool openmetrics_allowed = false);

class ResultWriter {
  public:
    virtual ~ResultWriter() = default;
    virtual void begin(const std::vector<std::string>& columns) = 0;
    // REQUIRES: as many cells as begin() had columns.
    virtual void row(const std::vector<Cell>& cells) = 0;
    virtual void end() = 0;
};

// The table format keeps every row until end() to size its columns; CSV and JSON stream.
// REQUIRES: format is not openmetrics.
std::unique_ptr<ResultWriter> make_result_writer(OutputFormat format, std::ostream& out);

}  // namespace fostat
