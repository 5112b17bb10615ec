#include "analyses/site_report.h"

#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "reports/html_report.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z

ScopeRow row(std::string scope, std::optional<Severity> worst, bool starved = false,
             std::optional<std::int64_t> runs_out = {}, std::optional<double> utilization = {},
             std::size_t findings = 0) {
    ScopeRow r;
    r.scope = std::move(scope);
    r.worst = worst;
    r.starved = starved;
    r.runs_out = runs_out;
    r.utilization = utilization;
    r.findings.resize(findings);
    return r;
}

TEST(SiteReport, RiskOrdersBySeverityStarvedExhaustionUtilizationFindingsAddress) {
    std::vector<ScopeRow> rows = {
        row("10.0.9.0/24", std::nullopt, false, {}, 99),
        row("10.0.8.0/24", Severity::warning, false, {}, 50, 1),
        row("10.0.7.0/24", Severity::warning, false, {}, 50, 3),
        row("10.0.6.0/24", Severity::warning, false, {}, 60),
        row("10.0.5.0/24", Severity::warning, false, kT0 + 900),
        row("10.0.4.0/24", Severity::warning, false, kT0 + 100),
        row("10.0.3.0/24", Severity::warning, true),
        row("10.0.2.0/24", Severity::critical),
        row("10.0.10.0/24", Severity::warning, false, {}, 50, 1),
        row("10.0.1.0/24", Severity::info),
    };
    std::sort(rows.begin(), rows.end(), riskier);
    std::vector<std::string> order;
    for (const ScopeRow& r : rows)
        order.push_back(r.scope);
    EXPECT_EQ(order, (std::vector<std::string>{
                         "10.0.2.0/24",   // critical
                         "10.0.3.0/24",   // warning, starved
                         "10.0.4.0/24",   // runs out first
                         "10.0.5.0/24",   // then
                         "10.0.6.0/24",   // utilization 60
                         "10.0.7.0/24",   // 50 %, 3 findings
                         "10.0.8.0/24",   // 50 %, 1 finding, address before .10
                         "10.0.10.0/24",  //
                         "10.0.1.0/24",   // info
                         "10.0.9.0/24",   // no finding, however full
                     }));
}

TEST(SiteReport, ColumnsKeepTheHighestUtilizationAndTheFewestFreeAddresses) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> samples;
    // Two hours of 10-minute samples; 4 columns of 30 minutes each.
    for (int i = 0; i <= 12; ++i)
        samples.push_back(sample_at(kT0 + 600 * i, "dhcp1", "10.1.2.0/24", 100 + 10 * i));
    samples.push_back(sample_at(kT0, "dhcp2", "10.1.2.0/24", 240));  // 94.5 %: critical
    store(*db, samples);
    SiteReportOptions options;
    options.columns = 4;
    options.status.now = kT0 + 7200;
    const SiteReport report = make_site_report(*db, {}, options);
    EXPECT_EQ(report.start, kT0);
    EXPECT_EQ(report.end, kT0 + 7200);
    ASSERT_EQ(report.scopes.size(), 1u);
    const ScopeRow& scope = report.scopes[0];
    ASSERT_EQ(scope.servers.size(), 2u);
    const ServerRow& dhcp1 = scope.servers[0];
    ASSERT_EQ(dhcp1.utilization.size(), 4u);
    // Column 0 holds samples 0..2 (0, 600, 1200 s): the highest is 120 in use.
    EXPECT_NEAR(*dhcp1.utilization[0], 100.0 * 120 / 254, 1e-9);
    EXPECT_NEAR(*dhcp1.utilization[3], 100.0 * 220 / 254, 1e-9);  // the last sample's column
    // sample_at splits the free addresses evenly: own = (254 - in use) / 2 at its fewest.
    EXPECT_DOUBLE_EQ(*dhcp1.own_free[0], static_cast<double>((254 - 120) / 2));
    // The stack: own and partner free of one sample, at its fewest: all 134 free at 120 in use.
    EXPECT_DOUBLE_EQ(*dhcp1.stacked_free[0], 254.0 - 120);
    // plot's band top: the largest stack (154 free at 100 in use) rounded up.
    EXPECT_DOUBLE_EQ(scope.free_max, 200);
    EXPECT_NEAR(*dhcp1.peak, 100.0 * 220 / 254, 1e-9);
    EXPECT_EQ(dhcp1.peak_at, kT0 + 7200);
    const ServerRow& dhcp2 = scope.servers[1];
    EXPECT_TRUE(dhcp2.utilization[0].has_value());
    EXPECT_FALSE(dhcp2.utilization[1].has_value());  // no sample there
    EXPECT_EQ(scope.worst, Severity::critical);      // dhcp2's 94.5 %
    EXPECT_EQ(report.worst.exit_status(), kExitCritical);
    EXPECT_NEAR(*scope.utilization, 100.0 * 240 / 254, 1e-9);  // the highest latest
    EXPECT_EQ(report.relationships.size(), 1u);
    ASSERT_EQ(report.servers.size(), 2u);
    EXPECT_EQ(report.servers[0].newest, kT0 + 7200);
    EXPECT_EQ(report.servers[1].newest, kT0);
}

TEST(SiteReport, StaleServersAndFindingsCount) {
    auto db = open_database(":memory:", Access::read_write);
    store(*db,
          {sample_at(kT0, "dhcp1", "10.1.2.0/24", 50), sample_at(kT0, "dhcp2", "10.1.2.0/24", 50)});
    SiteReportOptions options;
    options.status.now = kT0 + 3600;
    options.status.stale_after = 900;
    const SiteReport report = make_site_report(*db, {}, options);
    ASSERT_EQ(report.servers.size(), 2u);
    EXPECT_TRUE(report.servers[0].stale);
    EXPECT_EQ(report.warning, 2u);  // one stale finding per server
    EXPECT_EQ(report.critical, 0u);
    EXPECT_EQ(report.worst.exit_status(), kExitWarning);
}

// A scope whose daily peak grows 15 a day from 60 % runs out a few days after the window:
// its row has trend's forecast, drawn into a forecast zone beyond the window's end, and the
// page's data carries it.
TEST(SiteReport, AGrowingScopeHasItsForecastBeyondTheWindow) {
    test::TempDir dir;
    auto db = open_database(dir.file("t.db"), Access::read_write);
    constexpr std::int64_t kEnd = kT0 - 8 * 3600;  // a midnight
    std::vector<Sample> samples;
    for (std::int64_t t = kEnd - 8 * kDaySeconds; t <= kEnd; t += 3600) {
        const std::int64_t hour = (t / 3600) % 24;
        const auto swing = static_cast<std::uint64_t>(40 - std::abs(hour - 12) * 40 / 12);
        const auto level = static_cast<std::uint64_t>(152 - (kEnd - t) * 15 / kDaySeconds);
        for (const char* server : {"dhcp1", "dhcp2"})
            samples.push_back(sample_at(t, server, "10.1.2.0/24", level + swing));
    }
    store(*db, samples);
    SiteReportOptions options;
    options.status.now = kEnd;
    const SiteReport report = make_site_report(*db, {}, options);
    ASSERT_EQ(report.scopes.size(), 1u);
    const ScopeRow& row = report.scopes[0];
    ASSERT_TRUE(row.runs_out.has_value());
    ASSERT_TRUE(row.forecast.has_value());
    EXPECT_GT(row.axis_end, report.end);
    EXPECT_GE(row.forecast->line.size(), 2u);
    // Up to 100 %, or cut at the axis' end (at most half the window beyond it) on its way.
    const PlotPoint last = row.forecast->line.back();
    EXPECT_TRUE(std::abs(last.v - 100) < 1e-6 || last.t == row.axis_end) << last.t << " " << last.v;
    EXPECT_GT(last.v, 80);
    EXPECT_LE(last.t, row.axis_end);
    // Each server's own free addresses fall too: their forecasts run to 0 on the same axis.
    for (const ServerRow& s : row.servers) {
        ASSERT_TRUE(s.own_forecast.has_value()) << s.status.series.server;
        const PlotPoint end = s.own_forecast->line.back();
        EXPECT_TRUE(std::abs(end.v) < 1e-6 || end.t == row.axis_end) << end.t << " " << end.v;
        EXPECT_LE(end.v, row.free_max);
    }
    std::ostringstream out;
    write_html_report(report, TimeFormatter(), HtmlReportOptions{}, out);
    EXPECT_NE(out.str().find("\"forecast\":{\"line\":[["), std::string::npos);
    EXPECT_NE(out.str().find("\"own_forecast\":{\"line\":[["), std::string::npos);
}

// A scope that grew from 254 to 510 addresses on both servers at once: one size change, as
// plot draws it, named in the page's data with both servers.
TEST(SiteReport, ASizeChangeIsDrawnOnceForBothServers) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> samples;
    for (int i = 0; i < 12; ++i) {
        for (const char* server : {"dhcp1", "dhcp2"}) {
            Sample s = sample_at(kT0 + 600 * i, server, "10.1.2.0/24", 134);
            if (i >= 6)
                s.counters.values = {510, 376, 134, 188, 188, 67, 67};
            samples.push_back(s);
        }
    }
    store(*db, samples);
    SiteReportOptions options;
    options.status.now = kT0 + 6600;
    const SiteReport report = make_site_report(*db, {}, options);
    ASSERT_EQ(report.scopes.size(), 1u);
    const ScopeRow& row = report.scopes[0];
    ASSERT_EQ(row.size_changes.size(), 1u);
    EXPECT_EQ(row.size_changes[0].t, kT0 + 3600);
    EXPECT_EQ(row.size_changes[0].from, 254u);
    EXPECT_EQ(row.size_changes[0].to, 510u);
    EXPECT_EQ(row.size_changes[0].servers, (std::vector<std::string>{"dhcp1", "dhcp2"}));
    EXPECT_DOUBLE_EQ(row.free_max, 500);  // the largest stack, 376, rounded up
    std::ostringstream out;
    write_html_report(report, TimeFormatter(), HtmlReportOptions{}, out);
    EXPECT_NE(out.str().find("\"254\u2192510\",\"dhcp1, dhcp2\"]"), std::string::npos);
}

// The page: every scope a row, the riskiest first; names escaped everywhere; the charts' data
// cannot end its script element.
TEST(HtmlReport, RowsInRiskOrderAndNamesEscaped) {
    auto db = open_database(":memory:", Access::read_write);
    Sample odd = sample_at(kT0, "dhcp<1>", "10.1.2.0/24", 240);
    odd.relationship.name = "a</script>b";
    store(*db, {odd, sample_at(kT0, "dhcp2", "10.1.3.0/24", 10)});
    SiteReportOptions options;
    options.status.now = kT0;
    const SiteReport report = make_site_report(*db, {}, options);
    std::ostringstream out;
    write_html_report(report, TimeFormatter(), HtmlReportOptions{}, out);
    const std::string html = out.str();
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    const auto first = html.find("data-scope=\"10.1.2.0/24\"");
    const auto second = html.find("data-scope=\"10.1.3.0/24\"");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    EXPECT_LT(first, second);  // 94.5 % critical before 3.9 % ok
    EXPECT_EQ(html.find("dhcp<1>"), std::string::npos);
    EXPECT_NE(html.find("dhcp&lt;1&gt;"), std::string::npos);
    // One closing script tag per script element: the data's own is escaped.
    std::size_t closings = 0;
    for (auto at = html.find("</script>"); at != std::string::npos;
         at = html.find("</script>", at + 1))
        ++closings;
    EXPECT_EQ(closings, 2u);
    EXPECT_NE(html.find("\"dhcp\\u003c1>\""), std::string::npos);  // in the charts' data
    EXPECT_NE(html.find("a&lt;/script&gt;b"), std::string::npos);  // in the relationships'
    EXPECT_EQ(html.find("a</script>b"), std::string::npos);
}

}  // namespace
}  // namespace fostat
