// The chart of `fostat-query plot`: what is drawn, in data units (seconds, percent,
// addresses), computed from the stored samples and from the analyses trend, check and
// imbalance. src/reports/include/reports/svg.h turns it into pixels.
//
// The time axis runs from `start` to `axis_end` over `columns` pixel columns: the column of a
// time t is floor((t - start) * columns / (axis_end - start)). Each drawn series keeps, per
// column, only the samples with the column's lowest and highest value (the min/max envelope,
// in time order; one when they are the same sample or value), so a year of 5-minute samples
// is at most two points per column and per series, and a spike inside a column still shows.
// A series is cut into segments where a value is NULL or where a step between samples is
// longer than 2.5 x the series' usual interval (check's gap rule): no line is drawn across.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyses/analysis.h"
#include "analyses/check.h"
#include "analyses/trend.h"
#include "fostat/time_text.h"

namespace SQLite {
class Database;
}

namespace fostat {

struct PlotOptions {
    int columns = 720;  // pixel columns of the time axis
    // Utilization levels drawn across the utilization band (status's --warning and
    // --critical). REQUIRES: 0 <= warning <= critical <= 100.
    double warning = 80;
    double critical = 90;
};

struct PlotPoint {
    std::int64_t t = 0;
    double v = 0;
    bool operator==(const PlotPoint&) const = default;
};

// A series drawn as lines; a new segment starts after a gap or a NULL.
using PlotSegments = std::vector<std::vector<PlotPoint>>;

// trend's forecast of one line (docs/analyses.md, Forecasts), as drawn: the fitted daily
// peak of addr_in_use (in percent of num_addr), or trough of this_addr_free, dashed, from the
// first day the forecast fitted (or its step) through the window's end to the central date,
// where it reaches the target (100 %, or 0 own free addresses); and the band of its
// uncertainty between that line and the one from the window's end to the target at the
// earliest likely date. Both are cut to the axis (start..axis_end, 0..the band's top).
// A model that is not a straight line (accelerating growth) is drawn as a straight segment
// from its fitted level at the window's end to the date, without the part over the window.
struct PlotForecast {
    std::vector<PlotPoint> line;  // the dashed line, in time order
    std::vector<PlotPoint> band;  // a polygon; empty when the two dates are the same instant
    double target = 0;
    std::int64_t reaches_at = 0;  // the central date
    std::int64_t earliest = 0;    // the earliest likely date
    double slope_per_day = 0;     // addresses a day (trend's figure)
    // "runs out 2026-12-03, earliest 2026-11-29", the dates in the plot's zone (the earliest
    // only when it is another day).
    std::string label;
};

struct ServerPlot {
    std::string server;
    int style = 0;  // its index among Plot::servers: line dash and color
    // addr_in_use / num_addr in percent, clamped to 0..100.
    PlotSegments utilization;
    // this_addr_free, and this_addr_free + partner_addr_free (the stack's top), each clamped
    // to 0..ScopePlot::free_max.
    PlotSegments own_free;
    PlotSegments stacked_free;
    std::optional<PlotForecast> own_forecast;  // this_addr_free reaching 0 (trend, per server)
};

enum class ShadeKind { imbalance, starved };

// An imbalance or starved episode of `server` (imbalance's findings, default options).
struct PlotShade {
    ShadeKind kind = ShadeKind::imbalance;
    std::string server;
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::string text;  // what a tooltip says
};

// An invariant episode (check's findings, every rule but size-change).
struct PlotMark {
    std::string rule;
    Severity severity = Severity::warning;
    std::string server;
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::string text;
};

// num_addr changed at `t` (check's size-change events, one per time and change).
struct PlotSizeChange {
    std::int64_t t = 0;
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    std::vector<std::string> servers;
};

struct ScopePlot {
    std::string scope;
    std::vector<ServerPlot> servers;  // in name order
    double free_max = 1;              // the top of the free-address bands
    std::vector<PlotShade> shades;
    std::vector<PlotMark> marks;
    std::vector<PlotSizeChange> size_changes;
    std::optional<PlotForecast> forecast;  // utilization reaching 100 % (trend's exhaustion)
    // "87.8 % in use, growth 2.56 a day, runs out 2026-11-29, earliest 2026-11-28", or
    // "too short to forecast (2 days)"
    std::string summary;
};

// A utilization level across the utilization band: --warning or --critical.
struct PlotLevel {
    double percent = 0;
    std::string label;  // "warning 80 %"; "warning and critical 90 %" when they are one
};

struct PlotTick {
    std::int64_t t = 0;
    std::string label;
};

struct Plot {
    std::int64_t start = 0;     // the window: --since, or the first sample
    std::int64_t end = 0;       // --until, or the last sample; forecasts count from here
    std::int64_t axis_end = 0;  // end, or later to show a forecast
    int columns = 0;
    std::vector<std::string> servers;  // every server plotted, in name order
    std::vector<ScopePlot> scopes;     // in address order
    std::vector<PlotLevel> levels;     // warning, then critical
    std::vector<PlotTick> ticks;       // at round local times of the zone
    std::string zone;                  // "UTC" or the --tz name
    std::string window_text;           // "2026-10-25 00:05 to 2026-11-24 00:00 UTC"
};

// The column of time t on the plot's axis, 0..columns-1.
int plot_column(const Plot& plot, std::int64_t t);

// trend's forecast of a scope line's utilization as plot draws it (its dashed line to 100 %
// and its band), cut to [start, axis_end] x [0, 100]; nullopt when the line has no forecast to
// draw (not fitted, or no central date).
std::optional<PlotForecast> utilization_forecast(const TrendLine& line, std::int64_t as_of,
                                                 std::int64_t start, std::int64_t axis_end);

// trend's forecast of a server's own free addresses as plot draws it (its dashed line to 0 and
// its band), cut to [start, axis_end] x [0, top]; nullopt when the server's line has none.
std::optional<PlotForecast> own_free_forecast(const TrendLine& line, std::int64_t as_of, double top,
                                              std::int64_t start, std::int64_t axis_end);

// Appends the dates the line's drawn forecasts reach (utilization_forecast's and
// own_free_forecast's), for forecast_axis_end.
void add_forecast_dates(const TrendLine& line, std::vector<std::int64_t>& dates);

// The top of a scope's free-address bands: the largest stack of own and partner free
// addresses, no higher than the scope's size (0 when unknown), rounded up to 1, 2, 2.5 or 5
// x 10^k.
double free_band_top(double stack_max, double size);

// Adds check's size-change violation `v` to the scope's list of changes, merged with the same
// change of another server at the same time.
void add_size_change(const Violation& v, std::vector<PlotSizeChange>& list);

// The end of a time axis over the window [start, end] that shows forecasts reaching `dates`:
// end when none is later; else a tenth of the window beyond it, or up to half of it to reach
// the latest date that lies within that half (with a little room beyond it).
std::int64_t forecast_axis_end(std::int64_t start, std::int64_t end,
                               const std::vector<std::int64_t>& dates);

// Reads the samples of the filter's scopes and servers in its window and runs trend, check
// and imbalance on them. REQUIRES: options.columns > 0, time writes ISO 8601. Throws
// InputError for a server or scope of the filter that is not stored (naming those that
// are), and when the window holds no sample of the filter.
Plot make_plot(SQLite::Database& db, const SeriesFilter& filter, const TimeFormatter& time,
               std::string_view zone, const PlotOptions& options);

// Ticks for [start, end] at round times of the zone that `time` shows, at most `most` of
// them: hours, days, weeks (Mondays) or months. Exposed for tests.
std::vector<PlotTick> time_ticks(std::int64_t start, std::int64_t end, const TimeFormatter& time,
                                 int most);

}  // namespace fostat
