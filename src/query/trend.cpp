#include "query/trend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <date/tz.h>

#include "fostat/error.h"

namespace fostat {
namespace {

constexpr std::int64_t kMonday = 4 * kDaySeconds;  // 1970-01-05T00:00:00Z
constexpr double kPercent = 100.0;

std::int64_t floor_to(std::int64_t t, std::int64_t step) {
    const std::int64_t r = t % step;
    return t - (r < 0 ? r + step : r);
}

// The middle of a bucket's samples, in days from `origin`.
double middle_days(const RollupStats& s, std::int64_t origin) {
    return (static_cast<double>(s.first_ts - origin) + static_cast<double>(s.last_ts - origin)) /
           2.0 / static_cast<double>(kDaySeconds);
}

std::vector<FitPoint> counter_points(const std::vector<TrendBucket>& buckets, Counter counter,
                                     std::int64_t origin) {
    std::vector<FitPoint> out;
    for (const TrendBucket& b : buckets) {
        const CounterStats& c = b.stats[counter];
        if (c.count > 0)
            out.push_back({middle_days(b.stats, origin), *c.mean(), static_cast<double>(c.count)});
    }
    return out;
}

std::vector<FitPoint> utilization_points(const std::vector<TrendBucket>& buckets,
                                         std::int64_t origin) {
    std::vector<FitPoint> out;
    for (const TrendBucket& b : buckets) {
        const UtilizationStats& u = b.stats.utilization;
        if (u.count > 0)
            out.push_back({middle_days(b.stats, origin), *u.mean(), static_cast<double>(u.count)});
    }
    return out;
}

// The buckets that start after the last num_addr change, when there are enough of them for
// a line: a forecast then follows the pool as it is configured now. A line across the change
// would be bent by its step (a pool extension makes utilization drop while leases grow).
// Otherwise every bucket, fitted on utilization.
std::vector<TrendBucket> fit_buckets(const std::vector<TrendBucket>& buckets,
                                     const std::vector<SizeChange>& changes) {
    if (changes.empty())
        return buckets;
    std::vector<TrendBucket> since;
    for (const TrendBucket& b : buckets) {
        if (b.stats.first_ts >= changes.back().by)
            since.push_back(b);
    }
    return since.size() >= 2 ? since : buckets;
}

// this_addr_free as a percentage of num_addr, bucket by bucket: the own pool's share of the
// scope, comparable across a num_addr change.
std::vector<FitPoint> own_share_points(const std::vector<TrendBucket>& buckets,
                                       std::int64_t origin) {
    std::vector<FitPoint> out;
    for (const TrendBucket& b : buckets) {
        const CounterStats& own = b.stats[Counter::this_addr_free];
        const CounterStats& total = b.stats[Counter::num_addr];
        if (own.count > 0 && total.count > 0 && total.sum > 0) {
            out.push_back({middle_days(b.stats, origin), kPercent * *own.mean() / *total.mean(),
                           static_cast<double>(own.count)});
        }
    }
    return out;
}

std::vector<SizeChange> size_changes(const std::vector<TrendBucket>& buckets) {
    std::vector<SizeChange> out;
    std::optional<std::uint64_t> previous;  // num_addr at the last sample of a bucket so far
    std::int64_t previous_ts = 0;
    for (const TrendBucket& b : buckets) {
        const CounterStats& n = b.stats[Counter::num_addr];
        if (n.count == 0)
            continue;
        const std::uint64_t from = previous.value_or(n.last == n.max ? n.min : n.max);
        const bool moved = n.min != n.max || (previous && *previous != n.min);
        if (moved) {
            const std::uint64_t to = n.last.value_or(from == n.max ? n.min : n.max);
            out.push_back({previous ? previous_ts : b.stats.first_ts, b.stats.last_ts, from, to,
                           std::min(from, n.min), std::max(from, n.max)});
        }
        if (n.last) {
            previous = n.last;
            previous_ts = b.stats.last_ts;
        }
    }
    return out;
}

void judge(TrendLine& line, std::int64_t as_of, const TrendOptions& options) {
    WorstSeverity worst;
    for (const auto& at : {line.exhaustion, line.own_exhaustion}) {
        if (const auto s = forecast_severity(at, as_of, options))
            worst.add(*s);
    }
    line.severity = worst.get();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return (a - (a % b + b) % b) / b;
}

// The buckets of one series: stored rollups where they cover whole cells, raw samples for
// the days cut by the window (and every day with TrendSource::raw), unless pruned. A cell is
// what the buckets are made of: an hour (1h buckets, and local days in a zone of whole
// hours), else a day (UTC, or local when built from raw samples: `raw_days`).
class BucketSource {
  public:
    BucketSource(SampleReader& samples, RollupReader& rollups, const SeriesFilter& filter,
                 std::int64_t bucket, TrendSource source, LocalCalendar* local, bool raw_days)
        : samples_(samples),
          rollups_(rollups),
          filter_(filter),
          bucket_(bucket),
          hourly_cells_(bucket == kHourSeconds || (local && !raw_days)),
          source_(source),
          local_(local),
          raw_days_(local && raw_days) {}

    std::vector<TrendBucket> buckets(const Series& series) {
        std::vector<TrendBucket> cells;
        for (const StoredDay& d :
             rollups_.days(series.id, filter_.since, filter_.until, hourly_cells_)) {
            const bool cut = d.day < filter_.since || d.day + (kDaySeconds - 1) > filter_.until;
            if ((cut || raw_days_ || source_ == TrendSource::raw) && !d.raw_pruned_by) {
                add_raw(series, d.day, cells);
            } else if (!local_ && !hourly_cells_) {
                cells.push_back({d.day, d.daily});
            } else if (local_ && (!hourly_cells_ || d.hourly_pruned)) {
                // Prune left only the daily rollup: it counts whole in the local day that
                // holds its noon (docs/analyses.md, trend).
                add_cell(cells, local_->day_start(d.day + kDaySeconds / 2), d.daily);
            } else if (d.hourly_pruned) {
                ++pruned_days_;
            } else {
                for (const Rollup& h : d.hourly) {
                    if (h.stats.last_ts >= filter_.since && h.stats.first_ts <= filter_.until)
                        cells.push_back({h.start, h.stats});
                }
            }
        }
        if (bucket_ == kHourSeconds || (bucket_ == kDaySeconds && !hourly_cells_))
            return cells;
        std::vector<TrendBucket> out;
        for (const TrendBucket& c : cells)
            add_cell(out, bucket_of(c.start), c.stats);
        return out;
    }

    std::int64_t pruned_days() const { return pruned_days_; }

  private:
    static void add_cell(std::vector<TrendBucket>& out, std::int64_t start,
                         const RollupStats& stats) {
        if (out.empty() || out.back().start != start)
            out.push_back({start, {}});
        out.back().stats.absorb(stats);
    }

    std::int64_t cell_of(std::int64_t t) {
        if (hourly_cells_)
            return floor_to(t, kHourSeconds);
        return local_ ? local_->day_start(t) : floor_to(t, kDaySeconds);
    }

    std::int64_t bucket_of(std::int64_t cell) {
        if (!local_)
            return bucket_start(cell, bucket_);
        return bucket_ == kDaySeconds ? local_->day_start(cell) : local_->week_start(cell);
    }

    void add_raw(const Series& series, std::int64_t day, std::vector<TrendBucket>& cells) {
        SeriesFilter part = filter_;
        part.since = std::max(filter_.since, day);
        part.until = std::min(filter_.until, day + (kDaySeconds - 1));
        samples_.points(series, part, points_);
        for (const Point& p : points_) {
            const std::int64_t start = cell_of(p.timestamp);
            if (cells.empty() || cells.back().start != start)
                cells.push_back({start, {}});
            cells.back().stats.add(p.timestamp, p.counters);
        }
    }

    SampleReader& samples_;
    RollupReader& rollups_;
    const SeriesFilter& filter_;
    std::int64_t bucket_;
    bool hourly_cells_;
    TrendSource source_;
    LocalCalendar* local_;       // null: UTC days and weeks
    bool raw_days_;              // local days from raw samples: the zone is not in whole hours
    std::vector<Point> points_;  // one day of one series
    std::int64_t pruned_days_ = 0;
};

std::vector<TrendBucket> combined(const std::vector<TrendLine>& servers) {
    std::map<std::int64_t, RollupStats> by_start;
    for (const TrendLine& server : servers) {
        for (const TrendBucket& b : server.buckets)
            by_start[b.start].absorb(b.stats);
    }
    std::vector<TrendBucket> out;
    out.reserve(by_start.size());
    for (auto& [start, stats] : by_start)
        out.push_back({start, std::move(stats)});
    return out;
}

}  // namespace

std::int64_t default_bucket(std::int64_t window_seconds) {
    if (window_seconds <= 2 * kDaySeconds)
        return kHourSeconds;
    if (window_seconds <= 90 * kDaySeconds)
        return kDaySeconds;
    return kWeekSeconds;
}

std::int64_t bucket_start(std::int64_t t, std::int64_t bucket) {
    if (bucket == kWeekSeconds)
        return floor_to(t - kMonday, kWeekSeconds) + kMonday;
    return floor_to(t, bucket);
}

std::int64_t LocalCalendar::local_day(std::int64_t t) {
    if (t < period_begin_ || t >= period_end_) {
        const date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{t}});
        period_begin_ = info.begin.time_since_epoch().count();
        period_end_ = info.end.time_since_epoch().count();
        offset_ = info.offset.count();
    }
    return floor_div(t + offset_, kDaySeconds);
}

std::int64_t LocalCalendar::start_of_local_day(std::int64_t day) {
    if (cached_ && day == cached_day_)
        return cached_start_;
    // A midnight that a transition skips gives the transition's instant; one it repeats,
    // the earlier.
    const date::local_seconds midnight{std::chrono::seconds{day * kDaySeconds}};
    cached_start_ = zone_->to_sys(midnight, date::choose::earliest).time_since_epoch().count();
    cached_day_ = day;
    cached_ = true;
    return cached_start_;
}

std::int64_t LocalCalendar::day_start(std::int64_t t) {
    return start_of_local_day(local_day(t));
}

std::int64_t LocalCalendar::week_start(std::int64_t t) {
    const std::int64_t day = local_day(t);
    const std::int64_t since_monday = ((day - 4) % 7 + 7) % 7;  // day 4 is Monday 1970-01-05
    return start_of_local_day(day - since_monday);
}

namespace {

// Whether every offset period of the zone from `since` to `until` passes `ok`, and (with
// `whole_transitions`) changes at a whole UTC hour.
template <class Ok>
bool every_period(const date::time_zone* zone, std::int64_t since, std::int64_t until, Ok ok,
                  bool whole_transitions) {
    date::sys_info info = zone->get_info(date::sys_seconds{std::chrono::seconds{since}});
    for (;;) {
        if (!ok(info.offset.count()))
            return false;
        const std::int64_t end = info.end.time_since_epoch().count();
        if (end > until)
            return true;
        if (whole_transitions && end % kHourSeconds != 0)
            return false;
        info = zone->get_info(info.end);
    }
}

}  // namespace

bool LocalCalendar::whole_hours(std::int64_t since, std::int64_t until) const {
    return every_period(
        zone_, since, until, [](std::int64_t offset) { return offset % kHourSeconds == 0; }, true);
}

bool LocalCalendar::utc(std::int64_t since, std::int64_t until) const {
    return every_period(
        zone_, since, until, [](std::int64_t offset) { return offset == 0; }, false);
}

std::optional<LinearFit> fit_line(std::span<const FitPoint> points) {
    double w = 0, wx = 0, wy = 0;
    int weighted = 0;
    for (const FitPoint& p : points) {
        if (p.weight <= 0)
            continue;
        ++weighted;
        w += p.weight;
        wx += p.weight * p.x;
        wy += p.weight * p.y;
    }
    if (weighted < 2)
        return std::nullopt;
    const double mx = wx / w;
    const double my = wy / w;
    double sxx = 0, sxy = 0;
    for (const FitPoint& p : points) {
        if (p.weight <= 0)
            continue;
        sxx += p.weight * (p.x - mx) * (p.x - mx);
        sxy += p.weight * (p.x - mx) * (p.y - my);
    }
    if (!(sxx > 0))
        return std::nullopt;
    const double slope = sxy / sxx;
    return LinearFit{my - slope * mx, slope};
}

std::optional<std::int64_t> reaches(const LinearFit& fit, double target, bool rising,
                                    std::int64_t origin, std::int64_t horizon) {
    if (rising ? !(fit.slope > 0) : !(fit.slope < 0))
        return std::nullopt;
    const double days = std::max(0.0, (target - fit.intercept) / fit.slope);
    const double seconds = days * static_cast<double>(kDaySeconds);
    if (seconds > static_cast<double>(horizon))
        return std::nullopt;
    return origin + std::llround(seconds);
}

bool own_runs_out_first(const TrendLine& line) {
    return line.server.empty() && line.own_exhaustion &&
           (!line.exhaustion || *line.own_exhaustion <= *line.exhaustion - kDaySeconds);
}

std::optional<Severity> forecast_severity(std::optional<std::int64_t> at, std::int64_t as_of,
                                          const TrendOptions& options) {
    if (!at)
        return std::nullopt;
    if (*at - as_of <= options.critical_within)
        return Severity::critical;
    if (*at - as_of <= options.warn_within)
        return Severity::warning;
    return std::nullopt;
}

TrendLine analyse_line(std::string scope, std::string server, std::vector<TrendBucket> buckets,
                       std::int64_t as_of, const TrendOptions& options) {
    TrendLine line;
    line.scope = std::move(scope);
    line.server = std::move(server);
    line.buckets = std::move(buckets);
    for (const TrendBucket& b : line.buckets) {
        line.total.absorb(b.stats);
        const UtilizationStats& u = b.stats.utilization;
        if (u.count > 0 && (!line.peak || u.max > *line.peak)) {
            line.peak = u.max;
            line.peak_bucket = b.start;
        }
    }
    for (auto b = line.buckets.rbegin(); b != line.buckets.rend() && !line.num_addr; ++b)
        line.num_addr = b->stats[Counter::num_addr].last;
    line.utilization = line.total.utilization.last;
    line.size_changes = size_changes(line.buckets);
    line.on_utilization = !line.size_changes.empty();

    const double size = line.num_addr ? static_cast<double>(*line.num_addr) : 0;
    const auto in_addresses = [&](double slope) { return slope / kPercent * size; };
    if (line.on_utilization) {
        const auto fit =
            fit_line(utilization_points(fit_buckets(line.buckets, line.size_changes), as_of));
        if (fit && line.num_addr) {
            line.slope = in_addresses(fit->slope);
            line.exhaustion = reaches(*fit, kPercent, true, as_of, options.horizon);
        }
    } else if (const auto fit =
                   fit_line(counter_points(line.buckets, Counter::addr_in_use, as_of))) {
        line.slope = fit->slope;
        if (line.num_addr)
            line.exhaustion = reaches(*fit, size, true, as_of, options.horizon);
    }
    if (!line.server.empty()) {
        const auto fit =
            line.on_utilization
                ? fit_line(own_share_points(fit_buckets(line.buckets, line.size_changes), as_of))
                : fit_line(counter_points(line.buckets, Counter::this_addr_free, as_of));
        if (fit && (!line.on_utilization || line.num_addr)) {
            line.own_slope = line.on_utilization ? in_addresses(fit->slope) : fit->slope;
            line.own_exhaustion = reaches(*fit, 0, false, as_of, options.horizon);
            line.own_server = line.server;
        }
    }
    judge(line, as_of, options);
    return line;
}

TrendResult trend_each(
    SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& options,
    const std::function<void(const TrendResult& result, std::span<TrendLine> lines)>& visit) {
    SampleReader samples(db);
    RollupReader rollups(db);
    if (const std::int64_t waiting = rollups.backlog(); waiting > 0) {
        throw StorageError("the rollups of " + std::to_string(waiting) +
                           " series-days stored before the upgrade to schema version 2 are "
                           "not computed yet; the next fostat-collect run computes them");
    }
    TrendResult result;
    std::map<std::string, std::vector<Series>> by_scope;
    std::optional<std::int64_t> first, last;
    for (Series& s : samples.series(filter)) {
        const auto extent = rollups.extent(s.id, filter.since, filter.until);
        if (!extent)
            continue;
        first = std::min(first.value_or(extent->first), extent->first);
        last = std::max(last.value_or(extent->second), extent->second);
        by_scope[s.scope].push_back(std::move(s));
    }
    if (!first) {
        result.bucket = options.bucket.value_or(kDaySeconds);
        return result;
    }
    const std::int64_t since = std::max(filter.since, *first);
    result.as_of = std::min(filter.until, *last);
    result.bucket = options.bucket.value_or(default_bucket(result.as_of - since));

    // Local days where the zone's offset is not 0 somewhere in the window (otherwise they are
    // UTC days); from hourly rollups where it stays whole hours, from raw samples otherwise.
    std::optional<LocalCalendar> local;
    if (options.zone && result.bucket != kHourSeconds) {
        local.emplace(options.zone);
        if (local->utc(since, result.as_of))
            local.reset();
    }
    result.local_days = local.has_value();
    const bool raw_days = local && !local->whole_hours(since, result.as_of);

    std::vector<std::string> scopes;
    for (const auto& entry : by_scope)
        scopes.push_back(entry.first);
    std::sort(scopes.begin(), scopes.end(), scope_less);
    BucketSource source(samples, rollups, filter, result.bucket, options.source,
                        local ? &*local : nullptr, raw_days);
    std::vector<TrendLine> lines;
    for (const std::string& scope : scopes) {
        std::vector<TrendLine> server_lines;
        for (const Series& s : by_scope[scope]) {  // in server order, as series() gives them
            std::vector<TrendBucket> buckets = source.buckets(s);
            if (buckets.empty())
                continue;
            server_lines.push_back(
                analyse_line(scope, s.server, std::move(buckets), result.as_of, options));
        }
        if (server_lines.empty())
            continue;
        TrendLine line = analyse_line(scope, "", combined(server_lines), result.as_of, options);
        for (const TrendLine& s : server_lines) {
            if (s.own_exhaustion &&
                (!line.own_exhaustion || *s.own_exhaustion < *line.own_exhaustion)) {
                line.own_exhaustion = s.own_exhaustion;
                line.own_server = s.server;
            }
        }
        judge(line, result.as_of, options);
        if (line.severity)
            result.worst.add(*line.severity);
        lines.clear();
        lines.push_back(std::move(line));
        if (options.per_server) {
            for (TrendLine& s : server_lines)
                lines.push_back(std::move(s));
        }
        visit(result, lines);
    }
    result.pruned_days = source.pruned_days();
    return result;
}

TrendResult trend(SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& options) {
    std::vector<TrendLine> kept;
    TrendResult result =
        trend_each(db, filter, options, [&](const TrendResult&, std::span<TrendLine> lines) {
            for (TrendLine& line : lines)
                kept.push_back(std::move(line));
        });
    result.lines = std::move(kept);
    return result;
}

}  // namespace fostat
