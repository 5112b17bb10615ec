// The kea source: one Kea DHCPv4 server of an HA pair, asked over its control channel, counted
// into one sample per subnet (docs/sources/kea.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fostat/sample_sink.h"
#include "sources/kea_channel.h"
#include "sources/kea_json.h"

namespace fostat {

struct KeaOptions {
    // The name samples are stored under; empty: the server's this-server-name in the
    // relationship that serves the subnet (on a hub-and-spoke hub, one per relationship).
    std::string server;
    std::int64_t at = 0;           // the samples' timestamp (UTC seconds)
    std::size_t page_size = 1000;  // leases per lease4-get-page request
};

// What the server said, gathered by collect_kea.
struct KeaSnapshot {
    KeaVersion version;  // from version-get
    KeaConfig config;
    std::vector<KeaHaStatus> statuses;             // from status-get, one per relationship
    std::map<std::int64_t, KeaSubnetStats> stats;  // by subnet id
    // Leases in use (state 0 or 1) per pool, by subnet id, in the config's pool order; a
    // subnet is absent when its leases were not counted or changed while they were.
    std::map<std::int64_t, std::vector<std::uint64_t>> pool_in_use;
};

struct KeaCounts {
    std::uint64_t subnets = 0;   // samples written
    std::uint64_t leases = 0;    // leases read from lease4-get-page
    std::uint64_t requests = 0;  // commands sent
    std::vector<std::string> warnings;
};

// Maps a snapshot to samples (REQUIRES: snapshot.config.relationships not empty), each subnet
// under the relationship that serves it: the only one, or on a hub-and-spoke hub the one its
// ha-server-name names (a subnet naming none is left out with a warning):
//  num_addr = total-addresses; addr_in_use = assigned + declined (a declined address cannot
//  be handed out until its probation ends; from Kea 3.1.2 assigned counts them already, see
//  assigned_includes_declined); addr_free = the rest. Load-balancing: a pool
//  whose client classes include HA_<this server> is this server's, HA_<partner> the
//  partner's; any other pool makes the subnet's split NULL, as do pool counts that do not
//  add up to the statistics. Hot-standby (and passive-backup): the active server owns every
//  free address; the standby's in-use is what it allocated since it started
//  (cumulative-assigned-addresses, at most addr_in_use), which it does only while its
//  partner is down. Throws SourceError for a server that is not one of the pair.
KeaCounts kea_samples(const KeaSnapshot& snapshot, const KeaOptions& options,
                      const std::string& where, SampleSink& sink);

// Asks `channel` version-get, config-get, status-get, stat-lease4-get and, for a load-balancing
// pair whose pools carry HA classes, every lease page by page (memory bounded by the page size),
// then stat-lease4-get again: if the statistics moved meanwhile it counts again, up to 3 times.
// Throws SourceError naming the server and command for any failed exchange; adds nothing to
// `sink` then.
KeaCounts collect_kea(KeaChannel& channel, const KeaOptions& options, SampleSink& sink);

}  // namespace fostat
