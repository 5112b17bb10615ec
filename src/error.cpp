#include "fostat/error.h"

namespace fostat {

std::string excerpt(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (text.size() > kMax)
        out += "...";
    return out + "'";
}

std::string at_line(const std::string& input, std::uint64_t line, const std::string& message) {
    return input + ":" + std::to_string(line) + ": " + message;
}

}  // namespace fostat
