#include "fostat/error.h"

#include "fostat/text.h"

namespace fostat {

std::string excerpt(std::string_view text) {
    constexpr std::size_t kMost = 40;  // characters
    std::size_t cut = 0;
    for (std::size_t characters = 0; cut < text.size() && characters < kMost; ++characters) {
        const Utf8Char c = decode_utf8(text, cut);
        cut += c.length == 0 ? 1 : c.length;
    }
    return "'" + terminal_text(text.substr(0, cut)) + (cut < text.size() ? "...'" : "'");
}

std::string at_line(const std::string& input, std::uint64_t line, const std::string& message) {
    return input + ":" + std::to_string(line) + ": " + message;
}

}  // namespace fostat
