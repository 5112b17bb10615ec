#include "analyses/trend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <date/tz.h>

#include "fostat/calendar.h"
#include "fostat/error.h"
#include "storage/rollup_reader.h"

namespace fostat {
namespace {

constexpr std::int64_t kMonday = 4 * kDaySeconds;  // 1970-01-05T00:00:00Z

std::int64_t floor_to(std::int64_t t, std::int64_t step) {
    const std::int64_t r = t % step;
    return t - (r < 0 ? r + step : r);
}

void judge(TrendLine& line, std::int64_t as_of, const TrendOptions& options) {
    WorstSeverity worst;
    for (const auto& at : {line.earliest, line.own_earliest}) {
        if (const auto s = forecast_severity(at, as_of, options))
            worst.add(*s);
    }
    line.severity = worst.get();
}

}  // namespace

void DayExtremes::absorb(const RollupStats& s) {
    DayExtremes part;
    part.samples = s.samples;
    part.first_ts = s.first_ts;
    part.last_ts = s.last_ts;
    if (const CounterStats& in_use = s[Counter::addr_in_use]; in_use.count > 0)
        part.most_in_use = in_use.max;
    if (const CounterStats& own = s[Counter::this_addr_free]; own.count > 0)
        part.least_own_free = own.min;
    merge(part);
}

void DayExtremes::merge(const DayExtremes& o) {
    if (o.samples == 0)
        return;
    first_ts = samples == 0 ? o.first_ts : std::min(first_ts, o.first_ts);
    last_ts = samples == 0 ? o.last_ts : std::max(last_ts, o.last_ts);
    samples += o.samples;
    if (o.most_in_use)
        most_in_use = std::max(most_in_use.value_or(0), *o.most_in_use);
    if (o.least_own_free)
        least_own_free = std::min(least_own_free.value_or(*o.least_own_free), *o.least_own_free);
}

namespace {

// The analysis of one line in time order, in memory that does not depend on the window's
// length (docs/design.md § Memory): from its buckets the totals, the peak, the latest num_addr and
// the num_addr changes; from its days (DayExtremes, the newest kForecastDays of them) the
// forecasts (docs/analyses.md, Forecasts): the scope's addresses in use at the daily peak
// reaching the latest num_addr, and a server's own free addresses at the daily trough
// reaching 0 (fitted as their negation rising to 0). A num_addr change is a place where the
// forecast may take a step.
class LineAnalysis {
  public:
    explicit LineAnalysis(std::int64_t as_of) : as_of_(as_of) {}

    // REQUIRES: buckets in time order (each bucket's samples after the previous one's).
    void add(const TrendBucket& b) {
        const RollupStats& s = b.stats;
        ++buckets_;
        total_.absorb(s);
        const UtilizationStats& u = s.utilization;
        if (u.count > 0 && (!peak_ || u.max > *peak_)) {
            peak_ = u.max;
            peak_bucket_ = b.start;
        }
        const CounterStats& n = s[Counter::num_addr];
        if (n.count > 0) {
            // num_addr moved inside the bucket, or from the previous bucket's last value.
            const std::uint64_t from = previous_.value_or(n.last == n.max ? n.min : n.max);
            if (n.min != n.max || (previous_ && *previous_ != n.min)) {
                const std::uint64_t to = n.last.value_or(from == n.max ? n.min : n.max);
                changes_.push_back({previous_ ? previous_ts_ : s.first_ts, s.last_ts, from, to,
                                    std::min(from, n.min), std::max(from, n.max)});
            }
            if (n.last) {
                previous_ = n.last;
                previous_ts_ = s.last_ts;
            }
        }
    }

    // A day's extremes, of this line's series or of one of them (a scope's servers, whose
    // days of one date merge). Days older than the forecast looks at are not kept.
    void add_day(const DayExtremes& d) {
        if (d.samples == 0 || d.day <= as_of_ - kForecastDays * kDaySeconds)
            return;
        auto at = days_.end();
        while (at != days_.begin() && std::prev(at)->day >= d.day)
            --at;
        if (at != days_.end() && at->day == d.day) {
            at->merge(d);
            return;
        }
        days_.insert(at, d);
    }

    std::int64_t buckets() const { return buckets_; }

    // The line's figures. A scope line's own_exhaustion is filled in by trend_each from its
    // servers' lines. Without `demand`, the line has no forecast of addr_in_use (a server's
    // line wanted only for its own pool).
    TrendLine finish(std::string scope, std::string server, const TrendOptions& options,
                     bool demand = true) {
        TrendLine line;
        line.scope = std::move(scope);
        line.server = std::move(server);
        line.bucket_count = buckets_;
        line.total = total_;
        line.num_addr = previous_;
        line.utilization = total_.utilization.last;
        line.peak = peak_;
        line.peak_bucket = peak_bucket_;
        line.size_changes = std::move(changes_);

        ForecastInput input;
        input.as_of = as_of_;
        input.horizon = options.horizon;
        std::vector<DayPeak> peaks;
        if (line.num_addr && demand) {
            input.capacity = static_cast<double>(*line.num_addr);
            for (const DayExtremes& d : days_) {
                if (d.most_in_use)
                    peaks.push_back(
                        {d.day, static_cast<double>(*d.most_in_use), d.first_ts, d.last_ts});
            }
            const Forecast f = forecast_peaks(peaks, input);
            line.forecast_days = f.days;
            line.fit = f.model();
            line.slope = f.growth;
            line.spread = f.spread;
            line.exhaustion = f.runs_out;
            line.earliest = f.earliest;
            line.peak_level = f.level;
            line.fit_from = f.fitted_from;
        }
        if (!line.server.empty()) {
            peaks.clear();
            for (const DayExtremes& d : days_) {
                if (d.least_own_free)
                    peaks.push_back(
                        {d.day, -static_cast<double>(*d.least_own_free), d.first_ts, d.last_ts});
            }
            input.capacity = 0;
            // A changed num_addr moves the own free pool at once (demand need not move).
            if (!line.size_changes.empty())
                input.known_break = floor_to(line.size_changes.back().by, kDaySeconds);
            const Forecast f = forecast_peaks(peaks, input);
            line.own_fit = f.model();
            if (f.growth)
                line.own_slope = -*f.growth;
            line.own_exhaustion = f.runs_out;
            line.own_earliest = f.earliest;
            if (f.level)
                line.own_level = -*f.level + 0.0;
            line.own_fit_from = f.fitted_from;
            if (f.earliest)
                line.own_server = line.server;
        }
        judge(line, as_of_, options);
        return line;
    }

  private:
    std::int64_t as_of_;
    std::int64_t buckets_ = 0;
    RollupStats total_;
    std::optional<double> peak_;
    std::int64_t peak_bucket_ = 0;
    std::vector<SizeChange> changes_;
    std::optional<std::uint64_t> previous_;  // the latest num_addr known, at previous_ts_
    std::int64_t previous_ts_ = 0;
    std::vector<DayExtremes> days_;  // ascending, at most kForecastDays
};

// What the buckets of every series of one trend are made of: stored rollups where they cover
// whole cells, raw samples for the days cut by the window (and every day with
// TrendSource::raw), unless pruned. A cell is what the buckets are made of: an hour (1h
// buckets, and local days in a zone of whole hours), else a day (UTC, or local when built
// from raw samples: `raw_days`).
class BucketSource {
  public:
    BucketSource(SampleReader& samples, RollupReader& rollups, const SeriesFilter& filter,
                 std::int64_t bucket, TrendSource source, LocalCalendar* local, bool raw_days)
        : samples_(samples),
          rollups_(rollups),
          filter_(filter),
          bucket_(bucket),
          hourly_cells_(bucket == kHourSeconds || (local && !raw_days)),
          cells_are_buckets_(bucket == kHourSeconds || (bucket == kDaySeconds && !hourly_cells_)),
          source_(source),
          local_(local),
          raw_days_(local && raw_days) {}

    // Series-days in the window without buckets (1h where prune removed the hourly rollups),
    // as counted by the cursors that count them.
    std::int64_t pruned_days() const { return pruned_days_; }

  private:
    friend class BucketCursor;

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

    SampleReader& samples_;
    RollupReader& rollups_;
    const SeriesFilter& filter_;
    std::int64_t bucket_;
    bool hourly_cells_;
    bool cells_are_buckets_;  // else a bucket absorbs its cells in time order
    TrendSource source_;
    LocalCalendar* local_;       // null: UTC days and weeks
    bool raw_days_;              // local days from raw samples: the zone is not in whole hours
    std::vector<Point> points_;  // one day of one series, read and used up by one cursor
    std::int64_t pruned_days_ = 0;
};

// Where a cursor gives each stored day's extremes, as it reads the day.
using DaySink = std::function<void(const DayExtremes&)>;

// The buckets of one series, in time order, one at a time: reads one stored day at a time
// (docs/design.md § Memory), and keeps the cell and the bucket being filled, and the buckets that
// day completed.
class BucketCursor {
  public:
    // count_pruned: count the days without buckets in the source's pruned_days (the first
    // walk through a series does, a walk again does not). on_day, when set, is given each
    // day's extremes inside the window: from the daily rollup, or from the raw samples where
    // the buckets are made from them (the same figures).
    BucketCursor(BucketSource& source, const Series& series, bool count_pruned, DaySink on_day = {})
        : source_(source),
          series_(series),
          days_(source.rollups_, series.id, source.filter_.since, source.filter_.until,
                source.hourly_cells_, source.samples_.open_days(series, source.filter_)),
          count_pruned_(count_pruned),
          on_day_(std::move(on_day)) {}

    // The next bucket, or null after the last. Valid until the next call.
    const TrendBucket* next() {
        while (at_ == ready_.size()) {
            ready_.clear();
            at_ = 0;
            if (done_)
                return nullptr;
            if (const StoredDay* d = days_.next()) {
                read_day(*d);
            } else {
                close_cell();
                if (bucket_)
                    ready_.push_back(std::move(*bucket_));
                bucket_.reset();
                done_ = true;
            }
        }
        return &ready_[at_++];
    }

  private:
    void read_day(const StoredDay& d) {
        BucketSource& s = source_;
        const SeriesFilter& filter = s.filter_;
        const bool cut = d.day < filter.since || d.day + (kDaySeconds - 1) > filter.until;
        if ((cut || d.open || s.raw_days_ || s.source_ == TrendSource::raw) && !d.raw_pruned_by) {
            read_raw(d.day);
            return;
        }
        if (on_day_) {
            DayExtremes e;
            e.day = d.day;
            e.absorb(d.daily);
            on_day_(e);
        }
        if (!s.local_ && !s.hourly_cells_) {
            new_cell(d.day, d.daily);
        } else if (s.local_ && (!s.hourly_cells_ || d.hourly_pruned)) {
            // Prune left only the daily rollup: it counts whole in the local day that holds
            // its noon (docs/analyses.md, trend).
            add_to_cell(s.local_->day_start(d.day + kDaySeconds / 2), d.daily);
        } else if (d.hourly_pruned) {
            if (count_pruned_)
                ++s.pruned_days_;
        } else {
            for (const Rollup& h : d.hourly) {
                if (h.stats.last_ts >= filter.since && h.stats.first_ts <= filter.until)
                    new_cell(h.start, h.stats);
            }
        }
    }

    void read_raw(std::int64_t day) {
        BucketSource& s = source_;
        SeriesFilter part = s.filter_;
        part.since = std::max(s.filter_.since, day);
        part.until = std::min(s.filter_.until, day + (kDaySeconds - 1));
        s.samples_.points(series_, part, s.points_);
        if (on_day_) {
            RollupStats whole;
            for (const Point& p : s.points_)
                whole.add(p.timestamp, p.counters);
            DayExtremes e;
            e.day = day;
            e.absorb(whole);
            on_day_(e);
        }
        for (const Point& p : s.points_) {
            const std::int64_t start = s.cell_of(p.timestamp);
            if (!cell_ || cell_->start != start) {
                close_cell();
                cell_.emplace(TrendBucket{start, {}});
            }
            cell_->stats.add(p.timestamp, p.counters);
        }
    }

    // A cell of its own, even where the last one has the same start.
    void new_cell(std::int64_t start, const RollupStats& stats) {
        close_cell();
        cell_.emplace(TrendBucket{start, stats});
    }

    // Into the last cell when it has this start.
    void add_to_cell(std::int64_t start, const RollupStats& stats) {
        if (!cell_ || cell_->start != start) {
            close_cell();
            cell_.emplace(TrendBucket{start, {}});
        }
        cell_->stats.absorb(stats);
    }

    // The cell being filled is complete: it is a bucket, or goes into the bucket of its start.
    void close_cell() {
        if (!cell_)
            return;
        if (source_.cells_are_buckets_) {
            ready_.push_back(std::move(*cell_));
        } else {
            const std::int64_t start = source_.bucket_of(cell_->start);
            if (!bucket_ || bucket_->start != start) {
                if (bucket_)
                    ready_.push_back(std::move(*bucket_));
                bucket_.emplace(TrendBucket{start, {}});
            }
            bucket_->stats.absorb(cell_->stats);
        }
        cell_.reset();
    }

    BucketSource& source_;
    const Series& series_;
    StoredDayCursor days_;
    bool count_pruned_;
    DaySink on_day_;
    std::optional<TrendBucket> cell_;    // the cell being filled
    std::optional<TrendBucket> bucket_;  // the bucket being filled, when it is made of cells
    std::vector<TrendBucket> ready_;     // complete buckets, at most a day's
    std::size_t at_ = 0;
    bool done_ = false;
};

using Cursors = std::vector<std::unique_ptr<BucketCursor>>;

// on_day(i, day): series i's days, when set. Each cursor keeps a copy of it (the caller's
// may be a temporary that ends before the cursors do).
Cursors open_cursors(BucketSource& source, std::span<const Series> series, bool count_pruned,
                     std::function<void(std::size_t, const DayExtremes&)> on_day = {}) {
    Cursors out;
    for (std::size_t i = 0; i < series.size(); ++i) {
        DaySink sink;
        if (on_day)
            sink = [on_day, i](const DayExtremes& d) { on_day(i, d); };
        out.push_back(std::make_unique<BucketCursor>(source, series[i], count_pruned, sink));
    }
    return out;
}

// Walks the servers' cursors in step by bucket start: for each start in time order, calls
// server(i, bucket) with the buckets of that start of each server i, in server order, then
// scope(bucket) with the scope's bucket, which absorbed them in that order (in a healthy pair
// both report the same scope totals, so sums and counts simply add up).
template <class Server, class Scope>
void merge_servers(Cursors& cursors, Server server, Scope scope) {
    std::vector<const TrendBucket*> heads;
    for (auto& c : cursors)
        heads.push_back(c->next());
    for (;;) {
        std::optional<std::int64_t> start;
        for (const TrendBucket* h : heads) {
            if (h && (!start || h->start < *start))
                start = h->start;
        }
        if (!start)
            return;
        TrendBucket combined{*start, {}};
        for (std::size_t i = 0; i < heads.size(); ++i) {
            while (heads[i] && heads[i]->start == *start) {
                combined.stats.absorb(heads[i]->stats);
                server(i, *heads[i]);
                heads[i] = cursors[i]->next();
            }
        }
        scope(combined);
    }
}

// A scope's buckets walked again, for trend_each's visitor.
class ScopeBuckets final : public TrendBuckets {
  public:
    ScopeBuckets(BucketSource& source, std::span<const Series> series)
        : source_(source), series_(series) {}

    void each(const TrendLine& line,
              const std::function<void(const TrendBucket&)>& visit) override {
        if (line.server.empty()) {
            Cursors cursors = open_cursors(source_, series_, false);
            merge_servers(
                cursors, [](std::size_t, const TrendBucket&) {}, visit);
            return;
        }
        for (const Series& s : series_) {
            if (s.server != line.server)
                continue;
            BucketCursor cursor(source_, s, false);
            while (const TrendBucket* b = cursor.next())
                visit(*b);
        }
    }

  private:
    BucketSource& source_;
    std::span<const Series> series_;
};

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
    return start_of_local_day(day - days_since_monday(day));
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

TrendLine analyse_line(std::string scope, std::string server, std::span<const TrendBucket> buckets,
                       std::int64_t as_of, const TrendOptions& options) {
    LineAnalysis analysis(as_of);
    for (const TrendBucket& b : buckets) {
        analysis.add(b);
        DayExtremes day;
        day.day = floor_to(b.start, kDaySeconds);
        day.absorb(b.stats);
        analysis.add_day(day);
    }
    return analysis.finish(std::move(scope), std::move(server), options);
}

TrendResult trend_each(SQLite::Database& db, const SeriesFilter& filter,
                       const TrendOptions& options, const TrendVisitor& visit, bool names_only) {
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
        auto extent = rollups.extent(s.id, filter.since, filter.until);
        // Days with head samples have no rollups that hold them yet.
        if (const auto open = samples.open_extent(s, filter)) {
            extent = extent ? std::pair{std::min(extent->first, open->first),
                                        std::max(extent->second, open->second)}
                            : *open;
        }
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
        const std::vector<Series>& series =
            by_scope[scope];  // in server order, as series() gives them
        ScopeBuckets buckets(source, series);
        if (names_only) {
            lines.assign(1 + (options.per_server ? series.size() : 0), TrendLine{});
            for (std::size_t i = 0; i < lines.size(); ++i) {
                lines[i].scope = scope;
                if (i > 0)
                    lines[i].server = series[i - 1].server;
            }
            visit(result, lines, buckets);
            continue;
        }
        std::vector<LineAnalysis> servers(series.size(), LineAnalysis(result.as_of));
        LineAnalysis combined(result.as_of);
        Cursors cursors =
            open_cursors(source, series, true, [&](std::size_t i, const DayExtremes& d) {
                servers[i].add_day(d);
                combined.add_day(d);
            });
        merge_servers(
            cursors, [&](std::size_t i, const TrendBucket& b) { servers[i].add(b); },
            [&](const TrendBucket& b) { combined.add(b); });
        cursors.clear();
        if (combined.buckets() == 0)
            continue;
        TrendLine line = combined.finish(scope, "", options);
        std::vector<TrendLine> server_lines;
        for (std::size_t i = 0; i < series.size(); ++i) {
            if (servers[i].buckets() > 0)
                server_lines.push_back(servers[i].finish(
                    scope, series[i].server, options, options.per_server && options.server_demand));
        }
        for (const TrendLine& s : server_lines) {
            if (s.own_earliest && (!line.own_earliest || *s.own_earliest < *line.own_earliest)) {
                line.own_earliest = s.own_earliest;
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
        visit(result, lines, buckets);
    }
    result.pruned_days = source.pruned_days();
    return result;
}

TrendResult trend(SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& options) {
    std::vector<TrendLine> kept;
    TrendResult result = trend_each(
        db, filter, options, [&](const TrendResult&, std::span<TrendLine> lines, TrendBuckets&) {
            for (TrendLine& line : lines)
                kept.push_back(std::move(line));
        });
    result.lines = std::move(kept);
    return result;
}

}  // namespace fostat
