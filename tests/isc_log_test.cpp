#include "sources/isc_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/byte_source.h"
#include "fostat/error.h"
#include "test_support.h"

namespace fostat {
namespace {

const LogClock kUtc2026(2026);

std::string data_file(const std::string& name) {
    return std::string(FOSTAT_SOURCE_DIR) + "/tests/data/isc-pair/" + name;
}

std::vector<PoolLine> read_all(ByteSource& in, const std::string& name, const LogClock& clock,
                               IscLogSummary* summary = nullptr) {
    std::vector<PoolLine> pools;
    const IscLogSummary s =
        read_isc_log(in, name, clock, [&](const PoolLine& p) { pools.push_back(p); });
    if (summary != nullptr)
        *summary = s;
    return pools;
}

std::string error_of(const std::string& line, const LogClock& clock = kUtc2026) {
    try {
        parse_pool_line(line, clock, "dhcpd.log", 7);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

TEST(IscLog, ReadsThePrimarysRealLog) {
    auto in = open_file_source(data_file("primary.dhcpd.log"));
    IscLogSummary summary;
    const auto pools = read_all(*in, "primary.dhcpd.log", kUtc2026, &summary);
    EXPECT_EQ(summary.lines, 422u);
    EXPECT_EQ(summary.pool_lines, 4u);
    EXPECT_EQ(summary.skipped_lines, 418u);
    ASSERT_EQ(pools.size(), 4u);

    const PoolLine& first = pools[0];
    EXPECT_FALSE(first.timestamp.has_value());  // dhcpd -d output carries no time
    EXPECT_EQ(first.kind, PoolLineKind::balancing);
    EXPECT_EQ(first.pool_id, "55fb54d8bfc0");
    EXPECT_EQ(first.network, "198.18.3.0/24");
    EXPECT_EQ(first.total, 41u);
    EXPECT_EQ(first.free, 41u);
    EXPECT_EQ(first.backup, 0u);
    EXPECT_EQ(first.lts, 20);

    EXPECT_EQ(pools[1].kind, PoolLineKind::balanced);
    EXPECT_EQ(pools[1].network, "198.18.3.0/24");
    EXPECT_EQ(pools[1].free, 21u);
    EXPECT_EQ(pools[1].backup, 20u);
    EXPECT_EQ(pools[3].network, "198.18.1.0/24");
    EXPECT_EQ(pools[3].total, 241u);
    EXPECT_EQ(pools[3].free, 121u);
    EXPECT_EQ(pools[3].backup, 120u);
    // Line numbers point back into the file.
    EXPECT_GT(first.line, 20u);
    EXPECT_LT(first.line, pools[1].line);
}

TEST(IscLog, ReadsTheSecondarysRealLog) {
    auto in = open_file_source(data_file("secondary.dhcpd.log"));
    IscLogSummary summary;
    const auto pools = read_all(*in, "secondary.dhcpd.log", kUtc2026, &summary);
    EXPECT_EQ(summary.lines, 709u);
    EXPECT_EQ(summary.pool_lines, 4u);
    EXPECT_EQ(summary.pool_lines + summary.skipped_lines, summary.lines);
    for (const PoolLine& p : pools)
        EXPECT_LE(p.free + p.backup, p.total);
}

TEST(IscLog, SyslogPrefixInAZone) {
    const LogClock berlin(2026, "Europe/Berlin");
    const auto pool = parse_pool_line(
        "Nov 25 00:58:16 dhcp1 dhcpd[123]: balanced pool 55fb54d8bfc0 198.18.3.0/24  total 41  "
        "free 21  backup 20  lts 0  max-misbal 6",
        berlin, "x", 1);
    ASSERT_TRUE(pool.has_value());
    // 00:58:16 CET (UTC+1) is 2026-11-24T23:58:16Z.
    EXPECT_EQ(pool->timestamp, 1795564696);
    EXPECT_EQ(pool->kind, PoolLineKind::balanced);
    EXPECT_EQ(pool->total, 41u);
    EXPECT_EQ(pool->free, 21u);
    EXPECT_EQ(pool->backup, 20u);

    // Summer time, a space-padded day, no pid in the tag, and UTC when no zone is given.
    const auto summer = parse_pool_line(
        "Jul  5 12:00:00 dhcp1 dhcpd: IMBALANCED pool 1a 198.18.1.0/24  total 241  free 200  "
        "backup 1  lts 99  max-misbal 36",
        berlin, "x", 1);
    ASSERT_TRUE(summer.has_value());
    EXPECT_EQ(summer->timestamp, 1783245600);  // 12:00 CEST = 2026-07-05T10:00:00Z
    EXPECT_EQ(summer->kind, PoolLineKind::imbalanced);
    const auto utc = parse_pool_line(
        "Jul  5 12:00:00 dhcp1 dhcpd: IMBALANCED pool 1a 198.18.1.0/24  total 241  free 200  "
        "backup 1  lts 99  max-misbal 36",
        kUtc2026, "x", 1);
    ASSERT_TRUE(utc.has_value());
    EXPECT_EQ(utc->timestamp, 1783252800);
}

TEST(IscLog, AmbiguousLocalTimeTakesTheEarlierInstant) {
    const LogClock berlin(2026, "Europe/Berlin");
    // 2026-10-25 02:30 happens twice in Berlin: first at 00:30Z (CEST), then at 01:30Z.
    const auto pool = parse_pool_line(
        "Oct 25 02:30:00 h dhcpd[1]: balanced pool 1 n  total 1  free 1  backup 0  lts 0  "
        "max-misbal 0",
        berlin, "x", 1);
    EXPECT_EQ(pool->timestamp, 1792888200);
}

TEST(IscLog, RequestingRebalanceSuffixAndEmptyNetwork) {
    const auto pool = parse_pool_line(
        "balancing pool 55fb54d77c70   total 241  free 0  backup 241  lts -120  max-own "
        "(+/-)24  (requesting peer rebalance!)",
        kUtc2026, "x", 1);
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->network, "");
    EXPECT_EQ(pool->lts, -120);
    EXPECT_EQ(pool->backup, 241u);
    // A shared-network name with spaces (a quoted name in dhcpd.conf) is kept whole.
    const auto named = parse_pool_line(
        "balanced pool ab office lan  total 10  free 5  backup 5  lts 0  max-misbal 2", kUtc2026,
        "x", 1);
    EXPECT_EQ(named->network, "office lan");
}

TEST(IscLog, OtherLinesAreSkippedAndCounted) {
    StringSource in(
        "Nov 25 00:58:16 h dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:00:01 via 198.18.1.1\n"
        "failover peer rs-fo: I move from recover-done to normal\n"
        "\n"
        "Nov 25 00:58:16 h kernel: balancing act\n"
        "balanced pool 1 n  total 1  free 1  backup 0  lts 0  max-misbal 0\r\n"
        "balanced pool 2 m  total 2  free 1  backup 1  lts 0  max-misbal 0",
        5);  // small reads: lines cross read boundaries
    IscLogSummary summary;
    const auto pools = read_all(in, "x", kUtc2026, &summary);
    EXPECT_EQ(summary.lines, 6u);
    EXPECT_EQ(summary.skipped_lines, 4u);
    ASSERT_EQ(pools.size(), 2u);
    EXPECT_EQ(pools[0].network, "n");
    EXPECT_EQ(pools[0].line, 5u);
    EXPECT_EQ(pools[1].network, "m");
    EXPECT_EQ(pools[1].total, 2u);
    EXPECT_EQ(pools[1].line, 6u);
}

TEST(IscLog, MalformedPoolLinesNameFileAndLine) {
    EXPECT_EQ(error_of("balancing pool 55fb 198.18.3.0/24  total x  free 41  backup 0  lts 20  "
                       "max-own (+/-)4"),
              "dhcpd.log:7: expected a number after 'total', found 'x'");
    EXPECT_EQ(error_of("balanced pool 55fb 198.18.3.0/24  total 41  fre 41  backup 0  lts 0  "
                       "max-misbal 4"),
              "dhcpd.log:7: expected 'free' in the pool line, found 'fre'");
    EXPECT_EQ(error_of("balanced pool 55fb 198.18.3.0/24  total 41  free 41"),
              "dhcpd.log:7: expected 'backup' in the pool line, found its end");
    EXPECT_EQ(error_of("balanced pool 55fb 198.18.3.0/24 total 41"),
              "dhcpd.log:7: expected '  total ' after the pool's network in "
              "'198.18.3.0/24 total 41'");
    EXPECT_EQ(error_of("IMBALANCED pool zz net  total 1  free 1  backup 0  lts 0  max-misbal 0"),
              "dhcpd.log:7: expected the pool's address in hex after 'IMBALANCED pool', found "
              "'zz'");
    EXPECT_EQ(error_of("balancing pool 1 n  total 1  free 1  backup 0  lts 0  max-own 4"),
              "dhcpd.log:7: expected '(+/-)' and a number after 'max-own', found '4'");
    EXPECT_EQ(error_of("balanced pool 1 n  total 1  free -1  backup 0  lts 0  max-misbal 0"),
              "dhcpd.log:7: expected a number after 'free', found '-1'");
    EXPECT_EQ(error_of("balanced pool 1 n  total 1  free 1  backup 0  lts 0  max-misbal 0  extra"),
              "dhcpd.log:7: unexpected 'extra' at the end of the pool line");
    EXPECT_EQ(error_of("Nov 31 00:00:00 h dhcpd[1]: balanced pool 1 n  total 1  free 1  "
                       "backup 0  lts 0  max-misbal 0"),
              "dhcpd.log:7: expected a syslog time like 'Nov 25 00:58:16' before the pool "
              "message, found 'Nov 31 00:00:00 h dhcpd[1]'");
    EXPECT_EQ(error_of("2026-11-25T00:00:00Z h dhcpd[1]: balanced pool 1 n  total 1  free 1  "
                       "backup 0  lts 0  max-misbal 0"),
              "dhcpd.log:7: expected a syslog time like 'Nov 25 00:58:16' before the pool "
              "message, found '2026-11-25T00:00:00Z h dhcpd[1]'");
    EXPECT_EQ(error_of("Mar 29 02:30:00 h dhcpd[1]: balanced pool 1 n  total 1  free 1  "
                       "backup 0  lts 0  max-misbal 0",
                       LogClock(2026, "Europe/Berlin")),
              "dhcpd.log:7: the local time 'Mar 29 02:30:00' does not exist in Europe/Berlin "
              "(the clock moved forward over it)");
}

TEST(IscLog, ATimeThatDoesNotExistInTheZoneIsItsOwnErrorNamingNoOption) {
    // fostat-collect isc-log adds "; wrong --tz?" (golden isc-log).
    EXPECT_THROW(parse_pool_line("Mar 29 02:30:00 h dhcpd[1]: balanced pool 1 n  total 1  free 1  "
                                 "backup 0  lts 0  max-misbal 0",
                                 LogClock(2026, "Europe/Berlin"), "dhcpd.log", 7),
                 NonexistentLocalTime);
}

TEST(IscLog, ErrorsFromAFileCarryItsLineNumber) {
    StringSource in("x\nbalanced pool 1 n  total 1  free 1\n");
    try {
        read_all(in, "pool.log", kUtc2026);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "pool.log:2: expected 'backup' in the pool line, found its end");
    }
}

TEST(IscLog, UnknownZoneIsAnInputError) {
    try {
        LogClock clock(2026, "Mars/Olympus");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "unknown time zone 'Mars/Olympus'");
    }
}

}  // namespace
}  // namespace fostat

namespace fostat {
namespace {

TEST(IscLog, AFailoverStateThatIsNotPrintableIsRefusedWithItsLine) {
    StringSource in(
        "Nov 25 00:58:16 h dhcpd[1]: balanced pool 1 198.18.3.0/24  total 2  free 1  backup 1  "
        "lts 0  max-misbal 0\n"
        "Nov 25 00:58:17 h dhcpd[1]: failover peer rs-fo: I move from normal to x\x1b[2J\n");
    test::VectorSink sink;
    try {
        isc_log_samples(in, "x.log", kUtc2026, IscLogOptions{"dhcp1", true, "rs-fo"}, sink);
        FAIL() << "the state was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "x.log:2: failover state: 'x\\x1b[2J' holds the control character \\x1b; a "
                  "name is printable UTF-8");
    }
}

TEST(IscLog, FailoverMovesGiveTheStateOfThePeerNamed) {
    EXPECT_EQ(failover_move("Nov 25 00:58:40 h dhcpd[1]: failover peer rs-fo: I move from "
                            "recover-done to normal",
                            "rs-fo"),
              "normal");
    EXPECT_EQ(failover_move("failover peer rs-fo: I move from normal to "
                            "communications-interrupted\r",
                            "rs-fo"),
              "communications-interrupted");
    EXPECT_EQ(failover_move("failover peer other: I move from a to b", "rs-fo"), std::nullopt);
    EXPECT_EQ(failover_move("failover peer rs-fo: peer moves from recover to normal", "rs-fo"),
              std::nullopt);
}

// Refuses the samples of one scope, as the collector's sink refuses a conflict or an
// impossible time.
class RefusingSink : public SampleSink {
  public:
    void add(const Sample& sample) override {
        if (sample.scope == "198.18.1.0/24")
            throw InputError("refused at " + std::to_string(sample.timestamp));
    }
};

TEST(IscLog, ASampleTheSinkRefusesIsNamedByItsLine) {
    // 198.18.1.0/24's sample of 00:58:42 is held until its next line (5), and is the one of
    // line 3, which gave it its figures.
    StringSource in(
        "Nov 25 00:58:41 h dhcpd[1]: balanced pool 1 198.18.3.0/24  total 41  free 21  backup 20  "
        "lts 0  max-misbal 6\n"
        "Nov 25 00:58:42 h dhcpd[1]: balancing pool 2 198.18.1.0/24  total 9  free 9  backup 0  "
        "lts 4  max-own (+/-)1\n"
        "Nov 25 00:58:42 h dhcpd[1]: balanced pool 2 198.18.1.0/24  total 9  free 5  backup 4  lts "
        "0  max-misbal 1\n"
        "something else\n"
        "Nov 25 00:59:42 h dhcpd[1]: balanced pool 2 198.18.1.0/24  total 9  free 5  backup 4  lts "
        "0  max-misbal 1\n");
    RefusingSink sink;
    try {
        isc_log_samples(in, "dhcpd.log", kUtc2026, IscLogOptions{"dhcp-a", true, ""}, sink);
        FAIL() << "the refusal was lost";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "dhcpd.log:3: refused at 1795568322");
    }
}

}  // namespace
}  // namespace fostat
