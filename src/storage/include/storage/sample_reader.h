// Reading stored samples back, one series at a time, in time order.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fostat/sample.h"
#include "storage/chunk_codec.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

class HeadReader;
class RelationshipCache;

struct SeriesFilter {
    std::vector<std::string> servers;                               // empty: all
    std::vector<std::string> scopes;                                // empty: all
    std::int64_t since = std::numeric_limits<std::int64_t>::min();  // inclusive
    std::int64_t until = std::numeric_limits<std::int64_t>::max();  // inclusive
};

struct Series {
    std::int64_t id = 0;
    std::string server;
    std::string scope;
};

// A stored sample without its series: what analyses walk through by the million.
struct Point {
    std::int64_t timestamp = 0;
    const Relationship* relationship = nullptr;  // owned by the SampleReader that made it
    Counters counters;
};

// The stored relationship snapshot `id`. Throws StorageError if there is none.
Relationship read_relationship(SQLite::Database& db, std::int64_t id);

// Scopes in address order (10.0.2.0/23 before 10.0.12.0/24), then by prefix length.
bool scope_less(const std::string& a, const std::string& b);

struct SeriesSummary {
    std::int64_t samples = 0;
    std::int64_t first = 0;
    std::int64_t last = 0;
};

// A server and the time of its newest stored sample.
struct ServerNewest {
    std::string server;
    std::int64_t newest = 0;
};

class SampleReader {
  public:
    explicit SampleReader(SQLite::Database& db);
    ~SampleReader();
    SampleReader(const SampleReader&) = delete;
    SampleReader& operator=(const SampleReader&) = delete;

    // Another reader of the same database for another thread, on a read-only connection of
    // its own in a read transaction that sees what this reader's sees (their write marks,
    // storage/database.h, are equal). It shares this reader's relationships, so the points
    // it makes stay valid as long as this reader lives. nullptr when no such reader can be
    // had: an in-memory database, a file that cannot be opened again, or a run committed
    // since this reader's transaction began; the caller then goes on in one thread.
    std::unique_ptr<SampleReader> sibling();

    // The series that match the filter's servers and scopes, ordered by server, then scope
    // in address order.
    std::vector<Series> series(const SeriesFilter& filter);

    // Calls `visit` for every sample of `series` inside the filter's window, in time order.
    // The Sample passed is reused between calls.
    void for_each(const Series& series, const SeriesFilter& filter,
                  const std::function<void(const Sample&)>& visit);

    // The samples of `series` inside the filter's window, in time order. The points'
    // relationships live as long as this reader.
    std::vector<Point> points(const Series& series, const SeriesFilter& filter);
    // The same into `out`, which is cleared first and keeps its capacity.
    void points(const Series& series, const SeriesFilter& filter, std::vector<Point>& out);

    // The latest sample of `series` inside the filter's window, reading only the last
    // chunks; nullopt when the window holds none.
    std::optional<Point> latest(const Series& series, const SeriesFilter& filter);

    // How many samples of `series` the filter's window holds, and its first and last: from
    // the chunks' own counts and times, decoding only a chunk that the window cuts (at most
    // its first and last day). nullopt when the window holds none.
    std::optional<SeriesSummary> summary(const Series& series, const SeriesFilter& filter);
    // Whether the filter's window holds a day of `series` whose raw samples prune removed,
    // so that only its rollup (what trend reads) is left.
    bool has_pruned_day(const Series& series, const SeriesFilter& filter);

    // The time of the newest sample stored for `series`, whatever the window; nullopt when
    // it has none.
    std::optional<std::int64_t> newest(const Series& series);
    // The newest stored sample of each server among the filter's series (its servers and
    // scopes, whatever its window), ordered by server; a server with none is left out.
    std::vector<ServerNewest> newest_by_server(const SeriesFilter& filter);

    // The days in the filter's window whose samples of `series` are partly or wholly in the
    // head (storage/head.h), not compacted yet: they have no rollups, or rollups that miss
    // those samples. Ascending.
    std::vector<std::int64_t> open_days(const Series& series, const SeriesFilter& filter);
    // The first and last sample of those open days that have a sample in the window, not cut
    // to the window (as RollupReader::extent gives them for the other days); nullopt if none.
    std::optional<std::pair<std::int64_t, std::int64_t>> open_extent(const Series& series,
                                                                     const SeriesFilter& filter);

    // Every server name, and every scope, stored in the database, sorted.
    std::vector<std::string> stored_servers();
    std::vector<std::string> stored_scopes();

  private:
    friend class PointCursor;
    void for_each_stored(const Series& series, const SeriesFilter& filter,
                         const std::function<void(const Point&)>& visit);
    const Relationship& relationship(std::int64_t id);
    // The statement in `slot`, prepared on first use, reset and unbound after.
    SQLite::Statement& prepared(std::unique_ptr<SQLite::Statement>& slot, const std::string& sql);
    // A PointCursor's chunk statement: one given back earlier, or a new one. A check opens
    // thousands of cursors, two at a time at most, so a few prepared statements serve them.
    std::unique_ptr<SQLite::Statement> take_chunks();
    // Keeps `statement` for the next cursor, reset and unbound; never throws.
    void give_back(std::unique_ptr<SQLite::Statement> statement) noexcept;

    // The samples of series `series_id` on `day` that are in the head, appended to `out`.
    void head_samples(std::int64_t series_id, std::int64_t day, std::vector<ChunkSample>& out);
    // The newest head sample of `series` inside the filter's window.
    std::optional<ChunkSample> newest_in_head(const Series& series, const SeriesFilter& filter);

    SampleReader(std::unique_ptr<SQLite::Database> own, const SampleReader& sibling);

    std::unique_ptr<SQLite::Database> own_;  // a sibling's connection; null otherwise
    SQLite::Database& db_;
    std::unique_ptr<HeadReader> head_;
    std::vector<std::unique_ptr<SQLite::Statement>> free_chunks_;
    // latest(), has_pruned_day() and newest() run once per series: prepared once.
    std::unique_ptr<SQLite::Statement> latest_, pruned_, newest_, summary_, chunk_data_,
        chunk_first_;
    // Shared by siblings, behind a lock: a cursor asks for a relationship only when the id
    // in its samples changes.
    std::shared_ptr<RelationshipCache> relationships_;
};

// The samples of one series inside a window, in time order, read one stored day at a time:
// a walk holds one day's samples whatever the window's length (docs/design.md § Memory). Several
// cursors of one reader can walk at the same time (two partners in step).
class PointCursor {
  public:
    PointCursor(SampleReader& reader, const Series& series, const SeriesFilter& filter);
    ~PointCursor();
    PointCursor(const PointCursor&) = delete;
    PointCursor& operator=(const PointCursor&) = delete;

    // The next sample, or null after the last. Valid until the next call; its relationship
    // lives as long as the reader.
    const Point* next();

  private:
    // point_, with the relationship of that id.
    const Point& settle(std::int64_t relationship_id);

    SampleReader& reader_;
    std::unique_ptr<SQLite::Statement> chunks_;
    std::int64_t series_id_;
    std::int64_t since_;
    std::int64_t until_;
    std::vector<std::int64_t> head_days_;  // the window's days with head samples, ascending
    std::size_t next_head_day_ = 0;
    bool row_pending_ = false;  // chunks_ stands on a row not decoded yet
    bool rows_done_ = false;
    ChunkDecoder chunk_;  // the current day's chunk, over the blob of chunks_' row
    std::vector<ChunkSample> head_samples_;  // the current day's head samples, after the chunk's
    std::size_t at_ = 0;                     // the next of them
    std::int64_t current_id_ = -1;
    Point point_;
};

}  // namespace fostat
