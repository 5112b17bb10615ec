// Kea's control-channel replies, read into plain data: version-get, config-get, status-get,
// stat-lease4-get, lease4-get-page. Pure functions of the reply text, so that tests feed
// them captured replies (tests/data/kea-lab).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fostat {

// Names a reply in messages: "unix socket /run/kea/x.sock: config-get".
struct KeaReplyContext {
    std::string where;
    std::string command;
    std::string prefix() const { return where + ": " + command + ": "; }
};

struct KeaPool {
    std::uint32_t first = 0;  // host byte order, first <= last
    std::uint32_t last = 0;
    std::vector<std::string> client_classes;  // `client-class` (2.2) or `client-classes`
    std::uint64_t size() const { return std::uint64_t{last} - first + 1; }
};

struct KeaSubnet {
    std::int64_t id = 0;
    std::string prefix;  // "198.18.1.0/24"
    std::vector<KeaPool> pools;
    // Hub-and-spoke (Kea 2.6+): user-context.ha-server-name of the subnet, or else of its
    // shared network: this server's name in the relationship that serves the subnet.
    std::string ha_server_name;
};

struct KeaPeer {
    std::string name;
    std::string role;  // primary, secondary, standby, backup
};

// One HA relationship: one entry of the HA hook's "high-availability" list.
struct KeaHaConfig {
    std::string this_server_name;
    std::string mode;  // load-balancing, hot-standby, passive-backup
    std::vector<KeaPeer> peers;
};

struct KeaConfig {
    std::vector<KeaSubnet> subnets;  // those of shared networks included
    // In configuration order: one for a pair, several for a hub-and-spoke hub (Kea 2.6+);
    // none without libdhcp_ha.so.
    std::vector<KeaHaConfig> relationships;
};

// One relationship's entry in status-get.
struct KeaHaStatus {
    std::string server_name;  // local server-name (Kea 2.5.5+); empty before
    std::string mode;         // ha-mode
    std::string role;         // local role
    std::string state;        // local state: load-balancing, partner-down, ...
};

// The release that answered, from version-get ("2.2.0", "3.2.0-git": major.minor.patch).
struct KeaVersion {
    int major = 0, minor = 0, patch = 0;
    auto operator<=>(const KeaVersion&) const = default;
};

// Whether stat-lease4-get's assigned-addresses counts the declined leases too: from Kea
// 3.1.2 on (Kea's ChangeLog entry 2393; docs/sources/kea.md "Versions"), not before.
bool assigned_includes_declined(const KeaVersion& version);

struct KeaSubnetStats {
    std::uint64_t total = 0;                // total-addresses
    std::uint64_t assigned = 0;             // assigned-addresses (state 0; from 3.1.2 also 1)
    std::uint64_t declined = 0;             // declined-addresses (state 1)
    std::uint64_t cumulative_assigned = 0;  // this server's allocations since it started
    bool operator==(const KeaSubnetStats&) const = default;
};

struct KeaLease {
    std::uint32_t address = 0;  // host byte order
    std::int64_t state = 0;     // 0 default, 1 declined, 2 expired-reclaimed, 3 released
};

// Each parser: REQUIRES the reply text as received (an object, or a one-element list from
// kea-ctrl-agent). Throws SourceError "<context>: ..." for text that is not JSON, a result
// other than 0 (with Kea's text), or a reply without what the command returns.
KeaVersion parse_version_get(std::string_view reply, const KeaReplyContext& context);
KeaConfig parse_config_get(std::string_view reply, const KeaReplyContext& context);
// One entry per relationship, in Kea's order (that of the configuration); none without the
// HA hook, whose absence leaves "high-availability" out of the reply.
std::vector<KeaHaStatus> parse_status_get(std::string_view reply, const KeaReplyContext& context);
std::map<std::int64_t, KeaSubnetStats> parse_stat_lease4_get(std::string_view reply,
                                                             const KeaReplyContext& context);
// Appends the page's leases to `out`; result 3 (no more leases) appends none. Returns the
// number appended.
std::size_t parse_lease4_get_page(std::string_view reply, const KeaReplyContext& context,
                                  std::vector<KeaLease>& out);

}  // namespace fostat
