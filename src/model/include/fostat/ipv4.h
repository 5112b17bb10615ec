// IPv4 addresses as dotted text, for every parser of ours.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fostat {

// "198.18.1.10" -> host-order 32 bits; nullopt unless exactly four decimal parts of 0..255
// (up to three digits each, leading zeros allowed).
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

std::string format_ipv4(std::uint32_t address);

// The network mask of a prefix length: 24 -> 255.255.255.0. REQUIRES: 0 <= prefix <= 32.
constexpr std::uint32_t prefix_mask(int prefix) {
    return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

// A scope's name as samples store it: an IPv4 subnet "10.1.2.0/24" or address "10.1.2.0" in
// canonical dotted form ("010.001.2.0" is "10.1.2.0"), or nullopt when `text` is neither.
std::optional<std::string> normalise_scope(std::string_view text);

}  // namespace fostat
