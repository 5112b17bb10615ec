#include "sources/isc.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "sources/isc_balance.h"
#include "test_support.h"

namespace fostat {
namespace {

const std::string kPair = std::string(FOSTAT_SOURCE_DIR) + "/tests/data/isc-pair/";

struct Collected {
    IscCounts counts;
    std::vector<Sample> samples;
};

// The options name the server; the other members keep their defaults unless given.
IscOptions options_for(std::string server, std::optional<int> split = std::nullopt) {
    IscOptions options;
    options.server = std::move(server);
    options.split = split;
    return options;
}

Collected collect(const std::string& conf, const std::string& leases, IscOptions options) {
    FilesystemConfigFiles files;
    const IscConfig config = parse_isc_config(files, kPair + conf);
    auto in = open_file_source(kPair + leases);
    const LeaseJournal journal = parse_leases(*in, leases);
    test::VectorSink sink;
    options.at = 1'795'568'400;
    Collected out{isc_samples(config, journal, options, sink), {}};
    out.samples = sink.samples;
    return out;
}

Collected collect_text(const std::string& conf, const std::string& leases, IscOptions options) {
    MemoryConfigFiles files;
    files.files["d.conf"] = conf;
    const IscConfig config = parse_isc_config(files, "d.conf");
    StringSource in(leases);
    const LeaseJournal journal = parse_leases(in, "d.leases");
    test::VectorSink sink;
    Collected out{isc_samples(config, journal, options, sink), {}};
    out.samples = sink.samples;
    return out;
}

using Values = std::array<std::optional<std::uint64_t>, 7>;

// Both files go through one lexer (src/sources/include/sources/isc_lexer.h): a peer's name written
// with other escapes is the same name in each, so the journal's state record is that peer's.
TEST(Isc, TheConfigAndTheJournalReadAnEscapedPeerNameAlike) {
    const std::string conf =
        "failover peer \"p\\777\" { primary; split 128; }\n"
        "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
        "  pool { failover peer \"p\\067\\x377\"; range 10.0.0.1 10.0.0.4; }\n"
        "}\n";
    const std::string leases =
        "failover peer \"p7\\0677\" state { my state partner-down; partner state normal; }\n";
    const Collected c = collect_text(conf, leases, options_for("primary"));
    ASSERT_EQ(c.samples.size(), 1u);
    EXPECT_EQ(c.samples[0].relationship.name, "p777");
    EXPECT_EQ(c.samples[0].relationship.state, State::partner_down);
}

TEST(Isc, ThePrimarysFilesGiveDhcpdPoolsCountsAndTheHashSplit) {
    const Collected c =
        collect("dhcpd-primary.conf", "primary.dhcpd.leases", options_for("primary"));
    ASSERT_EQ(c.samples.size(), 2u);
    const Sample& one = c.samples[0];
    EXPECT_EQ(one.scope, "198.18.1.0/24");
    EXPECT_EQ(one.server, "primary");
    EXPECT_EQ(one.relationship.name, "rs-fo");
    EXPECT_EQ(one.relationship.role, "primary");
    EXPECT_EQ(one.relationship.state, State::normal);
    EXPECT_EQ(one.relationship.expected_share, 50);
    // dhcpd-pools on these files: max 241, cur 99, bu 68; free = 241 - 99 - 68 = 74.
    const Values& v = one.counters.values;
    EXPECT_EQ(v[0], 241u);
    EXPECT_EQ(v[1], 142u);
    EXPECT_EQ(v[2], 99u);
    EXPECT_EQ(v[3], 68u);  // partner (secondary) free: backup
    EXPECT_EQ(v[4], 74u);  // this (primary) free: free
    ASSERT_TRUE(v[5] && v[6]);
    EXPECT_EQ(*v[5] + *v[6], 99u);
    const Values& w = c.samples[1].counters.values;
    EXPECT_EQ(c.samples[1].scope, "198.18.3.0/24");
    EXPECT_EQ(w[0], 41u);
    EXPECT_EQ(w[2], 26u);
    EXPECT_EQ(w[3], 9u);
    EXPECT_EQ(w[4], 6u);
    EXPECT_TRUE(c.counts.warnings.empty());
    EXPECT_EQ(c.counts.outside_ranges, 0u);
}

TEST(Isc, ASecondaryNeedsThePrimarysSplitForTheInUseSplit) {
    const Collected without =
        collect("dhcpd-secondary.conf", "secondary.dhcpd.leases", options_for("sec"));
    ASSERT_EQ(without.samples.size(), 2u);
    EXPECT_FALSE(without.samples[0].counters[Counter::this_addr_in_use].has_value());
    // The source says which peer; the command line's warning says to give --split.
    EXPECT_TRUE(without.counts.warnings.empty());
    ASSERT_TRUE(without.counts.unknown_split.has_value());
    EXPECT_EQ(without.counts.unknown_split->peer, "rs-fo");
    EXPECT_EQ(split_unknown_warning(*without.counts.unknown_split, "give the primary's split"),
              without.counts.unknown_split->file + ":" +
                  std::to_string(without.counts.unknown_split->line) +
                  ": failover peer \"rs-fo\" has no split or hba in this configuration (a "
                  "secondary learns it from the primary): give the primary's split; the in-use "
                  "split is unknown");

    const Collected with =
        collect("dhcpd-secondary.conf", "secondary.dhcpd.leases", options_for("sec", 128));
    EXPECT_FALSE(with.counts.unknown_split.has_value());
    const Collected primary =
        collect("dhcpd-primary.conf", "primary.dhcpd.leases", options_for("primary"));
    // In 198.18.1.0/24 the two journals agree: each server's view mirrors the other's.
    const Counters& s = with.samples[0].counters;
    const Counters& p = primary.samples[0].counters;
    EXPECT_EQ(s[Counter::this_addr_free], p[Counter::partner_addr_free]);
    EXPECT_EQ(s[Counter::partner_addr_free], p[Counter::this_addr_free]);
    EXPECT_EQ(s[Counter::this_addr_in_use], p[Counter::partner_addr_in_use]);
    EXPECT_EQ(s[Counter::partner_addr_in_use], p[Counter::this_addr_in_use]);
    EXPECT_EQ(with.samples[0].relationship.role, "secondary");
}

const std::string kConf = R"(
failover peer "fo" { primary; split 128; }
subnet 10.0.0.0 netmask 255.255.255.0 {
  pool { failover peer "fo"; range 10.0.0.10 10.0.0.19; }
  range 10.0.0.100 10.0.0.109;
}
)";

TEST(Isc, UnrecordedAddressesAreFreeAndAnInUseLeaseWithoutClientMakesTheSplitUnknown) {
    const Collected c = collect_text(kConf,
                                     "lease 10.0.0.10 { binding state backup; }\n"
                                     "lease 10.0.0.11 { binding state expired; }\n"
                                     "lease 10.0.0.200 { binding state active; }\n",
                                     options_for("s"));
    ASSERT_EQ(c.samples.size(), 1u);
    const Values& v = c.samples[0].counters.values;
    EXPECT_EQ(v[0], 10u);
    EXPECT_EQ(v[1], 9u);  // 8 without a record are free, 1 backup
    EXPECT_EQ(v[2], 1u);  // the expired lease
    EXPECT_EQ(v[4], 8u);
    EXPECT_EQ(v[3], 1u);
    EXPECT_FALSE(v[5].has_value());  // the expired lease has neither uid nor hardware
    EXPECT_FALSE(v[6].has_value());
    EXPECT_EQ(c.counts.outside_ranges, 1u);       // 10.0.0.200
    EXPECT_EQ(c.counts.non_failover_ranges, 1u);  // 10.0.0.100-109
}

TEST(Isc, InUseLeasesAreSplitByTheHashOfTheirClientIdentifierElseHardware) {
    const Hba split = hba_from_split(128);
    auto primary_side = [&](const std::vector<std::uint8_t>& key) {
        return served_by_primary(rfc3074_bucket(key), split);
    };
    const std::vector<std::uint8_t> uid = {1, 'a', 'b', 'c'};
    // A hardware address that hashes to the other side than the uid: a lease with both
    // must be attributed by its uid, as dhcpd does.
    int other = 0;
    while (primary_side({0, 0, 0, 0, 0, static_cast<std::uint8_t>(other)}) == primary_side(uid))
        ++other;
    char mac[32];
    std::snprintf(mac, sizeof mac, "00:00:00:00:00:%02x", other);
    const Collected c = collect_text(
        kConf,
        "lease 10.0.0.12 { binding state active; hardware ethernet " + std::string(mac) +
            "; uid \"\\001abc\"; }\n"
            "lease 10.0.0.13 { binding state active; hardware ethernet " +
            std::string(mac) + "; }\n",
        options_for("s"));
    const Values& v = c.samples[0].counters.values;
    ASSERT_TRUE(v[5] && v[6]);
    // One lease on each side: by uid for .12, by hardware for .13.
    EXPECT_EQ(*v[6], 1u);  // this (primary) in use
    EXPECT_EQ(*v[5], 1u);
}

TEST(Isc, EveryAddressIsCountedByBindingStateInDhcpdsOrder) {
    for (std::size_t i = 0; i + 1 < kIscBindingStates.size(); ++i)
        EXPECT_EQ(kIscBindingStates[i], to_string(static_cast<BindingState>(i)));
    EXPECT_EQ(kIscBindingStates.back(), "bootp");
    const Collected c = collect_text(kConf,
                                     "lease 10.0.0.10 { binding state backup; }\n"
                                     "lease 10.0.0.11 { binding state expired; }\n"
                                     "lease 10.0.0.12 { binding state active; }\n"
                                     "lease 10.0.0.13 { binding state released; }\n"
                                     "lease 10.0.0.14 { binding state abandoned; }\n"
                                     "lease 10.0.0.15 { binding state reset; }\n"
                                     "lease 10.0.0.16 { binding state bootp; }\n"
                                     "lease 10.0.0.17 { binding state active; dynamic-bootp; }\n"
                                     "lease 10.0.0.18 { binding state reserved; }\n"
                                     "lease 10.0.0.18 { binding state free; }\n",
                                     options_for("s"));
    ASSERT_EQ(c.samples.size(), 1u);
    const std::vector<LeaseStateCount> want = {{"free", 2},     {"active", 1},    {"expired", 1},
                                               {"released", 1}, {"abandoned", 1}, {"reset", 1},
                                               {"backup", 1},   {"bootp", 2}};
    EXPECT_EQ(c.samples[0].lease_states, want);
    const Values& v = c.samples[0].counters.values;
    EXPECT_EQ(v[0], 10u);
    EXPECT_EQ(v[2], 7u);  // every state but free and backup is in use
}

TEST(Isc, AJournalStateRecordOfAnUndeclaredPeerIsAWarningWithItsLine) {
    const Collected c = collect_text(kConf,
                                     "lease 10.0.0.10 { binding state backup; }\n"
                                     "failover peer \"other\" state {\n"
                                     "  my state normal at 1 2026/11/24 10:00:00;\n"
                                     "}\n",
                                     options_for("s"));
    ASSERT_EQ(c.samples.size(), 1u);
    EXPECT_EQ(c.samples[0].relationship.state, State::unknown);  // "fo" has no record
    ASSERT_EQ(c.counts.warnings.size(), 1u);
    EXPECT_EQ(c.counts.warnings[0],
              "d.leases:2: the failover state record names peer \"other\", which the "
              "configuration does not declare; ignored (is this another server's journal?)");
}

TEST(Isc, ASubnetWithPoolsOfTwoPeersIsRefused) {
    try {
        collect_text(R"(
failover peer "a" { primary; split 128; }
failover peer "b" { primary; split 128; }
subnet 10.0.0.0 netmask 255.255.255.0 {
  pool { failover peer "a"; range 10.0.0.10 10.0.0.19; }
  pool { failover peer "b"; range 10.0.0.20 10.0.0.29; }
}
)",
                     "", options_for("s"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("d.conf:6: subnet 10.0.0.0 has pools of two"),
                  std::string::npos)
            << e.what();
    }
}

// dhcpd reads a record without a binding state as active until its end, then free; fostat
// does so at the sample's time.
TEST(Isc, ARecordWithoutABindingStateIsActiveUntilItEnds) {
    IscOptions options = options_for("s");
    options.at = 1'796'083'200;  // 2026-12-01T00:00:00Z
    const Collected c =
        collect_text(kConf,
                     "lease 10.0.0.10 { ends 4 2037/12/31 23:00:00; uid 01:00:0c:00:00:00:10; }\n"
                     "lease 10.0.0.11 { ends 1 2026/11/23 11:00:00; }\n"
                     "lease 10.0.0.12 { ends never; hardware ethernet 00:0c:00:00:00:12; }\n"
                     "lease 10.0.0.13 { }\n",
                     options);
    ASSERT_EQ(c.samples.size(), 1u);
    const Values& v = c.samples[0].counters.values;
    EXPECT_EQ(v[0], 10u);
    EXPECT_EQ(v[2], 2u);  // 10.0.0.10 and 10.0.0.12
    ASSERT_TRUE(v[5] && v[6]);
    EXPECT_EQ(*v[5] + *v[6], 2u);
}

TEST(Isc, AMalformedHardwareAddressIsAWarningAndTheJournalIsRead) {
    const Collected c = collect_text(
        kConf, "lease 10.0.0.10 {\n binding state active;\n hardware ethernet be:ef:co:de;\n}\n",
        options_for("s"));
    ASSERT_EQ(c.samples.size(), 1u);
    EXPECT_EQ(c.samples[0].counters.values[2], 1u);
    EXPECT_FALSE(c.samples[0].counters.values[5].has_value());  // no client data: split unknown
    ASSERT_EQ(c.counts.warnings.size(), 1u);
    EXPECT_EQ(c.counts.warnings[0].rfind("d.leases:3: invalid hardware address 'be:ef:co:de'", 0),
              0u)
        << c.counts.warnings[0];
}

}  // namespace
}  // namespace fostat
