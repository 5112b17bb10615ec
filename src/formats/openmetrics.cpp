#include "formats/openmetrics.h"

#include <array>
#include <cmath>
#include <vector>

#include "formats/canonical_csv.h"

namespace fostat {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not one (overlong
// forms, surrogates and code points above U+10FFFF are not).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;  // overlong below
        if (c == 0xED)
            high = 0x9F;  // surrogates above
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        if (c == 0xF4)
            high = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    }
    return length;
}

// Escapes as the OpenMetrics ABNF has it for label values and HELP: \\, \" and \n.
void append_escaped(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
            ++i;
        } else if (c == '\n') {
            out += "\\n";
            ++i;
        } else if (const std::size_t n = utf8_sequence(text, i)) {
            out.append(text, i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD for one byte that is not UTF-8
            ++i;
        }
    }
}

void append_value(std::string& out, std::variant<std::int64_t, double> value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*i);
        return;
    }
    const double d = std::get<double>(value);
    if (std::isnan(d))
        out += "NaN";
    else if (std::isinf(d))
        out += d > 0 ? "+Inf" : "-Inf";
    else
        append_decimal(out, d);
}

}  // namespace

void OpenMetricsWriter::gauge(std::string_view name, std::string_view help, std::string_view unit) {
    name_.assign(name);
    line_ = "# HELP ";
    line_ += name;
    line_ += ' ';
    append_escaped(line_, help);
    line_ += "\n# TYPE ";
    line_ += name;
    line_ += " gauge\n";
    if (!unit.empty()) {
        line_ += "# UNIT ";
        line_ += name;
        line_ += ' ';
        line_ += unit;
        line_ += '\n';
    }
    out_ << line_;
}

void OpenMetricsWriter::sample(std::string_view labels, std::variant<std::int64_t, double> value,
                               std::optional<std::int64_t> timestamp) {
    line_ = name_;
    line_ += labels;
    line_ += ' ';
    append_value(line_, value);
    if (timestamp) {
        line_ += ' ';
        line_ += std::to_string(*timestamp);
    }
    line_ += '\n';
    out_ << line_;
}

void OpenMetricsWriter::finish() {
    out_ << "# EOF\n";
}

namespace {

void append_label(std::string& out, std::string_view name, std::string_view value) {
    out.push_back(out.empty() ? '{' : ',');
    out += name;
    out += "=\"";
    append_escaped(out, value);
    out.push_back('"');
}

}  // namespace

std::string label_set(std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
    std::string out;
    for (const auto& [name, value] : labels)
        append_label(out, name, value);
    return out.empty() ? "{}" : out + '}';
}

std::string label_set(std::span<const std::string_view> names,
                      std::span<const std::string_view> values) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        append_label(out, names[i], values[i]);
    return out.empty() ? "{}" : out + '}';
}

}  // namespace fostat
