#include "analyses/plot.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "analyses/check.h"
#include "analyses/imbalance.h"
#include "analyses/trend.h"
#include "fostat/calendar.h"
#include "fostat/error.h"
#include "fostat/text.h"

namespace fostat {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNoLimitSince = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNoLimitUntil = std::numeric_limits<std::int64_t>::max();

// ---- Time ticks in the zone of the formatter ----

// The zone's offset at t, from the ISO text the formatter writes ("...Z" or "...+01:00").
std::int64_t zone_offset(const TimeFormatter& time, std::int64_t t) {
    const std::string text = time.format(t);
    if (text.empty() || text.back() == 'Z' || text.size() < 6)
        return 0;
    const std::string_view tail = std::string_view(text).substr(text.size() - 6);
    const int sign = tail[0] == '-' ? -1 : 1;
    const int hours = (tail[1] - '0') * 10 + (tail[2] - '0');
    const int minutes = (tail[4] - '0') * 10 + (tail[5] - '0');
    return sign * (hours * 3600 + minutes * 60);
}

// Wall-clock seconds (local time as if it were UTC) to the instant; at a DST change the
// later reading wins, which is close enough for a tick.
std::int64_t from_local(const TimeFormatter& time, std::int64_t local) {
    const std::int64_t guess = local - zone_offset(time, local);
    return local - zone_offset(time, guess);
}

std::string two(unsigned v) {
    return std::string(1, static_cast<char>('0' + v / 10 % 10)) + static_cast<char>('0' + v % 10);
}

enum class TickUnit { hours, days, months };

struct TickStep {
    TickUnit unit;
    int count;
    std::int64_t approx;  // seconds
};

constexpr TickStep kTickSteps[] = {
    {TickUnit::hours, 1, 3600},           {TickUnit::hours, 2, 7200},
    {TickUnit::hours, 3, 10800},          {TickUnit::hours, 6, 21600},
    {TickUnit::hours, 12, 43200},         {TickUnit::days, 1, kDay},
    {TickUnit::days, 2, 2 * kDay},        {TickUnit::days, 7, 7 * kDay},
    {TickUnit::days, 14, 14 * kDay},      {TickUnit::months, 1, 2629746},
    {TickUnit::months, 2, 2 * 2629746},   {TickUnit::months, 3, 3 * 2629746},
    {TickUnit::months, 6, 6 * 2629746},   {TickUnit::months, 12, 12 * 2629746},
    {TickUnit::months, 24, 24 * 2629746}, {TickUnit::months, 60, 60 * 2629746},
};

// ---- The min/max envelope per column ----

class Envelope {
  public:
    Envelope(const Plot& plot, std::int64_t max_step) : plot_(plot), max_step_(max_step) {}

    // Samples in time order; nullopt (a NULL counter) ends the segment.
    void add(std::int64_t t, std::optional<double> v) {
        if (!v) {
            end_segment();
            return;
        }
        if (have_last_ && max_step_ > 0 && t - last_t_ > max_step_)
            end_segment();
        have_last_ = true;
        last_t_ = t;
        const int column = plot_column(plot_, t);
        if (open_ && column != column_)
            flush();
        if (!open_) {
            open_ = true;
            column_ = column;
            low_ = high_ = {t, *v};
            return;
        }
        if (*v < low_.v)
            low_ = {t, *v};
        if (*v > high_.v)
            high_ = {t, *v};
    }

    PlotSegments finish() {
        end_segment();
        return std::move(segments_);
    }

  private:
    void flush() {
        if (!open_)
            return;
        if (segments_.empty() || !segment_open_) {
            segments_.emplace_back();
            segment_open_ = true;
        }
        auto& out = segments_.back();
        const PlotPoint& a = low_.t <= high_.t ? low_ : high_;
        const PlotPoint& b = low_.t <= high_.t ? high_ : low_;
        out.push_back(a);
        if (b.v != a.v)
            out.push_back(b);
        open_ = false;
    }

    void end_segment() {
        flush();
        segment_open_ = false;
        have_last_ = false;
    }

    const Plot& plot_;
    std::int64_t max_step_;
    PlotSegments segments_;
    bool segment_open_ = false;
    bool open_ = false;
    int column_ = 0;
    PlotPoint low_, high_;
    bool have_last_ = false;
    std::int64_t last_t_ = 0;
};

std::optional<double> value(const Counters& c, Counter which) {
    const auto& v = c[which];
    if (!v)
        return std::nullopt;
    return static_cast<double>(*v);
}

std::optional<double> clamped(std::optional<double> v, double high) {
    if (!v)
        return v;
    return std::clamp(*v, 0.0, high);
}

// The smallest of 1, 2, 2.5, 5 x 10^k at or above v (at least 1).
double nice_ceiling(double v) {
    if (!(v > 1))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * power >= v)
            return m * power;
    }
    return 10 * power;
}

std::string date_of(const TimeFormatter& time, std::int64_t t) {
    return time.format(t).substr(0, 10);
}

std::string fixed(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    const double r = std::round(v * scale) / scale + 0.0;
    std::string s = std::to_string(r);
    s.erase(s.find('.') + (decimals == 0 ? 0 : static_cast<std::size_t>(decimals) + 1));
    return s;
}

// The days of a forecast's horizon, as the summary says them.
std::string horizon_text(std::int64_t horizon) {
    return std::to_string(horizon / kDay) + " d";
}

std::string dates_text(const TimeFormatter& time, std::int64_t central,
                       std::optional<std::int64_t> earliest) {
    std::string s = "runs out " + date_of(time, central);
    if (earliest && date_of(time, *earliest) != date_of(time, central))
        s += ", earliest " + date_of(time, *earliest);
    return s;
}

// The panel's title line, from trend's figures: no growth and no date from too few days
// (docs/analyses.md, Forecasts), where a line through one afternoon would say anything.
std::string scope_summary(const TrendLine& line, const TimeFormatter& time, std::int64_t horizon) {
    std::vector<std::string> parts;
    if (line.utilization)
        parts.push_back(fixed(*line.utilization, 1) + " % in use");
    if (line.fit == "short") {
        parts.push_back("too short to forecast (" + std::to_string(line.forecast_days) +
                        (line.forecast_days == 1 ? " day)" : " days)"));
        // Demand at capacity on the window's last day is out, forecast or not.
        if (line.exhaustion)
            parts.push_back("runs out " + date_of(time, *line.exhaustion));
    } else {
        if (line.slope)
            parts.push_back("growth " + fixed(*line.slope, 2) + " a day");
        if (line.exhaustion) {
            parts.push_back(dates_text(time, *line.exhaustion, line.earliest));
        } else if (line.slope) {
            parts.push_back("no exhaustion within " + horizon_text(horizon));
            if (line.earliest)
                parts.push_back("earliest " + date_of(time, *line.earliest));
        }
    }
    std::string s;
    for (const std::string& p : parts)
        s += (s.empty() ? "" : ", ") + p;
    if (own_runs_out_first(line)) {
        s += "; " + line.own_server + "'s own pool runs out " + date_of(time, *line.own_exhaustion);
    }
    return s;
}

using Xy = std::pair<double, double>;  // time, value

// The part of segment a-b inside [t0, t1] x [v0, v1] (Liang and Barsky), or nothing.
std::optional<std::pair<Xy, Xy>> clip_segment(Xy a, Xy b, double t0, double t1, double v0,
                                              double v1) {
    double enter = 0, leave = 1;
    const double dt = b.first - a.first, dv = b.second - a.second;
    const std::array<std::pair<double, double>, 4> edges = {
        {{-dt, a.first - t0}, {dt, t1 - a.first}, {-dv, a.second - v0}, {dv, v1 - a.second}}};
    for (const auto& [p, q] : edges) {
        if (p == 0) {
            if (q < 0)
                return std::nullopt;
            continue;
        }
        const double r = q / p;
        if (p < 0)
            enter = std::max(enter, r);
        else
            leave = std::min(leave, r);
    }
    if (enter > leave)
        return std::nullopt;
    return std::pair{Xy{a.first + enter * dt, a.second + enter * dv},
                     Xy{a.first + leave * dt, a.second + leave * dv}};
}

// The polygon cut to [t0, t1] x [v0, v1] (Sutherland and Hodgman, one edge at a time).
std::vector<Xy> clip_polygon(std::vector<Xy> polygon, double t0, double t1, double v0, double v1) {
    // Each edge keeps the points where inside(p) >= 0.
    const std::array<std::function<double(const Xy&)>, 4> inside = {
        [&](const Xy& p) { return p.first - t0; }, [&](const Xy& p) { return t1 - p.first; },
        [&](const Xy& p) { return p.second - v0; }, [&](const Xy& p) { return v1 - p.second; }};
    for (const auto& side : inside) {
        std::vector<Xy> out;
        for (std::size_t i = 0; i < polygon.size(); ++i) {
            const Xy& a = polygon[i];
            const Xy& b = polygon[(i + 1) % polygon.size()];
            const double da = side(a), db = side(b);
            if (da >= 0)
                out.push_back(a);
            if ((da >= 0) != (db >= 0)) {
                const double share = da / (da - db);
                out.push_back({a.first + share * (b.first - a.first),
                               a.second + share * (b.second - a.second)});
            }
        }
        polygon = std::move(out);
    }
    return polygon;
}

PlotPoint plot_point(const Xy& p) {
    return {static_cast<std::int64_t>(std::llround(p.first)), p.second};
}

// One forecast, drawn (PlotForecast), in the band's values: `level` at `as_of` changing by
// `per_day`, fitted from `fitted_from` (drawn back to it when `straight`), reaching `target`
// at `reaches_at` (central) and `earliest`; cut to [start, axis_end] x [0, top].
PlotForecast forecast_drawing(std::int64_t as_of, double level, double per_day,
                              std::int64_t fitted_from, bool straight, double target,
                              std::int64_t reaches_at, std::int64_t earliest, double top,
                              std::int64_t start, std::int64_t axis_end) {
    PlotForecast f;
    f.target = target;
    f.reaches_at = reaches_at;
    f.earliest = std::min(earliest, reaches_at);
    const double t0 = static_cast<double>(start), t1 = static_cast<double>(axis_end);
    const Xy now{static_cast<double>(as_of), level};
    std::vector<Xy> line;
    if (straight && fitted_from < as_of) {
        line.push_back({static_cast<double>(fitted_from),
                        level - per_day * static_cast<double>(as_of - fitted_from) / kDay});
    }
    line.push_back(now);
    if (reaches_at > as_of)
        line.push_back({static_cast<double>(reaches_at), target});
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const auto part = clip_segment(line[i], line[i + 1], t0, t1, 0, top);
        if (!part)
            continue;
        const PlotPoint a = plot_point(part->first), b = plot_point(part->second);
        const auto same = [](const PlotPoint& p, const PlotPoint& q) {
            return p.t == q.t && std::abs(p.v - q.v) < 1e-9;
        };
        if (f.line.empty() || !same(f.line.back(), a))
            f.line.push_back(a);
        if (!same(a, b))
            f.line.push_back(b);
    }
    if (f.earliest < reaches_at) {
        const std::vector<Xy> band = clip_polygon({now,
                                                   {static_cast<double>(f.earliest), target},
                                                   {static_cast<double>(reaches_at), target}},
                                                  t0, t1, 0, top);
        if (band.size() >= 3) {
            for (const Xy& p : band)
                f.band.push_back(plot_point(p));
        }
    }
    return f;
}

// Whether trend's forecast of the line can be drawn: fitted, and with a central date.
bool drawable(const TrendLine& l) {
    return l.fit != "short" && l.peak_level && l.fit_from && l.slope && l.exhaustion &&
           l.earliest && l.num_addr && *l.num_addr > 0;
}
bool own_drawable(const TrendLine& l) {
    return !l.server.empty() && l.own_fit != "short" && l.own_level && l.own_fit_from &&
           l.own_slope && l.own_exhaustion && l.own_earliest;
}

// An accelerating model's fitted peaks are a curve: drawn from the window's end only.
bool straight(const std::string& fit) {
    return fit.rfind("curve", 0) != 0;
}

// "80", "80.5": a level as the option gave it, to two decimals.
std::string percent_text(double v) {
    std::string s = fixed(v, 2);
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

std::string episode_times(const TimeFormatter& time, std::int64_t first, std::int64_t last) {
    if (last <= first)
        return "at " + time.format(first);
    return time.format(first) + " to " + time.format(last) + " (" + format_duration(last - first) +
           ")";
}

// The items as a message shows them: a stored name may hold anything (text.h terminal_text).
std::string join(const std::vector<std::string>& items, std::size_t most) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < most; ++i)
        out += (i ? ", " : "") + terminal_text(items[i]);
    if (items.size() > most)
        out += " and " + std::to_string(items.size() - most) + " more";
    return out;
}

[[noreturn]] void throw_no_samples(const SeriesFilter& filter) {
    throw InputError(
        std::string("no samples") + (filter.scopes.empty() ? "" : " of " + join(filter.scopes, 5)) +
        (filter.servers.empty() ? "" : " from " + join(filter.servers, 5)) + " in the window" +
        (filter.since != kNoLimitSince ? " from " + format_utc(filter.since) : "") +
        (filter.until != kNoLimitUntil ? " to " + format_utc(filter.until) : "") +
        "; fostat-query scopes shows what is stored when");
}

}  // namespace

std::optional<PlotForecast> utilization_forecast(const TrendLine& l, std::int64_t as_of,
                                                 std::int64_t start, std::int64_t axis_end) {
    if (!drawable(l))
        return std::nullopt;
    const double percent = 100 / static_cast<double>(*l.num_addr);
    PlotForecast f =
        forecast_drawing(as_of, *l.peak_level * percent, *l.slope * percent, *l.fit_from,
                         straight(l.fit), 100, *l.exhaustion, *l.earliest, 100, start, axis_end);
    f.slope_per_day = *l.slope;
    return f;
}

std::optional<PlotForecast> own_free_forecast(const TrendLine& l, std::int64_t as_of, double top,
                                              std::int64_t start, std::int64_t axis_end) {
    if (!own_drawable(l))
        return std::nullopt;
    PlotForecast f =
        forecast_drawing(as_of, *l.own_level, *l.own_slope, *l.own_fit_from, straight(l.own_fit), 0,
                         *l.own_exhaustion, *l.own_earliest, top, start, axis_end);
    f.slope_per_day = *l.own_slope;
    return f;
}

void add_forecast_dates(const TrendLine& l, std::vector<std::int64_t>& dates) {
    if (drawable(l))
        dates.push_back(*l.exhaustion);
    if (own_drawable(l))
        dates.push_back(*l.own_exhaustion);
}

double free_band_top(double stack_max, double size) {
    // The largest stack cut to the size is the largest of the stacks each cut to it.
    return nice_ceiling(std::min(size > 0 ? std::min(stack_max, size) : stack_max,
                                 static_cast<double>(kMaxCounter)));
}

void add_size_change(const Violation& v, std::vector<PlotSizeChange>& list) {
    const Episode& e = v.episode;
    const auto to = e.at_worst.counters[Counter::num_addr].value_or(0);
    const auto from =
        static_cast<std::uint64_t>(static_cast<std::int64_t>(to) - std::llround(e.worst));
    auto same = std::find_if(list.begin(), list.end(), [&](const PlotSizeChange& c) {
        return c.t == e.first && c.from == from && c.to == to;
    });
    if (same == list.end())
        list.push_back({e.first, from, to, {v.server}});
    else
        same->servers.push_back(v.server);
}

std::int64_t forecast_axis_end(std::int64_t start, std::int64_t end,
                               const std::vector<std::int64_t>& dates) {
    const std::int64_t window = end - start;
    bool any = false;
    std::int64_t wanted = window / 10;
    for (const std::int64_t at : dates) {
        if (at <= end)
            continue;
        any = true;
        if (at - end <= window / 2)
            wanted = std::max(wanted, (at - end) * 108 / 100);
    }
    return any ? end + std::min(wanted, window / 2) : end;
}

int plot_column(const Plot& plot, std::int64_t t) {
    const double span = static_cast<double>(plot.axis_end - plot.start);
    if (!(span > 0))
        return 0;
    const double c = std::floor(static_cast<double>(t - plot.start) * plot.columns / span);
    return static_cast<int>(std::clamp(c, 0.0, static_cast<double>(plot.columns - 1)));
}

std::vector<PlotTick> time_ticks(std::int64_t start, std::int64_t end, const TimeFormatter& time,
                                 int most) {
    std::vector<PlotTick> ticks;
    if (end <= start || most < 1)
        return ticks;
    const TickStep* step = &kTickSteps[std::size(kTickSteps) - 1];
    for (const TickStep& s : kTickSteps) {
        if ((end - start) / s.approx < most) {
            step = &s;
            break;
        }
    }
    const std::int64_t local_start = start + zone_offset(time, start);
    std::vector<std::int64_t> locals;
    const std::int64_t local_end = end + zone_offset(time, end) + kDay;
    if (step->unit == TickUnit::hours) {
        const std::int64_t size = step->count * 3600;
        for (std::int64_t l = floor_div(local_start, size) * size; l <= local_end; l += size)
            locals.push_back(l);
    } else if (step->unit == TickUnit::days) {
        std::int64_t day = floor_div(local_start, kDay);
        // Weeks on Mondays (1970-01-01 was a Thursday; day 4 a Monday); two days or two
        // weeks on a fixed parity, so the same dates get ticks in any window.
        const std::int64_t anchor = step->count >= 7 ? 4 : 0;
        day -= ((day - anchor) % step->count + step->count) % step->count;
        for (; day * kDay <= local_end; day += step->count)
            locals.push_back(day * kDay);
    } else {
        const CivilDate c = civil_time(local_start).date;
        std::int64_t months = c.year * 12 + c.month - 1;
        months -= months % step->count;
        for (;; months += step->count) {
            const std::int64_t l = month_start(months / 12, static_cast<unsigned>(months % 12 + 1));
            if (l > local_end)
                break;
            locals.push_back(l);
        }
    }
    for (std::int64_t l : locals) {
        const std::int64_t t = from_local(time, l);
        if (t < start || t > end || (!ticks.empty() && t <= ticks.back().t))
            continue;
        const CivilTime c = civil_time(t + zone_offset(time, t));
        std::string label;
        if (step->unit == TickUnit::months) {
            label = step->count % 12 == 0 ? std::to_string(c.date.year)
                                          : std::to_string(c.date.year) + "-" + two(c.date.month);
        } else {
            label = two(c.date.month) + "-" + two(c.date.day);
            if (step->unit == TickUnit::hours) {
                const std::string clock = two(c.hour) + ":" + two(c.minute);
                label =
                    ticks.empty() || (c.hour == 0 && c.minute == 0) ? label + " " + clock : clock;
            }
        }
        ticks.push_back({t, std::move(label)});
    }
    return ticks;
}

Plot make_plot(SQLite::Database& db, const SeriesFilter& filter, const TimeFormatter& time,
               std::string_view zone, const PlotOptions& options) {
    SampleReader reader(db);
    TrendOptions trend_options;
    trend_options.per_server = true;
    trend_options.zone = time.zone();  // the forecast of `trend --tz`, on the zone's days
    const TrendResult trends = trend(db, filter, trend_options);
    if (trends.lines.empty())
        throw_no_samples(filter);

    Plot plot;
    plot.columns = options.columns;
    plot.zone = zone.empty() || zone == "Z" || zone == "UTC" || zone == "Etc/UTC"
                    ? std::string("UTC")
                    : std::string(zone);
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (const TrendLine& line : trends.lines) {
        first = std::min(first, line.total.first_ts);
        last = std::max(last, line.total.last_ts);
    }
    plot.start = filter.since != kNoLimitSince ? filter.since : first;
    plot.end = filter.until != kNoLimitUntil ? filter.until : last;
    if (plot.end <= plot.start)  // a single instant: a minute either side
        plot.start -= 60, plot.end += 60;

    // The forecast zone (forecast_axis_end); a date further off is written at its edge.
    std::vector<std::int64_t> dates;
    for (const TrendLine& line : trends.lines)
        add_forecast_dates(line, dates);
    plot.axis_end = forecast_axis_end(plot.start, plot.end, dates);

    const auto shade_text = [&](const ImbalanceEpisode& e) {
        if (e.kind == ImbalanceKind::starved) {
            return "starved: " + e.server + " has no free address of its own while its " +
                   "partner has some, " + episode_times(time, e.first, e.last);
        }
        return std::string(e.stalled ? "stalled imbalance" : "imbalance") + ": " + e.server +
               " short of free addresses (worst " +
               (e.worst_deviation ? fixed(*e.worst_deviation, 1) + " pp" : std::string("?")) +
               " against " + fixed(e.expected_share, 0) + " %), " +
               episode_times(time, e.first, e.last);
    };
    std::map<std::string, std::vector<PlotShade>> shades;
    {
        const ImbalanceResult found = find_imbalance(reader, filter, ImbalanceOptions{});
        for (const ImbalanceEpisode& e : found.episodes) {
            shades[e.scope].push_back(
                {e.kind == ImbalanceKind::starved ? ShadeKind::starved : ShadeKind::imbalance,
                 e.server, e.first, e.last, shade_text(e)});
        }
    }
    std::map<std::string, std::vector<PlotMark>> marks;
    std::map<std::string, std::vector<PlotSizeChange>> size_changes;
    {
        SampleReader check_reader(db);
        const CheckResult found = check_invariants(check_reader, filter, CheckOptions{});
        for (const Violation& v : found.violations) {
            const Episode& e = v.episode;
            if (v.rule == Rule::size_change) {
                add_size_change(v, size_changes[v.scope]);
                continue;
            }
            const Severity severity = severity_of(v.rule);
            marks[v.scope].push_back(
                {std::string(to_string(v.rule)), severity, v.server, e.first, e.last,
                 std::string(to_string(v.rule)) + " (" + std::string(to_string(severity)) +
                     ") on " + v.server + ": " + episode_times(time, e.first, e.last) + ", " +
                     std::to_string(e.samples) + " sample" + (e.samples == 1 ? "" : "s") +
                     ", worst difference " + fixed(e.worst, 0)});
        }
    }

    std::map<std::string, const TrendLine*> scope_lines;
    std::map<std::pair<std::string, std::string>, const TrendLine*> server_lines;
    for (const TrendLine& line : trends.lines) {
        if (line.server.empty())
            scope_lines[line.scope] = &line;
        else
            server_lines[{line.scope, line.server}] = &line;
    }

    std::set<std::string> servers;
    // Two walks over each series, neither keeping its samples (docs/design.md § Memory): the first
    // finds its usual interval and the scope's size and largest free stack, the second draws.
    struct Walked {
        const Series* series = nullptr;
        std::int64_t usual = 0;
    };
    for_each_scope(reader, filter, [&](const std::string& scope, std::span<const Series> stored) {
        ScopePlot panel;
        panel.scope = scope;
        const auto line = scope_lines.find(scope);
        // The free bands' top: the largest stack, no higher than the scope's size.
        double size = 0, stack_max = 0;
        std::vector<Walked> histories;
        for (const Series& series : stored) {
            PointCursor points(reader, series, filter);
            IntervalCounter interval;
            bool any = false;
            while (const Point* p = points.next()) {
                any = true;
                interval.add(p->timestamp);
                if (const auto n = p->counters[Counter::num_addr])
                    size = std::max(size, static_cast<double>(std::min(*n, kMaxCounter)));
                const auto own = value(p->counters, Counter::this_addr_free);
                const auto partner = value(p->counters, Counter::partner_addr_free);
                stack_max = std::max(stack_max, own.value_or(0) + partner.value_or(0));
            }
            if (any)
                histories.push_back({&series, interval.usual()});
        }
        if (histories.empty())
            return;
        panel.free_max = free_band_top(stack_max, size);
        for (const Walked& h : histories) {
            ServerPlot s;
            s.server = h.series->server;
            servers.insert(s.server);
            // check's gap rule: a step longer than 2.5 x the usual interval.
            const std::int64_t max_step = h.usual * 5 / 2;
            Envelope utilization(plot, max_step), own(plot, max_step), stacked(plot, max_step);
            PointCursor points(reader, *h.series, filter);
            while (const Point* point = points.next()) {
                const Point& p = *point;
                utilization.add(p.timestamp, clamped(utilization_percent(p.counters), 100));
                const auto this_free = value(p.counters, Counter::this_addr_free);
                const auto partner_free = value(p.counters, Counter::partner_addr_free);
                own.add(p.timestamp, clamped(this_free, panel.free_max));
                stacked.add(p.timestamp, this_free && partner_free
                                             ? clamped(*this_free + *partner_free, panel.free_max)
                                             : std::nullopt);
            }
            s.utilization = utilization.finish();
            s.own_free = own.finish();
            s.stacked_free = stacked.finish();
            const auto sl = server_lines.find({scope, s.server});
            if (sl != server_lines.end()) {
                const TrendLine& l = *sl->second;
                s.own_forecast =
                    own_free_forecast(l, trends.as_of, panel.free_max, plot.start, plot.axis_end);
                if (s.own_forecast)
                    s.own_forecast->label = dates_text(time, *l.own_exhaustion, l.own_earliest);
            }
            panel.servers.push_back(std::move(s));
        }
        if (line != scope_lines.end()) {
            const TrendLine& l = *line->second;
            panel.summary = scope_summary(l, time, trend_options.horizon);
            panel.forecast = utilization_forecast(l, trends.as_of, plot.start, plot.axis_end);
            if (panel.forecast)
                panel.forecast->label = dates_text(time, *l.exhaustion, l.earliest);
        }
        panel.shades = std::move(shades[scope]);
        panel.marks = std::move(marks[scope]);
        panel.size_changes = std::move(size_changes[scope]);
        plot.scopes.push_back(std::move(panel));
    });
    if (plot.scopes.empty())
        throw_no_samples(filter);
    plot.servers.assign(servers.begin(), servers.end());
    for (ScopePlot& panel : plot.scopes) {
        for (ServerPlot& s : panel.servers) {
            s.style = static_cast<int>(
                std::lower_bound(plot.servers.begin(), plot.servers.end(), s.server) -
                plot.servers.begin());
        }
    }
    if (options.warning == options.critical) {
        plot.levels.push_back(
            {options.warning, "warning and critical " + percent_text(options.warning) + " %"});
    } else {
        plot.levels.push_back({options.warning, "warning " + percent_text(options.warning) + " %"});
        plot.levels.push_back(
            {options.critical, "critical " + percent_text(options.critical) + " %"});
    }
    plot.ticks = time_ticks(plot.start, plot.axis_end, time, std::max(2, options.columns / 95));
    const auto clock = [&](std::int64_t t) {
        std::string text = time.format(t).substr(0, 16);
        text[10] = ' ';
        return text;
    };
    plot.window_text = clock(plot.start) + " to " + clock(plot.end) + " (" + plot.zone + ")";
    return plot;
}

}  // namespace fostat
