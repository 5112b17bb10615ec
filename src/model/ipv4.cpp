#include "fostat/ipv4.h"

namespace fostat {
namespace {

std::optional<std::uint64_t> parse_octet(std::string_view text, std::uint64_t max) {
    if (text.empty() || text.size() > 3)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value <= max ? std::optional(value) : std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t address = 0;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= text.size() || text[i] != '.')
                return std::nullopt;
            ++i;
        }
        std::uint32_t value = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
            value = value * 10 + static_cast<std::uint32_t>(text[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return std::nullopt;
        address = (address << 8) | value;
    }
    if (i != text.size())
        return std::nullopt;
    return address;
}

std::string format_ipv4(std::uint32_t address) {
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
           std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

std::optional<std::string> normalise_scope(std::string_view text) {
    std::string_view address = text;
    std::string suffix;
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        address = text.substr(0, slash);
        const auto prefix = parse_octet(text.substr(slash + 1), 32);
        if (!prefix)
            return std::nullopt;
        suffix = "/" + std::to_string(*prefix);
    }
    const auto parsed = parse_ipv4(address);
    if (!parsed)
        return std::nullopt;
    return format_ipv4(*parsed) + suffix;
}

}  // namespace fostat
