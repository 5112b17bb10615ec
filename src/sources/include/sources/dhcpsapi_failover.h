// The part of the DHCP Server Management API (dhcpsapi.dll, Windows Server 2012 and later)
// that the windows source calls, declared from the documented layout in [MS-DHCPM] 2.2.1.1.18-20
// (DHCP_FAILOVER_MODE, DHCP_FAILOVER_SERVER, FSM_STATE), 2.2.1.2.98-100
// (DHCP_FAILOVER_RELATIONSHIP, its array, DHCP_FAILOVER_STATISTICS), 2.2.1.2.1
// (DHCP_IP_ADDRESS), DHCP_IP_ARRAY, and the Win32 reference pages of
// DhcpV4FailoverEnumRelationship, DhcpV4FailoverGetScopeStatistics and DhcpRpcFreeMemory.
//
// Why our own: mingw-w64's dhcpsapi.h (Debian 12) declares none of the failover API and does
// not compile with _WIN32_WINNT >= 0x0600; the Windows SDK's does, but one header that builds
// with both toolchains is simpler than two paths. Everything is in a namespace of ours so that
// it cannot clash with a dhcpsapi.h included elsewhere; the functions have C linkage, so they
// link against dhcpsapi.lib / libdhcpsapi.a all the same.
//
// Windows builds only.
#pragma once

#ifdef _WIN32

#include <windows.h>

#include <cstddef>

namespace fostat::dhcpsapi {

using DHCP_IP_ADDRESS = DWORD;  // an IPv4 address in host order
using DHCP_RESUME_HANDLE = DWORD;

struct DHCP_IP_ARRAY {
    DWORD NumElements;
    DHCP_IP_ADDRESS* Elements;
};

enum DHCP_FAILOVER_MODE { LoadBalance = 0, HotStandby = 1 };

enum DHCP_FAILOVER_SERVER { PrimaryServer = 0, SecondaryServer = 1 };

enum FSM_STATE {
    NO_STATE = 0,
    INIT,
    STARTUP,
    NORMAL,
    COMMUNICATION_INT,
    PARTNER_DOWN,
    POTENTIAL_CONFLICT,
    CONFLICT_DONE,
    RESOLUTION_INT,
    RECOVER,
    RECOVER_WAIT,
    RECOVER_DONE,
    PAUSED,
    SHUTDOWN,
};

struct DHCP_FAILOVER_RELATIONSHIP {
    DHCP_IP_ADDRESS PrimaryServer;
    DHCP_IP_ADDRESS SecondaryServer;
    DHCP_FAILOVER_MODE Mode;
    DHCP_FAILOVER_SERVER ServerType;  // this server's
    FSM_STATE State;
    FSM_STATE PrevState;
    DWORD Mclt;        // seconds
    DWORD SafePeriod;  // seconds
    LPWSTR RelationshipName;
    LPWSTR PrimaryServerName;
    LPWSTR SecondaryServerName;
    DHCP_IP_ARRAY* pScopes;
    BYTE Percentage;  // load balance: the primary's share; hot standby: the standby's reserve
    LPWSTR SharedSecret;
};

struct DHCP_FAILOVER_RELATIONSHIP_ARRAY {
    DWORD NumElements;
    DHCP_FAILOVER_RELATIONSHIP* pRelationships;
};

struct DHCP_FAILOVER_STATISTICS {
    DWORD NumAddr;
    DWORD AddrFree;
    DWORD AddrInUse;
    DWORD PartnerAddrFree;
    DWORD ThisAddrFree;
    DWORD PartnerAddrInUse;
    DWORD ThisAddrInUse;
};

// The layout is the wire's (natural alignment, enums as 32-bit integers): a mismatch with the
// system's DLL would read garbage, so it is checked here.
static_assert(sizeof(FSM_STATE) == 4 && sizeof(DHCP_FAILOVER_MODE) == 4);
static_assert(offsetof(DHCP_FAILOVER_RELATIONSHIP, Mclt) == 24);
static_assert(offsetof(DHCP_FAILOVER_RELATIONSHIP, RelationshipName) == 32);
static_assert(offsetof(DHCP_FAILOVER_RELATIONSHIP, Percentage) == 32 + 4 * sizeof(void*));
static_assert(sizeof(DHCP_FAILOVER_STATISTICS) == 28);

extern "C" {

// Both return ERROR_SUCCESS or an error code; every buffer returned is the caller's to
// release with DhcpRpcFreeMemory (each node on its own: the RPC stubs allocate the array,
// the relationships, every string and the scope list separately).
DWORD WINAPI DhcpV4FailoverEnumRelationship(LPWSTR ServerIpAddress,
                                            DHCP_RESUME_HANDLE* ResumeHandle,
                                            DWORD PreferredMaximum,
                                            DHCP_FAILOVER_RELATIONSHIP_ARRAY** pRelationship,
                                            LPDWORD RelationshipRead, LPDWORD RelationshipTotal);

DWORD WINAPI DhcpV4FailoverGetScopeStatistics(LPWSTR ServerIpAddress, DHCP_IP_ADDRESS ScopeId,
                                              DHCP_FAILOVER_STATISTICS** pStats);

VOID WINAPI DhcpRpcFreeMemory(PVOID BufferPointer);

}  // extern "C"

}  // namespace fostat::dhcpsapi

#endif  // _WIN32
