#include "storage/rollup_writer.h"

#include <string>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/rollup_codec.h"
#include "storage/rollup_stats.h"

namespace fostat {

RollupWriter::RollupWriter(SQLite::Database& db)
    : db_(db),
      read_chunk_(std::make_unique<SQLite::Statement>(
          db, "SELECT data FROM chunks WHERE series_id = ? AND day = ?")),
      // A day whose raw chunk was pruned keeps its rollups: the update is skipped (0 changes)
      // and the caller refuses.
      upsert_(std::make_unique<SQLite::Statement>(
          db,
          "INSERT INTO rollups (series_id, day, first_ts, last_ts, samples, daily, hourly) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (series_id, day) DO UPDATE SET first_ts = excluded.first_ts, "
          "last_ts = excluded.last_ts, samples = excluded.samples, daily = excluded.daily, "
          "hourly = excluded.hourly WHERE raw_pruned_by IS NULL")),
      find_pruned_(std::make_unique<SQLite::Statement>(
          db,
          "SELECT 1 FROM rollups WHERE series_id = ? AND day = ? AND raw_pruned_by IS NOT "
          "NULL")) {}

RollupWriter::~RollupWriter() = default;

void RollupWriter::update(std::int64_t series_id, std::int64_t day) {
    read_chunk_->reset();
    read_chunk_->bind(1, series_id);
    read_chunk_->bind(2, day);
    if (!read_chunk_->executeStep()) {
        throw StorageError("no chunk of series " + std::to_string(series_id) + " on " +
                           format_utc(day) + " to roll up; the database is damaged");
    }
    scratch_.clear();
    decode_chunk(day, blob_view(read_chunk_->getColumn(0)), scratch_);
    update(series_id, day, scratch_);
}

void RollupWriter::update(std::int64_t series_id, std::int64_t day,
                          std::span<const ChunkSample> samples) {
    if (samples.empty())
        return;
    const DayRollup rollup = roll_up_day(day, samples);
    const std::string daily = encode_daily(rollup);
    const std::string hourly = encode_hourly(rollup);
    SQLite::Statement& s = *upsert_;
    s.reset();
    s.bind(1, series_id);
    s.bind(2, day);
    s.bind(3, rollup.daily.first_ts);
    s.bind(4, rollup.daily.last_ts);
    s.bind(5, rollup.daily.samples);
    s.bindNoCopy(6, daily.data(), static_cast<int>(daily.size()));
    s.bindNoCopy(7, hourly.data(), static_cast<int>(hourly.size()));
    if (s.exec() == 0)
        refuse_pruned(series_id, day);
}

void RollupWriter::refuse_if_pruned(std::int64_t series_id, std::int64_t day) {
    SQLite::Statement& find = *find_pruned_;
    find.reset();
    find.bind(1, series_id);
    find.bind(2, day);
    if (find.executeStep())
        refuse_pruned(series_id, day);
}

void RollupWriter::refuse_pruned(std::int64_t series_id, std::int64_t day) {
    SQLite::Statement find(db_,
                           "SELECT s.server, s.scope, r.raw_pruned_by FROM rollups r "
                           "JOIN series s ON s.id = r.series_id "
                           "WHERE r.series_id = ? AND r.day = ?");
    find.bind(1, series_id);
    find.bind(2, day);
    if (!find.executeStep())
        throw StorageError("the rollups of series " + std::to_string(series_id) + " on " +
                           format_utc(day) + " could not be written");
    throw InputError("server " + find.getColumn(0).getString() + ", scope " +
                     find.getColumn(1).getString() + ": the raw samples of " +
                     format_utc(day).substr(0, 10) + " were removed by prune run " +
                     std::to_string(find.getColumn(2).getInt64()) +
                     ", so a sample of that day cannot be added without corrupting its "
                     "rollups; leave that day out of the input");
}

std::int64_t RollupWriter::update_backlog() {
    std::vector<std::pair<std::int64_t, std::int64_t>> days;
    {
        SQLite::Statement list(db_, "SELECT series_id, day FROM rollup_backlog");
        while (list.executeStep())
            days.emplace_back(list.getColumn(0).getInt64(), list.getColumn(1).getInt64());
    }
    if (days.empty())
        return 0;
    for (const auto& [series, day] : days)
        update(series, day);
    db_.exec("DELETE FROM rollup_backlog");
    return static_cast<std::int64_t>(days.size());
}

}  // namespace fostat
