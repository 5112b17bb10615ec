// The windows source: one Windows Server DHCP server (2012 or later) asked through the DHCP
// Server Management API for its failover relationships and the failover statistics of each
// of their scopes (docs/sources/windows.md, "The native collector").
//
// This part is portable: it talks to DhcpFailoverApi, which windows_dhcpsapi.cpp implements
// with dhcpsapi.dll in Windows builds and tests implement with a fake.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fostat/sample_sink.h"

namespace fostat {

// Win32 status codes the paging logic relies on ([MS-ERREF] 2.2).
inline constexpr std::uint32_t kWinSuccess = 0;        // ERROR_SUCCESS
inline constexpr std::uint32_t kWinMoreData = 234;     // ERROR_MORE_DATA
inline constexpr std::uint32_t kWinNoMoreItems = 259;  // ERROR_NO_MORE_ITEMS

// DHCP_FAILOVER_MODE, DHCP_FAILOVER_SERVER and FSM_STATE values ([MS-DHCPM] 2.2.1.1.18-20).
inline constexpr std::uint32_t kWinLoadBalance = 0;
inline constexpr std::uint32_t kWinHotStandby = 1;
inline constexpr std::uint32_t kWinPrimaryServer = 0;
inline constexpr std::uint32_t kWinSecondaryServer = 1;

// One DHCP_FAILOVER_RELATIONSHIP as the server returned it, in plain C++ (strings in UTF-8,
// addresses in host order as DHCP_IP_ADDRESS holds them).
struct WindowsRelationship {
    std::string name;                               // RelationshipName
    std::string primary_server;                     // PrimaryServerName
    std::string secondary_server;                   // SecondaryServerName
    std::uint32_t mode = kWinLoadBalance;           // DHCP_FAILOVER_MODE
    std::uint32_t server_type = kWinPrimaryServer;  // DHCP_FAILOVER_SERVER: this server's
    std::uint32_t state = 0;                        // FSM_STATE
    std::uint32_t percentage = 0;                   // Percentage (a BYTE on the wire)
    std::vector<std::uint32_t> scopes;              // pScopes: the ScopeIds
};

// DHCP_FAILOVER_STATISTICS, field for field.
struct WindowsScopeStatistics {
    std::uint32_t num_addr = 0;
    std::uint32_t addr_free = 0;
    std::uint32_t addr_in_use = 0;
    std::uint32_t partner_addr_free = 0;
    std::uint32_t this_addr_free = 0;
    std::uint32_t partner_addr_in_use = 0;
    std::uint32_t this_addr_in_use = 0;
};

// The two calls of dhcpsapi the source makes, against one server. An implementation frees
// every buffer the API handed out before it returns, whatever the status.
class DhcpFailoverApi {
  public:
    virtual ~DhcpFailoverApi() = default;
    // One call of DhcpV4FailoverEnumRelationship with `resume_handle` (0 for the first page),
    // which it advances. Returns the call's status: kWinMoreData (a page, more to come),
    // kWinSuccess (the last page), kWinNoMoreItems (nothing more), or an error code. `page`
    // is replaced by the relationships returned (empty for an error).
    virtual std::uint32_t enumerate_relationships(std::uint32_t& resume_handle,
                                                  std::vector<WindowsRelationship>& page) = 0;
    // One call of DhcpV4FailoverGetScopeStatistics. Returns its status; `stats` is set only
    // on kWinSuccess.
    virtual std::uint32_t scope_statistics(std::uint32_t scope_id,
                                           WindowsScopeStatistics& stats) = 0;
    // The system's own text for a status code (FormatMessage), or empty.
    virtual std::string system_message(std::uint32_t /*code*/) const { return {}; }
    // How messages name the server: "DHCP server dhcp1".
    virtual std::string where() const = 0;
};

struct WindowsOptions {
    std::string server;   // the server asked, and the name the samples are stored under
    std::int64_t at = 0;  // the samples' timestamp (UTC seconds)
};

struct WindowsCounts {
    std::uint64_t relationships = 0;
    std::uint64_t scopes = 0;  // samples written
    std::uint64_t pages = 0;   // DhcpV4FailoverEnumRelationship calls
    // One line per scope whose statistics call failed, naming the server, call, scope,
    // relationship and status: that scope has no sample this run.
    std::vector<std::string> failed_scopes;
};

// Enumerates every relationship, page by page, then asks the statistics of every scope of
// every relationship, and adds one sample per scope that answered to `sink`. A scope whose
// statistics call fails is left out and named in failed_scopes (one broken scope must not
// cost the others their samples: docs/sources/windows.md "Errors"); when every scope fails,
// it throws the first failure and adds nothing.
// Mapping (docs/sources/windows.md):
//  mode LoadBalance -> load-balance; this server's role from ServerType (primary/secondary),
//  its expected free share Percentage for the primary and 100 - Percentage for the secondary
//  (Percentage is the primary's share of the client load). HotStandby -> hot-standby; the
//  primary is the active server, the secondary the standby; Percentage is the reserve held by
//  the standby, so the standby's expected share is Percentage and the active's the rest.
//  State: the FSM_STATE word (NORMAL, COMMUNICATION_INT, ...) normalised, the word kept.
//  The seven counters as they are, as 64-bit values (a wrapped 4294967295 stays visible).
// Throws SourceError naming the server, the call (and scope and relationship) concerned, and
// the status code with its name and meaning, for a failed enumeration, for an unknown mode
// or server type, a percentage over 100, or a scope listed twice; adds nothing to `sink`
// then.
WindowsCounts collect_windows(DhcpFailoverApi& api, const WindowsOptions& options,
                              SampleSink& sink);

// "ERROR_DHCP_SUBNET_NOT_PRESENT (20005): the specified subnet does not exist on the DHCP
// server"; for a code we do not know, "error 12345 (0x3039)". `system_message` is added when
// we have no meaning of our own.
std::string describe_windows_status(std::uint32_t code, std::string_view system_message = {});

// The FSM_STATE name of `state` ("COMMUNICATION_INT"), or empty when out of range.
std::string_view fsm_state_name(std::uint32_t state);

// The DhcpFailoverApi of dhcpsapi.dll for `server` (an IP address or host name). Windows
// builds only; elsewhere it throws SourceError saying that a Windows build is needed and that
// the PowerShell exports can be imported instead. Throws InputError for a `server` that is not
// UTF-8, saying so without naming the option it came from.
std::unique_ptr<DhcpFailoverApi> open_dhcpsapi(const std::string& server);

}  // namespace fostat
