#include "storage/rollup_reader.h"

#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/blob.h"
#include "storage/rollup_codec.h"

namespace fostat {

RollupReader::RollupReader(SQLite::Database& db)
    : db_(db),
      extent_(std::make_unique<SQLite::Statement>(
          db,
          "SELECT min(first_ts), max(last_ts) FROM rollups WHERE series_id = ? AND "
          "day BETWEEN ? AND ? AND last_ts >= ? AND first_ts <= ?")) {}

RollupReader::~RollupReader() = default;

namespace {

// Binds series, day range and window to a statement over rollups: the day column bounds the
// index range, clamped at the edges so that nothing overflows.
void bind_window(SQLite::Statement& q, std::int64_t series_id, std::int64_t since,
                 std::int64_t until) {
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    q.reset();
    q.bind(1, series_id);
    q.bind(2, since <= kMin + kChunkSeconds ? kMin : chunk_day(since));
    q.bind(3, until >= kMax - kChunkSeconds ? kMax : chunk_day(until));
    q.bind(4, since);
    q.bind(5, until);
}

}  // namespace

std::optional<std::pair<std::int64_t, std::int64_t>> RollupReader::extent(std::int64_t series_id,
                                                                          std::int64_t since,
                                                                          std::int64_t until) {
    SQLite::Statement& q = *extent_;
    bind_window(q, series_id, since, until);
    if (!q.executeStep() || q.getColumn(0).isNull())
        return std::nullopt;
    return std::pair{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

StoredDayCursor::StoredDayCursor(RollupReader& reader, std::int64_t series_id, std::int64_t since,
                                 std::int64_t until, bool with_hourly,
                                 std::vector<std::int64_t> open_days)
    : days_(std::make_unique<SQLite::Statement>(
          reader.db_,
          "SELECT day, daily, hourly, raw_pruned_by FROM rollups WHERE series_id = ? AND "
          "day BETWEEN ? AND ? AND last_ts >= ? AND first_ts <= ? ORDER BY day")),
      with_hourly_(with_hourly),
      open_days_(std::move(open_days)) {
    bind_window(*days_, series_id, since, until);
}

StoredDayCursor::~StoredDayCursor() = default;

const StoredDay* StoredDayCursor::next() {
    SQLite::Statement& q = *days_;
    if (!row_pending_ && !rows_done_) {
        row_pending_ = q.executeStep();
        rows_done_ = !row_pending_;
    }
    const bool open_left = next_open_ < open_days_.size();
    if (!row_pending_ && !open_left)
        return nullptr;
    const std::int64_t row_day =
        row_pending_ ? q.getColumn(0).getInt64() : std::numeric_limits<std::int64_t>::max();
    if (open_left && open_days_[next_open_] <= row_day) {
        // A day with head samples: its rollups, if any, miss them.
        day_ = StoredDay{};
        day_.day = open_days_[next_open_++];
        day_.open = true;
        if (row_pending_ && row_day == day_.day)
            row_pending_ = false;
        return &day_;
    }
    row_pending_ = false;
    day_.open = false;
    day_.day = row_day;
    day_.daily = decode_daily(day_.day, blob_view(q.getColumn(1)));
    const SQLite::Column hourly = q.getColumn(2);
    day_.hourly_pruned = hourly.isNull();
    day_.hourly.clear();
    if (with_hourly_ && !hourly.isNull())
        day_.hourly = decode_hourly(day_.day, blob_view(hourly));
    day_.raw_pruned_by.reset();
    if (const SQLite::Column by = q.getColumn(3); !by.isNull())
        day_.raw_pruned_by = by.getInt64();
    return &day_;
}

std::int64_t RollupReader::backlog() {
    return db_.execAndGet("SELECT count(*) FROM rollup_backlog").getInt64();
}

}  // namespace fostat
