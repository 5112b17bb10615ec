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

void judge(TrendLine& line, std::int64_t as_of, const TrendOptions& options) {
    WorstSeverity worst;
    for (const auto& at : {line.exhaustion, line.own_exhaustion}) {
        if (const auto s = forecast_severity(at, as_of, options))
            worst.add(*s);
    }
    line.severity = worst.get();
}

// Weighted least squares kept as running sums, one point at a time: the total weight, the
// weighted means and the centred sums of squares and products, each point moving the means
// by its share of the weight (West's update). A fit then needs no second walk through the
// points, and a large mean costs no precision as raw sums of x*x and x*y would.
class LineFitter {
  public:
    void add(const FitPoint& p) {
        if (p.weight <= 0)
            return;
        weight_ += p.weight;
        const double dx = p.x - mean_x_;
        const double share = p.weight / weight_;
        mean_x_ += share * dx;
        mean_y_ += share * (p.y - mean_y_);
        sxx_ += p.weight * dx * (p.x - mean_x_);
        sxy_ += p.weight * dx * (p.y - mean_y_);
    }

    // nullopt without two distinct x of positive weight (sxx stays exactly 0 while every x
    // equals the first).
    std::optional<LinearFit> fit() const {
        if (!(sxx_ > 0))
            return std::nullopt;
        const double slope = sxy_ / sxx_;
        return LinearFit{mean_y_ - slope * mean_x_, slope};
    }

  private:
    double weight_ = 0;
    double mean_x_ = 0;
    double mean_y_ = 0;
    double sxx_ = 0;
    double sxy_ = 0;
};

// The analysis of one line, bucket by bucket in time order, in memory that does not depend
// on the number of buckets (DESIGN §6, memory): totals, peak, the latest num_addr, the
// num_addr changes, and the fits as running sums. Each bucket gives the fits the points
// below; a fit point sits at the middle of its bucket's samples, in days from as_of:
// - addr_in_use and this_addr_free: the counter's mean, weighted by its count;
// - utilization: its mean, weighted by its count;
// - the own free share: this_addr_free as a percentage of num_addr, the own pool's share of
//   the scope, comparable across a num_addr change.
// After a num_addr change the line is fitted on utilization (and the own share) over the
// buckets that start after the last change, when there are at least two of them: a forecast
// then follows the pool as it is configured now, where a line across the change would be
// bent by its step (a pool extension makes utilization drop while leases grow). Otherwise
// over every bucket.
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
                since_.emplace();
            }
            if (n.last) {
                previous_ = n.last;
                previous_ts_ = s.last_ts;
            }
        }

        const double x = middle_days(s, as_of_);
        const CounterStats& in_use = s[Counter::addr_in_use];
        if (in_use.count > 0)
            in_use_.add({x, *in_use.mean(), static_cast<double>(in_use.count)});
        const CounterStats& own = s[Counter::this_addr_free];
        if (own.count > 0)
            own_free_.add({x, *own.mean(), static_cast<double>(own.count)});
        std::optional<FitPoint> utilization, own_share;
        if (u.count > 0)
            utilization = FitPoint{x, *u.mean(), static_cast<double>(u.count)};
        if (own.count > 0 && n.count > 0 && n.sum > 0)
            own_share =
                FitPoint{x, kPercent * *own.mean() / *n.mean(), static_cast<double>(own.count)};
        all_.add(utilization, own_share);
        if (since_ && s.first_ts >= changes_.back().by)
            since_->add(utilization, own_share);
    }

    std::int64_t buckets() const { return buckets_; }

    // The line's figures. A scope line's own_exhaustion is filled in by trend_each from its
    // servers' lines.
    TrendLine finish(std::string scope, std::string server, const TrendOptions& options) {
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
        line.on_utilization = !line.size_changes.empty();
        const SizeFits& sized = since_ && since_->buckets >= 2 ? *since_ : all_;

        const double size = line.num_addr ? static_cast<double>(*line.num_addr) : 0;
        const auto in_addresses = [&](double slope) { return slope / kPercent * size; };
        if (line.on_utilization) {
            const auto fit = sized.utilization.fit();
            if (fit && line.num_addr) {
                line.slope = in_addresses(fit->slope);
                line.exhaustion = reaches(*fit, kPercent, true, as_of_, options.horizon);
            }
        } else if (const auto fit = in_use_.fit()) {
            line.slope = fit->slope;
            if (line.num_addr)
                line.exhaustion = reaches(*fit, size, true, as_of_, options.horizon);
        }
        if (!line.server.empty()) {
            const auto fit = line.on_utilization ? sized.own_share.fit() : own_free_.fit();
            if (fit && (!line.on_utilization || line.num_addr)) {
                line.own_slope = line.on_utilization ? in_addresses(fit->slope) : fit->slope;
                line.own_exhaustion = reaches(*fit, 0, false, as_of_, options.horizon);
                line.own_server = line.server;
            }
        }
        judge(line, as_of_, options);
        return line;
    }

  private:
    // The fits that follow num_addr, over a run of buckets.
    struct SizeFits {
        LineFitter utilization;
        LineFitter own_share;
        std::int64_t buckets = 0;

        void add(const std::optional<FitPoint>& u, const std::optional<FitPoint>& share) {
            ++buckets;
            if (u)
                utilization.add(*u);
            if (share)
                own_share.add(*share);
        }
    };

    std::int64_t as_of_;
    std::int64_t buckets_ = 0;
    RollupStats total_;
    std::optional<double> peak_;
    std::int64_t peak_bucket_ = 0;
    std::vector<SizeChange> changes_;
    std::optional<std::uint64_t> previous_;  // the latest num_addr known, at previous_ts_
    std::int64_t previous_ts_ = 0;
    LineFitter in_use_;
    LineFitter own_free_;
    SizeFits all_;
    std::optional<SizeFits> since_;  // the buckets since the last num_addr change, if any
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

// The buckets of one series, in time order, one at a time: reads one stored day at a time
// (DESIGN §6, memory), and keeps the cell and the bucket being filled, and the buckets that
// day completed.
class BucketCursor {
  public:
    // count_pruned: count the days without buckets in the source's pruned_days (the first
    // walk through a series does, a walk again does not).
    BucketCursor(BucketSource& source, const Series& series, bool count_pruned)
        : source_(source),
          series_(series),
          days_(source.rollups_, series.id, source.filter_.since, source.filter_.until,
                source.hourly_cells_),
          count_pruned_(count_pruned) {}

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
        if ((cut || s.raw_days_ || s.source_ == TrendSource::raw) && !d.raw_pruned_by) {
            read_raw(d.day);
        } else if (!s.local_ && !s.hourly_cells_) {
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
    std::optional<TrendBucket> cell_;    // the cell being filled
    std::optional<TrendBucket> bucket_;  // the bucket being filled, when it is made of cells
    std::vector<TrendBucket> ready_;     // complete buckets, at most a day's
    std::size_t at_ = 0;
    bool done_ = false;
};

using Cursors = std::vector<std::unique_ptr<BucketCursor>>;

Cursors open_cursors(BucketSource& source, std::span<const Series> series, bool count_pruned) {
    Cursors out;
    for (const Series& s : series)
        out.push_back(std::make_unique<BucketCursor>(source, s, count_pruned));
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
    return floor_to(t + offset_, kDaySeconds) / kDaySeconds;
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
    LineFitter fitter;
    for (const FitPoint& p : points)
        fitter.add(p);
    return fitter.fit();
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

TrendLine analyse_line(std::string scope, std::string server, std::span<const TrendBucket> buckets,
                       std::int64_t as_of, const TrendOptions& options) {
    LineAnalysis analysis(as_of);
    for (const TrendBucket& b : buckets)
        analysis.add(b);
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
        Cursors cursors = open_cursors(source, series, true);
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
                server_lines.push_back(servers[i].finish(scope, series[i].server, options));
        }
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
