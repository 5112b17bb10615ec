// The JSON format: an array of objects, one per row, keys as the columns.
#include <cmath>
#include <cstdio>

#include "formats/canonical_csv.h"
#include "formats/json_text.h"
#include "formats/result_writer.h"
#include "fostat/text.h"
#include "writers.h"

namespace fostat {

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const Utf8Char u = decode_utf8(text, i);
            if (u.length == 0) {
                out += "\xEF\xBF\xBD";
                ++i;
            } else {
                out.append(text.substr(i, u.length));
                i += u.length;
            }
            continue;
        }
        ++i;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    out.push_back('"');
}

namespace {

class JsonWriter : public ResultWriter {
  public:
    explicit JsonWriter(std::ostream& out) : out_(out) {}
    void begin(const std::vector<std::string>& columns) override {
        keys_.clear();
        for (const auto& c : columns) {
            std::string key;
            append_json_string(key, c);
            keys_.push_back(key + ": ");
        }
        out_ << '[';
        rows_ = 0;
    }
    void row(const std::vector<Cell>& cells) override {
        std::string line = rows_++ ? ",\n  {" : "\n  {";
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0)
                line += ", ";
            line += keys_[i];
            const Cell& cell = cells[i];
            if (const auto* n = std::get_if<std::int64_t>(&cell)) {
                line += std::to_string(*n);
            } else if (const auto* d = std::get_if<double>(&cell); d && std::isfinite(*d)) {
                append_decimal(line, *d);
            } else if (const auto* s = std::get_if<std::string>(&cell)) {
                append_json_string(line, *s);
            } else if (const auto* f = std::get_if<Figure>(&cell)) {
                append_json_string(line, f->text);
            } else {
                line += "null";
            }
        }
        out_ << line << '}';
    }
    void end() override { out_ << (rows_ ? "\n]\n" : "]\n"); }

  private:
    std::ostream& out_;
    std::vector<std::string> keys_;
    std::size_t rows_ = 0;
};

}  // namespace

std::unique_ptr<ResultWriter> make_json_writer(std::ostream& out) {
    return std::make_unique<JsonWriter>(out);
}

}  // namespace fostat
