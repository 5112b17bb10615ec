// RFC 4180 CSV: a streaming reader and the cell writer every CSV output uses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/byte_source.h"
#include "fostat/error.h"

namespace fostat {

class CsvReader {
  public:
    // `name` is how errors name the input ("stats.csv", "<stdin>").
    CsvReader(ByteSource& in, std::string name);

    // Reads the next record into `fields` (views valid until the next call). Blank lines
    // are skipped. Returns false at the end of input. Throws InputError "name:line: ...".
    bool next(std::vector<std::string_view>& fields);

    // The line on which the record last returned by next() starts (1-based).
    std::uint64_t line() const { return record_line_; }
    std::uint64_t bytes_consumed() const { return consumed_; }
    const std::string& name() const { return name_; }
    [[noreturn]] void fail(const std::string& message) const;

  private:
    bool fill();  // reads more input; false at end of input
    std::size_t find_record_end(std::size_t from, bool& in_quotes);
    void split(char* begin, char* end, std::vector<std::string_view>& fields);

    ByteSource& in_;
    std::string name_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  // first unread byte
    std::size_t end_ = 0;    // end of valid data
    bool eof_ = false;
    bool first_ = true;
    std::uint64_t record_line_ = 0;
    std::uint64_t next_line_ = 1;
    std::uint64_t consumed_ = 0;
};

// Appends one cell, quoted where RFC 4180 needs it. Text that a spreadsheet would take for a
// formula (starting with = + - @ tab or CR, and not a number) gets a leading apostrophe,
// which CsvReader users strip again with unneutralise().
void append_csv_cell(std::string& out, std::string_view cell);
std::string_view unneutralise(std::string_view cell);

}  // namespace fostat
