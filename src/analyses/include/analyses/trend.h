// How full each scope is getting: utilization per bucket, growth, and when the free addresses
// of the scope and of each server's own pool run out (docs/design.md § Forecast).
//
// Every figure is computed from bucket statistics (RollupStats), whether the buckets come
// from the stored rollups or from raw samples, so the two give the same result exactly:
// - a bucket of 1h is an hourly rollup, of 1d a daily one, of 1w the days of a Monday-based
//   UTC week absorbed in time order; a day cut by the window's edge is computed from its raw
//   samples inside the window (or counts whole where prune removed them);
// - with a time zone (TrendOptions::zone) whose offset is not 0, days and weeks are the
//   zone's (docs/analyses.md, trend): a local day absorbs the hourly rollups of its hours
//   where the zone's offset stays whole hours through the window, and is computed from raw
//   samples otherwise; a week absorbs the local days from Monday;
// - the scope's bucket absorbs its servers' buckets in server order (in a healthy pair both
//   report the same scope totals, so sums and counts simply add up);
// - the forecasts are fitted to each UTC day's extremes (DayExtremes): the highest
//   addr_in_use and the lowest this_addr_free, exact from the daily rollups whatever the
//   bucket and zone (analyses/forecast.h, docs/analyses.md, Forecasts). The scope runs out
//   where its peak reaches the latest num_addr, a server's own free pool where its trough
//   reaches 0; a num_addr change is a place the forecast may take a step.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyses/analysis.h"
#include "analyses/forecast.h"
#include "storage/rollup_stats.h"

namespace SQLite {
class Database;
}
namespace date {
class time_zone;
}

namespace fostat {

inline constexpr std::int64_t kWeekSeconds = 7 * kDaySeconds;

// Where the buckets come from; raw is a test hook that ignores the rollups.
enum class TrendSource { rollups, raw };

struct TrendOptions {
    std::optional<std::int64_t> bucket;  // kHourSeconds, kDaySeconds, kWeekSeconds; or chosen
    bool per_server = false;             // lines for each server as well as for the scope
    // Whether the server lines forecast their addr_in_use too (status wants only their own
    // free pools from them).
    bool server_demand = true;
    std::int64_t horizon = 365 * kDaySeconds;
    std::int64_t warn_within = 30 * kDaySeconds;
    std::int64_t critical_within = 7 * kDaySeconds;
    TrendSource source = TrendSource::rollups;
    // The zone whose days and weeks the 1d and 1w buckets are (--tz); null: UTC.
    const date::time_zone* zone = nullptr;
};

// The bucket a window of this many seconds gets by default: up to 2 days 1h, up to 90 days
// 1d, longer 1w.
std::int64_t default_bucket(std::int64_t window_seconds);
// The start of the bucket holding t: UTC hours and days, weeks from Monday 00:00 UTC.
std::int64_t bucket_start(std::int64_t t, std::int64_t bucket);

// The days and weeks of a time zone, as instants: where a local day or a Monday-based local
// week starts. A day starts at local midnight, or at the first instant after it where a
// transition skips midnight. Remembers the offset period it last looked up, so that a walk
// in time order rarely searches the zone's rules. REQUIRES: zone not null.
class LocalCalendar {
  public:
    explicit LocalCalendar(const date::time_zone* zone) : zone_(zone) {}
    std::int64_t day_start(std::int64_t t);
    std::int64_t week_start(std::int64_t t);
    // Whether the zone's offset is a whole number of hours, and changes only at whole UTC
    // hours, from `since` to `until`: then every UTC hour lies in one local day.
    bool whole_hours(std::int64_t since, std::int64_t until) const;
    // Whether the offset is 0 from `since` to `until`: the local days are UTC days.
    bool utc(std::int64_t since, std::int64_t until) const;

  private:
    std::int64_t local_day(std::int64_t t);  // days since 1970-01-01 on the local calendar
    std::int64_t start_of_local_day(std::int64_t day);

    const date::time_zone* zone_;
    std::int64_t period_begin_ = 1;  // [begin, end) with offset_; empty at first
    std::int64_t period_end_ = 0;
    std::int64_t offset_ = 0;
    std::int64_t cached_day_ = 0;
    std::int64_t cached_start_ = 0;
    bool cached_ = false;
};

// The extremes of one UTC day of a line (of one series, or of a scope's servers merged): what
// its forecasts are fitted to.
struct DayExtremes {
    std::int64_t day = 0;  // the day's start
    std::int64_t samples = 0;
    std::int64_t first_ts = 0;
    std::int64_t last_ts = 0;
    std::optional<std::uint64_t> most_in_use;     // the highest addr_in_use
    std::optional<std::uint64_t> least_own_free;  // the lowest this_addr_free

    // Adds aggregates of (part of) this day.
    void absorb(const RollupStats& s);
    // Adds the same day of another series.
    void merge(const DayExtremes& other);
    bool operator==(const DayExtremes&) const = default;
};

struct TrendBucket {
    std::int64_t start = 0;
    RollupStats stats;
    bool operator==(const TrendBucket&) const = default;
};

// num_addr moved between two samples: from `from` (the value at `after`) to `to` (at `by`),
// passing through [low, high].
struct SizeChange {
    std::int64_t after = 0;
    std::int64_t by = 0;
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    bool operator==(const SizeChange&) const = default;
};

struct TrendLine {
    std::string scope;
    std::string server;                     // empty: the scope, its servers combined
    std::int64_t bucket_count = 0;          // buckets with samples in the window
    RollupStats total;                      // the whole window
    std::optional<std::uint64_t> num_addr;  // the latest known
    std::optional<double> utilization;      // percent, at the latest sample
    std::optional<double> peak;             // the highest utilization of any sample
    std::int64_t peak_bucket = 0;           // the start of the bucket that had it
    std::vector<SizeChange> size_changes;
    // The forecast of the scope's free addresses (docs/analyses.md, Forecasts).
    int forecast_days = 0;  // complete days fitted
    std::string fit;        // its model: "line", "curve+weekly+step", ...; "short": too few days
    std::optional<double> slope;             // the daily peak of addr_in_use, addresses a day
    std::optional<double> spread;            // the daily peak's robust residual standard deviation
    std::optional<std::int64_t> exhaustion;  // central: the daily peak reaches num_addr
    std::optional<std::int64_t> earliest;    // earliest likely: its upper 90 % bound does
    // The fitted daily peak at as_of (Forecast::level), and the first day it holds for
    // (Forecast::fitted_from): plot draws the forecast from them.
    std::optional<double> peak_level;
    std::optional<std::int64_t> fit_from;
    std::string own_fit;              // the own free pool's forecast model (server lines)
    std::optional<double> own_slope;  // this_addr_free at its daily trough, a day (server lines)
    // Server line: its own free addresses reach 0 at the daily trough (central and earliest
    // likely). Scope line: those of the server whose earliest likely date comes first.
    std::optional<std::int64_t> own_exhaustion;
    std::optional<std::int64_t> own_earliest;
    std::string own_server;  // whose own forecast it is
    // Server lines: this_addr_free at its fitted daily trough at as_of, and the first day
    // it holds for (as peak_level, fit_from).
    std::optional<double> own_level;
    std::optional<std::int64_t> own_fit_from;
    std::optional<Severity> severity;

    bool operator==(const TrendLine&) const = default;
};

struct TrendResult {
    std::int64_t bucket = 0;
    bool local_days = false;  // 1d and 1w buckets are days of TrendOptions::zone
    std::int64_t as_of =
        0;  // the window's end: the latest sample, or --until; forecasts count from it
    // Per scope in address order: the scope's line, then (per_server) its servers' lines.
    std::vector<TrendLine> lines;
    // Series-days in the window without buckets: 1h asked where prune removed the hourly
    // rollups (and the raw samples).
    std::int64_t pruned_days = 0;
    WorstSeverity worst;
};

// The analysis of one line from its buckets (ascending, each an hour or a day), as trend_each
// does it bucket by bucket; the forecasts from the buckets' UTC days. A scope line's own
// forecast is filled in by trend_each from its servers' lines.
TrendLine analyse_line(std::string scope, std::string server, std::span<const TrendBucket> buckets,
                       std::int64_t as_of, const TrendOptions& options);

// Whether a scope line's first server runs out of its own free addresses at least a day
// before the scope runs out of free addresses (or the scope does not within the horizon).
bool own_runs_out_first(const TrendLine& line);

// The severity of a forecast date (the earliest likely): critical within critical_within of
// as_of, warning within warn_within, else none.
std::optional<Severity> forecast_severity(std::optional<std::int64_t> at, std::int64_t as_of,
                                          const TrendOptions& options);

// The buckets of a scope's lines, walked again from the database for trend_each's visitor:
// the database is read once more rather than the buckets kept (docs/design.md § Memory).
class TrendBuckets {
  public:
    virtual ~TrendBuckets() = default;
    // Calls `visit` with each bucket of `line`, one of the lines visit was given, in time
    // order. The bucket is valid during the call.
    virtual void each(const TrendLine& line,
                      const std::function<void(const TrendBucket&)>& visit) = 0;
};

using TrendVisitor = std::function<void(const TrendResult& result, std::span<TrendLine> lines,
                                        TrendBuckets& buckets)>;

// Calls `visit` once per scope with lines, scopes in address order, with the result so far
// (bucket, as_of; no lines) and the scope's lines: the scope's, then (per_server) its
// servers'; `visit` may move from them, and walk their buckets again with `buckets` while it
// runs. Each line is computed bucket by bucket in one walk through its scope's stored days,
// the servers' buckets in step, without keeping the buckets: memory holds a day's rollups or
// samples of each of the scope's series and the scope's lines, whatever the window's length
// (docs/design.md § Memory). Returns the result without lines (pruned_days, worst).
// Throws StorageError when rollups of days stored before the upgrade to schema version 2 are
// still to be computed (the collector's next run computes them).
// `names_only`: the lines carry only their scope and server, nothing is computed, and
// visit walks their buckets (a second pass for the buckets after the lines, as the table of
// --buckets prints them, without analysing every line again).
TrendResult trend_each(SQLite::Database& db, const SeriesFilter& filter,
                       const TrendOptions& options, const TrendVisitor& visit,
                       bool names_only = false);

// trend_each with every line kept in the result (without buckets): memory grows with the
// scopes, not with the window.
TrendResult trend(SQLite::Database& db, const SeriesFilter& filter, const TrendOptions& options);

}  // namespace fostat
