#include "sources/kea.h"

#include <algorithm>

#include "fostat/error.h"
#include "fostat/ipv4.h"

namespace fostat {
namespace {

bool is_hot_standby(const std::string& mode) {
    return mode == "hot-standby" || mode == "passive-backup";
}

const KeaPeer* find_peer(const KeaHaConfig& ha, const std::string& name) {
    for (const KeaPeer& p : ha.peers) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

// The other server of the pair: the peer that is neither this one nor a backup.
const KeaPeer* find_partner(const KeaHaConfig& ha) {
    for (const KeaPeer& p : ha.peers) {
        if (p.name != ha.this_server_name && p.role != "backup")
            return &p;
    }
    return nullptr;
}

enum class Owner { this_server, partner, unknown };

Owner owner_of(const KeaPool& pool, const std::string& this_class,
               const std::string& partner_class) {
    for (const std::string& c : pool.client_classes) {
        if (c == this_class)
            return Owner::this_server;
        if (c == partner_class)
            return Owner::partner;
    }
    return Owner::unknown;
}

bool has_ha_classes(const KeaConfig& config) {
    for (const KeaSubnet& s : config.subnets) {
        for (const KeaPool& p : s.pools) {
            for (const std::string& c : p.client_classes) {
                if (c.starts_with("HA_"))
                    return true;
            }
        }
    }
    return false;
}

// Leases that hold an address: assigned and declined, once each whatever the version.
std::uint64_t in_use_of(const KeaSubnetStats& stats, const KeaVersion& version) {
    return assigned_includes_declined(version) ? stats.assigned : stats.assigned + stats.declined;
}

struct Split {
    std::uint64_t this_free = 0, partner_free = 0, this_in_use = 0, partner_in_use = 0;
};

// The load-balancing split of one subnet from its pools' counts, or nullopt (NULL) when a
// pool belongs to neither server or the counts do not add up to the statistics.
std::optional<Split> pool_split(const KeaSubnet& subnet, const std::vector<std::uint64_t>& in_use,
                                std::uint64_t stats_total, std::uint64_t stats_in_use,
                                const std::string& this_class, const std::string& partner_class) {
    Split split;
    std::uint64_t addresses = 0, used = 0;
    for (std::size_t i = 0; i < subnet.pools.size(); ++i) {
        const KeaPool& pool = subnet.pools[i];
        const Owner owner = owner_of(pool, this_class, partner_class);
        if (owner == Owner::unknown || in_use[i] > pool.size())
            return std::nullopt;
        const bool mine = owner == Owner::this_server;
        (mine ? split.this_free : split.partner_free) += pool.size() - in_use[i];
        (mine ? split.this_in_use : split.partner_in_use) += in_use[i];
        addresses += pool.size();
        used += in_use[i];
    }
    if (addresses != stats_total || used != stats_in_use)
        return std::nullopt;
    return split;
}

// Hot-standby: the active server owns every free address; the standby's in-use is what it
// allocated since it started, which it does only while its partner is down.
void hot_standby_split(const KeaSubnetStats& stats, bool active, Sample& s) {
    Counters& k = s.counters;
    s.relationship.expected_share = active ? 100 : 0;
    if (k[Counter::addr_free]) {
        k[Counter::this_addr_free] = active ? *k[Counter::addr_free] : 0;
        k[Counter::partner_addr_free] = active ? 0 : *k[Counter::addr_free];
    }
    const std::uint64_t in_use = *k[Counter::addr_in_use];
    const std::uint64_t mine = active ? in_use : std::min(stats.cumulative_assigned, in_use);
    k[Counter::this_addr_in_use] = mine;
    k[Counter::partner_addr_in_use] = in_use - mine;
}

// Load-balancing: the expected share is this server's part of the classed pools; the split
// comes from the pools' lease counts (`counted`, null when they were not counted). Returns
// false when the split is unknown.
bool load_balance_split(const KeaSubnet& subnet, const std::vector<std::uint64_t>* counted,
                        const std::string& this_class, const std::string& partner_class,
                        Sample& s) {
    std::uint64_t this_size = 0, partner_size = 0;
    for (const KeaPool& pool : subnet.pools) {
        const Owner owner = owner_of(pool, this_class, partner_class);
        if (owner == Owner::this_server)
            this_size += pool.size();
        else if (owner == Owner::partner)
            partner_size += pool.size();
    }
    if (this_size + partner_size > 0)
        s.relationship.expected_share =
            100.0 * static_cast<double>(this_size) / static_cast<double>(this_size + partner_size);
    const std::optional<Split> split =
        counted ? pool_split(subnet, *counted, *s.counters[Counter::num_addr],
                             *s.counters[Counter::addr_in_use], this_class, partner_class)
                : std::nullopt;
    if (!split)
        return false;
    Counters& k = s.counters;
    k[Counter::this_addr_free] = split->this_free;
    k[Counter::partner_addr_free] = split->partner_free;
    k[Counter::this_addr_in_use] = split->this_in_use;
    k[Counter::partner_addr_in_use] = split->partner_in_use;
    return true;
}

// One relationship as this server sees it: what its subnets' samples carry.
struct Served {
    std::string server;  // the name the samples are stored under
    Relationship relationship;
    bool hot_standby = false;
    bool active = false;  // hot-standby: this server is the primary
    std::string this_class, partner_class;
    std::string this_server_name;
};

// status-get's entry for a relationship: by the local server-name where Kea gives it (2.5.5+),
// else by position, which is the configuration's order.
const KeaHaStatus* status_of(const KeaHaConfig& ha, std::size_t index,
                             const std::vector<KeaHaStatus>& statuses) {
    for (const KeaHaStatus& status : statuses) {
        if (!status.server_name.empty() && status.server_name == ha.this_server_name)
            return &status;
    }
    if (index < statuses.size() && statuses[index].server_name.empty())
        return &statuses[index];
    return nullptr;
}

Served served_by(const KeaHaConfig& ha, const KeaHaStatus* status, const KeaOptions& options,
                 const std::string& where) {
    const KeaPeer* self = find_peer(ha, ha.this_server_name);
    const KeaPeer* partner = find_partner(ha);
    if (!self || self->role == "backup" || !partner) {
        throw SourceError(where + ": config-get: this server (\"" + ha.this_server_name +
                          "\") is not one of an HA pair's two servers (a backup server, or no "
                          "partner among the peers); fostat records the pair's servers");
    }
    Served served;
    served.server = options.server.empty() ? ha.this_server_name : options.server;
    served.this_server_name = ha.this_server_name;
    served.hot_standby = is_hot_standby(ha.mode);
    served.active = self->role == "primary";
    Relationship& r = served.relationship;
    r.name = std::min(self->name, partner->name) + "-" + std::max(self->name, partner->name);
    r.mode = served.hot_standby ? Mode::hot_standby : Mode::load_balance;
    r.role = served.hot_standby ? (served.active ? "active" : "standby") : self->role;
    if (status) {
        r.state = normalise_state(status->state).value_or(State::unknown);
        if (status->state != to_string(r.state))
            r.source_state = status->state;
    }
    served.this_class = "HA_" + self->name;
    served.partner_class = "HA_" + partner->name;
    return served;
}

// The relationship that serves a subnet: the only one, or on a hub-and-spoke hub the one
// whose this-server-name the subnet's ha-server-name gives; null when none does.
const Served* relationship_of(const KeaSubnet& subnet, const std::vector<Served>& served) {
    if (served.size() == 1)
        return &served.front();
    for (const Served& s : served) {
        if (s.this_server_name == subnet.ha_server_name)
            return &s;
    }
    return nullptr;
}

// Why a subnet of a server with several relationships has none, for the warning.
std::string unassigned(const KeaSubnet& subnet, const std::vector<Served>& served) {
    std::string names;
    for (const Served& s : served)
        names += (names.empty() ? "" : ", ") + s.this_server_name;
    if (subnet.ha_server_name.empty())
        return "has no user-context ha-server-name to say which of this server's HA "
               "relationships (" +
               names + ") serves it";
    return "names no HA relationship of this server: its user-context ha-server-name is \"" +
           subnet.ha_server_name + "\", this server's names are " + names;
}

}  // namespace

KeaCounts kea_samples(const KeaSnapshot& snapshot, const KeaOptions& options,
                      const std::string& where, SampleSink& sink) {
    const std::vector<KeaHaConfig>& relationships = snapshot.config.relationships;
    std::vector<Served> served;
    for (std::size_t i = 0; i < relationships.size(); ++i)
        served.push_back(served_by(
            relationships[i], status_of(relationships[i], i, snapshot.statuses), options, where));
    KeaCounts counts;
    bool warned_split = false;
    for (const KeaSubnet& subnet : snapshot.config.subnets) {
        if (subnet.pools.empty())
            continue;
        const Served* by = relationship_of(subnet, served);
        if (!by) {
            counts.warnings.push_back(where + ": config-get: subnet " + std::to_string(subnet.id) +
                                      " (" + subnet.prefix + ") " + unassigned(subnet, served) +
                                      "; it is left out");
            continue;
        }
        const auto stats_it = snapshot.stats.find(subnet.id);
        if (stats_it == snapshot.stats.end()) {
            counts.warnings.push_back(where + ": stat-lease4-get: no statistics for subnet " +
                                      std::to_string(subnet.id) + " (" + subnet.prefix +
                                      "); it is left out");
            continue;
        }
        const KeaSubnetStats& stats = stats_it->second;
        Sample s;
        s.timestamp = options.at;
        s.server = by->server;
        s.scope = subnet.prefix;
        s.relationship = by->relationship;
        Counters& k = s.counters;
        const std::uint64_t in_use = in_use_of(stats, snapshot.version);
        k[Counter::num_addr] = stats.total;
        k[Counter::addr_in_use] = in_use;
        if (in_use <= stats.total)
            k[Counter::addr_free] = stats.total - in_use;
        if (by->hot_standby) {
            hot_standby_split(stats, by->active, s);
        } else {
            const auto counted = snapshot.pool_in_use.find(subnet.id);
            const bool known = load_balance_split(
                subnet, counted == snapshot.pool_in_use.end() ? nullptr : &counted->second,
                by->this_class, by->partner_class, s);
            if (!known && !warned_split) {
                warned_split = true;
                counts.warnings.push_back(
                    where + ": subnet " + subnet.prefix +
                    ": the free and in-use split between the peers is unknown (NULL): a pool "
                    "without the class " +
                    by->this_class + " or " + by->partner_class +
                    " is shared by both, or the leases did not match the statistics");
            }
        }
        sink.add(s);
        ++counts.subnets;
    }
    return counts;
}

namespace {

// Every pool of the configuration, in address order, to find a lease's pool.
struct PoolIndex {
    struct Entry {
        std::uint32_t first, last;
        std::int64_t subnet;
        std::size_t pool;
    };
    std::vector<Entry> entries;

    explicit PoolIndex(const KeaConfig& config) {
        for (const KeaSubnet& s : config.subnets) {
            for (std::size_t i = 0; i < s.pools.size(); ++i)
                entries.push_back({s.pools[i].first, s.pools[i].last, s.id, i});
        }
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.first < b.first; });
    }
    const Entry* find(std::uint32_t address) const {
        auto it = std::upper_bound(entries.begin(), entries.end(), address,
                                   [](std::uint32_t a, const Entry& e) { return a < e.first; });
        if (it == entries.begin())
            return nullptr;
        --it;
        return address <= it->last ? &*it : nullptr;
    }
};

}  // namespace

KeaCounts collect_kea(KeaChannel& channel, const KeaOptions& options, SampleSink& sink) {
    const std::string where = channel.where();
    std::uint64_t requests = 0;
    auto ask = [&](const std::string& command, const std::string& arguments) {
        ++requests;
        return channel.command(command, arguments);
    };
    KeaSnapshot snapshot;
    snapshot.version = parse_version_get(ask("version-get", ""), {where, "version-get"});
    snapshot.config = parse_config_get(ask("config-get", ""), {where, "config-get"});
    if (snapshot.config.relationships.empty()) {
        throw SourceError(where +
                          ": config-get: kea-dhcp4 has no HA configuration (hook library "
                          "libdhcp_ha.so); fostat records the servers of HA pairs");
    }
    snapshot.statuses = parse_status_get(ask("status-get", ""), {where, "status-get"});

    const bool count_pools =
        std::any_of(snapshot.config.relationships.begin(), snapshot.config.relationships.end(),
                    [](const KeaHaConfig& ha) { return !is_hot_standby(ha.mode); }) &&
        has_ha_classes(snapshot.config);
    const PoolIndex index(snapshot.config);
    std::uint64_t leases_read = 0;
    std::vector<KeaLease> page;
    for (int attempt = 1;; ++attempt) {
        snapshot.stats =
            parse_stat_lease4_get(ask("stat-lease4-get", ""), {where, "stat-lease4-get"});
        if (!count_pools)
            break;
        snapshot.pool_in_use.clear();
        for (const KeaSubnet& s : snapshot.config.subnets)
            snapshot.pool_in_use[s.id].assign(s.pools.size(), 0);
        std::string from = "start";
        for (;;) {
            page.clear();
            const std::size_t n = parse_lease4_get_page(
                ask("lease4-get-page", "{\"from\": \"" + from + "\", \"limit\": " +
                                           std::to_string(options.page_size) + "}"),
                {where, "lease4-get-page"}, page);
            leases_read += n;
            for (const KeaLease& lease : page) {
                if (lease.state != 0 && lease.state != 1)
                    continue;  // expired-reclaimed, released: free
                if (const PoolIndex::Entry* e = index.find(lease.address))
                    ++snapshot.pool_in_use[e->subnet][e->pool];
            }
            if (n < options.page_size || page.empty())
                break;
            from = format_ipv4(page.back().address);
        }
        const auto after =
            parse_stat_lease4_get(ask("stat-lease4-get", ""), {where, "stat-lease4-get"});
        if (after == snapshot.stats)
            break;
        if (attempt == 3) {
            // Leases keep changing: keep the counts only of subnets whose statistics held.
            for (const auto& [id, stats] : after) {
                const auto before = snapshot.stats.find(id);
                if (before == snapshot.stats.end() || !(before->second == stats))
                    snapshot.pool_in_use.erase(id);
            }
            snapshot.stats = after;
            break;
        }
    }
    KeaCounts counts = kea_samples(snapshot, options, where, sink);
    counts.leases = leases_read;
    counts.requests = requests;
    return counts;
}

}  // namespace fostat
