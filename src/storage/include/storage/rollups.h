// Hourly and daily aggregates of each series (schema/0002_rollups.sql): how the collector
// keeps them, how analyses read them, and how prune drops raw samples behind them.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fostat/sample.h"
#include "storage/chunk_codec.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

// The two bucket lengths stored; a daily bucket is a chunk's day.
inline constexpr std::int64_t kHourSeconds = 3'600;
inline constexpr std::int64_t kDaySeconds = kChunkSeconds;

// One counter over a bucket. min, max and sum cover the count non-NULL values; last is the
// value at the bucket's last sample, NULL when that sample had none.
struct CounterStats {
    std::int64_t count = 0;
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    std::uint64_t sum = 0;  // exact: counters are at most 2^32 - 1
    std::optional<std::uint64_t> last;

    std::optional<double> mean() const;
    bool operator==(const CounterStats&) const = default;
};

// Utilization (utilization_percent) over a bucket; sum adds the samples in time order.
struct UtilizationStats {
    std::int64_t count = 0;
    double min = 0;
    double max = 0;
    double sum = 0;
    std::optional<double> last;  // at the bucket's last sample

    std::optional<double> mean() const;
    bool operator==(const UtilizationStats&) const = default;
};

// The aggregates of one series (or of several, combined) over a stretch of time.
struct RollupStats {
    std::int64_t samples = 0;
    std::int64_t first_ts = 0;
    std::int64_t last_ts = 0;
    std::array<CounterStats, kCounterCount> counters{};
    UtilizationStats utilization;

    const CounterStats& operator[](Counter c) const { return counters[static_cast<int>(c)]; }

    // REQUIRES: timestamp > last_ts unless this is the first sample (samples in time order).
    void add(std::int64_t timestamp, const Counters& values);
    // Adds another bucket's aggregates: of a later stretch of the same series, or of another
    // series over the same stretch. The last values come from whichever bucket has the later
    // last sample (this one on a tie); utilization sums are added, this one's first.
    void absorb(const RollupStats& other);

    bool operator==(const RollupStats&) const = default;
};

// One bucket: [start, start + length).
struct Rollup {
    std::int64_t start = 0;
    RollupStats stats;
    bool operator==(const Rollup&) const = default;
};

// The rollups of one series' day, as the collector stores them.
struct DayRollup {
    std::int64_t day = 0;
    RollupStats daily;
    std::vector<Rollup> hourly;  // the hours that have samples, ascending
};

// REQUIRES: samples ascending by time, all within the day; at least one.
DayRollup roll_up_day(std::int64_t day, std::span<const ChunkSample> samples);

// The packed forms of the `daily` and `hourly` columns; decoding throws StorageError for a
// damaged blob.
std::string encode_daily(const DayRollup& rollup);
std::string encode_hourly(const DayRollup& rollup);
RollupStats decode_daily(std::int64_t day, std::string_view data);
std::vector<Rollup> decode_hourly(std::int64_t day, std::string_view data);

// Keeps the rollups of the days a collection run writes, inside the run's transaction.
class RollupWriter {
  public:
    explicit RollupWriter(SQLite::Database& db);
    ~RollupWriter();
    RollupWriter(const RollupWriter&) = delete;
    RollupWriter& operator=(const RollupWriter&) = delete;

    // Recomputes the rollups of the series' day from its stored chunk, replacing the stored
    // ones. Throws InputError when prune removed that day's raw samples before: the chunk
    // then holds only what came since, and its rollups cannot be recomputed.
    void update(std::int64_t series_id, std::int64_t day);
    // The same from the day's samples (ascending), as the chunk now stored holds them.
    void update(std::int64_t series_id, std::int64_t day, std::span<const ChunkSample> samples);
    // Computes the days listed in rollup_backlog (stored before rollups existed) and empties
    // it. Returns how many days it computed.
    std::int64_t update_backlog();
    // Throws the same InputError as update() at once, when a run opens a day that prune
    // emptied, so that the source can name the input line that brought the sample.
    void refuse_if_pruned(std::int64_t series_id, std::int64_t day);

  private:
    [[noreturn]] void refuse_pruned(std::int64_t series_id, std::int64_t day);

    SQLite::Database& db_;
    std::unique_ptr<SQLite::Statement> read_chunk_;
    std::unique_ptr<SQLite::Statement> upsert_;
    std::unique_ptr<SQLite::Statement> find_pruned_;
    std::vector<ChunkSample> scratch_;
};

// One stored day of one series.
struct StoredDay {
    std::int64_t day = 0;
    RollupStats daily;
    std::vector<Rollup> hourly;                 // when asked for; empty once pruned
    bool hourly_pruned = false;                 // prune removed the hourly buckets
    std::optional<std::int64_t> raw_pruned_by;  // the prune run that removed the raw chunk
    // Some of the day's samples are in the head (storage/head.h): it has no rollups that
    // hold them, only raw samples; daily and hourly are empty.
    bool open = false;
};

class RollupReader {
  public:
    explicit RollupReader(SQLite::Database& db);
    ~RollupReader();

    // The first and last sample of those days (not cut to the window); nullopt when none.
    std::optional<std::pair<std::int64_t, std::int64_t>> extent(std::int64_t series_id,
                                                                std::int64_t since,
                                                                std::int64_t until);
    // Days stored before the database had rollups and not computed since (the collector's
    // next run computes them).
    std::int64_t backlog();

  private:
    friend class StoredDayCursor;

    SQLite::Database& db_;
    std::unique_ptr<SQLite::Statement> extent_;
};

// The stored days of a series that have a sample in [since, until], ascending, one at a
// time: a walk holds one day's rollups whatever the window's length (docs/design.md § Memory).
// Several cursors of one reader can walk at the same time (the servers of a scope in step).
class StoredDayCursor {
  public:
    // open_days: the series' days in the window with samples in the head
    // (SampleReader::open_days), ascending; they come as open days.
    StoredDayCursor(RollupReader& reader, std::int64_t series_id, std::int64_t since,
                    std::int64_t until, bool with_hourly, std::vector<std::int64_t> open_days = {});
    ~StoredDayCursor();
    StoredDayCursor(const StoredDayCursor&) = delete;
    StoredDayCursor& operator=(const StoredDayCursor&) = delete;

    // The next day, or null after the last. Valid until the next call.
    const StoredDay* next();

  private:
    std::unique_ptr<SQLite::Statement> days_;
    bool with_hourly_;
    std::vector<std::int64_t> open_days_;
    std::size_t next_open_ = 0;
    bool row_pending_ = false;  // days_ stands on a row not given yet
    bool rows_done_ = false;
    StoredDay day_;
};

// What prune removed.
struct PruneSummary {
    std::int64_t run_id = 0;
    std::int64_t raw_days = 0;     // chunks removed (one series, one day each)
    std::int64_t raw_samples = 0;  // samples in them
    std::int64_t raw_series = 0;   // series they belonged to
    std::int64_t hourly_days = 0;  // days whose hourly rollups were removed
    std::int64_t rolled_up = 0;    // backlog days rolled up first
};

// Removes the raw chunks of days that ended at least keep_raw seconds before `now` (their
// rollups stay), and the hourly rollups of days that ended keep_hourly before; daily rollups
// are kept. One transaction and one run (source 'prune'); a failure records a failed run and
// rethrows. REQUIRES: 0 < keep_raw <= keep_hourly.
PruneSummary prune(SQLite::Database& db, std::int64_t now, std::int64_t keep_raw,
                   std::int64_t keep_hourly);

}  // namespace fostat
