// Reading the stored days of a series: their rollups, and which days are open in the head
// or pruned.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "storage/rollup_stats.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

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

}  // namespace fostat
