#include "sources/isc_config.h"

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "fostat/ipv4.h"

namespace fostat {
namespace {

const std::string kPeer = R"(failover peer "fo" {
  primary;
  peer address 10.0.0.2;
  split 128;
  mclt 600;
}
)";

// One line per subnet: "net/len shared? | peer: first-last first-last | -: first ..."
std::string render(const IscConfig& config) {
    std::string out;
    for (const auto& subnet : config.subnets) {
        out += format_ipv4(subnet.network) + "/" + std::to_string(subnet.prefix_length);
        if (subnet.shared_network)
            out += " (" + *subnet.shared_network + ")";
        for (const auto& pool : subnet.pools) {
            out += " | " + pool.failover_peer.value_or("-") + ":";
            for (const auto& range : pool.ranges) {
                out += " " + format_ipv4(range.first) + "-" + format_ipv4(range.last);
                if (range.dynamic_bootp)
                    out += "(bootp)";
            }
        }
        out += "\n";
    }
    return out;
}

IscConfig parse_text(const std::string& text,
                     const std::map<std::string, std::string>& others = {}) {
    MemoryConfigFiles files;
    files.files = others;
    files.files["/etc/dhcp/dhcpd.conf"] = text;
    return parse_isc_config(files, "/etc/dhcp/dhcpd.conf");
}

TEST(IscConfig, ParsesTheRealPrimaryConfig) {
    FilesystemConfigFiles files;
    const auto config =
        parse_isc_config(files, FOSTAT_SOURCE_DIR "/tests/data/isc-pair/dhcpd-primary.conf");
    ASSERT_EQ(config.subnets.size(), 2u);
    EXPECT_EQ(render(config),
              "198.18.1.0/24 | rs-fo: 198.18.1.10-198.18.1.250\n"
              "198.18.3.0/24 | rs-fo: 198.18.3.10-198.18.3.50\n");
    EXPECT_EQ(config.subnets[0].pools[0].ranges[0].size(), 241u);
    EXPECT_EQ(config.subnets[1].pools[0].ranges[0].size(), 41u);
    EXPECT_NE(config.subnets[0].file.find("common.conf"), std::string::npos);
    ASSERT_EQ(config.failover_peers.size(), 1u);
    const auto& peer = config.failover_peers[0];
    EXPECT_EQ(peer.name, "rs-fo");
    EXPECT_EQ(peer.role, FailoverRole::primary);
    EXPECT_EQ(peer.split, 128);
    ASSERT_TRUE(peer.hba.has_value());
    for (int i = 0; i < 32; ++i)
        EXPECT_EQ((*peer.hba)[i], i < 16 ? 0xff : 0x00) << i;
    EXPECT_EQ(peer.mclt, 600u);
    EXPECT_EQ(peer.max_balance, 15u);
    EXPECT_EQ(peer.min_balance, 5u);
    EXPECT_EQ(peer.max_lease_misbalance, 15u);  // the default
    EXPECT_TRUE(config.warnings.empty()) << config.warnings.front();
}

TEST(IscConfig, ParsesTheRealSecondaryConfig) {
    FilesystemConfigFiles files;
    const auto config =
        parse_isc_config(files, FOSTAT_SOURCE_DIR "/tests/data/isc-pair/dhcpd-secondary.conf");
    EXPECT_EQ(render(config),
              "198.18.1.0/24 | rs-fo: 198.18.1.10-198.18.1.250\n"
              "198.18.3.0/24 | rs-fo: 198.18.3.10-198.18.3.50\n");
    ASSERT_EQ(config.failover_peers.size(), 1u);
    const auto& peer = config.failover_peers[0];
    EXPECT_EQ(peer.role, FailoverRole::secondary);
    EXPECT_FALSE(peer.split.has_value());
    EXPECT_FALSE(peer.hba.has_value());
    EXPECT_FALSE(peer.mclt.has_value());
    EXPECT_EQ(peer.max_balance, 3600u);
    EXPECT_EQ(peer.min_balance, 60u);
    EXPECT_TRUE(config.warnings.empty());
}

TEST(IscConfig, MissingTopLevelFileIsAnInputError) {
    MemoryConfigFiles files;
    try {
        parse_isc_config(files, "/nowhere/dhcpd.conf");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "/nowhere/dhcpd.conf: cannot read the dhcpd configuration");
    }
}

struct ValidCase {
    const char* name;
    std::string text;
    std::map<std::string, std::string> others;
    std::string expected;
};

TEST(IscConfig, AcceptsOddButValidSyntax) {
    const std::vector<ValidCase> cases = {
        {"strings with ; { } # and escapes",
         kPeer + "option domain-name \"a;b{c}d#e\\\"f\";\n"
                 "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
                 "  option x \"}\"; pool { failover peer \"fo\"; range 10.0.0.1 10.0.0.9; }\n"
                 "}\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.1-10.0.0.9\n"},
        {"range split across lines, comments at line ends",
         kPeer + "subnet 10.0.0.0 netmask 255.255.255.0 { # the lab\n"
                 "  pool { # a pool\n"
                 "    failover peer \"fo\"; # its peer\n"
                 "    range\n      10.0.0.10 # from\n      10.0.0.20 # to\n    ;\n"
                 "  }\n}\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.10-10.0.0.20\n"},
        {"single-address range and dynamic-bootp",
         kPeer + "subnet 10.0.0.0 netmask 255.255.0.0 { pool { failover peer \"fo\";\n"
                 "  range 10.0.1.5;\n  range dynamic-bootp 10.0.2.1 10.0.2.100;\n} }\n",
         {},
         "10.0.0.0/16 | fo: 10.0.1.5-10.0.1.5 10.0.2.1-10.0.2.100(bootp)\n"},
        {"bounds in reverse order",
         kPeer + "subnet 10.0.0.0 netmask 255.255.255.0 { pool { failover peer \"fo\";\n"
                 "  range 10.0.0.50 10.0.0.40; } }\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.40-10.0.0.50\n"},
        {"nested groups, hosts, classes and if blocks are skipped but keep their ranges",
         kPeer + "class \"x\" { match if substring(option vendor-class-identifier, 0, 4) = "
                 "\"MSFT\"; }\n"
                 "group { option a 1; group {\n"
                 "  host h { hardware ethernet 00:11:22:33:44:55; fixed-address 10.9.9.9; }\n"
                 "  subnet 10.0.0.0 netmask 255.255.255.0 {\n"
                 "    if option x = \"y\" { option z 1; } elsif exists foo { } else { }\n"
                 "    pool { group { failover peer \"fo\"; range 10.0.0.1 10.0.0.2; } }\n"
                 "  }\n} }\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.1-10.0.0.2\n"},
        {"shared-network with pools at both levels",
         kPeer + "shared-network \"lab net\" {\n"
                 "  pool { failover peer \"fo\"; range 10.1.0.5 10.1.0.6; range 10.2.0.7; }\n"
                 "  subnet 10.1.0.0 netmask 255.255.255.0 { }\n"
                 "  subnet 10.2.0.0 netmask 255.255.255.128 {\n"
                 "    pool { failover peer \"fo\"; range 10.2.0.10 10.2.0.20; }\n  }\n}\n",
         {},
         "10.1.0.0/24 (lab net) | fo: 10.1.0.5-10.1.0.6\n"
         // the subnet's pool merges into the network's: the same peer, no statements
         "10.2.0.0/25 (lab net) | fo: 10.2.0.7-10.2.0.7 10.2.0.10-10.2.0.20\n"},
        {"include with a relative path, from a subdirectory",
         "include \"conf.d/peer.conf\";\ninclude \"/abs/subnets.conf\";\n",
         {{"/etc/dhcp/conf.d/peer.conf", kPeer},
          {"/abs/subnets.conf",
           "subnet 10.0.0.0 netmask 255.255.255.0 { include \"pool.conf\"; }\n"},
          {"/abs/pool.conf", "pool { failover peer \"fo\"; range 10.0.0.1 10.0.0.3; }\n"}},
         "10.0.0.0/24 | fo: 10.0.0.1-10.0.0.3\n"},
        {"keywords in any case",
         "Failover Peer \"fo\" { SECONDARY; Peer Address 10.0.0.1; }\n"
         "SUBNET 10.0.0.0 NetMask 255.255.255.0 { Pool { FAILOVER PEER \"fo\"; "
         "Range Dynamic-BOOTP 10.0.0.1; } }\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.1-10.0.0.1(bootp)\n"},
        {"failover peer name as a bare word, state block skipped",
         "failover peer fo { secondary; peer address 10.0.0.1; load balance max seconds 3; }\n"
         "failover peer \"fo\" state { my state normal at 1 2026/01/01 00:00:00; }\n"
         "subnet 10.0.0.0 netmask 255.255.255.0 { pool { failover peer fo; range 10.0.0.1; } "
         "}\n",
         {},
         "10.0.0.0/24 | fo: 10.0.0.1-10.0.0.1\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        try {
            EXPECT_EQ(render(parse_text(c.text, c.others)), c.expected);
        } catch (const InputError& e) {
            ADD_FAILURE() << e.what();
        }
    }
}

TEST(IscConfig, FailoverPeerSettings) {
    const auto config = parse_text(
        "failover peer \"a\" { primary; hba "
        "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:"
        "ff:ff:ff:01; mclt 3600; max-lease-misbalance 20; max-balance 0; }\n"
        "failover peer \"b\" { primary; split 3; }\n");
    ASSERT_EQ(config.failover_peers.size(), 2u);
    const auto& a = config.failover_peers[0];
    EXPECT_FALSE(a.split.has_value());
    ASSERT_TRUE(a.hba.has_value());
    EXPECT_EQ((*a.hba)[31], 0x01);
    EXPECT_EQ((*a.hba)[0], 0xff);
    EXPECT_EQ(a.mclt, 3600u);
    EXPECT_EQ(a.max_lease_misbalance, 20u);
    EXPECT_EQ(a.max_balance, 3600u);  // 0 means the default, as in dhcpd
    const auto& b = config.failover_peers[1];
    EXPECT_EQ(b.split, 3);
    EXPECT_EQ((*b.hba)[0], 0x07);
    EXPECT_EQ((*b.hba)[1], 0x00);
}

TEST(IscConfig, WarnsAboutRangesOutsideFailoverPoolsAndPrimaryWithoutSplit) {
    const auto config = parse_text(
        "failover peer \"p\" { primary; }\n"
        "subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.1 10.0.0.5;\n"
        "  pool { range 10.0.0.6; }\n}\n");
    EXPECT_EQ(render(config), "10.0.0.0/24 | -: 10.0.0.1-10.0.0.5 | -: 10.0.0.6-10.0.0.6\n");
    ASSERT_EQ(config.warnings.size(), 3u);
    EXPECT_EQ(config.warnings[0],
              "/etc/dhcp/dhcpd.conf:1: primary failover peer 'p' has neither split nor hba");
    EXPECT_EQ(config.warnings[1],
              "/etc/dhcp/dhcpd.conf:3: range 10.0.0.1 - 10.0.0.5 is not in a pool with a "
              "failover peer");
    EXPECT_EQ(config.warnings[2],
              "/etc/dhcp/dhcpd.conf:4: range 10.0.0.6 - 10.0.0.6 is not in a pool with a "
              "failover peer");
}

struct BadCase {
    const char* name;
    std::string text;
    std::map<std::string, std::string> others;
    std::string expected;
};

TEST(IscConfig, RefusesBadInputNamingFileAndLine) {
    const std::string f = "/etc/dhcp/dhcpd.conf:";
    const std::vector<BadCase> cases = {
        {"unclosed brace",
         "subnet 10.0.0.0 netmask 255.0.0.0 {\n  pool {\n    range 10.0.0.1;\n}\n",
         {},
         f + "1: '{' is not closed before the end of the file"},
        {"unclosed brace in a skipped block",
         "\nhost x {\n  fixed-address 10.0.0.1;\n",
         {},
         f + "2: '{' is not closed before the end of the file"},
        {"stray closing brace", "option a 1;\n}\n", {}, f + "2: '}' without a matching '{'"},
        {"unterminated string",
         "option a 1;\noption b \"abc;\n}\n",
         {},
         f + "2: unterminated string"},
        {"an escape dhcpd refuses",
         "option a 1;\noption b \"p\\xZZ\";\n",
         {},
         f + "2: bad escape \\x in a quoted string: \\x takes two hex digits, found 'Z'"},
        {"a byte dhcpd refuses outside a quoted string",
         "option a 1;\noption b caf\xc3\xa9;\n",
         {},
         f + "2: unexpected byte 0xc3: not a dhcpd.conf file"},
        {"statement without ';' at the end",
         "authoritative",
         {},
         f + "1: expected ';' before the end of the file"},
        {"invalid address in range",
         "subnet 10.0.0.0 netmask 255.0.0.0 {\n  range 10.0.0.1 10.0.0.256;\n}\n",
         {},
         f + "2: invalid IPv4 address '10.0.0.256'"},
        {"invalid subnet address",
         "subnet 10.0.0 netmask 255.0.0.0 { }\n",
         {},
         f + "1: invalid IPv4 address '10.0.0'"},
        {"netmask not contiguous",
         "\nsubnet 10.0.0.0 netmask 255.0.255.0 { }\n",
         {},
         f + "2: netmask 255.0.255.0 is not contiguous"},
        {"subnet with host bits",
         "subnet 10.0.0.1 netmask 255.255.255.0 { }\n",
         {},
         f + "1: subnet 10.0.0.1 has bits outside netmask 255.255.255.0"},
        {"range outside its subnet",
         "subnet 10.0.0.0 netmask 255.255.255.0 {\n  pool {\n    range 10.0.0.200 10.0.1.5;\n"
         "  }\n}\n",
         {},
         f + "3: range 10.0.0.200 - 10.0.1.5 is not inside subnet 10.0.0.0/24"},
        {"overlapping ranges",
         "subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.1 10.0.0.10;\n"
         "  range 10.0.0.10 10.0.0.20;\n}\n",
         {},
         f + "3: range 10.0.0.10 - 10.0.0.20 overlaps range 10.0.0.1 - 10.0.0.10 declared at "
             "/etc/dhcp/dhcpd.conf:2"},
        {"unknown failover peer",
         "subnet 10.0.0.0 netmask 255.255.255.0 {\n  pool {\n    failover peer \"nope\";\n"
         "  }\n}\n",
         {},
         f + "3: unknown failover peer 'nope'"},
        {"split out of range",
         "failover peer \"p\" {\n  primary;\n  split 256;\n}\n",
         {},
         f + "3: split must be between 0 and 255, found 256"},
        {"short hba",
         "failover peer \"p\" {\n  primary;\n  hba ff:00;\n}\n",
         {},
         f + "3: hba must be 32 colon-separated hex bytes, found 'ff:00'"},
        {"a control character in a peer's name",
         "\nfailover peer \"p\\033]0;x\\007\" {\n  primary;\n  split 128;\n}\n",
         {},
         f + "2: failover peer name: 'p\\x1b]0;x\\x07' holds the control character \\x1b; a name "
             "is printable UTF-8"},
        {"peer without role",
         "failover peer \"p\" {\n  mclt 5;\n}\n",
         {},
         f + "1: failover peer 'p' says neither primary nor secondary"},
        {"missing include",
         "option a 1;\ninclude \"missing.conf\";\n",
         {},
         f + "2: cannot read included file '/etc/dhcp/missing.conf'"},
        {"include cycle",
         "include \"a.conf\";\n",
         {{"/etc/dhcp/a.conf", "\n\ninclude \"./b.conf\";\n"},
          {"/etc/dhcp/b.conf", "include \"dhcpd.conf\";\n"}},
         "/etc/dhcp/b.conf:1: include 'dhcpd.conf' forms a cycle"},
        {"error inside an included file names that file",
         "include \"a.conf\";\n",
         {{"/etc/dhcp/a.conf", "\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n"}},
         "/etc/dhcp/a.conf:2: '{' is not closed before the end of the file"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        try {
            parse_text(c.text, c.others);
            ADD_FAILURE() << "no error";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), c.expected);
        }
    }
}

// ISC's own tests/failover/dhcp-1.cf writes its hba over two lines; dhcpd reads numbers and
// colons as tokens with white space between any two.
TEST(IscConfig, AnHbaMayRunOverSeveralLines) {
    const auto config = parse_text(R"(failover peer "fo" {
  primary;
  hba ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:
      00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00;
}
)" + std::string("failover peer \"split\" { primary; split 128; }\n"));
    ASSERT_EQ(config.failover_peers.size(), 2u);
    ASSERT_TRUE(config.failover_peers[0].hba);
    EXPECT_EQ(config.failover_peers[0].hba, config.failover_peers[1].hba);
    for (const char* bad : {"hba ff:ff\n ff;",
                            "hba ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff "
                            "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00;"}) {
        try {
            parse_text(std::string("failover peer \"fo\" { primary;\n") + bad + "\n}\n");
            ADD_FAILURE() << bad;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("dhcpd.conf:2: hba must be 32"), std::string::npos)
                << e.what();
        }
    }
}

TEST(IscConfig, OctetsAreDecimalNumbersOfAnyLength) {
    const auto config =
        parse_text(kPeer +
                   "subnet 10.10.0.0 netmask 255.255.255.0 {\n"
                   "  pool { failover peer \"fo\"; range 10.10.0.0010 010.10.0.00029; }\n}\n");
    EXPECT_EQ(render(config), "10.10.0.0/24 | fo: 10.10.0.10-10.10.0.29\n");
    EXPECT_THROW(parse_text("subnet 10.10.0.0 netmask 255.255.255.0 { range 10.10.0.0256; }\n"),
                 InputError);
}

// dhcpd gives a pool the failover peer its shared network has when the pool is declared.
TEST(IscConfig, PoolsTakeTheirSharedNetworksPeer) {
    const auto config = parse_text(kPeer + R"(
shared-network office {
  subnet 10.1.0.0 netmask 255.255.255.0 { pool { range 10.1.0.10 10.1.0.29; } }
  failover peer "fo";
  subnet 10.2.0.0 netmask 255.255.255.0 {
    pool { range 10.2.0.10 10.2.0.29; }
    pool { failover peer "lab"; range 10.2.0.40 10.2.0.49; }
  }
  pool { range 10.1.0.100 10.1.0.109; }
}
shared-network lab {
  failover peer "lab" { primary; split 128; }
  subnet 10.3.0.0 netmask 255.255.255.0 { pool { range 10.3.0.10 10.3.0.19; } }
}
subnet 10.4.0.0 netmask 255.255.255.0 {
  failover peer "fo";
  pool { range 10.4.0.10 10.4.0.19; }
}
)");
    EXPECT_EQ(render(config),
              "10.1.0.0/24 (office) | -: 10.1.0.10-10.1.0.29 | fo: 10.1.0.100-10.1.0.109\n"
              "10.2.0.0/24 (office) | fo: 10.2.0.10-10.2.0.29 | lab: 10.2.0.40-10.2.0.49\n"
              "10.3.0.0/24 (lab) | lab: 10.3.0.10-10.3.0.19\n"
              "10.4.0.0/24 | -: 10.4.0.10-10.4.0.19\n");
    ASSERT_FALSE(config.warnings.empty());
    EXPECT_NE(config.warnings[0].find(":22: failover peer 'fo' outside a pool or shared-network"),
              std::string::npos)
        << config.warnings[0];
}

// A range outside any pool goes into the pool dhcpd picks for it (docs/sources/isc.md, "Pools,
// shared networks and bare ranges").
TEST(IscConfig, ABareRangeJoinsThePoolDhcpdPicks) {
    const auto config = parse_text(kPeer + R"(
subnet 10.1.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; deny dynamic bootp clients; range 10.1.0.1 10.1.0.20; }
  range 10.1.0.101 10.1.0.120;
}
subnet 10.2.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; range 10.2.0.1 10.2.0.20; }
  range 10.2.0.101 10.2.0.120;
  range 10.2.0.201 10.2.0.210;
}
subnet 10.3.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; deny dynamic bootp clients; deny unknown-clients;
         range 10.3.0.1 10.3.0.20; }
  range 10.3.0.101 10.3.0.120;
}
subnet 10.4.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; allow known-clients; range 10.4.0.1 10.4.0.20; }
  pool { deny dynamic bootp clients; range 10.4.0.51 10.4.0.60; }
  range 10.4.0.101 10.4.0.120;
}
subnet 10.5.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; allow all clients; range 10.5.0.1 10.5.0.20; }
  range dynamic-bootp 10.5.0.101 10.5.0.120;
}
)");
    EXPECT_EQ(render(config),
              // exactly "deny dynamic bootp clients": the bare range joins the failover pool
              "10.1.0.0/24 | fo: 10.1.0.1-10.1.0.20 10.1.0.101-10.1.0.120\n"
              // no such pool: dhcpd makes one without a peer, whose only permit is that one;
              // being second, it sends the next bare range to the pool before it
              "10.2.0.0/24 | fo: 10.2.0.1-10.2.0.20 10.2.0.201-10.2.0.210 | -: "
              "10.2.0.101-10.2.0.120\n"
              // two prohibits: not exactly that
              "10.3.0.0/24 | fo: 10.3.0.1-10.3.0.20 | -: 10.3.0.101-10.3.0.120\n"
              // the matching pool is the second: dhcpd takes the one before it
              "10.4.0.0/24 | fo: 10.4.0.1-10.4.0.20 10.4.0.101-10.4.0.120 | -: "
              "10.4.0.51-10.4.0.60\n"
              // a dynamic-bootp range looks for exactly "allow all clients"
              "10.5.0.0/24 | fo: 10.5.0.1-10.5.0.20 10.5.0.101-10.5.0.120(bootp)\n");
}

// Two pools without statements of their own, with the same peer and permits, are one pool
// to dhcpd: a later bare range finds the first.
TEST(IscConfig, PoolsWithoutStatementsMergeAsDhcpdMergesThem) {
    const auto config = parse_text(kPeer + R"(
subnet 10.1.0.0 netmask 255.255.255.0 {
  pool { allow members of "a"; range 10.1.0.1 10.1.0.5; }
  pool { deny dynamic bootp clients; failover peer "fo"; range 10.1.0.11 10.1.0.15; }
  pool { failover peer "fo"; deny dynamic bootp clients; range 10.1.0.21 10.1.0.25; }
  pool { failover peer "fo"; deny dynamic bootp clients; option routers 10.1.0.1;
         range 10.1.0.31 10.1.0.35; }
  range 10.1.0.101 10.1.0.110;
}
)");
    // The third pool merged into the second, which is then second in the list: the bare range
    // goes to the first.
    EXPECT_EQ(render(config),
              "10.1.0.0/24 | -: 10.1.0.1-10.1.0.5 10.1.0.101-10.1.0.110 | fo: 10.1.0.11-10.1.0.15 "
              "10.1.0.21-10.1.0.25 | fo: 10.1.0.31-10.1.0.35\n");
}

}  // namespace
}  // namespace fostat
