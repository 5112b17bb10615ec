#include "sources/isc.h"

#include <map>
#include <span>

#include "fostat/error.h"
#include "ipv4.h"
#include "sources/isc_balance.h"

namespace fostat {
namespace {

struct SubnetCounts {
    std::uint64_t addresses = 0;
    std::uint64_t free = 0;
    std::uint64_t backup = 0;
    std::uint64_t primary_in_use = 0;  // in-use leases whose client hashes to the primary
    std::uint64_t secondary_in_use = 0;
    bool split_known = true;
};

const IscFailoverPeer& find_peer(const IscConfig& config, const std::string& name) {
    for (const IscFailoverPeer& p : config.failover_peers) {
        if (p.name == name)
            return p;
    }
    throw InputError("failover peer \"" + name + "\" is used by a pool but not declared");
}

// The bytes dhcpd hashes for a lease: its client identifier, else its hardware address.
std::optional<std::string_view> hash_key(const LeaseState& lease) {
    if (lease.uid)
        return *lease.uid;
    if (!lease.hardware.empty())
        return lease.hardware;
    return std::nullopt;
}

void count_address(const LeaseState* lease, const std::optional<Hba>& hba, SubnetCounts& c) {
    ++c.addresses;
    const BindingState state =
        lease && lease->binding ? *lease->binding : BindingState::free;  // no record: free
    if (state == BindingState::free) {
        ++c.free;
        return;
    }
    if (state == BindingState::backup) {
        ++c.backup;
        return;
    }
    const auto key = lease ? hash_key(*lease) : std::nullopt;
    if (!hba || !key) {
        c.split_known = false;
        return;
    }
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(key->data()), key->size());
    if (served_by_primary(rfc3074_bucket(bytes), *hba)) {
        ++c.primary_in_use;
    } else {
        ++c.secondary_in_use;
    }
}

Sample make_sample(const IscSubnet& subnet, const IscFailoverPeer& peer, const SubnetCounts& c,
                   const LeaseJournal& journal, const IscOptions& options) {
    Sample s;
    s.timestamp = options.at;
    s.server = options.server;
    s.scope = format_ipv4(subnet.network) + "/" + std::to_string(subnet.prefix_length);
    Relationship& r = s.relationship;
    r.name = peer.name;
    r.mode = Mode::load_balance;
    const bool primary = peer.role == FailoverRole::primary;
    r.role = primary ? "primary" : "secondary";
    // dhcpd's pool balancer aims at an even split of free leases whatever `split` says.
    r.expected_share = 50;
    if (auto it = journal.peers.find(peer.name); it != journal.peers.end()) {
        r.state = normalise_state(it->second.my_state).value_or(State::unknown);
        if (it->second.my_state != to_string(r.state))
            r.source_state = it->second.my_state;
    }
    Counters& k = s.counters;
    const std::uint64_t in_use = c.addresses - c.free - c.backup;
    k[Counter::num_addr] = c.addresses;
    k[Counter::addr_free] = c.free + c.backup;
    k[Counter::addr_in_use] = in_use;
    k[Counter::this_addr_free] = primary ? c.free : c.backup;
    k[Counter::partner_addr_free] = primary ? c.backup : c.free;
    if (c.split_known) {
        k[Counter::this_addr_in_use] = primary ? c.primary_in_use : c.secondary_in_use;
        k[Counter::partner_addr_in_use] = primary ? c.secondary_in_use : c.primary_in_use;
    }
    return s;
}

}  // namespace

IscCounts isc_samples(const IscConfig& config, const LeaseJournal& journal,
                      const IscOptions& options, SampleSink& sink) {
    IscCounts result;
    std::uint64_t in_ranges = 0;
    bool warned_split = false;
    for (const IscSubnet& subnet : config.subnets) {
        const IscFailoverPeer* peer = nullptr;
        SubnetCounts counts;
        for (const IscPool& pool : subnet.pools) {
            if (!pool.failover_peer) {
                result.non_failover_ranges += pool.ranges.size();
                continue;
            }
            const IscFailoverPeer& p = find_peer(config, *pool.failover_peer);
            if (peer && peer != &p) {
                throw InputError(at_line(pool.file, pool.line,
                                         "subnet " + format_ipv4(subnet.network) +
                                             " has pools of two failover peers (\"" + peer->name +
                                             "\" and \"" + p.name +
                                             "\"); fostat counts one "
                                             "relationship per scope"));
            }
            peer = &p;
            std::optional<Hba> hba = p.hba;
            if (!hba && options.split)
                hba = hba_from_split(*options.split);
            for (const IscRange& range : pool.ranges) {
                for (std::uint64_t a = range.first; a <= range.last; ++a) {
                    const auto it = journal.leases.find(static_cast<std::uint32_t>(a));
                    if (it != journal.leases.end())
                        ++in_ranges;
                    count_address(it == journal.leases.end() ? nullptr : &it->second, hba, counts);
                }
            }
        }
        if (!peer)
            continue;
        const bool split_missing = !counts.split_known && !peer->hba && !options.split;
        if (split_missing && !warned_split) {
            warned_split = true;  // once per run, not once per subnet
            result.warnings.push_back("failover peer \"" + peer->name +
                                      "\" has no split or hba in this configuration (a "
                                      "secondary learns it from the primary): give --split as "
                                      "on the primary; the in-use split is unknown");
        }
        sink.add(make_sample(subnet, *peer, counts, journal, options));
        ++result.subnets;
    }
    result.outside_ranges = journal.leases.size() - in_ranges;
    return result;
}

}  // namespace fostat
