// The isc source: one ISC dhcpd failover server's configuration and lease journal, counted
// into one sample per subnet with failover pools (docs/sources/isc.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fostat/sample_sink.h"
#include "sources/isc_config.h"
#include "sources/isc_leases.h"

namespace fostat {

struct IscOptions {
    std::string server;        // the name samples are stored under
    std::int64_t at = 0;       // the samples' timestamp (UTC seconds)
    std::optional<int> split;  // the primary's split, for a secondary whose config has none
};

struct IscCounts {
    std::uint64_t subnets = 0;              // samples written: subnets with failover pools
    std::uint64_t outside_ranges = 0;       // journal records for addresses in no range
    std::uint64_t non_failover_ranges = 0;  // ranges outside failover pools, ignored
    std::vector<std::string> warnings;      // "file:line: ..." (or "file: ..."), for stderr
    // The first failover peer with no split or hba in the configuration when
    // IscOptions::split gave none either: the in-use split is unknown. Not among `warnings`,
    // so that the caller, which knows how the split is given, says how (split_unknown_warning).
    struct UnknownSplit {
        std::string file;  // where the peer is declared
        std::uint64_t line = 0;
        std::string peer;
    };
    std::optional<UnknownSplit> unknown_split;
};

// "file:line: failover peer "x" has no split or hba in this configuration (a secondary learns
// it from the primary): HOW; the in-use split is unknown", HOW saying how to give the split.
std::string split_unknown_warning(const IscCounts::UnknownSplit& unknown, const std::string& how);

// Maps the parsed files to samples (REQUIRES: options.server not empty):
//  num_addr = the addresses of the subnet's failover pools; free belongs to the primary and
//  backup to the secondary; addr_in_use = num_addr - free - backup (an address without a
//  record is free); the in-use split follows the RFC 3074 hash of each in-use lease's client
//  identifier, else hardware address, under the peer's split/hba, and is NULL for the subnet
//  when a lease has neither or the split is unknown. Expected share 50 %, state from the
//  journal's failover state record. Every address is also counted by binding state into
//  Sample::lease_states (kIscBindingStates, in that order: dhcpd's own, BindingState's). Throws
//  InputError for a subnet whose pools name two failover peers. A journal state record of a peer
//  the configuration does not declare is a warning, as it is to dhcpd, and is ignored.
inline constexpr std::array<std::string_view, 8> kIscBindingStates = {
    "free", "active", "expired", "released", "abandoned", "reset", "backup", "bootp"};

IscCounts isc_samples(const IscConfig& config, const LeaseJournal& journal,
                      const IscOptions& options, SampleSink& sink);

}  // namespace fostat
