#include "sources/isc_leases.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "formats/byte_source.h"
#include "fostat/error.h"

namespace fostat {
namespace {

const std::string kDataDir = std::string(FOSTAT_SOURCE_DIR) + "/tests/data/isc-pair/";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

LeaseJournal parse_text(const std::string& text, std::size_t chunk = SIZE_MAX,
                        std::size_t buffer = kLeaseReadBuffer) {
    StringSource source(text, chunk);
    return parse_leases(source, "test.leases", buffer);
}

LeaseJournal parse_sample(const std::string& file) {
    auto source = open_file_source(kDataDir + file);
    return parse_leases(*source, file);
}

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

// Binding states of the final records within [first, last], counted by state name.
std::map<std::string, int> count_states(const LeaseJournal& journal, std::uint32_t first,
                                        std::uint32_t last) {
    std::map<std::string, int> counts;
    for (std::uint32_t a = first; a <= last; ++a) {
        auto it = journal.leases.find(a);
        if (it == journal.leases.end())
            ++counts["(missing)"];
        else if (!it->second.binding)
            ++counts["(none)"];
        else
            ++counts[std::string(to_string(*it->second.binding))];
    }
    return counts;
}

// Expected counts were derived independently of this parser, with awk over the journals:
//   awk '/^lease /{ip=$2} /^  binding state/{st[ip]=$3} END{...count st per range...}'
// (the last "binding state" line of an address wins). For the primary this agrees with
// dhcpd-pools on the primary's files: cur 99/26 (active), bu 68/9 (backup), max 241/41.
TEST(IscLeases, PrimarySampleStatesPerRange) {
    LeaseJournal journal = parse_sample("primary.dhcpd.leases");
    std::map<std::string, int> range1 = {{"active", 99}, {"backup", 68}, {"free", 74}};
    std::map<std::string, int> range3 = {{"active", 26}, {"backup", 9}, {"free", 6}};
    EXPECT_EQ(count_states(journal, ip(198, 18, 1, 10), ip(198, 18, 1, 250)), range1);
    EXPECT_EQ(count_states(journal, ip(198, 18, 3, 10), ip(198, 18, 3, 50)), range3);
    EXPECT_EQ(journal.leases.size(), 241u + 41u);  // no address outside the two ranges
    EXPECT_EQ(journal.lease_records, 951u);        // grep -c '^lease '
    EXPECT_EQ(journal.peer_records, 9u);           // grep -c '^failover peer'
    EXPECT_EQ(journal.unknown_statements, 0u);
}

TEST(IscLeases, SecondarySampleStatesPerRange) {
    LeaseJournal journal = parse_sample("secondary.dhcpd.leases");
    std::map<std::string, int> range1 = {{"active", 99}, {"backup", 68}, {"free", 74}};
    std::map<std::string, int> range3 = {{"active", 29}, {"backup", 6}, {"free", 6}};
    EXPECT_EQ(count_states(journal, ip(198, 18, 1, 10), ip(198, 18, 1, 250)), range1);
    EXPECT_EQ(count_states(journal, ip(198, 18, 3, 10), ip(198, 18, 3, 50)), range3);
    EXPECT_EQ(journal.lease_records, 679u);
    EXPECT_EQ(journal.peer_records, 9u);
    EXPECT_EQ(journal.unknown_statements, 0u);  // "mclt 600;" is known
}

TEST(IscLeases, SampleFailoverStateIsTheLastRecord) {
    // Both journals' last failover records (primary line 1786, secondary line 904) say
    // "my state normal ... partner state normal"; earlier ones say recover / recover-done.
    for (const char* file : {"primary.dhcpd.leases", "secondary.dhcpd.leases"}) {
        LeaseJournal journal = parse_sample(file);
        ASSERT_EQ(journal.peers.size(), 1u) << file;
        const PeerState& peer = journal.peers.at("rs-fo");
        EXPECT_EQ(peer.my_state, "normal") << file;
        EXPECT_EQ(peer.partner_state, "normal") << file;
    }
}

TEST(IscLeases, SampleHardwareAndUid) {
    LeaseJournal journal = parse_sample("primary.dhcpd.leases");
    // The file's last record: hardware ethernet 00:0c:03:03:00:19;
    // uid "\001\000\014\003\003\000\031";
    const LeaseState& lease = journal.leases.at(ip(198, 18, 3, 44));
    ASSERT_EQ(lease.binding, BindingState::active);
    EXPECT_EQ(lease.hardware_type, 1);
    EXPECT_EQ(lease.hardware, std::string("\x00\x0c\x03\x03\x00\x19", 6));
    ASSERT_TRUE(lease.uid);
    EXPECT_EQ(*lease.uid, std::string("\x01\x00\x0c\x03\x03\x00\x19", 7));
    EXPECT_EQ(lease.line, 6147u);
}

TEST(IscLeases, SmallReadsGiveTheSameResult) {
    std::string text = read_text(kDataDir + "primary.dhcpd.leases");
    LeaseJournal whole = parse_text(text);
    LeaseJournal pieces = parse_text(text, 7);
    ASSERT_EQ(whole.leases.size(), pieces.leases.size());
    for (const auto& [address, lease] : whole.leases) {
        const LeaseState& other = pieces.leases.at(address);
        EXPECT_EQ(lease.binding, other.binding);
        EXPECT_EQ(lease.hardware, other.hardware);
        EXPECT_EQ(lease.uid, other.uid);
        EXPECT_EQ(lease.line, other.line);
    }
}

TEST(IscLeases, LastRecordWinsWhole) {
    LeaseJournal journal = parse_text(
        "# comment\n"
        "lease 10.0.0.1 {\n"
        "  starts 3 2026/11/25 00:58:24;\n"
        "  binding state active;\n"
        "  next binding state expired;\n"
        "  rewind binding state free;\n"
        "  hardware ethernet 00:0c:03:03:00:19;\n"
        "  uid \"\\001abc\";\n"
        "  client-hostname \"pc { 1\";  # brace inside a string\n"
        "  set vendor-class-identifier = \"x;y\";\n"
        "  on expiry { set a = \"}\"; on release { log(\"z\"); } }\n"
        "}\n"
        "lease 10.0.0.2 { binding state backup; }\n"
        "lease 10.0.0.1 {\n"
        "  binding state free;\n"
        "}\n"
        "lease 10.0.0.3 { binding state reserved; }\n"
        "lease 10.0.0.4 { abandoned; }\n"
        "lease 10.0.0.5 { starts 3 2026/11/25 00:58:24; }\n"
        "lease 10.0.0.2 { binding state released; frobnicate 1 2; hardware fddi 1:2:a; }\n");
    EXPECT_EQ(journal.lease_records, 7u);
    EXPECT_EQ(journal.unknown_statements, 1u);
    ASSERT_EQ(journal.leases.size(), 5u);
    const LeaseState& first = journal.leases.at(ip(10, 0, 0, 1));
    EXPECT_EQ(first.binding, BindingState::free);
    EXPECT_EQ(first.hardware_type, 0);  // the later record has no hardware nor uid
    EXPECT_TRUE(first.hardware.empty());
    EXPECT_FALSE(first.uid);
    EXPECT_EQ(first.line, 14u);
    const LeaseState& second = journal.leases.at(ip(10, 0, 0, 2));
    EXPECT_EQ(second.binding, BindingState::released);
    EXPECT_EQ(second.hardware_type, 8);
    EXPECT_EQ(second.hardware, std::string("\x01\x02\x0a", 3));
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 3)).binding, BindingState::active);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 4)).binding, BindingState::abandoned);
    EXPECT_FALSE(journal.leases.at(ip(10, 0, 0, 5)).binding);
}

TEST(IscLeases, UidEscapesAsDhcpd) {
    struct Case {
        std::string written;
        std::string bytes;
    };
    const Case cases[] = {
        {R"("\001\000\014")", std::string("\x01\x00\x0c", 3)},
        {R"("\0012")", std::string("\x01"
                                   "2",
                                   2)},  // exactly three octal digits
        {R"("\7x")", "7x"},              // only \0 to \3 start an octal escape
        {R"("\400")", "400"},            // so \4 is 4
        {R"("a\"b\\c")", "a\"b\\c"},
        {R"("\t\r\n\b")", "\t\r\n\b"},
        {R"("\x41\x4a\q")", "AJq"},  // \x takes two hex digits; \q is q
        {R"("\377")", "\xff"},
        {"01:00:0c:3:ff", std::string("\x01\x00\x0c\x03\xff", 5)},
        {R"("")", ""},
    };
    for (const Case& c : cases) {
        LeaseJournal journal =
            parse_text("lease 1.2.3.4 {\n  binding state active;\n  uid " + c.written + ";\n}\n");
        const LeaseState& lease = journal.leases.at(ip(1, 2, 3, 4));
        ASSERT_TRUE(lease.uid) << c.written;
        EXPECT_EQ(*lease.uid, c.bytes) << c.written;
    }
    EXPECT_THROW(parse_text("lease 1.2.3.4 { uid \"\\x4g\"; }\n"), InputError);
    EXPECT_THROW(parse_text("lease 1.2.3.4 { uid \"\\01\"; }\n"), InputError);
    EXPECT_THROW(parse_text("lease 1.2.3.4 { uid 01:zz; }\n"), InputError);
}

TEST(IscLeases, FailoverRecordsKeepTheLastStateOfEachPeer) {
    LeaseJournal journal = parse_text(
        "failover peer \"a\" state {\n"
        "  my state recover at 3 2026/11/25 00:58:16;\n"
        "  partner state unknown-state at 3 2026/11/25 00:58:16;\n"
        "}\n"
        "failover peer \"b\" state { my state partner-down; partner state paused; mclt 600; }\n"
        "failover peer \"a\" state {\n"
        "  my state communications-interrupted at 3 2026/11/25 00:59:00;\n"
        "}\n");
    EXPECT_EQ(journal.peer_records, 3u);
    ASSERT_EQ(journal.peers.size(), 2u);
    EXPECT_EQ(journal.peers.at("a").my_state, "communications-interrupted");
    EXPECT_EQ(journal.peers.at("a").partner_state, "unknown-state");  // not restated: kept
    EXPECT_EQ(journal.peers.at("b").my_state, "partner-down");
    EXPECT_EQ(journal.peers.at("b").partner_state, "paused");
    EXPECT_THROW(parse_text("failover peer \"a\" state { my state happy at 1; }\n"), InputError);
}

// The message of the InputError the text raises, or "" when it parses.
std::string error_of(const std::string& text, std::size_t buffer = kLeaseReadBuffer) {
    try {
        parse_text(text, SIZE_MAX, buffer);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(IscLeases, RejectsWhatDhcpdRejects) {
    struct Case {
        std::string text;
        std::string message_start;
    };
    const Case cases[] = {
        {"lease 198.18.1.256 { }\n", "test.leases:1: invalid IPv4 address"},
        {"\nlease 1.2.3 { }\n", "test.leases:2: invalid IPv4 address"},
        {"lease 1.2.3.4.5 { }\n", "test.leases:1: invalid IPv4 address"},
        {"lease host.example { }\n", "test.leases:1: invalid IPv4 address"},
        {"lease 1.2.3.4 {\n binding state leased;\n}\n", "test.leases:2: 'leased': expecting"},
        {"lease 1.2.3.4 {\n next binding state on;\n}\n", "test.leases:2: 'on': expecting"},
        {"lease 1.2.3.4 { binding state free }\n", "test.leases:1: expected ';' after binding"},
        {"lease 1.2.3.4 { hardware ether 1:2; }\n", "test.leases:1: expecting a network"},
        {"lease 1.2.3.4 { }\n}\n", "test.leases:2: unbalanced '}'"},
        {"lease 1.2.3.4 {\n starts 3 2026/11/25\n}\n", "test.leases:3: unbalanced '}'"},
        {"lease 1.2.3.4 {\n on expiry { set x = 1;\n}\n", "test.leases:1: the lease record"},
        {"lease 1.2.3.4 {\n binding state free;\n", "test.leases:1: the lease record"},
        {"{ }\n", "test.leases:1: expected a record"},
    };
    for (const Case& c : cases) {
        std::string message = error_of(c.text);
        EXPECT_EQ(message.rfind(c.message_start, 0), 0u)
            << "input: " << c.text << "\nmessage: " << message;
    }
}

// Cutting the journal anywhere inside a record, from just after its first byte to just
// before its closing brace, is a truncated journal named at the line the record starts on.
TEST(IscLeases, TruncatedJournalNamesTheRecordLine) {
    const std::string text = read_text(kDataDir + "primary.dhcpd.leases");
    // The last lease record (198.18.3.44, with a quoted uid) and the last failover record.
    for (const std::string& start_text :
         {std::string("lease 198.18.3.44 {"), std::string("failover peer \"rs-fo\" state {")}) {
        const std::size_t start = text.rfind(start_text);
        ASSERT_NE(start, std::string::npos);
        const std::size_t close = text.find("\n}", start) + 1;
        const auto line = 1 + std::count(text.begin(), text.begin() + start, '\n');
        const std::string expected = "primary.dhcpd.leases:" + std::to_string(line) + ": ";
        for (std::size_t cut = start + 1; cut < close; ++cut) {
            StringSource source(text.substr(0, cut));
            try {
                parse_leases(source, "primary.dhcpd.leases");
                ADD_FAILURE() << "no error for a cut at byte " << cut;
            } catch (const InputError& e) {
                EXPECT_EQ(std::string(e.what()).rfind(expected, 0), 0u)
                    << "cut at byte " << cut << ": " << e.what();
            }
        }
        // Cut right after the closing brace: a complete journal.
        StringSource whole(text.substr(0, close + 1));
        EXPECT_NO_THROW(parse_leases(whole, "primary.dhcpd.leases"));
    }
}

// The reader's buffer holds `buffer` bytes at first, so its first refill comes after byte
// `buffer`: trying every size puts that refill inside every token, quoted string (escapes
// included) and comment of the text, and inside statements that are skipped byte by byte.
TEST(IscLeases, EveryRefillPointGivesTheSameJournal) {
    const std::string text =
        "# a comment; with } and \"quotes\" that a refill may cut\n"
        "lease 10.0.0.1 {\n"
        "  starts 3 2026/11/25 00:58:24; # not ; a statement }\n"
        "  binding state active;\n"
        "  hardware ethernet 00:0c:03:03:00:19;\n"
        "  uid \"\\001\\x41\\\"b\\\\c\\n\\377\";\n"
        "  client-hostname \"pc; { \\\" } 1\";\n"
        "  on expiry { set a = \"}\"; on release { log(\"z\"); } }\n"
        "}\n"
        "failover peer \"a b\" state { my state recover-done at 3 2026/11/25 00:58:16; }\n"
        "lease 10.0.0.2 { binding state backup; frobnicate 1 2; }\n"
        "lease 10.0.0.1 { binding state free; uid 01:02:0a; }  # the last record wins\n"
        "lease 10.0.0.3 { binding state expired; }";
    for (std::size_t buffer = 1; buffer <= text.size() + 1; ++buffer) {
        SCOPED_TRACE("buffer of " + std::to_string(buffer) + " bytes");
        const LeaseJournal journal = parse_text(text, SIZE_MAX, buffer);
        EXPECT_EQ(journal.lease_records, 4u);
        EXPECT_EQ(journal.unknown_statements, 1u);
        ASSERT_EQ(journal.leases.size(), 3u);
        const LeaseState& first = journal.leases.at(ip(10, 0, 0, 1));
        EXPECT_EQ(first.binding, BindingState::free);
        EXPECT_EQ(first.line, 12u);
        ASSERT_TRUE(first.uid);
        EXPECT_EQ(*first.uid, std::string("\x01\x02\x0a", 3));
        EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 2)).binding, BindingState::backup);
        EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 3)).line, 13u);
        ASSERT_EQ(journal.peers.count("a b"), 1u);
        EXPECT_EQ(journal.peers.at("a b").my_state, "recover-done");
        // The first record of 10.0.0.1 alone: its quoted uid with every kind of escape.
        const std::size_t second = text.find("failover");
        const LeaseJournal one = parse_text(text.substr(0, second), SIZE_MAX, buffer);
        const LeaseState& lease = one.leases.at(ip(10, 0, 0, 1));
        EXPECT_EQ(lease.binding, BindingState::active);
        EXPECT_EQ(lease.hardware, std::string("\x00\x0c\x03\x03\x00\x19", 6));
        ASSERT_TRUE(lease.uid);
        EXPECT_EQ(*lease.uid, std::string("\x01"
                                          "A\"b\\c\n\xff",
                                          8));
        EXPECT_EQ(lease.line, 2u);
    }
}

// Errors name the same line whatever the buffer size, inside skipped statements too.
TEST(IscLeases, EveryRefillPointGivesTheSameError) {
    const std::string long_word(64 * 1024 + 1, 'w');
    const std::pair<std::string, std::string> cases[] = {
        {"lease 1.2.3.4 {\n  set x = \"a\\x4g\";\n}\n", "test.leases:2: bad escape \\x4"},
        {"lease 1.2.3.4 {\n  starts 3\n 2026\x01;\n}\n", "test.leases:3: unexpected byte 0x01"},
        {"lease 1.2.3.4 {\n  starts 3 # } ;\n 2026 }\n", "test.leases:3: unbalanced '}'"},
        {"lease 1.2.3.4 {\n  set x = \"a;}\n\n",
         "test.leases:1: the lease record for 1.2.3.4 starting here is cut off at the end of the "
         "input (line 4)"},
        {"\n\"a;}\n\n", "test.leases:2: a quoted string is not closed"},
        {"lease 1.2.3.4 {\n  on expiry { set x = 1;\n}\n",
         "test.leases:1: the lease record for 1.2.3.4 starting here is cut off at the end of the "
         "input (line 4)"},
        {"lease 1.2.3.4 {\n  starts 3 2026/11/25", "test.leases:1: the lease record for 1.2.3.4"},
        {"lease 1.2.3.4 {\n  starts 3 # comment at the end", "test.leases:1: the lease record"},
        {"lease 1.2.3.4 {\n  set x = " + long_word + ";\n}\n", "test.leases:2: a word longer than"},
        {"\n" + long_word + ";\n", "test.leases:2: a word longer than"},
    };
    for (const auto& [text, message_start] : cases) {
        for (std::size_t buffer :
             {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}, std::size_t{8},
              std::size_t{13}, std::size_t{29}, std::size_t{64}, kLeaseReadBuffer}) {
            const std::string message = error_of(text, buffer);
            EXPECT_EQ(message.rfind(message_start, 0), 0u)
                << "input: " << text.substr(0, 60) << "\nbuffer: " << buffer
                << "\nmessage: " << message;
        }
    }
}

TEST(IscLeases, BinaryGarbageIsAnInputError) {
    std::string garbage;
    std::uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1103515245u + 12345u;
        garbage.push_back(static_cast<char>(x >> 24));
    }
    EXPECT_THROW(parse_text(garbage), InputError);
    EXPECT_THROW(parse_text(std::string("lease 1.2.3.4 {\0 }\n", 19)), InputError);
    EXPECT_THROW(parse_text("\x7f"
                            "ELF\x02\x01\x01"),
                 InputError);
    // Printable text that is not a journal: a statement never ended.
    EXPECT_THROW(parse_text("hello world\n"), InputError);
}

// A record without a binding state (dhcpd 2) carries until when dhcpd takes it as active.
TEST(IscLeases, ARecordWithoutABindingStateKeepsItsEnd) {
    const LeaseJournal journal = parse_text(
        "lease 10.0.0.1 { starts 1 2026/11/23 10:00:00; ends 4 2037/12/31 23:00:00; }\n"
        "lease 10.0.0.2 { ends epoch 2145913200; # a comment\n }\n"
        "lease 10.0.0.3 { ends never; }\n"
        "lease 10.0.0.4 { hardware ethernet 00:0c:00:00:00:04; }\n"
        "lease 10.0.0.5 { ends 1 2026/11/23 11:00:00; on expiry { set x = 1; } }\n"
        "lease 10.0.0.6 { ends 4 2037/12/31 23:00:00; binding state free; }\n"
        "lease 10.0.0.7 { ends 4 2037/12/31 23:00:00; }\n"
        "lease 10.0.0.7 { ends 1 2026/11/23 11:00:00; }\n");
    const std::int64_t end_2037 = 2145913200;
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 1)).active_until, end_2037);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 2)).active_until, end_2037);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 3)).active_until, INT64_MAX);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 4)).active_until, 0);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 5)).active_until, INT64_MAX);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 6)).active_until, std::nullopt);
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 7)).active_until, 1795431600);  // the last record
    EXPECT_FALSE(journal.leases.at(ip(10, 0, 0, 1)).binding);
    for (const char* bad : {"lease 1.2.3.4 {\n ends 4 2037/13/31 23:00:00;\n}\n",
                            "lease 1.2.3.4 {\n ends 4 2037/12/31 25:00:00;\n}\n",
                            "lease 1.2.3.4 {\n ends soon;\n}\n"}) {
        EXPECT_EQ(error_of(bad).rfind("test.leases:2: invalid end time", 0), 0u) << bad;
    }
}

// dhcpd-pools' tests/leases/same-twice: dhcpd warns "expecting numeric value" and loads the
// journal; so does fostat, without that record's hardware address.
TEST(IscLeases, AMalformedHardwareAddressIsCountedNotFatal) {
    const LeaseJournal journal = parse_text(
        "lease 10.0.0.5 {\n  binding state active;\n  hardware ethernet be:ef:00:00:co:de;\n}\n"
        "lease 10.0.0.6 {\n  binding state active;\n  hardware ethernet 00:0c:zz;\n}\n"
        "lease 10.0.0.7 {\n  binding state active;\n  hardware ethernet 00:0c:00:00:00:07;\n}\n");
    EXPECT_EQ(journal.bad_hardware, 2u);
    EXPECT_EQ(journal.first_bad_hardware_line, 3u);
    EXPECT_EQ(journal.first_bad_hardware, "'be:ef:00:00:co:de'");
    EXPECT_TRUE(journal.leases.at(ip(10, 0, 0, 5)).hardware.empty());
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 5)).binding, BindingState::active);
    EXPECT_TRUE(journal.leases.at(ip(10, 0, 0, 6)).hardware.empty());
    EXPECT_EQ(journal.leases.at(ip(10, 0, 0, 7)).hardware.size(), 6u);
}

TEST(IscLeases, OctetsAreDecimalNumbersOfAnyLength) {
    const LeaseJournal journal = parse_text("lease 10.10.0.0015 { binding state backup; }\n");
    EXPECT_EQ(journal.leases.at(ip(10, 10, 0, 15)).binding, BindingState::backup);
}

}  // namespace
}  // namespace fostat
