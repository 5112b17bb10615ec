#include "formats/canonical_csv.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "fostat/ipv4.h"
#include "fostat/time_text.h"
#include "sources/import.h"
#include "test_support.h"

namespace fostat {
namespace {

const std::string kHeader =
    "timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,"
    "this_addr_free,partner_addr_in_use,this_addr_in_use,mode,expected_share,state\n";
const std::string kShortHeader =
    "timestamp,server,relationship,scope,num_addr,addr_free,addr_in_use,partner_addr_free,"
    "this_addr_free,partner_addr_in_use,this_addr_in_use\n";
const std::string kRow =
    "2026-11-24T08:00:00Z,dhcp1,dhcp1-dhcp2,10.1.2.0/24,254,120,134,60,60,70,64,load-balance,50,"
    "normal\n";

std::vector<Sample> import_text(const std::string& text) {
    StringSource in(text);
    test::VectorSink sink;
    import_canonical_csv(in, "in.csv", sink);
    return sink.samples;
}

std::string error_of(const std::string& text) {
    try {
        import_text(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

TEST(CanonicalCsv, ReadsTheExampleOfTheDesign) {
    const auto samples = import_text(kHeader + kRow);
    ASSERT_EQ(samples.size(), 1u);
    const Sample& s = samples[0];
    EXPECT_EQ(s.timestamp, 1'795'507'200);
    EXPECT_EQ(s.server, "dhcp1");
    EXPECT_EQ(s.relationship.name, "dhcp1-dhcp2");
    EXPECT_EQ(s.scope, "10.1.2.0/24");
    EXPECT_EQ(s.counters.values,
              (std::array<std::optional<std::uint64_t>, 7>{254, 120, 134, 60, 60, 70, 64}));
    EXPECT_EQ(s.relationship.mode, Mode::load_balance);
    EXPECT_EQ(s.relationship.expected_share, 50.0);
    EXPECT_EQ(s.relationship.state, State::normal);
}

TEST(CanonicalCsv, ElevenColumnsTakeTheDefaultsAndEmptyIsNull) {
    const auto samples = import_text(
        kShortHeader + "2026-11-24T09:00:00+01:00,w1,rel,10.1.2.0,254,,134,60,,70,64\n");
    ASSERT_EQ(samples.size(), 1u);
    const Sample& s = samples[0];
    EXPECT_EQ(s.timestamp, 1'795'507'200);
    EXPECT_EQ(s.scope, "10.1.2.0");
    EXPECT_FALSE(s.counters[Counter::addr_free].has_value());
    EXPECT_FALSE(s.counters[Counter::this_addr_free].has_value());
    EXPECT_EQ(s.relationship.mode, Mode::load_balance);
    EXPECT_EQ(s.relationship.expected_share, 50.0);
    EXPECT_EQ(s.relationship.state, State::unknown);
}

TEST(CanonicalCsv, SourceStateWordsAreNormalisedAndKept) {
    const auto samples = import_text(
        kHeader +
        "2026-11-24T08:00:00Z,k1,ha,10.1.2.0/24,254,120,134,,,,,hot-standby,0,PARTNER-DOWN\n"
        "2026-11-24T08:00:00Z,k2,ha,10.1.2.0/"
        "24,254,120,134,,,,,load-balance,33.5,load-balancing\n");
    ASSERT_EQ(samples.size(), 2u);
    EXPECT_EQ(samples[0].relationship.state, State::partner_down);
    EXPECT_EQ(samples[0].relationship.source_state, "PARTNER-DOWN");
    EXPECT_EQ(samples[0].relationship.mode, Mode::hot_standby);
    EXPECT_EQ(samples[1].relationship.state, State::normal);
    EXPECT_EQ(samples[1].relationship.expected_share, 33.5);
}

TEST(CanonicalCsv, BadInputNamesFileLineAndColumn) {
    const std::string row_start = "2026-11-24T08:00:00Z,dhcp1,r,10.1.2.0/24,";
    const struct {
        std::string input;
        std::string expected;
    } cases[] = {
        {"", "in.csv:1: empty input: expected the header line timestamp,server,..."},
        {"time,server\n",
         "in.csv:1: expected the canonical header "
         "(timestamp,server,relationship,scope,num_addr,...: 11 or 14 columns), found 2 columns "
         "starting 'time'"},
        {kShortHeader.substr(0, 10) + "x" + kShortHeader.substr(10),
         "in.csv:1: header column 2 is 'xserver', expected 'server'"},
        {kHeader + kRow + "2026-11-24T08:05:00Z,dhcp1\n",
         "in.csv:3: expected 14 fields as in the header, found 2"},
        {kShortHeader + row_start + "254,120,134,60,60,70,x64\n",
         "in.csv:2: this_addr_in_use: 'x64' is not a whole number; counters are 0 to 4294967295, "
         "or empty when unknown"},
        {kShortHeader + row_start + "254,-1,134,60,60,70,64\n",
         "in.csv:2: addr_free: '-1' is negative; counters are 0 to 4294967295, or empty when "
         "unknown"},
        {kShortHeader + row_start + "4294967296,1,134,60,60,70,64\n",
         "in.csv:2: num_addr: '4294967296' is above 4294967295, the largest counter a DHCP server "
         "reports"},
        {kShortHeader + row_start + "99999999999999999999999,1,134,60,60,70,64\n",
         "in.csv:2: num_addr: '99999999999999999999999' is above 4294967295, the largest counter a "
         "DHCP server reports"},
        {kShortHeader + row_start + "254,1.5,134,60,60,70,64\n",
         "in.csv:2: addr_free: '1.5' is not a whole number; counters are 0 to 4294967295, or empty "
         "when unknown"},
        {kShortHeader + "2026-11-24T08:00:00,dhcp1,r,10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: timestamp: '2026-11-24T08:00:00' has no zone: add Z (UTC) or an offset like "
         "+01:00"},
        {kShortHeader + "2026-11-24T08:00:00Z,,r,10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: server: is empty; every sample names its server"},
        {kShortHeader +
             "2026-11-24T08:00:00Z,dhcp\x1b]0;x\x07,r,10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: server: 'dhcp\\x1b]0;x\\x07' holds the control character \\x1b; a name is "
         "printable UTF-8"},
        {kShortHeader + "2026-11-24T08:00:00Z,d,\"r\nx\",10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: relationship: 'r\\nx' holds the control character \\n; a name is printable "
         "UTF-8"},
        {kShortHeader + "2026-11-24T08:00:00Z,d\xC0\xAF,r,10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: server: 'd\\xc0\\xaf' is not UTF-8 (byte \\xc0); a name is printable UTF-8"},
        {kShortHeader +
             "2026-11-24T08:00:00Z,d,r\xED\xA0\x80,10.1.2.0/24,254,120,134,60,60,70,64\n",
         "in.csv:2: relationship: 'r\\xed\\xa0\\x80' is not UTF-8 (byte \\xed); a name is "
         "printable UTF-8"},
        {kShortHeader + "2026-11-24T08:00:00Z,d,r,10.1.2.300/24,254,120,134,60,60,70,64\n",
         "in.csv:2: scope: '10.1.2.300/24' is not an IPv4 subnet such as 10.1.2.0/24 or 10.1.2.0"},
        {kHeader + row_start + "254,120,134,60,60,70,64,balanced,50,normal\n",
         "in.csv:2: mode: 'balanced' is not load-balance or hot-standby"},
        {kHeader + row_start + "254,120,134,60,60,70,64,load-balance,101,normal\n",
         "in.csv:2: expected_share: '101' is not a percentage from 0 to 100"},
        {kHeader + row_start + "254,120,134,60,60,70,64,load-balance,50,happy\n",
         "in.csv:2: state: 'happy' is not a failover state (normal, communication-interrupted, "
         "partner-down, recover, startup, conflict, maintenance, paused, shutdown, unknown, or a "
         "source's own word for one)"},
        {kHeader + kRow + "\"2026-11-24T08:05:00Z,dhcp1\n",
         "in.csv:3: a quoted field is never closed (end of input reached)"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(error_of(c.input), c.expected) << c.input;
}

TEST(CanonicalCsv, BinaryGarbageIsRefusedAtTheHeader) {
    std::string garbage;
    for (int i = 0; i < 4096; ++i)
        garbage.push_back(static_cast<char>((i * 7919) % 256));
    EXPECT_EQ(error_of(garbage).rfind("in.csv:1: ", 0), 0u) << error_of(garbage);
}

TEST(CanonicalCsv, WrittenRowsReadBackToTheSameSamples) {
    Sample s = test::sample_at(1'795'507'200, "=evil,server", "10.1.2.0/24");
    s.relationship.name = "rel \"quoted\"";
    s.relationship.expected_share = 33.25;
    s.relationship.mode = Mode::hot_standby;
    s.counters.values[3].reset();
    std::string text;
    append_canonical_header(text);
    append_canonical_row(text, s, TimeFormatter());
    EXPECT_EQ(text, kHeader +
                        "2026-11-24T08:00:00Z,\"'=evil,server\",\"rel \"\"quoted\"\"\",10.1.2.0/24,"
                        "254,120,134,,60,67,67,hot-standby,33.25,normal\n");
    const auto back = import_text(text);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], s);
}

TEST(CanonicalCsv, ScopesAreNormalised) {
    EXPECT_EQ(normalise_scope("10.1.2.0/24"), "10.1.2.0/24");
    EXPECT_EQ(normalise_scope("010.001.2.0"), "10.1.2.0");
    EXPECT_EQ(normalise_scope("0.0.0.0/0"), "0.0.0.0/0");
    for (const char* bad : {"", "10.1.2", "10.1.2.0.1", "10.1.2.0/33", "10.1.2.0/", "a.b.c.d",
                            "10.1.2.256", "10..2.0", "10.1.2.0/24/1", " 10.1.2.0"}) {
        EXPECT_FALSE(normalise_scope(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace fostat

namespace fostat {
namespace {

// Mutations of a valid file (bytes flipped, cut, duplicated, spliced) must each end in
// samples or one InputError naming the input and a line: never a crash, a hang or another
// exception. A deterministic, in-suite complement to coverage-guided fuzzing.
TEST(CanonicalCsv, MutatedInputEndsInSamplesOrALocatedError) {
    std::string valid = kHeader;
    for (int i = 0; i < 40; ++i) {
        valid += "2026-11-24T08:" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                 ":00Z,dhcp1,\"rel, \"\"x\"\"\",10.1." + std::to_string(i) +
                 ".0/24,254,120,134,60,60,70,64,load-balance,50,normal\n";
    }
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state >> 33;
    };
    int errors = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text = valid;
        const int mutations = 1 + static_cast<int>(next() % 4);
        for (int m = 0; m < mutations; ++m) {
            const std::size_t at = next() % text.size();
            switch (next() % 5) {
                case 0:
                    text[at] = static_cast<char>(next() % 256);
                    break;
                case 1:
                    text.resize(at);
                    break;
                case 2:
                    text.insert(at, text.substr(next() % text.size(), next() % 64));
                    break;
                case 3:
                    text.insert(at, 1, "\",\n\r\0'="[next() % 7]);
                    break;
                default:
                    text.erase(at, next() % 16);
            }
            if (text.empty())
                text = "x";
        }
        try {
            import_text(text);
        } catch (const InputError& e) {
            ++errors;
            const std::string message = e.what();
            EXPECT_EQ(message.rfind("in.csv:", 0), 0u) << message;
            EXPECT_LT(message.size(), 600u) << message;
        }
    }
    EXPECT_GT(errors, 1000);  // the mutations did reach the error paths
}

TEST(CanonicalCsv, ReadsUnixSecondsAsTimeFormatEpochWritesThem) {
    const auto samples = import_text(
        kHeader + "1795507200,dhcp1,dhcp1-dhcp2,10.1.2.0/24,254,120,134,60,60,70,64,,,\n");
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_EQ(samples[0].timestamp, 1'795'507'200);
    EXPECT_EQ(error_of(kHeader + "1795507200123,dhcp1,,10.1.2.0/24,1,1,0,,,,,,,\n")
                  .rfind("in.csv:2: timestamp: '1795507200123' is not a time", 0),
              0u);
}

TEST(CanonicalCsv, ASemicolonSeparatedFileGetsAHint) {
    std::string header = kHeader;
    std::replace(header.begin(), header.end(), ',', ';');
    EXPECT_EQ(error_of(header),
              "in.csv:1: the fields are separated by ';', as a spreadsheet in a locale with a "
              "decimal comma saves them: save it again with ',' as the field separator");
}

}  // namespace
}  // namespace fostat
