// DhcpFailoverApi over dhcpsapi.dll. Windows builds only: elsewhere this file compiles to
// nothing (windows.cpp then says that the source needs a Windows build).
#ifdef _WIN32

#include "sources/dhcpsapi_failover.h"
#include "sources/windows.h"

#include <string>
#include <vector>

#include "fostat/error.h"

// MSVC and clang-cl link the import library by this; mingw-w64 builds name -ldhcpsapi.
#ifdef _MSC_VER
#pragma comment(lib, "dhcpsapi.lib")
#endif

namespace fostat {
namespace {

namespace api = fostat::dhcpsapi;

// Relationships asked per DhcpV4FailoverEnumRelationship call. [MS-DHCPM] reads the value as
// bytes, the Win32 reference as elements; either way a server's at most 31 relationships fit
// in few pages, and the caller pages on ERROR_MORE_DATA whatever the server decides.
constexpr DWORD kPreferredMaximum = 0x10000;

std::wstring widen(const std::string& text) {
    if (text.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text.data(),
                                      static_cast<int>(text.size()), nullptr, 0);
    if (n <= 0)
        throw InputError(excerpt(text) + " is not valid UTF-8");
    std::wstring wide(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text.data(), static_cast<int>(text.size()),
                        wide.data(), n);
    return wide;
}

std::string narrow(const wchar_t* text) {
    if (text == nullptr || *text == L'\0')
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    if (n <= 1)
        return {};
    std::string out(static_cast<std::size_t>(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), n, nullptr, nullptr);
    out.resize(static_cast<std::size_t>(n - 1));  // without the terminating NUL
    return out;
}

void free_buffer(void* p) {
    if (p != nullptr)
        api::DhcpRpcFreeMemory(p);
}

// Releases a relationship array node by node, innermost first. Null pointers anywhere are
// skipped, so a partly filled array (or none) is fine.
void free_relationships(api::DHCP_FAILOVER_RELATIONSHIP_ARRAY* array) {
    if (array == nullptr)
        return;
    if (array->pRelationships != nullptr) {
        for (DWORD i = 0; i < array->NumElements; ++i) {
            api::DHCP_FAILOVER_RELATIONSHIP& r = array->pRelationships[i];
            free_buffer(r.RelationshipName);
            free_buffer(r.PrimaryServerName);
            free_buffer(r.SecondaryServerName);
            free_buffer(r.SharedSecret);
            if (r.pScopes != nullptr) {
                free_buffer(r.pScopes->Elements);
                free_buffer(r.pScopes);
            }
        }
        free_buffer(array->pRelationships);
    }
    free_buffer(array);
}

// Holds what one call returned until the end of the scope, whatever happens meanwhile.
class RelationshipsHold {
  public:
    api::DHCP_FAILOVER_RELATIONSHIP_ARRAY* array = nullptr;
    RelationshipsHold() = default;
    RelationshipsHold(const RelationshipsHold&) = delete;
    RelationshipsHold& operator=(const RelationshipsHold&) = delete;
    ~RelationshipsHold() { free_relationships(array); }
};

class StatisticsHold {
  public:
    api::DHCP_FAILOVER_STATISTICS* stats = nullptr;
    StatisticsHold() = default;
    StatisticsHold(const StatisticsHold&) = delete;
    StatisticsHold& operator=(const StatisticsHold&) = delete;
    ~StatisticsHold() { free_buffer(stats); }
};

class Dhcpsapi : public DhcpFailoverApi {
  public:
    explicit Dhcpsapi(const std::string& server) : server_(server), wide_(widen(server)) {}

    std::uint32_t enumerate_relationships(std::uint32_t& resume_handle,
                                          std::vector<WindowsRelationship>& page) override {
        page.clear();
        RelationshipsHold hold;
        DWORD read = 0, total = 0;
        api::DHCP_RESUME_HANDLE handle = resume_handle;
        const DWORD status = api::DhcpV4FailoverEnumRelationship(
            wide_.data(), &handle, kPreferredMaximum, &hold.array, &read, &total);
        resume_handle = handle;
        if (status != ERROR_SUCCESS && status != ERROR_MORE_DATA)
            return status;  // the hold frees anything returned anyway
        if (hold.array != nullptr && hold.array->pRelationships != nullptr) {
            for (DWORD i = 0; i < hold.array->NumElements; ++i)
                page.push_back(copy(hold.array->pRelationships[i]));
        }
        return status;
    }

    std::uint32_t scope_statistics(std::uint32_t scope_id, WindowsScopeStatistics& stats) override {
        StatisticsHold hold;
        const DWORD status =
            api::DhcpV4FailoverGetScopeStatistics(wide_.data(), scope_id, &hold.stats);
        if (status != ERROR_SUCCESS)
            return status;
        if (hold.stats == nullptr)
            return ERROR_INVALID_DATA;
        const api::DHCP_FAILOVER_STATISTICS& s = *hold.stats;
        stats.num_addr = s.NumAddr;
        stats.addr_free = s.AddrFree;
        stats.addr_in_use = s.AddrInUse;
        stats.partner_addr_free = s.PartnerAddrFree;
        stats.this_addr_free = s.ThisAddrFree;
        stats.partner_addr_in_use = s.PartnerAddrInUse;
        stats.this_addr_in_use = s.ThisAddrInUse;
        return status;
    }

    std::string system_message(std::uint32_t code) const override {
        wchar_t* text = nullptr;
        const DWORD n =
            FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                               FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK,
                           nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
        if (n == 0 || text == nullptr)
            return {};
        std::string message = narrow(text);
        LocalFree(text);
        while (!message.empty() && (message.back() == ' ' || message.back() == '.'))
            message.pop_back();
        return message;
    }

    std::string where() const override { return "DHCP server " + server_; }

  private:
    static WindowsRelationship copy(const api::DHCP_FAILOVER_RELATIONSHIP& r) {
        WindowsRelationship w;
        w.name = narrow(r.RelationshipName);
        w.primary_server = narrow(r.PrimaryServerName);
        w.secondary_server = narrow(r.SecondaryServerName);
        w.mode = static_cast<std::uint32_t>(r.Mode);
        w.server_type = static_cast<std::uint32_t>(r.ServerType);
        w.state = static_cast<std::uint32_t>(r.State);
        w.percentage = r.Percentage;
        if (r.pScopes != nullptr && r.pScopes->Elements != nullptr)
            w.scopes.assign(r.pScopes->Elements, r.pScopes->Elements + r.pScopes->NumElements);
        return w;
    }

    std::string server_;
    std::wstring wide_;
};

}  // namespace

std::unique_ptr<DhcpFailoverApi> open_dhcpsapi(const std::string& server) {
    return std::make_unique<Dhcpsapi>(server);
}

}  // namespace fostat

#endif  // _WIN32
