#include "sources/windows.h"

#include <array>
#include <cstdio>
#include <map>

#include "fostat/error.h"
#include "fostat/ipv4.h"

namespace fostat {
namespace {

// FSM_STATE in its order ([MS-DHCPM] 2.2.1.1.20); normalise_state knows each word.
constexpr std::array<std::string_view, 14> kFsmStates = {
    "NO_STATE",
    "INIT",
    "STARTUP",
    "NORMAL",
    "COMMUNICATION_INT",
    "PARTNER_DOWN",
    "POTENTIAL_CONFLICT",
    "CONFLICT_DONE",
    "RESOLUTION_INT",
    "RECOVER",
    "RECOVER_WAIT",
    "RECOVER_DONE",
    "PAUSED",
    "SHUTDOWN",
};

struct StatusName {
    std::uint32_t code;
    std::string_view name;
    std::string_view meaning;  // empty: the system's message, if any, is used
};

// The codes the two calls are documented or likely to return: generic Win32 and RPC errors
// ([MS-ERREF] 2.2) and the DHCP Server Management API's own (20000 and up, values as the
// Windows SDK's dhcpsapi.h defines them).
constexpr StatusName kStatusNames[] = {
    {5, "ERROR_ACCESS_DENIED",
     "access denied: the account running the collector is not in the server's DHCP Users "
     "or DHCP Administrators group"},
    {8, "ERROR_NOT_ENOUGH_MEMORY", "not enough memory"},
    {53, "ERROR_BAD_NETPATH", "the network path was not found"},
    {87, "ERROR_INVALID_PARAMETER", "a parameter was refused by the server"},
    {234, "ERROR_MORE_DATA", "more data is available"},
    {259, "ERROR_NO_MORE_ITEMS", "no more items"},
    {1707, "RPC_S_INVALID_NET_ADDR", "the network address is invalid"},
    {1717, "RPC_S_UNKNOWN_IF", "the server does not offer the DHCP management interface"},
    {1722, "RPC_S_SERVER_UNAVAILABLE",
     "the RPC server is unavailable: a wrong host name, the DHCP Server service not running, "
     "or a firewall in the way"},
    {1723, "RPC_S_SERVER_TOO_BUSY", "the RPC server is too busy to complete this operation"},
    {1726, "RPC_S_CALL_FAILED", "the remote procedure call failed"},
    {1727, "RPC_S_CALL_FAILED_DNE", "the remote procedure call failed and did not execute"},
    {1745, "RPC_S_PROCNUM_OUT_OF_RANGE",
     "the server does not know this call: DHCP failover needs Windows Server 2012 or later"},
    {1753, "EPT_S_NOT_REGISTERED", "no endpoints are available from the endpoint mapper"},
    {20000, "ERROR_DHCP_REGISTRY_INIT_FAILED",
     "the DHCP server registry initialization parameters are incorrect"},
    {20001, "ERROR_DHCP_DATABASE_INIT_FAILED",
     "the DHCP server was unable to open the database of DHCP clients"},
    {20002, "ERROR_DHCP_RPC_INIT_FAILED", "the DHCP server was unable to start as an RPC server"},
    {20003, "ERROR_DHCP_NETWORK_INIT_FAILED",
     "the DHCP server was unable to establish a socket connection"},
    {20005, "ERROR_DHCP_SUBNET_NOT_PRESENT",
     "the specified subnet does not exist on the DHCP server"},
    {20013, "ERROR_DHCP_JET_ERROR", "an error occurred while accessing the DHCP server database"},
    {20017, "ERROR_DHCP_SERVICE_PAUSED", "the DHCP server service is paused"},
    {20113, "ERROR_DHCP_FO_SCOPE_ALREADY_IN_RELATIONSHIP",
     "the scope is already part of another failover relationship"},
    {20114, "ERROR_DHCP_FO_RELATIONSHIP_EXISTS", "the failover relationship already exists"},
    {20115, "ERROR_DHCP_FO_RELATIONSHIP_DOES_NOT_EXIST",
     "the failover relationship does not exist"},
    {20116, "ERROR_DHCP_FO_SCOPE_NOT_IN_RELATIONSHIP",
     "the scope is not part of a failover relationship"},
    {20117, "ERROR_DHCP_FO_RELATION_IS_SECONDARY", ""},
    {20118, "ERROR_DHCP_FO_NOT_SUPPORTED", ""},
    {20119, "ERROR_DHCP_FO_TIME_OUT_OF_SYNC",
     "the clocks of the failover partners are out of sync"},
    {20120, "ERROR_DHCP_FO_STATE_NOT_NORMAL",
     "the failover relationship is not in the NORMAL state"},
    {20121, "ERROR_DHCP_NO_ADMIN_PERMISSION", "the caller lacks DHCP administrator permission"},
    {20122, "ERROR_DHCP_SERVER_NOT_REACHABLE", "the DHCP server is not reachable"},
    {20123, "ERROR_DHCP_SERVER_NOT_RUNNING", "the DHCP Server service is not running"},
    {20124, "ERROR_DHCP_SERVER_NAME_NOT_RESOLVED", "the DHCP server's name cannot be resolved"},
    {20133, "ERROR_DHCP_FO_SCOPE_SYNC_IN_PROGRESS",
     "the failover relationship is being re-integrated with the partner server"},
    {20134, "ERROR_DHCP_FO_FEATURE_NOT_SUPPORTED", ""},
};

std::string hex(std::uint32_t code) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%X", static_cast<unsigned>(code));
    return buffer;
}

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

Relationship map_relationship(const WindowsRelationship& w, const std::string& where) {
    const std::string which = "relationship " + quoted(w.name);
    if (w.mode != kWinLoadBalance && w.mode != kWinHotStandby) {
        throw SourceError(where + ": DhcpV4FailoverEnumRelationship: " + which +
                          " has failover mode " + std::to_string(w.mode) +
                          ", neither LoadBalance (0) nor HotStandby (1)");
    }
    if (w.server_type != kWinPrimaryServer && w.server_type != kWinSecondaryServer) {
        throw SourceError(where + ": DhcpV4FailoverEnumRelationship: " + which +
                          " has server type " + std::to_string(w.server_type) +
                          ", neither PrimaryServer (0) nor SecondaryServer (1)");
    }
    if (w.percentage > 100) {
        throw SourceError(where + ": DhcpV4FailoverEnumRelationship: " + which +
                          " has percentage " + std::to_string(w.percentage) + ", over 100");
    }
    const bool primary = w.server_type == kWinPrimaryServer;
    const double p = static_cast<double>(w.percentage);
    Relationship r;
    r.name = w.name;
    if (w.mode == kWinLoadBalance) {
        r.mode = Mode::load_balance;
        r.role = primary ? "primary" : "secondary";
        r.expected_share = primary ? p : 100.0 - p;
    } else {
        r.mode = Mode::hot_standby;
        r.role = primary ? "active" : "standby";
        r.expected_share = primary ? 100.0 - p : p;
    }
    const std::string_view word = fsm_state_name(w.state);
    if (word.empty()) {
        r.state = State::unknown;
        r.source_state = "FSM_STATE " + std::to_string(w.state);
    } else {
        r.state = normalise_state(word).value_or(State::unknown);
        r.source_state = std::string(word);
    }
    return r;
}

}  // namespace

std::string_view fsm_state_name(std::uint32_t state) {
    return state < kFsmStates.size() ? kFsmStates[state] : std::string_view{};
}

std::string describe_windows_status(std::uint32_t code, std::string_view system_message) {
    for (const StatusName& s : kStatusNames) {
        if (s.code != code)
            continue;
        std::string text = std::string(s.name) + " (" + std::to_string(code) + ")";
        if (!s.meaning.empty())
            text += ": " + std::string(s.meaning);
        else if (!system_message.empty())
            text += ": " + std::string(system_message);
        return text;
    }
    std::string text = "error " + std::to_string(code) + " (" + hex(code) + ")";
    if (!system_message.empty())
        text += ": " + std::string(system_message);
    return text;
}

WindowsCounts collect_windows(DhcpFailoverApi& api, const WindowsOptions& options,
                              SampleSink& sink) {
    const std::string where = api.where();
    auto failed = [&](std::uint32_t status) {
        return describe_windows_status(status, api.system_message(status));
    };
    // A server holds at most 31 relationships (DHCP_FAILOVER_MAX_NUM_REL); a page that
    // returns nothing would make a loop without end, so both are bounded.
    constexpr std::uint64_t kMaxPages = 1000;

    WindowsCounts counts;
    std::vector<WindowsRelationship> relationships;
    std::vector<WindowsRelationship> page;
    std::uint32_t resume_handle = 0;
    for (;;) {
        if (counts.pages == kMaxPages) {
            throw SourceError(where + ": DhcpV4FailoverEnumRelationship: still more pages after " +
                              std::to_string(kMaxPages) + " calls; giving up");
        }
        const std::uint32_t status = api.enumerate_relationships(resume_handle, page);
        ++counts.pages;
        if (status == kWinNoMoreItems)
            break;
        if (status != kWinSuccess && status != kWinMoreData) {
            throw SourceError(where + ": DhcpV4FailoverEnumRelationship (call " +
                              std::to_string(counts.pages) + "): " + failed(status));
        }
        for (WindowsRelationship& r : page)
            relationships.push_back(std::move(r));
        if (status == kWinSuccess)
            break;
        if (page.empty()) {
            throw SourceError(where + ": DhcpV4FailoverEnumRelationship (call " +
                              std::to_string(counts.pages) +
                              ") said ERROR_MORE_DATA but returned no relationship");
        }
    }

    std::vector<Sample> samples;
    std::map<std::uint32_t, std::string> seen;  // scope -> relationship
    for (const WindowsRelationship& w : relationships) {
        const Relationship r = map_relationship(w, where);
        ++counts.relationships;
        for (const std::uint32_t scope_id : w.scopes) {
            const std::string scope = format_ipv4(scope_id);
            const auto [it, inserted] = seen.emplace(scope_id, w.name);
            if (!inserted) {
                throw SourceError(where + ": DhcpV4FailoverEnumRelationship: scope " + scope +
                                  " is listed by relationship " + quoted(it->second) +
                                  " and by relationship " + quoted(w.name));
            }
            WindowsScopeStatistics st;
            const std::uint32_t status = api.scope_statistics(scope_id, st);
            if (status != kWinSuccess) {
                counts.failed_scopes.push_back(
                    where + ": DhcpV4FailoverGetScopeStatistics for scope " + scope +
                    " of relationship " + quoted(w.name) + ": " + failed(status));
                continue;
            }
            Sample s;
            s.timestamp = options.at;
            s.server = options.server;
            s.scope = scope;
            s.relationship = r;
            Counters& c = s.counters;
            c[Counter::num_addr] = st.num_addr;
            c[Counter::addr_free] = st.addr_free;
            c[Counter::addr_in_use] = st.addr_in_use;
            c[Counter::partner_addr_free] = st.partner_addr_free;
            c[Counter::this_addr_free] = st.this_addr_free;
            c[Counter::partner_addr_in_use] = st.partner_addr_in_use;
            c[Counter::this_addr_in_use] = st.this_addr_in_use;
            samples.push_back(std::move(s));
        }
    }
    if (samples.empty() && !counts.failed_scopes.empty()) {
        const std::size_t others = counts.failed_scopes.size() - 1;
        throw SourceError(counts.failed_scopes.front() +
                          (others == 0 ? ""
                                       : " (and the " + std::to_string(others) +
                                             (others == 1 ? " other scope" : " other scopes") +
                                             " failed too)"));
    }
    for (const Sample& s : samples)
        sink.add(s);
    counts.scopes = samples.size();
    return counts;
}

#ifndef _WIN32
std::unique_ptr<DhcpFailoverApi> open_dhcpsapi(const std::string& server) {
    throw SourceError("windows: DHCP server " + server +
                      ": this is not a Windows build of fostat, and the native collector calls "
                      "dhcpsapi.dll (build on Windows: docs/building-on-windows.md); here, "
                      "import the PowerShell exports instead (docs/sources/windows.md)");
}
#endif

}  // namespace fostat
