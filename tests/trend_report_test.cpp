#include "reports/trend_report.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fostat/time_text.h"

namespace fostat {
namespace {

constexpr std::int64_t kAsOf = 1795478400;  // 2026-11-24T00:00:00Z

TrendLine named(std::string scope, std::string server = "") {
    TrendLine line;
    line.scope = std::move(scope);
    line.server = std::move(server);
    return line;
}

SizeChange size_change(std::int64_t after, std::int64_t by, std::uint64_t from, std::uint64_t to,
                       std::uint64_t low = 0, std::uint64_t high = 0) {
    SizeChange c;
    c.after = after;
    c.by = by;
    c.from = from;
    c.to = to;
    c.low = low;
    c.high = high;
    return c;
}

// trend_each's part, played without a database: the given scopes' lines, one visit a scope,
// and their buckets by scope and server. Records each run's names_only.
class FakeTrend : public TrendBuckets {
  public:
    FakeTrend() {
        result.bucket = kDaySeconds;
        result.as_of = kAsOf;
    }

    void each(const TrendLine& line,
              const std::function<void(const TrendBucket&)>& visit) override {
        for (const TrendBucket& b : buckets[{line.scope, line.server}])
            visit(b);
    }

    TrendRun run() {
        return [this](const TrendVisitor& visit, bool names_only) {
            runs.push_back(names_only);
            for (std::vector<TrendLine> lines : scopes) {  // a copy: visit may move from it
                if (names_only) {
                    for (TrendLine& line : lines)
                        line = named(line.scope, line.server);
                }
                TrendResult so_far;
                so_far.bucket = result.bucket;
                so_far.as_of = result.as_of;
                visit(so_far, lines, *this);
            }
            return result;
        };
    }

    TrendResult result;  // what the run returns: no lines
    std::vector<std::vector<TrendLine>> scopes;
    std::map<std::pair<std::string, std::string>, std::vector<TrendBucket>> buckets;
    std::vector<bool> runs;
};

std::string report(OutputFormat format, const TrendReportOptions& options, FakeTrend& trend) {
    std::ostringstream out;
    write_trend_report(format, out, options, TimeFormatter(), trend.run());
    return out.str();
}

// A bucket of samples with num_addr 200 and these addresses in use, one a minute from start.
TrendBucket bucket(std::int64_t start, std::vector<std::uint64_t> in_use) {
    TrendBucket b;
    b.start = start;
    std::int64_t t = start;
    for (std::uint64_t n : in_use) {
        Counters c;
        c[Counter::num_addr] = 200;
        c[Counter::addr_in_use] = n;
        b.stats.add(t, c);
        t += 60;
    }
    return b;
}

TEST(TrendReport, TheTableFlagsEachLineAndTheNotesExplainTheFlags) {
    FakeTrend trend;
    TrendLine critical = named("10.1.0.0/24");
    critical.utilization = 87.76;
    critical.peak = 94.14;
    critical.size_changes = {
        size_change(kAsOf - 7 * kDaySeconds - 300, kAsOf - 6 * kDaySeconds - 300, 254, 510)};
    critical.forecast_days = 30;
    critical.fit = "line";
    critical.slope = 2.557;
    critical.exhaustion = kAsOf + 5 * kDaySeconds + 6 * kHourSeconds;
    critical.earliest = kAsOf + 5 * kDaySeconds;
    critical.severity = Severity::critical;
    TrendLine short_history = named("10.1.1.0/24");
    short_history.utilization = 20.04;
    short_history.peak = 30.0;
    short_history.forecast_days = 1;
    short_history.fit = "short";
    short_history.slope = -0.001;  // rounds to 0, never "-0"
    // Its scope does not run out within the horizon; dhcp1's own free addresses do, and
    // within warn_within.
    TrendLine own = named("10.2.0.0/23");
    own.utilization = 50.0;
    own.peak = 61.25;
    own.forecast_days = 30;
    own.fit = "line";
    own.slope = 0.5;
    own.own_exhaustion = kAsOf + 20 * kDaySeconds;
    own.own_earliest = kAsOf + 10 * kDaySeconds;
    own.own_server = "dhcp1";
    own.severity = Severity::warning;
    trend.scopes = {{critical}, {short_history}, {own}};
    trend.result.worst.add(Severity::critical);

    TrendReportOptions options;
    std::ostringstream out;
    const TrendResult result =
        write_trend_report(OutputFormat::table, out, options, TimeFormatter(), trend.run());

    EXPECT_EQ(out.str(),
              "scope        util %  peak %  growth/d  runs out    earliest    notes\n"
              "10.1.0.0/24    87.8    94.1      2.56  2026-11-29  2026-11-29  crit size\n"
              "10.1.1.0/24      20      30         0  -           -           short\n"
              "10.2.0.0/23      50    61.3       0.5  > 365d      > 365d      warn own\n"
              "bucket 1d, as of 2026-11-24T00:00:00Z\n"
              "growth: of the daily peak, addresses in use a day; runs out: the peak reaches "
              "num_addr;\n"
              "earliest: 1 in 10 that it comes sooner (warn and crit follow it)\n"
              "own: a server's own free addresses run out first\n"
              "  10.2.0.0/23  dhcp1 on 2026-12-14\n"
              "crit, warn: from a server's own free addresses, earliest likely\n"
              "  10.2.0.0/23  dhcp1 on 2026-12-04\n"
              "size: num_addr changed: the forecast runs to the new size, and may step there\n"
              "  10.1.0.0/24  254 -> 510 in 2026-11-16 23:55 .. 2026-11-17 23:55\n"
              "short: a forecast needs 3 days whose samples span 20 hours or more\n"
              "  10.1.1.0/24  1 day\n");
    EXPECT_EQ(trend.runs, std::vector<bool>{false});  // no buckets asked: one run
    EXPECT_EQ(result.worst.exit_status(), 2);
}

TEST(TrendReport, ServerLinesAreIndentedAndTheBucketsFollowFromASecondRun) {
    FakeTrend trend;
    trend.result.bucket = kHourSeconds;
    // Server lines show their own pool's growth and dates; a short own fit shows none, and
    // the flag short.
    TrendLine scope = named("10.1.0.0/24");
    scope.utilization = 50;
    scope.peak = 50;
    scope.fit = "line";
    TrendLine server = named("10.1.0.0/24", "dhcp1");
    server.utilization = 50;
    server.peak = 50;
    server.fit = "line";
    server.slope = 9;
    server.own_fit = "line";
    server.own_slope = -1.25;
    server.own_exhaustion = kAsOf + 40 * kDaySeconds;
    TrendLine other = named("10.1.0.0/24", "dhcp2");
    other.fit = "line";
    other.own_fit = "short";
    trend.scopes = {{scope, server, other}};
    trend.buckets[{"10.1.0.0/24", ""}] = {bucket(kAsOf - kHourSeconds, {50, 100}),
                                          bucket(kAsOf, {100})};
    // A bucket without a known utilization (num_addr unknown).
    TrendBucket unknown;
    unknown.start = kAsOf;
    unknown.stats.add(kAsOf, Counters{});
    trend.buckets[{"10.1.0.0/24", "dhcp1"}] = {unknown};

    TrendReportOptions options;
    options.analysis.per_server = true;
    options.buckets = true;
    options.horizon = "1y";
    const std::string text = report(OutputFormat::table, options, trend);

    EXPECT_EQ(trend.runs, (std::vector<bool>{false, true}));
    const std::string lines =
        "scope / server  util %  peak %  growth/d  runs out    earliest  notes\n"
        "10.1.0.0/24         50      50  -         > 1y        > 1y      \n"
        "  dhcp1             50      50     -1.25  2027-01-03  > 1y      \n"
        "  dhcp2         -       -       -         -           -         short\n"
        "bucket 1h, as of 2026-11-24T00:00:00Z\n";
    EXPECT_EQ(text.substr(0, lines.size()), lines);
    EXPECT_NE(text.find("server lines: its own free addresses at the daily trough, a day; "
                        "reach 0\n"),
              std::string::npos);
    const std::string buckets =
        "\n"
        "scope / server  bucket         samples  min %  mean %  max %  last %\n"
        "10.1.0.0/24     2026-11-23T23        2     25    37.5     50      50\n"
        "10.1.0.0/24     2026-11-24T00        1     50      50     50      50\n"
        "  dhcp1         2026-11-24T00        1  -      -       -      -\n";
    ASSERT_GE(text.size(), buckets.size());
    EXPECT_EQ(text.substr(text.size() - buckets.size()), buckets);
}

TEST(TrendReport, WithoutLinesTheTableSaysSoAndNeitherNotesNorBucketsFollow) {
    FakeTrend trend;
    trend.result.pruned_days = 3;
    TrendReportOptions options;
    options.buckets = true;
    EXPECT_EQ(report(OutputFormat::table, options, trend),
              "(no results)\n"
              "hourly buckets of 3 series-days were pruned; daily buckets cover them\n");
    EXPECT_EQ(trend.runs, std::vector<bool>{false});
}

TEST(TrendReport, RecordsCarryEveryFieldAndBucketRowsOnlyTheirOwn) {
    FakeTrend trend;
    TrendLine line = named("10.1.0.0/24");
    line.bucket_count = 2;
    line.num_addr = 200;
    line.utilization = 50;
    line.peak = 50;
    line.peak_bucket = kAsOf - kDaySeconds;
    line.size_changes = {
        size_change(kAsOf - 2 * kDaySeconds, kAsOf - kDaySeconds, 254, 254, 254, 264)};
    line.forecast_days = 2;
    line.fit = "short";
    line.severity = Severity::warning;
    line.total.samples = 3;
    line.total.first_ts = kAsOf - kDaySeconds;
    line.total.last_ts = kAsOf;
    trend.scopes = {{line}};
    trend.buckets[{"10.1.0.0/24", ""}] = {bucket(kAsOf - kDaySeconds, {50, 100})};

    TrendReportOptions options;
    const std::string header =
        "scope,server,bucket,as_of,first,last,samples,buckets,num_addr,utilization,"
        "peak_utilization,peak_bucket,forecast_days,fit,slope_per_day,spread,exhaustion,"
        "earliest_exhaustion,own_fit,own_slope_per_day,own_exhaustion,own_earliest_exhaustion,"
        "own_server,horizon,num_addr_changes,severity";
    const std::string row =
        "10.1.0.0/24,,1d,2026-11-24T00:00:00Z,2026-11-23T00:00:00Z,2026-11-24T00:00:00Z,3,2,"
        "200,50,50,2026-11-23T00:00:00Z,2,short,,,,,,,,,,365d,"
        "num_addr 254 -> 264 -> 254 between 2026-11-22T00:00:00Z and 2026-11-23T00:00:00Z,"
        "warning";
    EXPECT_EQ(report(OutputFormat::csv, options, trend), header + "\n" + row + "\n");

    options.buckets = true;
    EXPECT_EQ(report(OutputFormat::csv, options, trend),
              "record," + header +
                  ",bucket_start,bucket_samples,utilization_min,utilization_mean,"
                  "utilization_max,utilization_last,addr_in_use_mean\n"
                  "trend," +
                  row +
                  ",,,,,,,\n"
                  "bucket,10.1.0.0/24,,1d,,,,,,,,,,,,,,,,,,,,,,,,"
                  "2026-11-23T00:00:00Z,2,25,37.5,50,50,75\n");
    // Records walk the buckets within the one run.
    EXPECT_EQ(trend.runs, (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace fostat
