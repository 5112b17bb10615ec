// Writing the rollups of a series' day: recomputed from its samples whenever they change.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "storage/chunk_codec.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

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

}  // namespace fostat
