#include "sources/powershell_import.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

#include "formats/byte_source.h"
#include "formats/canonical_csv.h"
#include "formats/csv.h"
#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/text.h"
#include "fostat/time_text.h"

namespace fostat {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameLength = 255;

// The properties fostat reads; every other one (PercentageInUse, ReservedAddress,
// PendingOffers, SuperscopeName, the Free/InUse aliases, CimClass, CimInstanceProperties,
// CimSystemProperties, ...) is ignored.
enum class Prop : std::uint8_t {
    timestamp,
    server_name,
    ps_computer_name,
    relationship,
    mode,
    server_role,
    server_type,
    load_balance_percent,
    reserve_percent,
    state,
    scope_id,
    num_addr,
    addresses_free,
    addresses_in_use,
    free_on_this,
    free_on_partner,
    in_use_on_this,
    in_use_on_partner,
    partner_server,
};
constexpr std::array<std::string_view, 19> kPropNames = {
    "Timestamp",
    "ServerName",
    "PSComputerName",
    "Relationship",
    "Mode",
    "ServerRole",
    "ServerType",
    "LoadBalancePercent",
    "ReservePercent",
    "State",
    "ScopeId",
    "NumAddr",
    "AddressesFree",
    "AddressesInUse",
    "AddressesFreeOnThisServer",
    "AddressesFreeOnPartnerServer",
    "AddressesInUseOnThisServer",
    "AddressesInUseOnPartnerServer",
    "PartnerServer",  // only to tell Get-DhcpServerv4Failover's output when it is given instead
};
// Without these a file is not Get-DhcpServerv4ScopeStatistics -Failover output.
constexpr std::array<Prop, 7> kRequired = {
    Prop::scope_id,        Prop::addresses_free, Prop::addresses_in_use,  Prop::free_on_this,
    Prop::free_on_partner, Prop::in_use_on_this, Prop::in_use_on_partner,
};

// Said of a record with a PartnerServer and no AddressesFree.
constexpr std::string_view kRelationshipsNotStatistics =
    "this is the output of Get-DhcpServerv4Failover (the relationships), not of "
    "Get-DhcpServerv4ScopeStatistics -Failover: export the statistics, or run "
    "Export-FostatFailoverStats.ps1, which writes both joined";

std::string_view name_of(Prop p) {
    return kPropNames[static_cast<std::size_t>(p)];
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// PowerShell property names are case-insensitive.
std::optional<Prop> prop_named(std::string_view name) {
    for (std::size_t i = 0; i < kPropNames.size(); ++i) {
        if (iequals(name, kPropNames[i]))
            return static_cast<Prop>(i);
    }
    return std::nullopt;
}

std::string missing_text(MissingDefault::Field field, const std::string& detail) {
    return (field == MissingDefault::Field::at ? "no Timestamp in the file"
                                               : "no ServerName in the file") +
           (detail.empty() ? "" : " (" + detail + ")");
}

std::string needed_text(MissingDefault::Field field) {
    return field == MissingDefault::Field::at ? "give the time the file was written"
                                              : "name the DHCP server that wrote it";
}

[[noreturn]] void fail(const std::string& message) {
    throw InputError(message);
}

// One property of one record. CSV fields are untyped text, where empty means null (Export-Csv
// writes $null as an empty field); JSON values keep their type.
struct Field {
    enum class Kind : std::uint8_t { absent, null, csv_text, json_value } kind = Kind::absent;
    std::string_view text;        // csv_text
    const json* value = nullptr;  // json_value (never null: that is Kind::null)
};

std::string json_type(const json& v) {
    if (v.is_string())
        return "the text " + excerpt(v.get_ref<const std::string&>());
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_object())
        return "an object";
    if (v.is_array())
        return "a list";
    return v.dump();
}

// A count 0..max. Returns nullopt for null; absent and null are errors when `required`.
std::optional<std::uint64_t> read_count(const Field& f, Prop p, std::uint64_t max, bool required) {
    const std::string prop(name_of(p));
    const std::string range =
        max == kMaxCounter ? "counts are 0 to 4294967295" : "a percentage is 0 to 100";
    switch (f.kind) {
        case Field::Kind::absent:
            fail("no property " + prop +
                 ": expected the output of Get-DhcpServerv4ScopeStatistics -Failover");
        case Field::Kind::null:
            if (required)
                fail(prop + " is empty (null); " + range);
            return std::nullopt;
        case Field::Kind::csv_text: {
            const std::string_view t = f.text;
            std::uint64_t v = 0;
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec == std::errc::result_out_of_range ||
                (ec == std::errc() && v > max && end == t.data() + t.size())) {
                fail(prop + ": " + excerpt(t) +
                     (max == kMaxCounter
                          ? " is above 4294967295, the largest counter a DHCP server reports"
                          : " is above 100"));
            }
            if (ec != std::errc() || end != t.data() + t.size()) {
                fail(prop + ": " + excerpt(t) +
                     (t[0] == '-' ? " is negative" : " is not a whole number") + "; " + range);
            }
            return v;
        }
        case Field::Kind::json_value: {
            const json& v = *f.value;
            if (v.is_number_unsigned()) {
                const auto n = v.get<std::uint64_t>();
                if (n > max) {
                    fail(prop + ": " + std::to_string(n) +
                         (max == kMaxCounter
                              ? " is above 4294967295, the largest counter a DHCP server reports"
                              : " is above 100"));
                }
                return n;
            }
            if (v.is_number_integer())
                fail(prop + ": " + v.dump() + " is negative; " + range);
            if (v.is_number_float()) {
                // nlohmann reads integers beyond 64 bits as floating point.
                if (v.get<double>() > static_cast<double>(max)) {
                    fail(prop + ": " + v.dump() +
                         " is above 4294967295, the largest counter a DHCP server reports");
                }
                fail(prop + ": " + v.dump() + " is not a whole number; " + range);
            }
            fail(prop + ": " + json_type(v) + " where a whole number belongs; " + range);
        }
    }
    return std::nullopt;
}

// Text, or nullopt for absent, null and empty.
std::optional<std::string_view> read_text(const Field& f, Prop p) {
    switch (f.kind) {
        case Field::Kind::absent:
        case Field::Kind::null:
            return std::nullopt;
        case Field::Kind::csv_text:
            return f.text;
        case Field::Kind::json_value:
            if (!f.value->is_string())
                fail(std::string(name_of(p)) + ": " + json_type(*f.value) + " where text belongs");
            {
                const std::string& s = f.value->get_ref<const std::string&>();
                if (s.empty())
                    return std::nullopt;
                return std::string_view(s);
            }
    }
    return std::nullopt;
}

// A ScopeId: "10.1.2.0", or in JSON the System.Net.IPAddress object that the DhcpServer
// module makes of it ({"Address": 131338, "AddressFamily": 2, ..., "IPAddressToString":
// "10.1.2.0"}).
std::string read_scope(const Field& f) {
    std::optional<std::string> scope;
    std::string shown;
    if (f.kind == Field::Kind::absent)
        fail(
            "no property ScopeId: expected the output of Get-DhcpServerv4ScopeStatistics "
            "-Failover");
    if (f.kind == Field::Kind::null)
        fail("ScopeId is empty (null)");
    if (f.kind == Field::Kind::csv_text) {
        shown = excerpt(f.text);
        scope = normalise_scope(f.text);
    } else if (f.value->is_string()) {
        const std::string& s = f.value->get_ref<const std::string&>();
        shown = excerpt(s);
        scope = normalise_scope(s);
    } else if (f.value->is_object()) {
        shown = "an object without IPAddressToString or Address";
        if (const auto t = f.value->find("IPAddressToString");
            t != f.value->end() && t->is_string()) {
            shown = excerpt(t->get_ref<const std::string&>());
            scope = normalise_scope(t->get_ref<const std::string&>());
        } else if (const auto a = f.value->find("Address");
                   a != f.value->end() && a->is_number_unsigned() &&
                   a->get<std::uint64_t>() <= 0xFFFFFFFFu) {
            // IPAddress.Address holds the four bytes in network order, read as a
            // little-endian integer: 10.1.2.0 is 0x0002010A.
            const auto v = a->get<std::uint64_t>();
            scope = std::to_string(v & 0xFF) + "." + std::to_string((v >> 8) & 0xFF) + "." +
                    std::to_string((v >> 16) & 0xFF) + "." + std::to_string((v >> 24) & 0xFF);
        }
    } else {
        shown = json_type(*f.value);
    }
    if (!scope)
        fail("ScopeId: " + shown + " is not an IPv4 scope such as 10.1.2.0");
    return *scope;
}

// Get-DhcpServerv4Failover's Mode: LoadBalance or HotStandby (fostat's own words too).
Mode read_mode(std::string_view word) {
    const std::string key = word_key(word);
    if (key == "loadbalance")
        return Mode::load_balance;
    if (key == "hotstandby")
        return Mode::hot_standby;
    fail("Mode: " + excerpt(word) + " is not LoadBalance or HotStandby");
}

// ServerRole: Active or Standby in hot standby; Primary or Secondary (ServerType's
// PrimaryServer, SecondaryServer) in load balance.
std::string read_role(std::string_view word) {
    std::string key = word_key(word);
    if (key.ends_with("server") && key.size() > 6)
        key.resize(key.size() - 6);
    if (key == "active" || key == "standby" || key == "primary" || key == "secondary")
        return key;
    fail("ServerRole: " + excerpt(word) + " is not Active, Standby, Primary or Secondary");
}

// ServerType: PrimaryServer or SecondaryServer (Get-DhcpServerv4Failover from Windows Server
// 2012 R2); true for the primary.
bool read_is_primary(std::string_view word) {
    const std::string key = word_key(word);
    if (key == "primaryserver" || key == "primary")
        return true;
    if (key == "secondaryserver" || key == "secondary")
        return false;
    fail("ServerType: " + excerpt(word) + " is not PrimaryServer or SecondaryServer");
}

// This server's share of the free addresses in load balance. LoadBalancePercent is a property
// of the relationship, the primary server's share of the client load (the Win32
// DHCP_FAILOVER_RELATIONSHIP's Percentage), whichever server reports it; the secondary holds
// the rest (docs/sources/windows.md "Load balance shares").
double load_balance_share(std::uint64_t percent, const std::string& role) {
    if (role == "primary")
        return static_cast<double>(percent);
    if (role == "secondary")
        return 100.0 - static_cast<double>(percent);
    if (role.empty() && percent == 50)
        return 50.0;
    if (role.empty()) {
        fail("LoadBalancePercent " + std::to_string(percent) +
             " is the primary server's share, and the record has neither ServerRole nor "
             "ServerType to tell whether this server is the primary (Windows Server 2012 without "
             "R2 does not show ServerType: collect from it with fostat-collect windows, which "
             "reads it from the DHCP API)");
    }
    fail("ServerRole: '" + role +
         "' is a hot-standby role; in load balance a server is Primary or Secondary");
}

// This server's share of the free addresses in hot standby: the standby holds the reserve,
// the active server the rest.
double hot_standby_share(std::uint64_t reserve, const std::string& role) {
    if (role == "standby")
        return static_cast<double>(reserve);
    if (role == "active")
        return 100.0 - static_cast<double>(reserve);
    fail(
        "ServerRole: hot standby needs Active or Standby (or ServerType) to tell this server's "
        "share of the free addresses");
}

std::int64_t read_timestamp(const Field& f) {
    const auto text = read_text(f, Prop::timestamp);
    if (!text)
        fail("Timestamp is empty");
    // Windows PowerShell 5.1's ConvertTo-Json writes a [DateTime] as "/Date(ms)/".
    if (text->starts_with("/Date(") && text->ends_with(")/")) {
        const std::string_view digits = text->substr(6, text->size() - 8);
        std::int64_t ms = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
        if (ec == std::errc() && end == digits.data() + digits.size())
            return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
        fail("Timestamp: " + excerpt(*text) + " is not a time");
    }
    try {
        return parse_timestamp(*text);
    } catch (const InputError& e) {
        fail(std::string("Timestamp: ") + e.what());
    }
}

// A ServerName, PSComputerName or Relationship as a sample's name.
std::string checked_name(std::string_view name, Prop p) {
    if (name.size() > kMaxNameLength)
        fail(std::string(name_of(p)) + ": longer than 255 bytes");
    if (auto problem = name_problem(name))
        fail(std::string(name_of(p)) + ": " + *problem);
    return std::string(name);
}

// A record's properties, looked up by Prop.
class Record {
  public:
    virtual ~Record() = default;
    virtual Field get(Prop p) const = 0;
};

// This server's role: ServerRole when the record has one, else its ServerType in the mode's
// words as the native source reads DHCP_FAILOVER_SERVER (in hot standby the primary is the
// active server: docs/sources/windows.md "Roles"); empty when the record has neither.
std::string role_of(const Record& r, Mode mode) {
    const auto role_word = read_text(r.get(Prop::server_role), Prop::server_role);
    const auto type_word = read_text(r.get(Prop::server_type), Prop::server_type);
    std::optional<bool> primary;
    if (type_word)
        primary = read_is_primary(*type_word);
    if (role_word) {
        std::string role = read_role(*role_word);
        // In load balance ServerRole is our script's copy of ServerType: they must agree.
        // (In hot standby a primary may be the standby: Add-DhcpServerv4Failover -ServerRole.)
        if (primary && (role == "primary" || role == "secondary") &&
            *primary != (role == "primary")) {
            fail("ServerRole " + excerpt(*role_word) + " and ServerType " + excerpt(*type_word) +
                 " disagree");
        }
        return role;
    }
    if (!primary)
        return {};
    if (mode == Mode::hot_standby)
        return *primary ? "active" : "standby";
    return *primary ? "primary" : "secondary";
}

// Whether a PSComputerName names the computer the cmdlet ran on rather than the server: a CIM
// session to the local machine, and PowerShell 7's Windows PowerShell compatibility, report
// "localhost" (docs/sources/windows.md "The server's name").
bool names_no_server(std::string_view name) {
    for (const std::string_view local : {"localhost", ".", "127.0.0.1", "::1"}) {
        if (name.size() == local.size() &&
            std::equal(name.begin(), name.end(), local.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            return true;
    }
    return false;
}

// The server's name from PSComputerName, which only a CIM session to a remote server sets
// (-ComputerName leaves it null); throws MissingDefault, saying why, when it names none.
std::string server_from_computer_name(const Field& computer) {
    const auto name = read_text(computer, Prop::ps_computer_name);
    if (!name) {
        throw MissingDefault(MissingDefault::Field::server, {},
                             computer.kind == Field::Kind::null
                                 ? "its PSComputerName is null, as -ComputerName leaves it"
                                 : "");
    }
    if (names_no_server(*name)) {
        throw MissingDefault(MissingDefault::Field::server, {},
                             "its PSComputerName, '" + std::string(*name) +
                                 "', is the computer the cmdlet ran on, not a server's name");
    }
    return checked_name(*name, Prop::ps_computer_name);
}

// Maps one record to a sample. Returns false for a scope without failover statistics (not in a
// failover relationship, or exported without -Failover). Throws InputError (without the place; the
// caller adds it).
bool to_sample(const Record& r, const PowerShellDefaults& defaults, Sample& s,
               std::string& scope_out) {
    s = Sample{};
    if (r.get(Prop::addresses_free).kind == Field::Kind::absent &&
        r.get(Prop::partner_server).kind != Field::Kind::absent)
        fail("PartnerServer and no AddressesFree: " + std::string(kRelationshipsNotStatistics));
    s.scope = read_scope(r.get(Prop::scope_id));
    scope_out = s.scope;

    const auto free =
        read_count(r.get(Prop::addresses_free), Prop::addresses_free, kMaxCounter, true);
    const auto in_use =
        read_count(r.get(Prop::addresses_in_use), Prop::addresses_in_use, kMaxCounter, true);
    const auto this_free =
        read_count(r.get(Prop::free_on_this), Prop::free_on_this, kMaxCounter, false);
    const auto partner_free =
        read_count(r.get(Prop::free_on_partner), Prop::free_on_partner, kMaxCounter, false);
    const auto this_in_use =
        read_count(r.get(Prop::in_use_on_this), Prop::in_use_on_this, kMaxCounter, false);
    const auto partner_in_use =
        read_count(r.get(Prop::in_use_on_partner), Prop::in_use_on_partner, kMaxCounter, false);
    if (!this_free && !partner_free && !this_in_use && !partner_in_use)
        return false;
    std::optional<std::uint64_t> total;
    if (const Field f = r.get(Prop::num_addr); f.kind != Field::Kind::absent)
        total = read_count(f, Prop::num_addr, kMaxCounter, false);
    if (!total)
        total = *free + *in_use;  // 64-bit: a sum above 2^32 stays visible

    Counters& c = s.counters;
    c[Counter::num_addr] = total;
    c[Counter::addr_free] = free;
    c[Counter::addr_in_use] = in_use;
    c[Counter::this_addr_free] = this_free;
    c[Counter::partner_addr_free] = partner_free;
    c[Counter::this_addr_in_use] = this_in_use;
    c[Counter::partner_addr_in_use] = partner_in_use;

    if (const Field f = r.get(Prop::timestamp);
        f.kind != Field::Kind::absent && f.kind != Field::Kind::null) {
        s.timestamp = read_timestamp(f);
    } else if (defaults.at) {
        s.timestamp = *defaults.at;
    } else {
        throw MissingDefault(MissingDefault::Field::at);
    }

    if (const auto server = read_text(r.get(Prop::server_name), Prop::server_name)) {
        s.server = checked_name(*server, Prop::server_name);
    } else if (!defaults.server.empty()) {
        s.server = defaults.server;
    } else {
        s.server = server_from_computer_name(r.get(Prop::ps_computer_name));
    }

    Relationship& rel = s.relationship;
    if (const auto name = read_text(r.get(Prop::relationship), Prop::relationship))
        rel.name = checked_name(*name, Prop::relationship);
    if (const auto mode = read_text(r.get(Prop::mode), Prop::mode)) {
        rel.mode = read_mode(*mode);
        rel.role = role_of(r, rel.mode);
        if (rel.mode == Mode::load_balance) {
            const auto p = read_count(r.get(Prop::load_balance_percent), Prop::load_balance_percent,
                                      100, true);
            rel.expected_share = load_balance_share(*p, rel.role);
        } else {
            const auto p =
                read_count(r.get(Prop::reserve_percent), Prop::reserve_percent, 100, true);
            rel.expected_share = hot_standby_share(*p, rel.role);
        }
    } else {
        rel.role = role_of(r, rel.mode);
    }
    if (const auto word = read_text(r.get(Prop::state), Prop::state)) {
        const auto state = normalise_state(*word);
        if (!state) {
            fail("State: " + excerpt(*word) +
                 " is not a failover state (Normal, CommunicationInterrupted, PartnerDown, "
                 "Recover, RecoverWait, RecoverDone, PotentialConflict, ConflictDone, "
                 "ResolutionInterrupted, Init, Startup, Paused, Shutdown, NoState)");
        }
        rel.state = *state;
        if (*word != to_string(*state))
            rel.source_state.assign(*word);
    }
    return true;
}

// Reads one record into the sink with its place in messages.
void deliver(const Record& record, const std::string& name, std::uint64_t line,
             const PowerShellDefaults& defaults, SampleSink& sink, PowerShellSummary& summary) {
    Sample sample;
    std::string scope;
    try {
        if (!to_sample(record, defaults, sample, scope)) {
            summary.skipped_scopes.push_back(scope);
            return;
        }
        sink.add(sample);
    } catch (const MissingDefault& e) {
        throw e.at(name, line);
    } catch (const InputError& e) {
        throw InputError(at_line(name, line, e.what()));
    }
    ++summary.samples;
}

class CsvRecord : public Record {
  public:
    CsvRecord(const std::array<int, kPropNames.size()>& columns,
              const std::vector<std::string_view>& fields)
        : columns_(columns), fields_(fields) {}
    Field get(Prop p) const override {
        const int i = columns_[static_cast<std::size_t>(p)];
        if (i < 0)
            return {};
        const std::string_view text = fields_[static_cast<std::size_t>(i)];
        if (text.empty())
            return {Field::Kind::null, {}, nullptr};
        return {Field::Kind::csv_text, text, nullptr};
    }

  private:
    const std::array<int, kPropNames.size()>& columns_;
    const std::vector<std::string_view>& fields_;
};

class JsonRecord : public Record {
  public:
    explicit JsonRecord(const json& object) {
        values_.fill(nullptr);
        for (const auto& [key, value] : object.items()) {
            if (const auto p = prop_named(key))
                values_[static_cast<std::size_t>(*p)] = &value;
        }
    }
    Field get(Prop p) const override {
        const json* v = values_[static_cast<std::size_t>(p)];
        if (v == nullptr)
            return {};
        if (v->is_null())
            return {Field::Kind::null, {}, nullptr};
        return {Field::Kind::json_value, {}, v};
    }

  private:
    std::array<const json*, kPropNames.size()> values_{};
};

std::uint64_t line_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// The offsets where the elements of a top-level JSON array start.
// REQUIRES: `text` is valid JSON whose first non-blank byte is '['.
std::vector<std::size_t> element_offsets(std::string_view text) {
    std::vector<std::size_t> offsets;
    int depth = 0;
    bool in_string = false;
    bool want_value = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (depth == 1 && want_value && c != ']') {
            offsets.push_back(i);
            want_value = false;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth == 1)
                want_value = true;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 1) {
            want_value = true;
        }
    }
    return offsets;
}

// The list inside a wrapper object, or nullptr when `doc` is a record itself. Windows
// PowerShell 5.1 sometimes wraps a list as {"value": [...], "Count": n}; the Get method of
// the PS_DhcpServerv4ScopeStatistics class (Invoke-CimMethod) answers {"cmdletOutput": [...]},
// with a ReturnValue that is 0 when the call succeeded.
json* wrapped_list(json& doc, const std::string& name, std::uint64_t line) {
    if (doc.contains("ScopeId"))
        return nullptr;
    if (const auto value = doc.find("value"); value != doc.end() && value->is_array())
        return &*value;
    const auto output = doc.find("cmdletOutput");
    if (output == doc.end() || !output->is_array())
        return nullptr;
    if (const auto rv = doc.find("ReturnValue");
        rv != doc.end() && !rv->is_null() && *rv != json(0)) {
        throw InputError(at_line(name, line,
                                 "ReturnValue " + rv->dump() +
                                     ": the DHCP server's Get method failed; its cmdletOutput "
                                     "is not the statistics"));
    }
    return &*output;
}

}  // namespace

MissingDefault::MissingDefault(Field field, std::string where, std::string detail)
    : InputError((where.empty() ? "" : where + ": ") + missing_text(field, detail) +
                 " and none given: " + needed_text(field)),
      field_(field),
      where_(std::move(where)),
      detail_(std::move(detail)) {}

std::string MissingDefault::missing() const {
    return missing_text(field_, detail_);
}

std::string MissingDefault::needed() const {
    return needed_text(field_);
}

MissingDefault MissingDefault::at(const std::string& name, std::uint64_t line) const {
    return MissingDefault(field_, name + ":" + std::to_string(line), detail_);
}

std::string decode_to_utf8(std::string_view bytes, const std::string& name) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF")
        return std::string(bytes.substr(3));
    const bool le = bytes.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE;
    const bool be = bytes.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF;
    if (!le && !be)
        return std::string(bytes);
    if (bytes.size() % 2 != 0)
        throw InputError(name + ": UTF-16 text with an odd number of bytes: the file is cut short");
    std::string out;
    out.reserve(bytes.size() / 2);
    const auto unit = [&](std::size_t i) -> std::uint32_t {
        return le ? byte(i) | (byte(i + 1) << 8) : (byte(i) << 8) | byte(i + 1);
    };
    for (std::size_t i = 2; i < bytes.size(); i += 2) {
        std::uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
            const std::uint32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            throw InputError(name + ": invalid UTF-16 (a lone surrogate at byte " +
                             std::to_string(i) + ")");
        }
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

PowerShellSummary read_powershell_csv(std::string_view text, const std::string& name,
                                      const PowerShellDefaults& defaults, SampleSink& sink) {
    StringSource in{std::string(text)};
    CsvReader csv(in, name);
    std::vector<std::string_view> fields;
    PowerShellSummary summary;
    if (!csv.next(fields))
        throw InputError(name + ":1: empty input: expected a header line with ScopeId, ...");
    // Windows PowerShell 5.1's Export-Csv without -NoTypeInformation starts with the type:
    // #TYPE Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/Windows/DHCP/...
    std::string type;
    if (fields.size() == 1 && fields[0].starts_with("#TYPE")) {
        type = std::string(fields[0].substr(5));
        type.erase(0, type.find_first_not_of(' '));
        if (!csv.next(fields))
            csv.fail("expected a header line after the #TYPE line");
    }
    std::array<int, kPropNames.size()> columns;
    columns.fill(-1);
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (const auto p = prop_named(fields[i]))
            columns[static_cast<std::size_t>(*p)] = static_cast<int>(i);
    }
    for (const Prop p : kRequired) {
        if (columns[static_cast<std::size_t>(p)] < 0) {
            std::string what = "no column " + std::string(name_of(p)) +
                               ": expected the output of Get-DhcpServerv4ScopeStatistics "
                               "-Failover";
            if (!type.empty()) {
                // "...CimInstance#root/Microsoft/Windows/DHCP/DhcpServerv4Scope": the class.
                const std::string_view cls =
                    std::string_view(type).substr(type.find_last_of("#/") + 1);
                what += "; its #TYPE line names " + excerpt(cls);
            } else if (columns[static_cast<std::size_t>(Prop::partner_server)] >= 0) {
                what += "; " + std::string(kRelationshipsNotStatistics);
            }
            csv.fail(what);
        }
    }
    const std::size_t width = fields.size();
    while (csv.next(fields)) {
        if (fields.size() != width) {
            csv.fail("expected " + std::to_string(width) + " fields as in the header, found " +
                     std::to_string(fields.size()));
        }
        deliver(CsvRecord(columns, fields), name, csv.line(), defaults, sink, summary);
    }
    return summary;
}

PowerShellSummary read_powershell_json(std::string_view text, const std::string& name,
                                       const PowerShellDefaults& defaults, SampleSink& sink) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        // e.byte is 1-based and one past the offending byte at the end of input.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        std::string what = "not JSON";
        if (offset >= text.size())
            what = "the JSON ends too early: the file is cut short";
        else
            what += ": unexpected " + excerpt(text.substr(offset, 1));
        throw InputError(at_line(name, line_at(text, offset), what));
    }
    PowerShellSummary summary;
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (doc.is_object()) {
        json* wrapped = wrapped_list(doc, name, line_at(text, start));
        if (wrapped == nullptr) {
            deliver(JsonRecord(doc), name, line_at(text, start), defaults, sink, summary);
            return summary;
        }
        json list = std::move(*wrapped);
        doc = std::move(list);
        // The offsets below would be those of the wrapper: name the wrapper's line.
        for (const json& element : doc) {
            if (!element.is_object())
                throw InputError(
                    at_line(name, line_at(text, start),
                            "expected an object for each scope, found " + json_type(element)));
            deliver(JsonRecord(element), name, line_at(text, start), defaults, sink, summary);
        }
        return summary;
    }
    if (!doc.is_array()) {
        throw InputError(at_line(name, line_at(text, start),
                                 "expected a JSON object or list of objects (ConvertTo-Json of "
                                 "Get-DhcpServerv4ScopeStatistics -Failover), found " +
                                     json_type(doc)));
    }
    const std::vector<std::size_t> offsets = element_offsets(text);
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const std::uint64_t line = line_at(text, i < offsets.size() ? offsets[i] : start);
        if (!doc[i].is_object()) {
            throw InputError(at_line(
                name, line, "expected an object for each scope, found " + json_type(doc[i])));
        }
        deliver(JsonRecord(doc[i]), name, line, defaults, sink, summary);
    }
    return summary;
}

}  // namespace fostat
