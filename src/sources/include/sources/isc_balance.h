// The DHCP failover load-balancing decision (RFC 3074) exactly as ISC dhcpd 4.4 applies it
// (server/failover.c load_balance_mine, peer_wants_lease; server/confpars.c `split`).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace fostat {

// dhcpd's hash bucket assignment: bit (b % 8) of byte (b / 8) set means bucket b is served
// by the primary; a clear bit means the secondary.
using Hba = std::array<std::uint8_t, 32>;

// RFC 3074 section 6: Pearson's hash with the RFC's mixing table over the service
// transaction ID. dhcpd hashes the client-identifier option's bytes when the client sent
// one (a lease's `uid`), else the hlen bytes of chaddr: the hardware address without the
// hardware type (for a lease's `hardware ethernet` that is the 6 address bytes).
std::uint8_t rfc3074_bucket(std::span<const std::uint8_t> id);

// True when `bucket` belongs to the primary under `hba`.
bool served_by_primary(std::uint8_t bucket, const Hba& hba);

// The bitmap dhcpd builds from `split N`: the first N buckets (0 .. N-1) are the primary's.
// Throws InputError unless 0 <= split <= 256, the range dhcpd accepts.
Hba hba_from_split(int split);

}  // namespace fostat
