#include "analyses/plot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "analyses/trend.h"
#include "fostat/error.h"
#include "reports/svg.h"
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

Plot plot_with(const std::vector<Sample>& samples, PlotOptions options, SeriesFilter filter = {},
               std::string_view zone = {}) {
    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, samples);
    if (filter.scopes.empty())
        filter.scopes = {"10.1.2.0/24"};
    return make_plot(*db, filter, TimeFormatter(zone), zone, options);
}

Plot plot_of(const std::vector<Sample>& samples, int columns, SeriesFilter filter = {},
             std::string_view zone = {}) {
    PlotOptions options;
    options.columns = columns;
    return plot_with(samples, options, std::move(filter), zone);
}

std::string svg_of(const Plot& plot) {
    std::ostringstream out;
    write_svg(plot, out);
    return out.str();
}

// Hourly samples over `days` days from kT0 (08:00 UTC) of a pool whose daily peak, at 12:00
// UTC, grows `growth` addresses a day from 90 (the day's lowest is 60 below it), with a
// wobble of up to 6 addresses a day; dhcp1's own free addresses are half the free ones.
std::vector<Sample> growing_peaks(int days, int growth) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < days * 288; tick += 12) {
        const std::int64_t t = at(tick);
        const std::int64_t day = (t - kT0) / 86400;
        const std::int64_t hour = t / 3600 % 24;
        const std::int64_t wobble_of_day = 3 * ((day * 3 % 5) - 2);
        const std::int64_t in_use =
            90 + growth * day + wobble_of_day - 5 * std::abs(hour - 12) / 2 * 2;
        const auto used = static_cast<std::uint64_t>(std::clamp<std::int64_t>(in_use, 0, 254));
        samples.push_back(pool(tick, used, "dhcp1", (254 - used) / 2));
    }
    return samples;
}

// The value of the polyline at t (linear between its points).
double value_at(const std::vector<PlotPoint>& line, std::int64_t t) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        if (line[i].t <= t && t <= line[i + 1].t) {
            const double share =
                static_cast<double>(t - line[i].t) / static_cast<double>(line[i + 1].t - line[i].t);
            return line[i].v + share * (line[i + 1].v - line[i].v);
        }
    }
    return std::nan("");
}

// The numbers of an SVG path's d attribute, in pairs.
std::vector<std::pair<double, double>> path_points(const std::string& d) {
    std::vector<std::pair<double, double>> out;
    std::istringstream in(d);
    std::string word;
    std::vector<double> numbers;
    while (in >> word) {
        if (word == "Z")
            continue;
        if (word[0] == 'M' || word[0] == 'L')
            word.erase(0, 1);
        numbers.push_back(std::stod(word));
    }
    for (std::size_t i = 0; i + 1 < numbers.size(); i += 2)
        out.emplace_back(numbers[i], numbers[i + 1]);
    return out;
}

// The value of attribute `name` in the first element with class="<css_class>".
std::string attribute(const std::string& svg, const std::string& css_class,
                      const std::string& name) {
    const auto element = svg.find("class=\"" + css_class + "\"");
    if (element == std::string::npos)
        return {};
    const auto start = svg.rfind('<', element);
    const auto end = svg.find('>', element);
    const std::string tag = svg.substr(start, end - start);
    const auto at = tag.find(" " + name + "=\"");
    if (at == std::string::npos)
        return {};
    const auto from = at + name.size() + 3;
    return tag.substr(from, tag.find('"', from) - from);
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
    EXPECT_EQ(p.forecast->earliest, *t.lines[0].earliest);
    EXPECT_GT(plot.axis_end, plot.end);  // room to draw it
    ASSERT_GE(p.forecast->line.size(), 2u);
    EXPECT_EQ(p.forecast->line.back().t, std::min(plot.axis_end, p.forecast->reaches_at));
    if (p.forecast->line.back().t == p.forecast->reaches_at) {
        EXPECT_NEAR(p.forecast->line.back().v, 100.0, 1e-9);
    }
    EXPECT_LT(p.forecast->line.front().v, p.forecast->line.back().v);
    EXPECT_NE(svg_of(plot).find("class=\"forecast\""), std::string::npos);

    const Plot none = plot_of(flat_samples, 300);
    EXPECT_FALSE(none.scopes[0].forecast.has_value());
    EXPECT_EQ(none.axis_end, none.end);
    EXPECT_EQ(svg_of(none).find("class=\"forecast\""), std::string::npos);
}

TEST(Plot, ForecastRunsThroughTheFittedPeaksWithItsBand) {
    // 14 days whose peaks grow 10 addresses a day from 90 of 254: out about 2 days after.
    const std::vector<Sample> samples = growing_peaks(14, 10);
    const Plot plot = plot_of(samples, 720);
    const ScopePlot& p = plot.scopes[0];
    ASSERT_TRUE(p.forecast.has_value());
    const PlotForecast& f = *p.forecast;

    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, samples);
    TrendOptions options;
    options.per_server = true;
    const TrendResult t = trend(*db, SeriesFilter{}, options);
    const TrendLine& line = t.lines[0];
    ASSERT_EQ(line.fit, "line");
    ASSERT_TRUE(line.peak_level && line.fit_from && line.exhaustion && line.earliest);
    ASSERT_LT(*line.earliest, *line.exhaustion);  // the wobble leaves some doubt
    ASSERT_LE(*line.exhaustion, plot.axis_end);

    // The line: from the first day fitted, through the fitted peak at the window's end, to
    // 100 % at the central date.
    ASSERT_EQ(f.line.size(), 3u);
    EXPECT_EQ(f.line[0].t, *line.fit_from);
    EXPECT_EQ(f.line[1].t, t.as_of);
    EXPECT_NEAR(f.line[1].v, *line.peak_level / 254 * 100, 1e-9);
    EXPECT_EQ(f.line[2].t, *line.exhaustion);
    EXPECT_DOUBLE_EQ(f.line[2].v, 100);
    // Through the daily peaks (noon UTC), within the wobble: not through the means.
    for (std::int64_t noon = *line.fit_from + 43'200; noon < t.as_of; noon += 86'400) {
        double peak = 0;
        for (const Sample& s : samples) {
            if (s.timestamp / 86'400 == noon / 86'400)
                peak = std::max(peak, *utilization_percent(s.counters));
        }
        EXPECT_NEAR(value_at(f.line, noon), peak, 10.0 / 254 * 100) << noon;
    }
    // The band: from the fitted peak at the window's end, between the line to 100 % at the
    // earliest likely date and the central line.
    EXPECT_EQ(f.earliest, *line.earliest);
    ASSERT_EQ(f.band.size(), 3u);
    EXPECT_EQ(f.band[0], f.line[1]);
    EXPECT_EQ(f.band[1].t, *line.earliest);
    EXPECT_DOUBLE_EQ(f.band[1].v, 100);
    EXPECT_EQ(f.band[2], f.line[2]);
    EXPECT_NE(f.label.find("runs out "), std::string::npos);

    // The server's own free addresses: the trough falling to 0, with its band.
    const ServerPlot& s = p.servers[0];
    ASSERT_TRUE(s.own_forecast.has_value());
    const TrendLine& own = t.lines[1];
    ASSERT_TRUE(own.own_level && own.own_exhaustion && own.own_earliest);
    EXPECT_EQ(s.own_forecast->target, 0);
    EXPECT_EQ(s.own_forecast->line.back(), (PlotPoint{*own.own_exhaustion, 0}));
    EXPECT_NEAR(value_at(s.own_forecast->line, t.as_of), *own.own_level, 1e-9);
    for (const PlotPoint& q : s.own_forecast->band) {
        EXPECT_GE(q.v, 0);
        EXPECT_LE(q.v, value_at(s.own_forecast->line, q.t) + 1e-9);  // below the central line
    }

    // In the SVG: the band, the line, and the label clear of both (its box as svg.cpp
    // estimates it, 10 px text at 6.2 x 10 / 11 px a character).
    const std::string svg = svg_of(plot);
    const auto band = path_points(attribute(svg, "forecast-band", "d"));
    const auto dashed = path_points(attribute(svg, "forecast", "d"));
    ASSERT_EQ(band.size(), 3u);
    ASSERT_EQ(dashed.size(), 3u);
    const std::string x_text = attribute(svg, "forecast-label", "x");
    ASSERT_FALSE(x_text.empty());
    const double x = std::stod(x_text), y = std::stod(attribute(svg, "forecast-label", "y"));
    const auto label_start = svg.find('>', svg.find("class=\"forecast-label\"")) + 1;
    const std::string label = svg.substr(label_start, svg.find('<', label_start) - label_start);
    EXPECT_EQ(label, f.label);
    const double width = static_cast<double>(label.size()) * 6.2 * 10 / 11;
    const bool ends = attribute(svg, "forecast-label", "text-anchor") == "end";
    const double left = ends ? x - width : x, right = ends ? x : x + width;
    for (const auto& points : {band, dashed}) {
        for (std::size_t i = 0; i < points.size(); ++i) {
            const auto& [xa, ya] = points[i];
            const auto& [xb, yb] = points[(i + 1) % points.size()];
            // Sampled along the edge: no point of it inside the label's box.
            for (int k = 0; k <= 100; ++k) {
                const double px = xa + (xb - xa) * k / 100, py = ya + (yb - ya) * k / 100;
                EXPECT_FALSE(px > left && px < right && py > y - 9 && py < y + 3)
                    << px << "," << py << " in the label " << left << ".." << right;
            }
        }
    }
}

TEST(Plot, ATooShortWindowSaysSoInsteadOfExtrapolating) {
    // A 12-hour afternoon of falling use: no growth, no date, no forecast drawn.
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 144; ++tick)
        samples.push_back(pool(tick, 200 - static_cast<std::uint64_t>(tick)));
    const Plot plot = plot_of(samples, 300);
    const ScopePlot& p = plot.scopes[0];
    EXPECT_EQ(p.summary, "22.4 % in use, too short to forecast (0 days)");
    EXPECT_FALSE(p.forecast.has_value());
    EXPECT_FALSE(p.servers[0].own_forecast.has_value());
    EXPECT_EQ(plot.axis_end, plot.end);

    // With enough days it gives the growth and the dates.
    const Plot longer = plot_of(growing_peaks(14, 10), 300);
    EXPECT_EQ(longer.scopes[0].summary.find("too short"), std::string::npos);
    EXPECT_NE(longer.scopes[0].summary.find("growth 10."), std::string::npos)
        << longer.scopes[0].summary;
    EXPECT_NE(longer.scopes[0].summary.find(", runs out 20"), std::string::npos);
}

TEST(Plot, LevelsAreLinesWithTheirNamesAndTheAxesTheirUnits) {
    std::vector<Sample> samples;
    for (std::int64_t tick = 0; tick < 20; ++tick)
        samples.push_back(pool(tick, 120));
    PlotOptions options;
    options.warning = 70;
    options.critical = 85.5;
    const Plot plot = plot_with(samples, options);
    ASSERT_EQ(plot.levels.size(), 2u);
    EXPECT_EQ(plot.levels[0].label, "warning 70 %");
    EXPECT_EQ(plot.levels[1].label, "critical 85.5 %");
    const std::string svg = svg_of(plot);
    EXPECT_NE(svg.find(">warning 70 %</text>"), std::string::npos);
    EXPECT_NE(svg.find(">critical 85.5 %</text>"), std::string::npos);
    // Drawn at their height on the utilization band (y0 at 0 %, y1 at 100 %).
    const double y0 = std::stod(attribute(svg, "band utilization", "data-y0"));
    const double y1 = std::stod(attribute(svg, "band utilization", "data-y1"));
    const double warning_y = std::stod(attribute(svg, "level", "y1"));
    EXPECT_NEAR(warning_y, y0 + (y1 - y0) * 0.70, 0.01);
    EXPECT_EQ(attribute(svg, "level", "y2"), attribute(svg, "level", "y1"));  // across
    // The units: "%" on the utilization axis, "addresses" along a free band's; no "used".
    EXPECT_NE(svg.find(">100 %</text>"), std::string::npos);
    EXPECT_NE(svg.find(">addresses</text>"), std::string::npos);
    EXPECT_EQ(svg.find(">used</text>"), std::string::npos);
    EXPECT_EQ(svg.find(">free</text>"), std::string::npos);

    options.warning = options.critical = 90;
    const Plot one = plot_with(samples, options);
    ASSERT_EQ(one.levels.size(), 1u);
    EXPECT_EQ(one.levels[0].label, "warning and critical 90 %");
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
