#include "formats/csv.h"

#include <algorithm>
#include <cstring>

#include "fostat/error.h"

namespace fostat {
namespace {

// A record longer than the buffer is not a statistics row: stop rather than let memory grow.
constexpr std::size_t kMaxRecord = 1 << 20;

bool is_number(std::string_view s) {
    if (s.empty())
        return false;
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits = true;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    return digits;
}

bool formula_start(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

CsvReader::CsvReader(ByteSource& in, std::string name)
    : in_(in), name_(std::move(name)), buffer_(kMaxRecord) {}

void CsvReader::fail(const std::string& message) const {
    throw InputError(at_line(name_, record_line_, message));
}

bool CsvReader::fill() {
    if (eof_)
        return false;
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {
        fail("a record longer than " + std::to_string(kMaxRecord) +
             " bytes: this is not a statistics CSV, or a quote is never closed");
    }
    const std::size_t n = in_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0)
        eof_ = true;
    end_ += n;
    return n > 0;
}

// Returns the offset just past the record's line end, or npos if the buffer ends first.
std::size_t CsvReader::find_record_end(std::size_t from, bool& in_quotes) {
    const char* data = buffer_.data();
    for (std::size_t i = from; i < end_; ++i) {
        const char c = data[i];
        if (c == '"') {
            in_quotes = !in_quotes;
        } else if (c == '\n' && !in_quotes) {
            return i + 1;
        }
    }
    return std::string::npos;
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
    fields.clear();
    for (;;) {
        if (begin_ == end_ && !fill())
            return false;
        if (first_) {
            first_ = false;
            while (end_ - begin_ < 3 && fill()) {
            }
            if (end_ - begin_ >= 3 &&
                std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) {
                begin_ += 3;  // a UTF-8 byte-order mark
                consumed_ += 3;
            }
        }
        record_line_ = next_line_;
        bool in_quotes = false;
        std::size_t record_end = find_record_end(begin_, in_quotes);
        while (record_end == std::string::npos) {
            const std::size_t offset = end_ - begin_;
            if (!fill())
                break;
            record_end = find_record_end(offset + begin_, in_quotes);
        }
        if (record_end == std::string::npos) {
            if (in_quotes)
                fail("a quoted field is never closed (end of input reached)");
            record_end = end_;  // the last line has no line end
        }
        char* begin = buffer_.data() + begin_;
        char* end = buffer_.data() + record_end;
        consumed_ += record_end - begin_;
        begin_ = record_end;
        next_line_ += static_cast<std::uint64_t>(std::count(begin, end, '\n'));
        if (end > begin && end[-1] == '\n')
            --end;
        if (end > begin && end[-1] == '\r')
            --end;
        if (begin == end)
            continue;  // a blank line
        split(begin, end, fields);
        return true;
    }
}

void CsvReader::split(char* p, char* end, std::vector<std::string_view>& fields) {
    for (;;) {
        if (p < end && *p == '"') {
            // Unescape "" in place; the result is never longer than the input.
            char* out = ++p;
            const char* field = out;
            for (;;) {
                if (p == end)
                    fail("a quoted field is never closed");
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *out++ = '"';
                        p += 2;
                        continue;
                    }
                    ++p;
                    break;
                }
                *out++ = *p++;
            }
            fields.emplace_back(field, static_cast<std::size_t>(out - field));
            if (p == end)
                return;
            if (*p != ',') {
                fail("field " + std::to_string(fields.size()) +
                     ": text after a closing quote; a quote inside a field is written \"\"");
            }
            ++p;
            if (p == end) {
                fields.emplace_back();
                return;
            }
            continue;
        }
        char* start = p;
        while (p < end && *p != ',') {
            if (*p == '"') {
                fail("field " + std::to_string(fields.size() + 1) +
                     ": a quote inside an unquoted field; quote the whole field");
            }
            ++p;
        }
        fields.emplace_back(start, static_cast<std::size_t>(p - start));
        if (p == end)
            return;
        ++p;
        if (p == end) {
            fields.emplace_back();
            return;
        }
    }
}

void append_csv_cell(std::string& out, std::string_view cell) {
    const bool neutralise = !cell.empty() && formula_start(cell[0]) && !is_number(cell);
    const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote)
        out.push_back('"');
    if (neutralise)
        out.push_back('\'');
    if (quote) {
        for (char c : cell) {
            if (c == '"')
                out.push_back('"');
            out.push_back(c);
        }
        out.push_back('"');
    } else {
        out.append(cell);
    }
}

std::string_view unneutralise(std::string_view cell) {
    if (cell.size() >= 2 && cell[0] == '\'' && formula_start(cell[1]))
        cell.remove_prefix(1);
    return cell;
}

}  // namespace fostat
