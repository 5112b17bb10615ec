/* A stand-in dhcpsapi.dll for tests/scripts/windows_wine.sh: the three calls the windows
 * source makes, serving canned failover relationships and statistics, and counting every
 * buffer it hands out so that the test can tell that each one was given back.
 *
 * What it serves depends on the server asked (ServerIpAddress):
 *   "dhcp1"        six relationships, two a page (ERROR_MORE_DATA, ERROR_MORE_DATA,
 *                  ERROR_SUCCESS), one without scopes, one named in UTF-16 beyond ASCII,
 *                  every combination of mode and server type, one wrapped counter;
 *   "dhcp-bad"     the same, but the statistics of 10.3.0.0 fail with
 *                  ERROR_DHCP_SUBNET_NOT_PRESENT;
 *   anything else  DhcpV4FailoverEnumRelationship fails with RPC_S_SERVER_UNAVAILABLE.
 * Like the RPC stubs of the real one, it allocates every node (the array, the relationships,
 * each string, each scope list) on its own. FakeDhcpsapiReport tells the counts. */
#include <windows.h>
#include <string.h>
#include <wchar.h>

#define ERROR_DHCP_SUBNET_NOT_PRESENT_ 20005u

typedef struct {
    DWORD NumElements;
    DWORD* Elements;
} IpArray;

typedef struct {
    DWORD PrimaryServer, SecondaryServer;
    int Mode, ServerType, State, PrevState;
    DWORD Mclt, SafePeriod;
    LPWSTR RelationshipName, PrimaryServerName, SecondaryServerName;
    IpArray* pScopes;
    BYTE Percentage;
    LPWSTR SharedSecret;
} Relationship;

typedef struct {
    DWORD NumElements;
    Relationship* pRelationships;
} RelationshipArray;

typedef struct {
    DWORD NumAddr, AddrFree, AddrInUse, PartnerAddrFree, ThisAddrFree, PartnerAddrInUse,
        ThisAddrInUse;
} Statistics;

#define IP(a, b, c, d) (((DWORD)(a) << 24) | ((DWORD)(b) << 16) | ((DWORD)(c) << 8) | (DWORD)(d))

typedef struct {
    const wchar_t* name;
    int mode, server_type, state;
    BYTE percentage;
    DWORD scopes[3];
    DWORD scope_count;
} CannedRelationship;

/* FSM_STATE: 3 NORMAL, 4 COMMUNICATION_INT, 5 PARTNER_DOWN, 10 RECOVER_WAIT, 2 STARTUP. */
static const CannedRelationship kRelationships[] = {
    {L"dhcp1-dhcp2", 0, 0, 3, 50, {IP(10, 1, 2, 0), IP(10, 1, 3, 0)}, 2},
    {L"dhcp1-dhcp3", 0, 1, 4, 70, {IP(10, 2, 0, 0)}, 1},
    {L"branch-hs", 1, 0, 5, 5, {IP(10, 3, 0, 0)}, 1},
    {L"remote-hs", 1, 1, 10, 10, {IP(10, 4, 0, 0)}, 1},
    {L"no-scopes", 0, 0, 2, 50, {0}, 0},
    {L"Z\u00fcrich-Gen\u00e8ve", 0, 0, 3, 60, {IP(172, 16, 0, 0), IP(192, 168, 10, 0)}, 2},
};
#define RELATIONSHIPS (sizeof kRelationships / sizeof kRelationships[0])
#define PER_PAGE 2

typedef struct {
    DWORD scope;
    Statistics stats;
} CannedStatistics;

static const CannedStatistics kStatistics[] = {
    {IP(10, 1, 2, 0), {254, 120, 134, 60, 60, 70, 64}},
    {IP(10, 1, 3, 0), {254, 254, 0, 127, 127, 0, 0}},
    {IP(10, 2, 0, 0), {1000, 400, 600, 280, 120, 390, 210}},
    {IP(10, 3, 0, 0), {500, 450, 50, 0, 450, 0, 50}},
    /* the standby's partner in-use counter wrapped below zero */
    {IP(10, 4, 0, 0), {100, 90, 10, 85, 5, 4294967295u, 11}},
    {IP(172, 16, 0, 0), {65534, 65000, 534, 26000, 39000, 200, 334}},
    {IP(192, 168, 10, 0), {14, 0, 14, 0, 0, 7, 7}},
};

/* Every buffer handed out and not yet given back; a buffer freed twice or never handed out
 * counts as a bad free. */
#define MAX_LIVE 1024
static void* live[MAX_LIVE];
static DWORD handed_out, outstanding, bad_frees, calls;

static void* allocate(size_t size) {
    void* p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1);
    for (int i = 0; p && i < MAX_LIVE; ++i) {
        if (!live[i]) {
            live[i] = p;
            ++handed_out;
            ++outstanding;
            return p;
        }
    }
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
    return NULL;
}

static wchar_t* copy_string(const wchar_t* s) {
    size_t n = (wcslen(s) + 1) * sizeof(wchar_t);
    wchar_t* p = allocate(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int known(LPWSTR server, const wchar_t* name) {
    return server && wcscmp(server, name) == 0;
}

__declspec(dllexport) VOID WINAPI DhcpRpcFreeMemory(PVOID buffer) {
    if (!buffer)
        return;
    for (int i = 0; i < MAX_LIVE; ++i) {
        if (live[i] == buffer) {
            live[i] = NULL;
            --outstanding;
            HeapFree(GetProcessHeap(), 0, buffer);
            return;
        }
    }
    ++bad_frees;
}

__declspec(dllexport) DWORD WINAPI DhcpV4FailoverEnumRelationship(
    LPWSTR server, DWORD* resume, DWORD preferred_maximum, RelationshipArray** out, LPDWORD read,
    LPDWORD total) {
    (void)preferred_maximum;
    ++calls;
    if (!resume || !out || !read || !total)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    *read = 0;
    *total = 0;
    if (!known(server, L"dhcp1") && !known(server, L"dhcp-bad"))
        return RPC_S_SERVER_UNAVAILABLE;
    DWORD first = *resume;
    if (first >= RELATIONSHIPS)
        return ERROR_NO_MORE_ITEMS;
    DWORD count = RELATIONSHIPS - first < PER_PAGE ? RELATIONSHIPS - first : PER_PAGE;
    RelationshipArray* array = allocate(sizeof *array);
    array->pRelationships = allocate(count * sizeof(Relationship));
    array->NumElements = count;
    for (DWORD i = 0; i < count; ++i) {
        const CannedRelationship* c = &kRelationships[first + i];
        Relationship* r = &array->pRelationships[i];
        r->PrimaryServer = IP(198, 18, 1, 10);
        r->SecondaryServer = IP(198, 18, 1, 11);
        r->Mode = c->mode;
        r->ServerType = c->server_type;
        r->State = c->state;
        r->PrevState = 3;
        r->Mclt = 3600;
        r->SafePeriod = 0;
        r->RelationshipName = copy_string(c->name);
        r->PrimaryServerName = copy_string(L"dhcp1.example.org");
        r->SecondaryServerName = copy_string(L"dhcp2.example.org");
        r->Percentage = c->percentage;
        r->SharedSecret = NULL;
        if (c->scope_count > 0) {  /* the relationship without scopes has no list at all */
            r->pScopes = allocate(sizeof(IpArray));
            r->pScopes->NumElements = c->scope_count;
            r->pScopes->Elements = allocate(c->scope_count * sizeof(DWORD));
            memcpy(r->pScopes->Elements, c->scopes, c->scope_count * sizeof(DWORD));
        }
    }
    *out = array;
    *read = count;
    *resume = first + count;
    *total = RELATIONSHIPS - *resume;
    return *resume < RELATIONSHIPS ? ERROR_MORE_DATA : ERROR_SUCCESS;
}

__declspec(dllexport) DWORD WINAPI DhcpV4FailoverGetScopeStatistics(LPWSTR server, DWORD scope,
                                                                    Statistics** out) {
    ++calls;
    if (!out || scope == 0)
        return ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (!known(server, L"dhcp1") && !known(server, L"dhcp-bad"))
        return RPC_S_SERVER_UNAVAILABLE;
    if (known(server, L"dhcp-bad") && scope == IP(10, 3, 0, 0))
        return ERROR_DHCP_SUBNET_NOT_PRESENT_;
    for (size_t i = 0; i < sizeof kStatistics / sizeof kStatistics[0]; ++i) {
        if (kStatistics[i].scope == scope) {
            Statistics* s = allocate(sizeof *s);
            *s = kStatistics[i].stats;
            *out = s;
            return ERROR_SUCCESS;
        }
    }
    return ERROR_DHCP_SUBNET_NOT_PRESENT_;
}

/* Not part of the real DLL: what the driver prints at its end. */
__declspec(dllexport) void FakeDhcpsapiReport(DWORD* out_calls, DWORD* out_handed_out,
                                              DWORD* out_outstanding, DWORD* out_bad_frees) {
    *out_calls = calls;
    *out_handed_out = handed_out;
    *out_outstanding = outstanding;
    *out_bad_frees = bad_frees;
}
