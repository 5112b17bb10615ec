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

}  // namespace fostat
