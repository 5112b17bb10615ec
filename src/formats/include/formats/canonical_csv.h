// The canonical sample CSV (docs/csv.md): what import reads and samples --format csv writes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/csv.h"
#include "fostat/sample.h"

namespace fostat {

class TimeFormatter;

inline constexpr std::array<std::string_view, 14> kCanonicalColumns = {
    "timestamp",        "server",      "relationship",      "scope",          "num_addr",
    "addr_free",        "addr_in_use", "partner_addr_free", "this_addr_free", "partner_addr_in_use",
    "this_addr_in_use", "mode",        "expected_share",    "state",
};
// Without mode, expected_share and state, which then default to load-balance, 50, unknown.
inline constexpr std::size_t kShortCanonicalColumns = 11;

class CanonicalCsvReader {
  public:
    CanonicalCsvReader(ByteSource& in, std::string name);
    // Reads and checks the next row into `sample`; false at the end of input.
    // Throws InputError "name:line: ..." naming the column for anything wrong (a server or
    // relationship name that is not printable UTF-8 too: text.h name_problem), and for a
    // file without the canonical header.
    bool next(Sample& sample);
    std::uint64_t line() const { return csv_.line(); }
    std::uint64_t bytes_consumed() const { return csv_.bytes_consumed(); }

  private:
    void read_header();

    CsvReader csv_;
    std::vector<std::string_view> fields_;
    std::size_t columns_ = 0;
};

void append_canonical_header(std::string& out);
void append_canonical_row(std::string& out, const Sample& sample, const TimeFormatter& time);

// The shortest decimal that reads back as `value` ("50", "33.5").
void append_decimal(std::string& out, double value);

}  // namespace fostat
