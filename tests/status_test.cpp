#include "analyses/status.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/run_writer.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;    // 2026-11-24T08:00:00Z
constexpr std::int64_t kEnd = kT0 - 8 * 3600;  // 2026-11-24T00:00:00Z

// The options with these thresholds, in percent, and the other members at their defaults.
StatusOptions thresholds(double warning, double critical) {
    StatusOptions options;
    options.warning = warning;
    options.critical = critical;
    return options;
}

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
    EXPECT_EQ(scope_status(reader, {}, thresholds(50, 60)).scopes[0].severity, Severity::warning);
    EXPECT_EQ(scope_status(reader, {}, thresholds(40, 50)).scopes[0].severity, Severity::critical);
    EXPECT_FALSE(scope_status(reader, {}, thresholds(51, 60)).scopes[0].severity.has_value());
}

// Hourly samples of a pair over `days` days up to kEnd (a midnight): addr_in_use swings 40
// a day (lowest at midnight, highest at noon) on a level that grows `growth` a day, 152 (60
// %) at kEnd; each server owns half the free addresses (test::sample_at).
std::vector<Sample> growing_pair(int days, std::uint64_t growth) {
    std::vector<Sample> out;
    for (std::int64_t t = kEnd - days * kDaySeconds; t <= kEnd; t += 3600) {
        const std::int64_t hour = (t / 3600) % 24;
        const auto swing = static_cast<std::uint64_t>(40 - std::abs(hour - 12) * 40 / 12);
        const auto level = static_cast<std::uint64_t>(
            152 - (kEnd - t) * static_cast<std::int64_t>(growth) / kDaySeconds);
        for (const char* server : {"dhcp1", "dhcp2"})
            out.push_back(sample_at(t, server, "10.1.2.0/24", level + swing));
    }
    return out;
}

// status with trend's default forecast: warning within 30 days, critical within 7.
StatusResult with_forecast(SQLite::Database& db, const SeriesFilter& filter = {},
                           const StatusOptions& options = {}, const TrendOptions& forecast = {}) {
    SampleReader reader(db);
    StatusResult result = scope_status(reader, filter, options);
    add_forecasts(db, filter, forecast, result);
    return result;
}

TEST(Status, AScopeWhosePeakRunsOutWithinCriticalWithinIsCritical) {
    // 60 % at the latest sample, but the daily peak (184 at noon of the last whole day)
    // grows 15 a day: it reaches 254 about 4 days after kEnd.
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, growing_pair(8, 15));
    const StatusResult r = with_forecast(*db);
    ASSERT_EQ(r.scopes.size(), 2u);
    EXPECT_EQ(r.as_of, kEnd);
    for (const ScopeStatus& s : r.scopes) {
        EXPECT_NEAR(*s.utilization, 60, 0.5);
        ASSERT_TRUE(s.runs_out) << s.series.server;
        EXPECT_GT(*s.runs_out, kEnd + 2 * kDaySeconds);
        EXPECT_LT(*s.runs_out, kEnd + 5 * kDaySeconds);
        EXPECT_FALSE(s.own_runs_out);  // both halves empty with the scope
        EXPECT_EQ(s.forecast_severity, Severity::critical);
        EXPECT_EQ(s.severity, Severity::critical);
    }
    EXPECT_EQ(r.worst.exit_status(), kExitCritical);

    // The windows move the severity; utilization over a threshold keeps its own.
    TrendOptions later;
    later.critical_within = 2 * kDaySeconds;
    EXPECT_EQ(with_forecast(*db, {}, {}, later).scopes[0].severity, Severity::warning);
    later.warn_within = 2 * kDaySeconds;
    EXPECT_EQ(with_forecast(*db, {}, {}, later).scopes[0].severity, std::nullopt);
    // Utilization over a threshold keeps its severity; the forecast only ever raises one.
    EXPECT_EQ(with_forecast(*db, {}, thresholds(50, 90), later).scopes[0].severity,
              Severity::warning);
    EXPECT_EQ(with_forecast(*db, {}, thresholds(50, 90)).scopes[0].severity, Severity::critical);
    EXPECT_EQ(with_forecast(*db, {}, thresholds(50, 55)).scopes[0].severity, Severity::critical);
    // Before add_forecasts: utilization alone.
    SampleReader reader(*db);
    const StatusResult plain = scope_status(reader, {}, StatusOptions{});
    EXPECT_EQ(plain.scopes[0].runs_out, std::nullopt);
    EXPECT_EQ(plain.worst.exit_status(), kExitOk);
}

TEST(Status, TooShortAHistoryHasNoDateAndUtilizationAloneJudges) {
    // The same growth over 2 days: fewer than 3 complete days, no forecast ("short").
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, growing_pair(2, 15));
    const StatusResult r = with_forecast(*db);
    ASSERT_EQ(r.scopes.size(), 2u);
    for (const ScopeStatus& s : r.scopes) {
        EXPECT_EQ(s.runs_out, std::nullopt);
        EXPECT_EQ(s.forecast_severity, std::nullopt);
        EXPECT_EQ(s.severity, std::nullopt);  // 60 %, below --warning
    }
    EXPECT_EQ(r.worst.exit_status(), kExitOk);
    EXPECT_EQ(with_forecast(*db, {}, thresholds(55, 90)).worst.exit_status(), kExitWarning);
}

TEST(Status, AServersOwnPoolThatRunsOutFirstIsItsRowsAndSaidSo) {
    // Demand grows 2 a day (the scope lasts beyond 30 days), but dhcp2 gives its own free
    // addresses away 5 a day: from 52 at kEnd - 10 days to 0 about 10 hours after kEnd.
    // Only dhcp2's row runs out on its own; dhcp1's own pool gains what dhcp2's loses.
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    std::vector<Sample> samples;
    for (std::int64_t t = kEnd - 10 * kDaySeconds; t <= kEnd; t += 3600) {
        const double day = static_cast<double>(t - (kEnd - 10 * kDaySeconds)) / kDaySeconds;
        const auto in_use = static_cast<std::uint64_t>(120 + 2 * day);
        const std::uint64_t free = 254 - in_use;
        const auto dhcp2_own = static_cast<std::uint64_t>(52 - 5 * day);
        for (const char* server : {"dhcp1", "dhcp2"}) {
            Sample s = sample_at(t, server, "10.1.2.0/24", in_use);
            const bool two = std::string(server) == "dhcp2";
            *s.counters[Counter::this_addr_free] = two ? dhcp2_own : free - dhcp2_own;
            *s.counters[Counter::partner_addr_free] = two ? free - dhcp2_own : dhcp2_own;
            samples.push_back(s);
        }
    }
    store(*db, samples);
    const StatusResult r = with_forecast(*db);
    ASSERT_EQ(r.scopes.size(), 2u);
    const ScopeStatus& one = r.scopes[0];
    const ScopeStatus& two = r.scopes[1];
    EXPECT_EQ(two.series.server, "dhcp2");
    ASSERT_TRUE(two.runs_out);
    EXPECT_TRUE(two.own_runs_out);
    EXPECT_TRUE(two.runs_out_own);  // the date shown is the own pool's
    EXPECT_LT(*two.runs_out, kEnd + 2 * kDaySeconds);
    EXPECT_EQ(two.severity, Severity::critical);
    EXPECT_FALSE(one.own_runs_out);
    EXPECT_TRUE(!one.runs_out || *one.runs_out > kEnd + 30 * kDaySeconds);
    EXPECT_EQ(one.severity, std::nullopt);
    EXPECT_EQ(r.worst.exit_status(), kExitCritical);
    // --server dhcp1 alone sees nothing run out.
    SeriesFilter only;
    only.servers = {"dhcp1"};
    EXPECT_EQ(with_forecast(*db, only).worst.exit_status(), kExitOk);
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
