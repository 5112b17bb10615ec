#include <map>

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "analyses/trend.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "sources/simulate.h"
#include "storage/database.h"
#include "storage/prune.h"
#include "storage/rollup_stats.h"
#include "storage/run_writer.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kDay = kDaySeconds;
constexpr std::int64_t kT0 = 1'795'507'200;      // 2026-11-24T08:00:00Z, a Tuesday
constexpr std::int64_t kMonday = 1'795'392'000;  // 2026-11-23T00:00:00Z

Counters counters(std::uint64_t num_addr, std::uint64_t in_use, std::uint64_t this_free) {
    Counters c;
    const std::uint64_t free = num_addr - in_use;
    c.values = {num_addr,           free, in_use, free - this_free, this_free, in_use / 2,
                in_use - in_use / 2};
    return c;
}

using test::store;

// Each line's buckets, in the order of trend()'s lines, walked as --buckets walks them.
std::vector<std::vector<TrendBucket>> buckets_of(SQLite::Database& db, const SeriesFilter& filter,
                                                 const TrendOptions& options) {
    std::vector<std::vector<TrendBucket>> out;
    trend_each(db, filter, options,
               [&](const TrendResult&, std::span<TrendLine> lines, TrendBuckets& buckets) {
                   for (const TrendLine& line : lines) {
                       out.emplace_back();
                       buckets.each(line, [&](const TrendBucket& b) { out.back().push_back(b); });
                   }
               });
    return out;
}

std::vector<Sample> simulated(int scopes, int days) {
    SimulateOptions options;
    options.scopes = scopes;
    options.days = days;
    options.seed = 5;
    options.end = kT0;
    test::VectorSink sink;
    simulate_history(options, sink);
    return sink.samples;
}

TEST(Trend, DefaultBucketFollowsTheWindowAndWeeksStartOnMonday) {
    EXPECT_EQ(default_bucket(2 * kDay), kHourSeconds);
    EXPECT_EQ(default_bucket(2 * kDay + 1), kDaySeconds);
    EXPECT_EQ(default_bucket(90 * kDay), kDaySeconds);
    EXPECT_EQ(default_bucket(90 * kDay + 1), kWeekSeconds);
    EXPECT_EQ(bucket_start(kT0, kWeekSeconds), kMonday);
    EXPECT_EQ(bucket_start(kMonday, kWeekSeconds), kMonday);
    EXPECT_EQ(bucket_start(kMonday - 1, kWeekSeconds), kMonday - 7 * kDay);
    EXPECT_EQ(bucket_start(kT0, kDaySeconds), kMonday + kDay);
    EXPECT_EQ(bucket_start(kT0 + 59 * 60, kHourSeconds), kT0);
}

// A day's bucket of two samples, 22 hours apart from start + 1 h: a complete day for the
// forecast (its samples span 20 hours or more).
TrendBucket day_bucket(std::int64_t start, Counters a, Counters b) {
    TrendBucket out{start, {}};
    out.stats.add(start + 3600, a);
    out.stats.add(start + 23 * 3600, b);
    return out;
}

TEST(Trend, ForecastsFromTheDailyPeakAndTroughByHand) {
    // addr_in_use peaks 100, 110, 120, 130 on four days (the other sample of each day lower),
    // 254 addresses: 10 a day, 250 at the middle of the 12th day after the last, 255 at the
    // start of the 13th: the scope runs out then (analyses/forecast.h). dhcp1's own free
    // addresses at their trough 60, 50, 40, 30: 0 at the middle of the third day after.
    const std::int64_t d0 = kMonday - 4 * kDay;
    std::vector<TrendBucket> buckets;
    for (int i = 0; i < 4; ++i) {
        buckets.push_back(day_bucket(d0 + i * kDay, counters(254, 90 + 10 * i, 70 - 10 * i),
                                     counters(254, 100 + 10 * i, 60 - 10 * i)));
    }
    const std::int64_t as_of = kMonday;  // the next day's start
    TrendOptions options;
    const TrendLine line = analyse_line("10.1.2.0/24", "dhcp1", buckets, as_of, options);
    EXPECT_EQ(line.forecast_days, 4);
    EXPECT_EQ(line.fit, "line");
    ASSERT_TRUE(line.slope);
    EXPECT_NEAR(*line.slope, 10, 1e-9);
    EXPECT_EQ(line.exhaustion, kMonday + 12 * kDay);
    EXPECT_EQ(line.earliest, line.exhaustion);  // an exact fit: no spread
    ASSERT_TRUE(line.own_slope);
    EXPECT_NEAR(*line.own_slope, -10, 1e-9);
    EXPECT_EQ(line.own_exhaustion, kMonday + 2 * kDay + kDay / 2);
    EXPECT_EQ(line.own_server, "dhcp1");
    EXPECT_EQ(line.severity, Severity::critical);  // 2.5 days <= 7
    EXPECT_EQ(line.num_addr, 254u);
    EXPECT_DOUBLE_EQ(*line.peak, 100.0 * 130 / 254);
    EXPECT_EQ(line.peak_bucket, d0 + 3 * kDay);
    EXPECT_EQ(line.total.samples, 8);
    EXPECT_TRUE(line.size_changes.empty());

    // The scope line has no own pool of its own, and the horizon cuts the forecast.
    options.horizon = 11 * kDay;
    const TrendLine scope = analyse_line("10.1.2.0/24", "", buckets, as_of, options);
    EXPECT_EQ(scope.exhaustion, std::nullopt);
    EXPECT_NEAR(*scope.slope, 10, 1e-9);
    EXPECT_EQ(scope.own_exhaustion, std::nullopt);
    EXPECT_EQ(scope.severity, std::nullopt);
    options.horizon = 12 * kDay;
    EXPECT_EQ(analyse_line("10.1.2.0/24", "", buckets, as_of, options).exhaustion,
              kMonday + 12 * kDay);
    // Fewer than three complete days: no growth, no forecast, said so.
    const TrendLine two =
        analyse_line("10.1.2.0/24", "", std::span(buckets).first(2), as_of, options);
    EXPECT_EQ(two.fit, "short");
    EXPECT_EQ(two.slope, std::nullopt);
    EXPECT_EQ(two.exhaustion, std::nullopt);
}

TEST(Trend, ANumAddrChangeIsReportedAndTheForecastRunsToTheNewSize) {
    // Leases peak 100, 120, 140, 160, 180 a day while the pool is extended from 200 to 405
    // on the third day: demand does not step, so growth stays 20 a day and the scope runs
    // out when the peak reaches 405 (at the start of the 11th day from as_of, the line at
    // 410 there). The own free pool jumps at the change; the forecast takes the step there
    // (60, 50 free at the trough before; 143, 133, 123 after: 10 a day, 2 above 0 at the
    // start of the 12th day).
    const std::int64_t d0 = kMonday - 5 * kDay;
    std::vector<TrendBucket> extended;
    for (int i = 0; i < 5; ++i) {
        const std::uint64_t size = i < 2 ? 200 : 405;
        const std::uint64_t own = i < 2 ? 60 - 10 * i : 143 - 10 * (i - 2);
        extended.push_back(day_bucket(d0 + i * kDay, counters(size, 90 + 20 * i, own + 5),
                                      counters(size, 100 + 20 * i, own)));
    }
    const TrendLine grown = analyse_line("10.1.2.0/24", "dhcp1", extended, kMonday, TrendOptions{});
    ASSERT_EQ(grown.size_changes.size(), 1u);
    EXPECT_EQ(grown.size_changes[0].from, 200u);
    EXPECT_EQ(grown.size_changes[0].to, 405u);
    EXPECT_EQ(grown.num_addr, 405u);
    EXPECT_NEAR(*grown.slope, 20, 1e-9);
    EXPECT_EQ(grown.exhaustion, kMonday + 11 * kDay);
    ASSERT_TRUE(grown.own_slope);
    EXPECT_NEAR(*grown.own_slope, -10, 1e-6);
    EXPECT_EQ(grown.own_exhaustion, kMonday + 12 * kDay);

    const std::int64_t as_of = kMonday;
    // A one-sample blip inside a bucket is a change too, reported with its path.
    std::vector<TrendBucket> blip = {
        day_bucket(d0, counters(200, 80, 60), counters(200, 80, 60)),
        day_bucket(d0 + kDay, counters(210, 100, 50), counters(200, 100, 50)),
    };
    const TrendLine b = analyse_line("10.1.2.0/24", "", blip, as_of, TrendOptions{});
    ASSERT_EQ(b.size_changes.size(), 1u);
    EXPECT_EQ(b.size_changes[0].from, 200u);
    EXPECT_EQ(b.size_changes[0].to, 200u);
    EXPECT_EQ(b.size_changes[0].high, 210u);
}

TEST(Trend, ForecastSeverityFollowsWarnAndCriticalWithin) {
    TrendOptions o;
    EXPECT_EQ(forecast_severity(kT0 + 7 * kDay, kT0, o), Severity::critical);
    EXPECT_EQ(forecast_severity(kT0 + 7 * kDay + 1, kT0, o), Severity::warning);
    EXPECT_EQ(forecast_severity(kT0 + 30 * kDay, kT0, o), Severity::warning);
    EXPECT_EQ(forecast_severity(kT0 + 30 * kDay + 1, kT0, o), std::nullopt);
    EXPECT_EQ(forecast_severity(std::nullopt, kT0, o), std::nullopt);
}

// Two servers of one scope, a day of hourly samples for 10 days; dhcp2 gives its own free
// addresses away twice as fast as dhcp1.
std::vector<Sample> lopsided_pair() {
    std::vector<Sample> out;
    for (std::int64_t t = kT0 - 10 * kDay; t <= kT0; t += 3600) {
        const std::uint64_t day = static_cast<std::uint64_t>((t - (kT0 - 10 * kDay)) / kDay);
        for (const char* server : {"dhcp1", "dhcp2"}) {
            Sample s = test::sample_at(t, server, "10.1.2.0/24", 100 + 3 * day);
            const std::uint64_t free = 154 - 3 * day;
            const std::uint64_t dhcp2_free = 77 - 6 * day;  // 77 ... 17
            const bool two = std::string(server) == "dhcp2";
            *s.counters[Counter::this_addr_free] = two ? dhcp2_free : free - dhcp2_free;
            *s.counters[Counter::partner_addr_free] = two ? free - dhcp2_free : dhcp2_free;
            out.push_back(s);
        }
    }
    return out;
}

TEST(Trend, PerServerAddsEachServersLineAndTheScopeNamesTheFirstOwnPoolOut) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, lopsided_pair());
    TrendOptions options;
    const TrendResult scopes = trend(*db, {}, options);
    EXPECT_EQ(scopes.bucket, kDaySeconds);
    EXPECT_EQ(scopes.as_of, kT0);
    ASSERT_EQ(scopes.lines.size(), 1u);
    const TrendLine& scope = scopes.lines[0];
    EXPECT_TRUE(scope.server.empty());
    EXPECT_EQ(scope.own_server, "dhcp2");
    ASSERT_TRUE(scope.own_exhaustion);
    ASSERT_TRUE(scope.exhaustion);
    EXPECT_LT(*scope.own_exhaustion, *scope.exhaustion);
    EXPECT_TRUE(own_runs_out_first(scope));
    EXPECT_NEAR(*scope.slope, 3, 0.2);
    EXPECT_EQ(scope.total.samples, 2 * (10 * 24 + 1));

    options.per_server = true;
    const TrendResult servers = trend(*db, {}, options);
    ASSERT_EQ(servers.lines.size(), 3u);
    EXPECT_EQ(servers.lines[0], scope);
    EXPECT_EQ(servers.lines[1].server, "dhcp1");
    EXPECT_EQ(servers.lines[2].server, "dhcp2");
    EXPECT_EQ(servers.lines[2].own_exhaustion, scope.own_exhaustion);
    EXPECT_NEAR(*servers.lines[2].own_slope, -6, 0.3);
    EXPECT_NEAR(*servers.lines[1].own_slope, 3, 0.3);  // dhcp1 gains what dhcp2 loses
    EXPECT_EQ(servers.lines[1].own_exhaustion, std::nullopt);
    // About 2.8 days of dhcp2's own pool are left at kT0: critical.
    EXPECT_EQ(servers.worst.get(), Severity::critical);
    // --server keeps that server's lines; the scope line is then that server's view.
    SeriesFilter only;
    only.servers = {"dhcp1"};
    const TrendResult one = trend(*db, only, options);
    ASSERT_EQ(one.lines.size(), 2u);
    EXPECT_EQ(one.lines[0].own_server, "");
    EXPECT_EQ(one.worst.get(), std::nullopt);
}

TEST(Trend, TheScopeLineAbsorbsItsServersBucketsOfEachStartInServerOrder) {
    // dhcp2 starts two days later than dhcp1 and misses a day in the middle: walked in step,
    // the scope's bucket of each start is its servers' buckets of that start absorbed in
    // server order, as if all buckets had been kept.
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    std::vector<Sample> samples;
    for (std::int64_t t = kT0 - 10 * kDay; t <= kT0; t += 3600) {
        const auto in_use = static_cast<std::uint64_t>(100 + (t - (kT0 - 10 * kDay)) / 7200);
        samples.push_back(test::sample_at(t, "dhcp1", "10.1.2.0/24", in_use));
        const bool missing = t < kT0 - 8 * kDay || (t >= kT0 - 5 * kDay && t < kT0 - 4 * kDay);
        if (!missing)
            samples.push_back(test::sample_at(t, "dhcp2", "10.1.2.0/24", in_use + 3));
    }
    store(*db, samples);
    TrendOptions options;
    options.per_server = true;
    for (std::int64_t bucket : {kHourSeconds, kDaySeconds, kWeekSeconds}) {
        SCOPED_TRACE(bucket);
        options.bucket = bucket;
        const TrendResult r = trend(*db, {}, options);
        const auto walked = buckets_of(*db, {}, options);
        ASSERT_EQ(r.lines.size(), 3u);
        ASSERT_EQ(walked.size(), 3u);
        std::map<std::int64_t, RollupStats> by_start;
        for (std::size_t server : {1, 2}) {
            EXPECT_EQ(r.lines[server].bucket_count,
                      static_cast<std::int64_t>(walked[server].size()));
            for (const TrendBucket& b : walked[server])
                by_start[b.start].absorb(b.stats);
        }
        std::vector<TrendBucket> expected;
        for (const auto& [start, stats] : by_start)
            expected.push_back({start, stats});
        EXPECT_EQ(walked[0], expected);
        EXPECT_EQ(r.lines[0].bucket_count, static_cast<std::int64_t>(expected.size()));
        EXPECT_LT(r.lines[2].bucket_count, r.lines[1].bucket_count);
        // The analysis of the kept buckets gives the same line (its days made of hours or
        // days; a week's bucket does not keep them).
        if (bucket == kWeekSeconds)
            continue;
        TrendLine again = analyse_line("10.1.2.0/24", "", expected, r.as_of, options);
        again.own_exhaustion = r.lines[0].own_exhaustion;
        again.own_earliest = r.lines[0].own_earliest;
        again.own_server = r.lines[0].own_server;
        again.severity = r.lines[0].severity;
        EXPECT_EQ(again, r.lines[0]);
    }
}

void expect_same_from_raw(SQLite::Database& db, const SeriesFilter& filter, TrendOptions options,
                          const std::string& what) {
    SCOPED_TRACE(what);
    options.source = TrendSource::rollups;
    const TrendResult rolled = trend(db, filter, options);
    options.source = TrendSource::raw;
    const TrendResult raw = trend(db, filter, options);
    EXPECT_EQ(rolled.bucket, raw.bucket);
    EXPECT_EQ(rolled.as_of, raw.as_of);
    ASSERT_EQ(rolled.lines.size(), raw.lines.size());
    EXPECT_FALSE(rolled.lines.empty());
    options.source = TrendSource::rollups;
    const auto rolled_buckets = buckets_of(db, filter, options);
    options.source = TrendSource::raw;
    const auto raw_buckets = buckets_of(db, filter, options);
    ASSERT_EQ(rolled_buckets.size(), raw.lines.size());
    for (std::size_t i = 0; i < raw.lines.size(); ++i) {
        SCOPED_TRACE(raw.lines[i].scope + " " + raw.lines[i].server);
        EXPECT_EQ(rolled_buckets[i], raw_buckets[i]);
        EXPECT_EQ(rolled.lines[i], raw.lines[i]);  // every field, exactly
    }
    EXPECT_EQ(rolled.worst.get(), raw.worst.get());
}

TEST(Trend, OverRollupsEqualsOverRawSamplesExactly) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, simulated(6, 20));
    TrendOptions options;
    options.per_server = true;
    expect_same_from_raw(*db, {}, options, "everything, default bucket");
    for (std::int64_t bucket : {kHourSeconds, kDaySeconds, kWeekSeconds}) {
        options.bucket = bucket;
        expect_same_from_raw(*db, {}, options, "everything, bucket " + std::to_string(bucket));
        SeriesFilter cut;  // both ends inside a day and inside an hour
        cut.since = kT0 - 12 * kDay - 5 * 3600 - 17 * 60;
        cut.until = kT0 - 2 * kDay + 7 * 3600 + 33 * 60;
        cut.scopes = {"10.0.0.0/24", "10.0.6.0/23"};
        expect_same_from_raw(*db, cut, options, "cut window, bucket " + std::to_string(bucket));
    }
}

constexpr std::int64_t kDec1 = kT0 - 8 * 3600 + 7 * kDay;  // 2026-12-01T00:00:00Z, a Tuesday

// One server, a sample every 20 minutes for five days from kDec1, growing slowly, with one
// peak of 200 in use at `peak`.
std::vector<Sample> around_midnights(std::int64_t peak) {
    std::vector<Sample> out;
    for (std::int64_t t = kDec1; t < kDec1 + 5 * kDay; t += 20 * 60) {
        const auto in_use = static_cast<std::uint64_t>(100 + (t - kDec1) / (4 * 3600));
        out.push_back(test::sample_at(t, "dhcp1", "10.1.2.0/24", t == peak ? 200 : in_use));
    }
    return out;
}

// The buckets computed straight from the samples: each sample added to the bucket that
// starts at `start(t)`, in time order.
template <class Start>
std::vector<TrendBucket> by_hand(const std::vector<Sample>& samples, Start start) {
    std::vector<TrendBucket> out;
    for (const Sample& s : samples) {
        if (out.empty() || out.back().start != start(s.timestamp))
            out.push_back({start(s.timestamp), {}});
        out.back().stats.add(s.timestamp, s.counters);
    }
    return out;
}

TEST(Trend, WithAZoneOfWholeHoursDaysAndWeeksAreTheZonesFromHourlyRollups) {
    // 2026-12-03T09:40Z is 04:40 on 12-03 in New York (UTC-5): the peak belongs to the local
    // day 12-03, which starts at 05:00Z; UTC's day 12-03 starts at 19:00 on 12-02 there.
    const std::int64_t peak = kDec1 + 2 * kDay + 9 * 3600 + 40 * 60;
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    const std::vector<Sample> samples = around_midnights(peak);
    store(*db, samples);
    const TimeFormatter new_york("America/New_York");
    TrendOptions options;
    options.per_server = true;
    options.bucket = kDaySeconds;

    const TrendResult utc = trend(*db, {}, options);
    ASSERT_EQ(utc.lines.size(), 2u);
    EXPECT_FALSE(utc.local_days);
    EXPECT_EQ(utc.lines[0].peak_bucket, kDec1 + 2 * kDay);

    options.zone = new_york.zone();
    const TrendResult local = trend(*db, {}, options);
    ASSERT_EQ(local.lines.size(), 2u);
    EXPECT_TRUE(local.local_days);
    EXPECT_EQ(local.lines[0].peak_bucket, kDec1 + 2 * kDay + 5 * 3600);
    EXPECT_EQ(new_york.format(local.lines[0].peak_bucket).substr(0, 10), "2026-12-03");
    // Every sample in the local day that holds it: the buckets equal those made by hand.
    const auto local_day = [](std::int64_t t) {
        return (t - 5 * 3600) - (t - 5 * 3600) % kDay + 5 * 3600;
    };
    const std::vector<TrendBucket> days = buckets_of(*db, {}, options)[1];
    ASSERT_EQ(days.size(), 6u);  // 11-30 (19:00 to midnight) ... 12-05
    EXPECT_EQ(days[0].start, kDec1 - kDay + 5 * 3600);
    const std::vector<TrendBucket> hand = by_hand(samples, local_day);
    ASSERT_EQ(hand.size(), days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        EXPECT_EQ(days[i].start, hand[i].start);
        EXPECT_EQ(days[i].stats.samples, hand[i].stats.samples);
        EXPECT_EQ(days[i].stats.utilization.max, hand[i].stats.utilization.max);
        EXPECT_EQ(days[i].stats[Counter::addr_in_use], hand[i].stats[Counter::addr_in_use]);
    }
    expect_same_from_raw(*db, {}, options, "New York, days");
    SeriesFilter cut;
    cut.since = kDec1 + kDay + 3 * 3600 + 10 * 60;
    cut.until = kDec1 + 3 * kDay + 7 * 3600 + 55 * 60;
    expect_same_from_raw(*db, cut, options, "New York, days, cut window");

    // Weeks start on the local Monday: 2026-11-30T00:00-05:00.
    options.bucket = kWeekSeconds;
    const TrendResult weeks = trend(*db, {}, options);
    const std::vector<TrendBucket> week_buckets = buckets_of(*db, {}, options)[0];
    ASSERT_FALSE(week_buckets.empty());
    EXPECT_EQ(week_buckets[0].start, kDec1 - kDay + 5 * 3600);
    EXPECT_EQ(new_york.format(weeks.lines[0].peak_bucket).substr(0, 10), "2026-11-30");
    expect_same_from_raw(*db, {}, options, "New York, weeks");
}

TEST(Trend, WithAHalfHourZoneLocalDaysComeFromRawSamples) {
    // 2026-12-03T19:00Z is 00:30 on 12-04 in Kolkata (UTC+5:30): an hourly rollup from 18:00Z
    // would straddle that day's start (18:30Z), so the days are made of raw samples.
    const std::int64_t peak = kDec1 + 2 * kDay + 19 * 3600;
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    const std::vector<Sample> samples = around_midnights(peak);
    store(*db, samples);
    const TimeFormatter kolkata("Asia/Kolkata");
    TrendOptions options;
    options.per_server = true;
    options.bucket = kDaySeconds;
    options.zone = kolkata.zone();
    const TrendResult local = trend(*db, {}, options);
    ASSERT_EQ(local.lines.size(), 2u);
    EXPECT_TRUE(local.local_days);
    const std::int64_t offset = 5 * 3600 + 30 * 60;
    EXPECT_EQ(local.lines[0].peak_bucket, kDec1 + 3 * kDay - offset);
    EXPECT_EQ(kolkata.format(local.lines[0].peak_bucket).substr(0, 10), "2026-12-04");
    // Exactly the raw computation: each sample added to its local day, in time order.
    const auto local_day = [&](std::int64_t t) {
        return (t + offset) - (t + offset) % kDay - offset;
    };
    EXPECT_EQ(buckets_of(*db, {}, options)[1], by_hand(samples, local_day));
    expect_same_from_raw(*db, {}, options, "Kolkata, days");

    // A zone at UTC all through the window has UTC's days, exactly.
    const TimeFormatter utc_zone("Etc/GMT");
    options.zone = utc_zone.zone();
    const TrendResult utc = trend(*db, {}, options);
    EXPECT_FALSE(utc.local_days);
    options.zone = nullptr;
    EXPECT_EQ(utc.lines, trend(*db, {}, options).lines);
}

TEST(Trend, AfterPruneTheDailyTrendIsUnchangedAndHourlyBucketsAreCountedAsGone) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, simulated(2, 20));
    TrendOptions options;
    options.bucket = kDaySeconds;
    options.per_server = true;
    const TrendResult before = trend(*db, {}, options);
    prune(*db, 5 * kDay, 10 * kDay, test::SetClock(kT0));
    const TrendResult after = trend(*db, {}, options);
    ASSERT_EQ(after.lines.size(), before.lines.size());
    for (std::size_t i = 0; i < after.lines.size(); ++i)
        EXPECT_EQ(after.lines[i], before.lines[i]);
    expect_same_from_raw(*db, {}, options, "pruned days fall back to rollups");
    options.bucket = kHourSeconds;
    const TrendResult hourly = trend(*db, {}, options);
    EXPECT_EQ(hourly.pruned_days, 2 * 2 * 10);  // 11-04 ... 11-13, 4 series
    EXPECT_FALSE(hourly.lines.empty());
}

TEST(Trend, RefusesWhileDaysStoredBeforeRollupsAwaitTheirRollups) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, {test::sample_at(kT0)});
    test::compact(*db);
    db->exec("INSERT INTO rollup_backlog SELECT series_id, day FROM chunks");
    EXPECT_THROW(trend(*db, {}, TrendOptions{}), StorageError);
}

TEST(Trend, AnEmptyWindowHasNoLines) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    store(*db, {test::sample_at(kT0)});
    SeriesFilter later;
    later.since = kT0 + 1;
    const TrendResult r = trend(*db, later, TrendOptions{});
    EXPECT_TRUE(r.lines.empty());
    EXPECT_EQ(r.worst.exit_status(), 0);
}

}  // namespace
}  // namespace fostat
