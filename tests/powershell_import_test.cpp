#include "sources/powershell_import.h"

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "sources/import.h"
#include "test_support.h"

namespace fostat {
namespace {

using Counts = std::array<std::optional<std::uint64_t>, 7>;

// Our script's columns before it wrote ServerType, as Export-Csv writes them (every field
// quoted): such files are still read.
const std::string kOurHeader =
    "\"Timestamp\",\"ServerName\",\"Relationship\",\"Mode\",\"ServerRole\","
    "\"LoadBalancePercent\",\"ReservePercent\",\"State\",\"ScopeId\",\"AddressesFree\","
    "\"AddressesInUse\",\"AddressesFreeOnThisServer\",\"AddressesFreeOnPartnerServer\","
    "\"AddressesInUseOnThisServer\",\"AddressesInUseOnPartnerServer\"\r\n";
// The statistics alone, as a plain export has them.
const std::string kPlainHeader =
    "\"ScopeId\",\"AddressesFree\",\"AddressesInUse\",\"AddressesFreeOnThisServer\","
    "\"AddressesFreeOnPartnerServer\",\"AddressesInUseOnThisServer\","
    "\"AddressesInUseOnPartnerServer\"\r\n";

std::string json_record(const std::string& extra) {
    return "{\"ScopeId\": \"10.1.2.0\", \"AddressesFree\": 120, \"AddressesInUse\": 80, "
           "\"AddressesFreeOnThisServer\": 84, \"AddressesFreeOnPartnerServer\": 36, "
           "\"AddressesInUseOnThisServer\": 56, \"AddressesInUseOnPartnerServer\": 24" +
           extra + "}";
}

struct Case {
    const char* what;
    bool json;
    std::string input;
    // Either the sample expected (of the first record) or the error message.
    std::string error;
    // Each member below has its default, so that a case may stop after any of them.
    Counts counts{};
    Mode mode = Mode::load_balance;
    std::string role{};
    double share = 50;
    State state = State::unknown;
    std::string source_state{};
    std::string scope = "10.1.2.0";
    std::string server = "dhcp1";
    std::int64_t timestamp = 1'795'507'200;  // 2026-11-24T08:00:00Z
};

const PowerShellDefaults kDefaults{"dhcp1", 1'795'507'200};

std::vector<Case> cases() {
    const Counts lb{200, 120, 80, 36, 84, 24, 56};
    return {
        {"our CSV, load balance 70 %", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"LoadBalance\",\"Primary\",\"70\",,"
                      "\"Normal\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "", lb, Mode::load_balance, "primary", 70, State::normal, "Normal", "10.1.2.0", "W1"},
        {"our CSV, hot standby: the standby holds the reserve", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W2\",\"r\",\"HotStandby\",\"Standby\",,\"5\","
                      "\"CommunicationInterrupted\",\"10.1.2.0\",\"120\",\"80\",\"6\",\"114\","
                      "\"0\",\"80\"\r\n",
         "", Counts{200, 120, 80, 114, 6, 80, 0}, Mode::hot_standby, "standby", 5,
         State::communication_interrupted, "CommunicationInterrupted", "10.1.2.0", "W2"},
        {"our CSV, hot standby: the active server holds the rest", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"HotStandby\",\"Active\",,\"5\","
                      "\"PartnerDown\",\"10.1.2.0\",\"120\",\"80\",\"114\",\"6\",\"80\",\"0\"\r\n",
         "", Counts{200, 120, 80, 6, 114, 0, 80}, Mode::hot_standby, "active", 95,
         State::partner_down, "PartnerDown", "10.1.2.0", "W1"},
        {"a plain CSV takes --server and --at, and the defaults", false,
         kPlainHeader + "\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n", "", lb},
        {"#TYPE line, LF line ends, no quotes", false,
         "#TYPE Microsoft.Management.Infrastructure.CimInstance#x\nScopeId,AddressesFree,"
         "AddressesInUse,AddressesFreeOnThisServer,AddressesFreeOnPartnerServer,"
         "AddressesInUseOnThisServer,AddressesInUseOnPartnerServer\n10.1.2.0,120,80,84,36,56,24\n",
         "", lb},
        {"a given NumAddr wins over the sum", false,
         "ScopeId,NumAddr,AddressesFree,AddressesInUse,AddressesFreeOnThisServer,"
         "AddressesFreeOnPartnerServer,AddressesInUseOnThisServer,AddressesInUseOnPartnerServer\n"
         "10.1.2.0,254,120,80,84,36,56,24\n",
         "", Counts{254, 120, 80, 36, 84, 24, 56}},
        {"one null failover property is a NULL counter", false,
         kPlainHeader + "\"10.1.2.0\",\"120\",\"80\",,\"36\",\"56\",\"24\"\r\n", "",
         Counts{200, 120, 80, 36, std::nullopt, 24, 56}},
        {"property names in any case", false,
         "scopeid,addressesfree,addressesinuse,addressesfreeonthisserver,"
         "addressesfreeonpartnerserver,addressesinuseonthisserver,addressesinuseonpartnerserver\n"
         "10.1.2.0,120,80,84,36,56,24\n",
         "", lb},
        {"a CSV count that is not a number", false,
         kPlainHeader + "\"10.1.2.0\",\"sixty\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: AddressesFree: 'sixty' is not a whole number; counts are 0 to 4294967295"},
        {"a negative count", false,
         kPlainHeader + "\"10.1.2.0\",\"120\",\"-80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: AddressesInUse: '-80' is negative; counts are 0 to 4294967295"},
        {"a count above 2^32 - 1", false,
         kPlainHeader + "\"10.1.2.0\",\"120\",\"80\",\"4294967296\",\"36\",\"56\",\"24\"\r\n",
         "in:2: AddressesFreeOnThisServer: '4294967296' is above 4294967295, the largest counter "
         "a DHCP server reports"},
        {"a required count that is null", false,
         kPlainHeader + "\"10.1.2.0\",,\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: AddressesFree is empty (null); counts are 0 to 4294967295"},
        {"a CSV of another cmdlet", false,
         "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/Windows/DHCP/"
         "DhcpServerv4Scope\r\n\"ScopeId\",\"SubnetMask\"\r\n\"10.1.2.0\",\"255.255.255.0\"\r\n",
         "in:2: no column AddressesFree: expected the output of Get-DhcpServerv4ScopeStatistics "
         "-Failover; its #TYPE line names 'DhcpServerv4Scope'"},
        {"a scope that is not an address", false,
         kPlainHeader + "\"10.1.2\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: ScopeId: '10.1.2' is not an IPv4 scope such as 10.1.2.0"},
        {"an unknown mode", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"Split\",\"Primary\",\"70\",,"
                      "\"Normal\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: Mode: 'Split' is not LoadBalance or HotStandby"},
        {"an unknown state", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"LoadBalance\",\"Primary\",\"70\",,"
                      "\"Happy\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: State: 'Happy' is not a failover state (Normal, CommunicationInterrupted, "
         "PartnerDown, Recover, RecoverWait, RecoverDone, PotentialConflict, ConflictDone, "
         "ResolutionInterrupted, Init, Startup, Paused, Shutdown, NoState)"},
        {"a percentage above 100", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"LoadBalance\",\"Primary\",\"170\",,"
                      "\"Normal\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: LoadBalancePercent: '170' is above 100"},
        {"load balance without its percentage", false,
         kOurHeader + "\"2026-11-24T08:00:00Z\",\"W1\",\"r\",\"LoadBalance\",\"Primary\",,,"
                      "\"Normal\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: LoadBalancePercent is empty (null); a percentage is 0 to 100"},
        {"a time without a zone", false,
         kOurHeader + "\"2026-11-24T08:00:00\",\"W1\",\"r\",\"LoadBalance\",\"Primary\",\"70\",,"
                      "\"Normal\",\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n",
         "in:2: Timestamp: '2026-11-24T08:00:00' has no zone: add Z (UTC) or an offset like "
         "+01:00"},

        {"plain JSON: ScopeId as an IPAddress object, CIM members ignored", true,
         "[" +
             json_record(", \"ScopeId\": {\"Address\": 131338, \"AddressFamily\": 2, "
                         "\"IPAddressToString\": \"10.1.2.0\"}, \"CimClass\": {\"x\": 1}, "
                         "\"CimInstanceProperties\": [\"AddressesFree = 120\"], "
                         "\"PercentageInUse\": 40, \"PSComputerName\": null") +
             "]",
         "", lb},
        {"JSON: an IPAddress object with Address only", true,
         json_record(", \"ScopeId\": {\"Address\": 131338, \"AddressFamily\": 2}"), "", lb},
        {"JSON: our record, numbers and null", true,
         json_record(", \"Timestamp\": \"2026-11-24T09:00:00+01:00\", \"ServerName\": \"W1\", "
                     "\"Relationship\": \"r\", \"Mode\": \"LoadBalance\", \"ServerRole\": "
                     "\"Secondary\", \"ServerType\": \"SecondaryServer\", "
                     "\"LoadBalancePercent\": 70, \"ReservePercent\": null, \"State\": \"Normal\""),
         "", lb, Mode::load_balance, "secondary", 30, State::normal, "Normal", "10.1.2.0", "W1"},
        // LoadBalancePercent is the primary's share, whichever server reports it.
        {"JSON: load balance, the role from ServerType alone", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerType\": \"SecondaryServer\", "
                     "\"LoadBalancePercent\": 70"),
         "", lb, Mode::load_balance, "secondary", 30},
        {"JSON: load balance, the primary from ServerType", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerType\": \"PrimaryServer\", "
                     "\"LoadBalancePercent\": 70"),
         "", lb, Mode::load_balance, "primary", 70},
        // Windows Server 2012 without R2: no ServerType, and ServerRole empty in load balance.
        {"JSON: 2012, load balance 50/50 without a role", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerRole\": null, \"ServerType\": null, "
                     "\"LoadBalancePercent\": 50"),
         "", lb, Mode::load_balance, "", 50},
        {"JSON: 2012, load balance 70/30 without a role", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerType\": \"\", "
                     "\"LoadBalancePercent\": 70"),
         "in:1: LoadBalancePercent 70 is the primary server's share, and the record has neither "
         "ServerRole nor ServerType to tell whether this server is the primary (Windows Server "
         "2012 without R2 does not show ServerType: collect from it with fostat-collect windows, "
         "which reads it from the DHCP API)"},
        {"JSON: ServerRole and ServerType disagree", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerRole\": \"Primary\", "
                     "\"ServerType\": \"SecondaryServer\", \"LoadBalancePercent\": 70"),
         "in:1: ServerRole 'Primary' and ServerType 'SecondaryServer' disagree"},
        {"JSON: a hot-standby role in load balance", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerRole\": \"Active\", "
                     "\"LoadBalancePercent\": 70"),
         "in:1: ServerRole: 'active' is a hot-standby role; in load balance a server is Primary "
         "or Secondary"},
        {"JSON: a ServerType that is no server type", true,
         json_record(", \"Mode\": \"LoadBalance\", \"ServerType\": \"Tertiary\", "
                     "\"LoadBalancePercent\": 70"),
         "in:1: ServerType: 'Tertiary' is not PrimaryServer or SecondaryServer"},
        {"JSON: hot standby, the standby from ServerType", true,
         json_record(", \"Mode\": \"HotStandby\", \"ServerType\": \"SecondaryServer\", "
                     "\"ReservePercent\": 5"),
         "", lb, Mode::hot_standby, "standby", 5},
        // Add-DhcpServerv4Failover -ServerRole Standby makes the primary the standby: the role
        // Windows shows wins over ServerType.
        {"JSON: hot standby, a primary that is the standby", true,
         json_record(", \"Mode\": \"HotStandby\", \"ServerRole\": \"Standby\", "
                     "\"ServerType\": \"PrimaryServer\", \"ReservePercent\": 5"),
         "", lb, Mode::hot_standby, "standby", 5},
        {"JSON: a /Date(ms)/ time", true, json_record(", \"Timestamp\": \"/Date(1795507200000)/\""),
         "", lb},
        {"JSON: PSComputerName names the server when --server does not", true,
         json_record(", \"PSComputerName\": \"dhcp1\""), "", lb},
        {"JSON: {value, Count} wrapper of Windows PowerShell 5.1", true,
         "{\"value\": [" + json_record("") + "], \"Count\": 1}", "", lb},
        {"JSON: the {cmdletOutput: [...]} answer of the class's Get method", true,
         "{\"cmdletOutput\": [" + json_record(", \"Free\": 120, \"InUse\": 80") +
             "], \"ReturnValue\": 0}",
         "", lb},
        {"JSON: a Get method that failed", true, "{\"cmdletOutput\": [], \"ReturnValue\": 5}",
         "in:1: ReturnValue 5: the DHCP server's Get method failed; its cmdletOutput is not the "
         "statistics"},
        {"JSON: Get-DhcpServerv4Failover's output instead", true,
         "{\"Name\": \"r\", \"PartnerServer\": \"dhcp2\", \"ScopeId\": {\"value\": [{\"Address\": "
         "131338}], \"Count\": 1}, \"Mode\": \"LoadBalance\"}",
         "in:1: PartnerServer and no AddressesFree: this is the output of "
         "Get-DhcpServerv4Failover (the relationships), not of Get-DhcpServerv4ScopeStatistics "
         "-Failover: export the statistics, or run Export-FostatFailoverStats.ps1, which writes "
         "both joined"},
        {"CSV: Get-DhcpServerv4Failover's output instead", false,
         "\"Name\",\"PartnerServer\",\"Mode\",\"ScopeId\"\r\n\"r\",\"dhcp2\",\"LoadBalance\","
         "\"10.1.2.0\"\r\n",
         "in:1: no column AddressesFree: expected the output of Get-DhcpServerv4ScopeStatistics "
         "-Failover; this is the output of Get-DhcpServerv4Failover (the relationships), not of "
         "Get-DhcpServerv4ScopeStatistics -Failover: export the statistics, or run "
         "Export-FostatFailoverStats.ps1, which writes both joined"},
        {"JSON: a count as text", true, "[\n" + json_record(", \"AddressesInUse\": \"80\"") + "]",
         "in:2: AddressesInUse: the text '80' where a whole number belongs; counts are 0 to "
         "4294967295"},
        {"JSON: a count above 2^32 - 1, on the line of its object", true,
         "[\n" + json_record("") + ",\n\n" + json_record(", \"AddressesFree\": 4294967296") + "\n]",
         "in:4: AddressesFree: 4294967296 is above 4294967295, the largest counter a DHCP server "
         "reports"},
        {"JSON: a count beyond 64 bits", true,
         json_record(", \"AddressesFree\": 123456789012345678901234567890"),
         "in:1: AddressesFree: 1.2345678901234568e+29 is above 4294967295, the largest counter "
         "a DHCP server reports"},
        {"JSON: a negative count", true, json_record(", \"AddressesFree\": -1"),
         "in:1: AddressesFree: -1 is negative; counts are 0 to 4294967295"},
        {"JSON: a fraction", true, json_record(", \"AddressesFree\": 1.5"),
         "in:1: AddressesFree: 1.5 is not a whole number; counts are 0 to 4294967295"},
        {"JSON: a missing failover property", true,
         "[{\"ScopeId\": \"10.1.2.0\", \"AddressesFree\": 1, \"AddressesInUse\": 2}]",
         "in:1: no property AddressesFreeOnThisServer: expected the output of "
         "Get-DhcpServerv4ScopeStatistics -Failover"},
        {"JSON: cut short", true, "[\n" + json_record("").substr(0, 40),
         "in:2: the JSON ends too early: the file is cut short"},
        {"JSON: not JSON", true, "[\n{\"ScopeId\": 10.1.2.0}]", "in:2: not JSON: unexpected '.'"},
        {"JSON: a list of numbers", true, "[1, 2]",
         "in:1: expected an object for each scope, found 1"},
        {"JSON: a bare string", true, "\"x\"",
         "in:1: expected a JSON object or list of objects (ConvertTo-Json of "
         "Get-DhcpServerv4ScopeStatistics -Failover), found the text 'x'"},
        {"JSON: a control character in ServerName", true,
         json_record(", \"ServerName\": \"dhcp\\u001b[2J\""),
         "in:1: ServerName: 'dhcp\\x1b[2J' holds the control character \\x1b; a name is "
         "printable UTF-8"},
        {"JSON: a C1 control in Relationship", true,
         json_record(", \"Relationship\": \"r\\u009b\""),
         "in:1: Relationship: 'r\\u009b' holds the control character \\u009b; a name is "
         "printable UTF-8"},
        {"JSON: hot standby without a role", true,
         json_record(", \"Mode\": \"HotStandby\", \"ReservePercent\": 5"),
         "in:1: ServerRole: hot standby needs Active or Standby (or ServerType) to tell this "
         "server's share of the free addresses"},
    };
}

TEST(PowerShellImport, TableOfCases) {
    for (const Case& c : cases()) {
        SCOPED_TRACE(c.what);
        test::VectorSink sink;
        try {
            if (c.json)
                read_powershell_json(c.input, "in", kDefaults, sink);
            else
                read_powershell_csv(c.input, "in", kDefaults, sink);
        } catch (const InputError& e) {
            EXPECT_EQ(e.what(), c.error);
            continue;
        }
        ASSERT_EQ(c.error, "");
        ASSERT_GE(sink.samples.size(), 1u);
        const Sample& s = sink.samples[0];
        EXPECT_EQ(s.counters.values, c.counts);
        EXPECT_EQ(s.scope, c.scope);
        EXPECT_EQ(s.server, c.server);
        EXPECT_EQ(s.timestamp, c.timestamp);
        EXPECT_EQ(s.relationship.mode, c.mode);
        EXPECT_EQ(s.relationship.role, c.role);
        EXPECT_EQ(s.relationship.expected_share, c.share);
        EXPECT_EQ(s.relationship.state, c.state);
        EXPECT_EQ(s.relationship.source_state, c.source_state);
    }
}

TEST(PowerShellImport, ScopesWithNullFailoverPropertiesAreSkippedAndCounted) {
    test::VectorSink sink;
    const auto summary = read_powershell_csv(
        kPlainHeader +
            "\"10.1.9.0\",\"40\",\"10\",,,,\r\n\"10.1.2.0\",\"120\",\"80\",\"84\","
            "\"36\",\"56\",\"24\"\r\n",
        "in", kDefaults, sink);
    EXPECT_EQ(summary.samples, 1u);
    EXPECT_EQ(summary.skipped_scopes, std::vector<std::string>{"10.1.9.0"});
    ASSERT_EQ(sink.samples.size(), 1u);
    EXPECT_EQ(sink.samples[0].scope, "10.1.2.0");
}

TEST(PowerShellImport, WithoutServerOrTimeTheFileIsRefused) {
    test::VectorSink sink;
    const std::string csv =
        kPlainHeader + "\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"";
    try {
        read_powershell_csv(csv, "in", {"", 1}, sink);
        FAIL() << "no error";
    } catch (const MissingDefault& e) {
        // The source names no option; fostat-collect import names --server (golden
        // powershell-plain-csv).
        EXPECT_STREQ(e.what(),
                     "in:2: no ServerName in the file and none given: name the DHCP server that "
                     "wrote it");
        EXPECT_EQ(e.field(), MissingDefault::Field::server);
        EXPECT_EQ(e.where(), "in:2");
    }
    try {
        read_powershell_csv(csv, "in", {"dhcp1", std::nullopt}, sink);
        FAIL() << "no error";
    } catch (const MissingDefault& e) {
        EXPECT_STREQ(e.what(),
                     "in:2: no Timestamp in the file and none given: give the time the file was "
                     "written");
        EXPECT_EQ(e.field(), MissingDefault::Field::at);
        EXPECT_EQ(e.missing(), "no Timestamp in the file");
        EXPECT_EQ(e.needed(), "give the time the file was written");
    }
}

// Only a CIM session to a remote server sets PSComputerName to that server; -ComputerName
// leaves it null, and a session to the local machine (or PowerShell 7's Windows PowerShell
// compatibility) says "localhost". Neither names a server: --server is needed then.
TEST(PowerShellImport, PSComputerNameNamesTheServerOnlyWhenItIsARemoteOne) {
    const PowerShellDefaults no_server{"", 1};
    const auto refusal = [&](const std::string& computer) -> std::string {
        test::VectorSink sink;
        try {
            read_powershell_json(json_record(", \"PSComputerName\": " + computer), "in", no_server,
                                 sink);
        } catch (const MissingDefault& e) {
            EXPECT_EQ(e.field(), MissingDefault::Field::server);
            return e.missing();
        }
        return "accepted as " + sink.samples.at(0).server;
    };
    EXPECT_EQ(refusal("\"dhcp2.example.net\""), "accepted as dhcp2.example.net");
    EXPECT_EQ(refusal("null"),
              "no ServerName in the file (its PSComputerName is null, as -ComputerName leaves it)");
    for (const char* local : {"localhost", "LocalHost", ".", "127.0.0.1", "::1"}) {
        EXPECT_EQ(refusal("\"" + std::string(local) + "\""),
                  "no ServerName in the file (its PSComputerName, '" + std::string(local) +
                      "', is the computer the cmdlet ran on, not a server's name)");
    }
    // --server decides before PSComputerName is looked at.
    test::VectorSink sink;
    read_powershell_json(json_record(", \"PSComputerName\": \"localhost\""), "in", kDefaults, sink);
    EXPECT_EQ(sink.samples.at(0).server, "dhcp1");
}

TEST(PowerShellImport, DecodesUtf16AndDropsByteOrderMarks) {
    const struct {
        std::string bytes;
        std::string text;
    } table[] = {
        {"\xEF\xBB\xBF[1]", "[1]"},
        {"[1]", "[1]"},
        {std::string("\xFF\xFE[\0\xE9\0]\0", 8), "[\xC3\xA9]"},
        {std::string("\xFE\xFF\0[\0]", 6), "[]"},
        {std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6), "\xF0\x9F\x98\x80"},  // U+1F600
    };
    for (const auto& t : table)
        EXPECT_EQ(decode_to_utf8(t.bytes, "in"), t.text);
    EXPECT_THROW(decode_to_utf8(std::string("\xFF\xFE[", 3), "in"), InputError);
    EXPECT_THROW(decode_to_utf8(std::string("\xFF\xFE\x00\xDC", 4), "in"), InputError);
}

TEST(PowerShellImport, DetectsTheFormatFromTheFirstBytes) {
    const struct {
        std::string head;
        ImportFormat format;
    } table[] = {
        {"timestamp,server,relationship,scope,num_addr", ImportFormat::canonical_csv},
        {"\xEF\xBB\xBFtimestamp,server", ImportFormat::canonical_csv},
        {"", ImportFormat::canonical_csv},
        {"x,y\n", ImportFormat::canonical_csv},
        {"[\r\n    {", ImportFormat::powershell_json},
        {"\xEF\xBB\xBF  {", ImportFormat::powershell_json},
        {"#TYPE Microsoft.Management.Infrastructure.CimInstance", ImportFormat::powershell_csv},
        {"\"Timestamp\",\"ServerName\",\"ScopeId\"\r\n", ImportFormat::powershell_csv},
        {"ScopeId,AddressesFree", ImportFormat::powershell_csv},
        {"\"scopeid\"", ImportFormat::powershell_csv},
        {"ScopeIdentifier,x\nScopeId", ImportFormat::canonical_csv},
    };
    for (const auto& t : table)
        EXPECT_EQ(detect_import_format(t.head), t.format) << t.head;
}

TEST(PowerShellImport, ImportFileReadsEveryFormatAlike) {
    const std::string csv =
        kPlainHeader + "\"10.1.2.0\",\"120\",\"80\",\"84\",\"36\",\"56\",\"24\"\r\n";
    std::string utf16 = "\xFF\xFE";
    for (char c : csv) {
        utf16.push_back(c);
        utf16.push_back('\0');
    }
    const std::string canonical =
        "timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,"
        "this_addr_free,partner_addr_in_use,this_addr_in_use\n"
        "2026-11-24T08:00:00Z,dhcp1,,10.1.2.0,200,120,80,36,84,24,56\n";
    for (const std::string& input :
         {csv, utf16, "\xEF\xBB\xBF" + csv, "[" + json_record("") + "]", canonical}) {
        StringSource in(input, 7);
        test::VectorSink sink;
        const auto summary = import_file(in, "in", kDefaults, sink);
        EXPECT_EQ(summary.samples, 1u);
        ASSERT_EQ(sink.samples.size(), 1u);
        EXPECT_EQ(sink.samples[0].counters.values, (Counts{200, 120, 80, 36, 84, 24, 56}));
    }
}

}  // namespace
}  // namespace fostat
