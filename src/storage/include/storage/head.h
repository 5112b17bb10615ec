// The head (schema/0004_head.sql, docs/storage.md "The head"): where a live run appends its
// few samples of each series as one row per head group and day, until a later run compacts
// them into the chunks. Readers see the head and the chunks as one.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/chunk_codec.h"
#include "storage/lease_states.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

// Series per head group: the slots 0 to 255.
inline constexpr std::int64_t kHeadGroupSize = 256;

// What one row holds of one series.
struct HeadEntry {
    std::int64_t slot = 0;
    std::vector<ChunkSample> samples;         // ascending, at least one
    std::vector<LeaseStatesAt> lease_states;  // ascending; may be empty
};

// One series' part of a row, as stored: each packed on its own.
struct HeadPiece {
    std::int64_t slot = 0;
    std::string_view samples;       // a chunk's encoding (chunk_codec.h)
    std::string_view lease_states;  // encode_lease_states' form, or empty
};

// The `data` column of a head row. REQUIRES: entries ascending by slot, each of the day.
std::string encode_head_row(std::int64_t day, std::span<const HeadEntry> entries);
// Appends the pieces of `data` to `out`, views into `data`. Throws StorageError if damaged.
void parse_head_row(std::string_view data, std::vector<HeadPiece>& out);

// Reads the head within one read transaction (it assumes the head does not change while it
// lives): which series have head samples on which days, and those samples, parsing the rows
// of a group and day once for all its series (a walk over every series of a site reads each
// row once, not once a series).
class HeadReader {
  public:
    explicit HeadReader(SQLite::Database& db);
    ~HeadReader();
    HeadReader(const HeadReader&) = delete;
    HeadReader& operator=(const HeadReader&) = delete;

    // The days in [from_day, to_day] on which series `series_id` has head samples, ascending.
    std::vector<std::int64_t> days(std::int64_t series_id, std::int64_t from_day,
                                   std::int64_t to_day);
    // Appends the series' head samples of `day`, ascending (later than its chunk's).
    void samples(std::int64_t series_id, std::int64_t day, std::vector<ChunkSample>& out);
    // Appends the series' head lease-state breakdowns of `day`, ascending.
    void lease_states(std::int64_t series_id, std::int64_t day, std::vector<LeaseStatesAt>& out);

  private:
    struct Place {
        std::int64_t group = 0;
        std::int64_t slot = 0;
    };
    struct GroupDay {
        std::int64_t group = 0;
        std::int64_t day = 0;
        std::vector<std::string> rows;
        std::size_t bytes = 0;  // of the rows
        // Per slot, its pieces in row order.
        std::unordered_map<std::int64_t, std::vector<HeadPiece>> by_slot;
    };
    void load_index();
    const Place* place(std::int64_t series_id);
    const std::vector<HeadPiece>* pieces(std::int64_t series_id, std::int64_t day);

    SQLite::Database& db_;
    bool indexed_ = false;
    std::map<std::int64_t, std::vector<std::int64_t>> days_by_group_;
    std::unordered_map<std::int64_t, Place> places_;  // series in a group that has head rows
    // The group-days read last, newest first, up to kCacheBytes of rows in all (and at
    // least the newest): series are walked by scope, and a group holds its series in the
    // order they first came, so a walk may come back to a group-day it left; it reads it
    // once while the head fits.
    static constexpr std::size_t kCacheBytes = std::size_t{32} << 20;
    std::deque<GroupDay> cache_;
    std::size_t cache_bytes_ = 0;
    std::unique_ptr<SQLite::Statement> rows_;
};

// Moves the head rows of `group` on `day` into the chunks of their series, with the day's
// rollups and lease-state breakdowns, inside the caller's transaction. Returns the samples
// moved.
std::int64_t compact_head(SQLite::Database& db, std::int64_t group, std::int64_t day);
// Compacts every group and day of the head before `before_day`. Returns the samples moved.
std::int64_t compact_head_before(SQLite::Database& db, std::int64_t before_day);

}  // namespace fostat
