#include "query/status.h"

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/run_writer.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z

TEST(Status, LatestSampleOfEachSeriesAgainstThresholds) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> samples;
    for (int i = 0; i < 300; ++i) {  // over two days: the latest is in a later chunk
        samples.push_back(sample_at(kT0 + 600 * i, "dhcp1", "10.1.2.0/24", 100 + i % 3));
        samples.push_back(sample_at(kT0 + 600 * i, "dhcp1", "10.1.10.0/24", 150));
    }
    samples.push_back(sample_at(kT0 + 600 * 300, "dhcp1", "10.1.2.0/24", 229));  // 90.2 %
    samples.push_back(sample_at(kT0 + 600 * 300, "dhcp2", "10.1.2.0/24", 204));  // 80.3 %
    store(*db, samples);
    SampleReader reader(*db);
    const StatusResult r = scope_status(reader, {}, StatusOptions{});
    ASSERT_EQ(r.scopes.size(), 3u);
    EXPECT_EQ(r.scopes[0].series.scope, "10.1.2.0/24");  // address order: .2 before .10
    EXPECT_EQ(r.scopes[0].series.server, "dhcp1");
    EXPECT_EQ(r.scopes[0].latest.timestamp, kT0 + 600 * 300);
    EXPECT_NEAR(*r.scopes[0].utilization, 100.0 * 229 / 254, 1e-9);
    EXPECT_EQ(r.scopes[0].severity, Severity::critical);
    EXPECT_EQ(r.scopes[1].series.server, "dhcp2");
    EXPECT_EQ(r.scopes[1].severity, Severity::warning);
    EXPECT_EQ(r.scopes[2].series.scope, "10.1.10.0/24");
    EXPECT_FALSE(r.scopes[2].severity.has_value());  // 59 %
    EXPECT_EQ(r.worst.exit_status(), kExitCritical);
}

TEST(Status, WindowPicksTheLatestInsideItAndNullIsUnknown) {
    auto db = open_database(":memory:", Access::read_write);
    Sample unknown = sample_at(kT0 + 3600, "dhcp1", "10.1.2.0/24");
    unknown.counters[Counter::addr_in_use].reset();
    store(*db, {sample_at(kT0, "dhcp1", "10.1.2.0/24", 240), unknown});
    SampleReader reader(*db);
    SeriesFilter until_first;
    until_first.until = kT0 + 60;
    const StatusResult first = scope_status(reader, until_first, StatusOptions{});
    ASSERT_EQ(first.scopes.size(), 1u);
    EXPECT_EQ(first.scopes[0].latest.timestamp, kT0);
    EXPECT_EQ(first.worst.exit_status(), kExitCritical);
    const StatusResult latest = scope_status(reader, {}, StatusOptions{});
    ASSERT_EQ(latest.scopes.size(), 1u);
    EXPECT_FALSE(latest.scopes[0].utilization.has_value());
    EXPECT_EQ(latest.worst.exit_status(), kExitOk);
    SeriesFilter before_all;
    before_all.until = kT0 - 1;
    EXPECT_TRUE(scope_status(reader, before_all, StatusOptions{}).scopes.empty());
}

TEST(Status, ALatestSampleOlderThanStaleAfterIsAWarning) {
    auto db = open_database(":memory:", Access::read_write);
    store(*db, {sample_at(kT0, "dhcp1", "10.1.2.0/24", 100), sample_at(kT0 + 600, "dhcp2")});
    SampleReader reader(*db);
    StatusOptions options;
    options.stale_after = 900;
    options.now = kT0 + 1200;  // dhcp1's latest is 20 min old, dhcp2's 10 min
    const StatusResult r = scope_status(reader, {}, options);
    ASSERT_EQ(r.scopes.size(), 2u);
    EXPECT_TRUE(r.scopes[0].stale);
    EXPECT_EQ(r.scopes[0].severity, Severity::warning);
    EXPECT_FALSE(r.scopes[1].stale);
    EXPECT_FALSE(r.scopes[1].severity.has_value());
    EXPECT_EQ(r.worst.exit_status(), kExitWarning);
}

TEST(Status, ThresholdsAreInclusive) {
    auto db = open_database(":memory:", Access::read_write);
    Sample half = sample_at(kT0, "dhcp1", "10.1.2.0/24");
    half.counters.values = {200, 100, 100, 50, 50, 50, 50};
    store(*db, {half});
    SampleReader reader(*db);
    EXPECT_EQ(scope_status(reader, {}, StatusOptions{50, 60}).scopes[0].severity,
              Severity::warning);
    EXPECT_EQ(scope_status(reader, {}, StatusOptions{40, 50}).scopes[0].severity,
              Severity::critical);
    EXPECT_FALSE(scope_status(reader, {}, StatusOptions{51, 60}).scopes[0].severity.has_value());
}

TEST(Status, AShownFigureNeverCrossesAThreshold) {
    const StatusOptions t;                     // 80 and 90
    EXPECT_EQ(shown_percent(89.96, t), 89.9);  // 8996 of 10000: a warning, not "90"
    EXPECT_EQ(shown_percent(79.99, t), 79.9);  // 7999 of 10000: ok, not "80"
    EXPECT_EQ(shown_percent(90.0, t), 90.0);
    EXPECT_EQ(shown_percent(87.44, t), 87.4);  // away from a threshold: rounded
    EXPECT_EQ(shown_percent(87.45, t), 87.5);
    EXPECT_EQ(shown_percent(0.0, t), 0.0);
    StatusOptions odd;
    odd.warning = 80.04;
    EXPECT_EQ(shown_percent(80.04, odd), 80.1);  // at the threshold: not shown below it
    EXPECT_EQ(shown_percent(80.03, odd), 80.0);
}

}  // namespace
}  // namespace fostat
