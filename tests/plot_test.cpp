#include "query/plot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "format/svg.h"
#include "fostat/error.h"
#include "query/trend.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kStep = 300;

std::int64_t at(std::int64_t tick) {
    return kT0 + kStep * tick;
}

// A sample of `server` at `tick`: 254 addresses, `in_use` of them leased, the free ones
// split evenly (as test::sample_at) unless `own` says how many are the server's.
Sample pool(std::int64_t tick, std::uint64_t in_use, const std::string& server = "dhcp1",
            std::optional<std::uint64_t> own = std::nullopt) {
    Sample s = test::sample_at(at(tick), server, "10.1.2.0/24", in_use);
    if (own) {
        const std::uint64_t free = 254 - in_use;
        s.counters[Counter::this_addr_free] = *own;
        s.counters[Counter::partner_addr_free] = free - *own;
    }
    return s;
}

// In use at a tick: a wobble that puts different values in every column.
std::uint64_t wobble(std::int64_t tick) {
    return 100 + static_cast<std::uint64_t>((tick * 37) % 23);
}

Plot plot_of(const std::vector<Sample>& samples, int columns, SeriesFilter filter = {},
             std::string_view zone = {}) {
    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, samples);
    if (filter.scopes.empty())
        filter.scopes = {"10.1.2.0/24"};
    PlotOptions options;
    options.columns = columns;
    return make_plot(*db, filter, TimeFormatter(zone), zone, options);
}

std::vector<PlotPoint> flat(const PlotSegments& segments) {
    std::vector<PlotPoint> out;
    for (const auto& s : segments)
        out.insert(out.end(), s.begin(), s.end());
    return out;
}

TEST(Plot, UtilizationKeepsEachColumnsLowestAndHighestSample) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 400; ++tick)
        samples.push_back(pool(tick, wobble(tick)));
    const Plot plot = plot_of(samples, 20);
    ASSERT_EQ(plot.scopes.size(), 1u);
    ASSERT_EQ(plot.scopes[0].servers.size(), 1u);
    EXPECT_EQ(plot.start, at(0));
    EXPECT_EQ(plot.end, at(399));
    const std::vector<PlotPoint> points = flat(plot.scopes[0].servers[0].utilization);
    ASSERT_EQ(plot.scopes[0].servers[0].utilization.size(), 1u);  // no gap, no NULL

    // Expected: per column, the samples with the lowest and highest value.
    std::map<int, std::pair<double, double>> range;
    for (const Sample& s : samples) {
        const double u = *utilization_percent(s.counters);
        auto [it, fresh] = range.try_emplace(plot_column(plot, s.timestamp), u, u);
        it->second.first = std::min(it->second.first, u);
        it->second.second = std::max(it->second.second, u);
    }
    std::map<int, std::vector<double>> seen;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const PlotPoint& p = points[i];
        if (i > 0) {
            EXPECT_LT(points[i - 1].t, p.t);
        }
        // Every point is a sample.
        const auto sample = std::find_if(samples.begin(), samples.end(),
                                         [&](const Sample& s) { return s.timestamp == p.t; });
        ASSERT_NE(sample, samples.end());
        EXPECT_DOUBLE_EQ(p.v, *utilization_percent(sample->counters));
        seen[plot_column(plot, p.t)].push_back(p.v);
    }
    EXPECT_EQ(seen.size(), range.size());
    for (const auto& [column, values] : seen) {
        EXPECT_LE(values.size(), 2u) << "column " << column;
        EXPECT_DOUBLE_EQ(*std::min_element(values.begin(), values.end()), range[column].first);
        EXPECT_DOUBLE_EQ(*std::max_element(values.begin(), values.end()), range[column].second);
    }
    // Fewer points than samples: at most two a column.
    EXPECT_LE(points.size(), 40u);
}

TEST(Plot, FreeBandsStackOwnBelowPartner) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 10; ++tick)
        samples.push_back(pool(tick, 154, "dhcp1", 30));  // 100 free, 30 own
    const Plot plot = plot_of(samples, 1000);  // more columns than samples: every sample kept
    const ServerPlot& s = plot.scopes[0].servers[0];
    EXPECT_EQ(plot.scopes[0].free_max, 100);
    const auto own = flat(s.own_free);
    const auto stacked = flat(s.stacked_free);
    ASSERT_EQ(own.size(), 10u);
    ASSERT_EQ(stacked.size(), 10u);
    EXPECT_EQ(own[3], (PlotPoint{at(3), 30}));
    EXPECT_EQ(stacked[3], (PlotPoint{at(3), 100}));
}

TEST(Plot, AGapOrANullCutsTheLine) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 20; ++tick)
        samples.push_back(pool(tick, 120));
    for (std::int64_t tick = 56; tick < 70; ++tick)  // 3 hours later
        samples.push_back(pool(tick, 120));
    samples[5].counters[Counter::addr_in_use] = std::nullopt;
    const Plot plot = plot_of(samples, 1000);
    const PlotSegments& u = plot.scopes[0].servers[0].utilization;
    ASSERT_EQ(u.size(), 3u);
    EXPECT_EQ(u[0].back().t, at(4));
    EXPECT_EQ(u[1].front().t, at(6));
    EXPECT_EQ(u[1].back().t, at(19));
    EXPECT_EQ(u[2].front().t, at(56));
}

TEST(Plot, ImbalanceAndStarvedEpisodesAreShadedWhereTheyAre) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 60; ++tick) {
        const bool starved = tick >= 20 && tick <= 35;
        samples.push_back(pool(tick, 154, "dhcp1", starved ? 100 : 50));
        samples.push_back(pool(tick, 154, "dhcp2", starved ? 0 : 50));
    }
    const Plot plot = plot_of(samples, 200);
    const auto& shades = plot.scopes[0].shades;
    ASSERT_EQ(shades.size(), 2u);
    for (const PlotShade& s : shades) {
        EXPECT_EQ(s.server, "dhcp2");
        EXPECT_EQ(s.first, at(20));
        EXPECT_EQ(s.last, at(35));
    }
    EXPECT_EQ(shades[0].kind, ShadeKind::imbalance);
    EXPECT_EQ(shades[1].kind, ShadeKind::starved);
    EXPECT_NE(shades[1].text.find("starved"), std::string::npos);

    // In the SVG the rectangle spans the episode under the band's mapping.
    std::ostringstream svg;
    write_svg(plot, svg);
    const double x0 = 64, width = 200;
    const double span = static_cast<double>(plot.axis_end - plot.start);
    const auto x = [&](std::int64_t t) {
        return x0 + static_cast<double>(t - plot.start) * width / span;
    };
    const std::string text = svg.str();
    const auto pos = text.find("<rect class=\"starved\" x=\"");
    ASSERT_NE(pos, std::string::npos);
    const double rx = std::stod(text.substr(pos + 25));
    EXPECT_NEAR(rx, x(at(20)), 0.006);
}

TEST(Plot, InvariantEpisodesAreMarkedAndSizeChangesListed) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 30; ++tick) {
        Sample s = pool(tick, 120);
        if (tick == 10)
            s.counters[Counter::addr_in_use] = 125;  // sum-total and sum-in-use
        if (tick >= 20) {                            // the pool grows to 510
            s.counters[Counter::num_addr] = 510;
            s.counters[Counter::addr_free] = 390;
            s.counters[Counter::this_addr_free] = 195;
            s.counters[Counter::partner_addr_free] = 195;
        }
        samples.push_back(s);
    }
    const Plot plot = plot_of(samples, 200);
    const ScopePlot& p = plot.scopes[0];
    ASSERT_FALSE(p.marks.empty());
    for (const PlotMark& m : p.marks) {
        EXPECT_EQ(m.first, at(10));
        EXPECT_EQ(m.severity, Severity::critical);
    }
    ASSERT_EQ(p.size_changes.size(), 1u);
    EXPECT_EQ(p.size_changes[0].t, at(20));
    EXPECT_EQ(p.size_changes[0].from, 254u);
    EXPECT_EQ(p.size_changes[0].to, 510u);
}

TEST(Plot, ForecastOnlyWhenTrendHasOne) {
    // Four days of hourly samples growing 24 addresses a day (the forecast needs three
    // complete days), then flat ones.
    std::vector<Sample> growing, flat_samples;
    for (std::int64_t tick = 0; tick < 96 * 12; tick += 12) {
        growing.push_back(pool(tick, 100 + static_cast<std::uint64_t>(tick / 24)));
        flat_samples.push_back(pool(tick, 100));
    }
    const Plot plot = plot_of(growing, 300);
    const ScopePlot& p = plot.scopes[0];
    ASSERT_TRUE(p.forecast.has_value());

    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, growing);
    const TrendResult t = trend(*db, SeriesFilter{}, TrendOptions{});
    ASSERT_TRUE(t.lines[0].exhaustion.has_value());
    EXPECT_EQ(p.forecast->reaches_at, *t.lines[0].exhaustion);
    EXPECT_GT(plot.axis_end, plot.end);  // room to draw it
    EXPECT_EQ(p.forecast->t_to, std::min(plot.axis_end, p.forecast->reaches_at));
    if (p.forecast->t_to == p.forecast->reaches_at) {
        EXPECT_DOUBLE_EQ(p.forecast->v_to, 100.0);
    }
    EXPECT_LT(p.forecast->v_from, p.forecast->v_to);
    std::ostringstream svg_with;
    write_svg(plot, svg_with);
    EXPECT_NE(svg_with.str().find("class=\"forecast\""), std::string::npos);

    const Plot none = plot_of(flat_samples, 300);
    EXPECT_FALSE(none.scopes[0].forecast.has_value());
    EXPECT_EQ(none.axis_end, none.end);
    std::ostringstream svg;
    write_svg(none, svg);
    EXPECT_EQ(svg.str().find("class=\"forecast\""), std::string::npos);
}

TEST(Plot, AWindowWithoutSamplesIsAnInputError) {
    std::vector<Sample> samples = {pool(0, 100), pool(1, 100)};
    SeriesFilter filter;
    filter.scopes = {"10.1.2.0/24"};
    filter.since = at(100);
    EXPECT_THROW(plot_of(samples, 100, filter), InputError);
}

TEST(Plot, TicksFallOnRoundTimesOfTheZone) {
    // 2026-10-24 to 2026-10-28 in Berlin: daily ticks at local midnight across the DST end
    // of 2026-10-25.
    const std::int64_t start = 1'792'800'000;  // 2026-10-24T00:00:00Z
    const TimeFormatter berlin("Europe/Berlin");
    const auto ticks = time_ticks(start, start + 4 * 86400, berlin, 8);
    ASSERT_EQ(ticks.size(), 4u);
    EXPECT_EQ(ticks[0].label, "10-25");
    EXPECT_EQ(berlin.format(ticks[0].t), "2026-10-25T00:00:00+02:00");
    EXPECT_EQ(berlin.format(ticks[1].t), "2026-10-26T00:00:00+01:00");
    const auto hours = time_ticks(start, start + 12 * 3600, TimeFormatter(), 8);
    ASSERT_FALSE(hours.empty());
    EXPECT_EQ(hours[0].label, "10-24 00:00");
    EXPECT_EQ(hours[1].label, "02:00");
}

TEST(Svg, EscapesTextForXml) {
    EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    EXPECT_EQ(xml_escape("Ä\x01\xff"), "Ä\xEF\xBF\xBD\xEF\xBF\xBD");
    // DEL and the C1 controls are allowed by XML 1.0 but may be acted on: replaced too.
    EXPECT_EQ(xml_escape("a\x1b]0;x\x07\x7f\xC2\x9B"
                         "b\xC2\xA0"),
              "a\xEF\xBF\xBD]0;x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
              "b\xC2\xA0");
}

TEST(Svg, IsSelfContainedAndNamesTheServers) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 20; ++tick)
        samples.push_back(pool(tick, 120, "dhcp<1>&"));
    std::ostringstream out;
    write_svg(plot_of(samples, 300), out);
    const std::string svg = out.str();
    EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
    EXPECT_NE(svg.find("data-server=\"dhcp&lt;1&gt;&amp;\""), std::string::npos);
    EXPECT_EQ(svg.find("dhcp<1>"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("href"), std::string::npos);
    EXPECT_NE(svg.find("font-family=\"sans-serif\""), std::string::npos);
}

}  // namespace
}  // namespace fostat
