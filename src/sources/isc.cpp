#include "sources/isc.h"

#include <algorithm>
#include <span>

#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "sources/isc_balance.h"

namespace fostat {
namespace {

constexpr std::size_t kBootp = kIscBindingStates.size() - 1;

struct SubnetCounts {
    std::array<std::uint64_t, kIscBindingStates.size()> by_state{};  // kIscBindingStates order
    std::uint64_t primary_in_use = 0;  // in-use leases whose client hashes to the primary
    std::uint64_t secondary_in_use = 0;
    bool split_known = true;

    std::uint64_t addresses() const {
        std::uint64_t sum = 0;
        for (std::uint64_t n : by_state)
            sum += n;
        return sum;
    }
    std::uint64_t free() const { return by_state[static_cast<std::size_t>(BindingState::free)]; }
    std::uint64_t backup() const {
        return by_state[static_cast<std::size_t>(BindingState::backup)];
    }
};

// Where an address's state falls in kIscBindingStates at time `at`. An address without a record
// is free; one whose record has no binding state (dhcpd 2) is active until it ends, then free,
// as dhcpd reads it.
std::size_t state_index(const LeaseState* lease, std::int64_t at) {
    if (!lease)
        return static_cast<std::size_t>(BindingState::free);
    if (!lease->binding)
        return static_cast<std::size_t>(lease->active_until.value_or(0) > at ? BindingState::active
                                                                             : BindingState::free);
    if (lease->bootp && *lease->binding == BindingState::active)
        return kBootp;
    return static_cast<std::size_t>(*lease->binding);
}

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

void count_address(const LeaseState* lease, std::int64_t at, const std::optional<Hba>& hba,
                   SubnetCounts& c) {
    const std::size_t state = state_index(lease, at);
    ++c.by_state[state];
    if (state == static_cast<std::size_t>(BindingState::free) ||
        state == static_cast<std::size_t>(BindingState::backup))
        return;
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
    const std::uint64_t addresses = c.addresses();
    k[Counter::num_addr] = addresses;
    k[Counter::addr_free] = c.free() + c.backup();
    k[Counter::addr_in_use] = addresses - c.free() - c.backup();
    k[Counter::this_addr_free] = primary ? c.free() : c.backup();
    k[Counter::partner_addr_free] = primary ? c.backup() : c.free();
    if (c.split_known) {
        k[Counter::this_addr_in_use] = primary ? c.primary_in_use : c.secondary_in_use;
        k[Counter::partner_addr_in_use] = primary ? c.secondary_in_use : c.primary_in_use;
    }
    for (std::size_t i = 0; i < kIscBindingStates.size(); ++i)
        s.lease_states.push_back({std::string(kIscBindingStates[i]), c.by_state[i]});
    return s;
}

// dhcpd warns of a state record that names an undeclared peer ("unknown failover peer") and
// skips it; so does fostat.
void warn_undeclared_peers(const IscConfig& config, const LeaseJournal& journal,
                           std::vector<std::string>& warnings) {
    for (const auto& [name, state] : journal.peers) {
        // By name: clang 14 cannot capture a structured binding (C++20 allows it).
        const bool declared =
            std::any_of(config.failover_peers.begin(), config.failover_peers.end(),
                        [&name = name](const IscFailoverPeer& p) { return p.name == name; });
        if (!declared) {
            warnings.push_back(at_line(journal.name, state.line,
                                       "the failover state record names peer \"" + name +
                                           "\", which the configuration does not declare; "
                                           "ignored (is this another server's journal?)"));
        }
    }
}

}  // namespace

IscCounts isc_samples(const IscConfig& config, const LeaseJournal& journal,
                      const IscOptions& options, SampleSink& sink) {
    IscCounts result;
    warn_undeclared_peers(config, journal, result.warnings);
    if (journal.bad_hardware > 0)
        result.warnings.push_back(at_line(
            journal.name, journal.first_bad_hardware_line,
            "invalid hardware address " + journal.first_bad_hardware +
                (journal.bad_hardware > 1
                     ? " (and " + std::to_string(journal.bad_hardware - 1) + " more records)"
                     : std::string()) +
                ": read without one, as dhcpd does; the in-use split of a scope with such an "
                "in-use lease without a uid is unknown"));
    std::uint64_t in_ranges = 0;
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
                // The table is sorted by address: walk it beside the range.
                auto it = journal.leases.lower_bound(range.first);
                for (std::uint64_t a = range.first; a <= range.last; ++a) {
                    if (it != journal.leases.end() && it->first == a) {
                        const LeaseState lease = it->second;
                        ++it;
                        ++in_ranges;
                        count_address(&lease, options.at, hba, counts);
                    } else {
                        count_address(nullptr, options.at, hba, counts);
                    }
                }
            }
        }
        if (!peer)
            continue;
        const bool split_missing = !counts.split_known && !peer->hba && !options.split;
        if (split_missing && !result.unknown_split) {  // once per run, not once per subnet
            result.unknown_split = IscCounts::UnknownSplit{peer->file, peer->line, peer->name};
        }
        sink.add(make_sample(subnet, *peer, counts, journal, options));
        ++result.subnets;
    }
    result.outside_ranges = journal.leases.size() - in_ranges;
    return result;
}

std::string split_unknown_warning(const IscCounts::UnknownSplit& unknown, const std::string& how) {
    return at_line(unknown.file, unknown.line,
                   "failover peer \"" + unknown.peer +
                       "\" has no split or hba in this configuration (a secondary learns it "
                       "from the primary): " +
                       how + "; the in-use split is unknown");
}

}  // namespace fostat
