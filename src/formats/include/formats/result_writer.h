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

// A number as a table shows it, with its unit or a fixed number of decimals ("48.0", "3h"):
// aligned to the right as numbers are. CSV and JSON write its text; commands give them the
// plain number instead where a program reads it.
struct Figure {
    std::string text;
    bool operator==(const Figure&) const = default;
};

// An empty cell is NULL: "-" in a table, an empty CSV field, null in JSON.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string, Figure>;

// openmetrics is status's alone (reports/status_openmetrics.h); it has no ResultWriter.
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

// Every format streams: CSV and JSON write each row as it comes; the table holds the first
// kTablePrefixRows rows to size its columns in display columns (text.h display_width), then
// prints them and each later row as it comes, so its memory is bounded whatever the number
// of rows. A later cell wider than its column pushes the rest of its line to the right; no
// cell is ever cut. Table cells are shown as terminal_text (text.h): no name can move the
// cursor or break a line. CSV keeps every byte; JSON replaces bytes that are not UTF-8 by
// U+FFFD, as JSON text must be UTF-8.
// REQUIRES: format is not openmetrics.
std::unique_ptr<ResultWriter> make_result_writer(OutputFormat format, std::ostream& out);

inline constexpr std::size_t kTablePrefixRows = 1000;

// The table format with its columns sized on the first `prefix_rows` rows (tests).
// REQUIRES: prefix_rows > 0.
std::unique_ptr<ResultWriter> make_table_writer(std::ostream& out,
                                                std::size_t prefix_rows = kTablePrefixRows);

}  // namespace fostat
