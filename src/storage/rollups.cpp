#include "storage/rollups.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <exception>
#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/byte_codec.h"
#include "storage/head.h"
#include "storage/run_writer.h"

// Packed bucket, all numbers varints unless said otherwise (B = the bucket's start):
//   samples, first_ts - B, last_ts - first_ts
//   per counter: count; when count > 0: min, max - min, sum - min * count,
//                and last - min + 1 (0: the last sample had none)
//   utilization count; when > 0: min, max, sum as 8-byte little-endian IEEE doubles
// Utilization at the last sample is not stored: it follows from the counters' last values.
// The hourly column is a sequence of (hour of the day as one byte, packed bucket).
// A /24 collected every 5 minutes takes about 80 bytes an hour.

namespace fostat {
namespace {

constexpr std::int64_t kHoursPerDay = kChunkSeconds / kHourSeconds;

std::optional<double> utilization_at_last(const RollupStats& s) {
    Counters last;
    last[Counter::num_addr] = s[Counter::num_addr].last;
    last[Counter::addr_in_use] = s[Counter::addr_in_use].last;
    return utilization_percent(last);
}

void encode_bucket(std::int64_t start, const RollupStats& s, std::string& out) {
    put_varint(out, static_cast<std::uint64_t>(s.samples));
    put_varint(out, static_cast<std::uint64_t>(s.first_ts - start));
    put_varint(out, static_cast<std::uint64_t>(s.last_ts - s.first_ts));
    for (const CounterStats& c : s.counters) {
        put_varint(out, static_cast<std::uint64_t>(c.count));
        if (c.count == 0)
            continue;
        put_varint(out, c.min);
        put_varint(out, c.max - c.min);
        put_varint(out, c.sum - c.min * static_cast<std::uint64_t>(c.count));
        put_varint(out, c.last ? *c.last - c.min + 1 : 0);
    }
    put_varint(out, static_cast<std::uint64_t>(s.utilization.count));
    if (s.utilization.count > 0) {
        put_double(out, s.utilization.min);
        put_double(out, s.utilization.max);
        put_double(out, s.utilization.sum);
    }
}

RollupStats decode_bucket(std::int64_t start, ByteReader& in) {
    RollupStats s;
    s.samples = static_cast<std::int64_t>(in.varint());
    s.first_ts = start + static_cast<std::int64_t>(in.varint());
    s.last_ts = s.first_ts + static_cast<std::int64_t>(in.varint());
    for (CounterStats& c : s.counters) {
        c.count = static_cast<std::int64_t>(in.varint());
        if (c.count == 0)
            continue;
        c.min = in.varint();
        c.max = c.min + in.varint();
        c.sum = in.varint() + c.min * static_cast<std::uint64_t>(c.count);
        if (const std::uint64_t last = in.varint(); last != 0)
            c.last = c.min + last - 1;
    }
    s.utilization.count = static_cast<std::int64_t>(in.varint());
    if (s.utilization.count > 0) {
        s.utilization.min = in.real();
        s.utilization.max = in.real();
        s.utilization.sum = in.real();
    }
    s.utilization.last = utilization_at_last(s);
    return s;
}

}  // namespace

std::optional<double> CounterStats::mean() const {
    if (count == 0)
        return std::nullopt;
    return static_cast<double>(sum) / static_cast<double>(count);
}

std::optional<double> UtilizationStats::mean() const {
    if (count == 0)
        return std::nullopt;
    return sum / static_cast<double>(count);
}

void RollupStats::add(std::int64_t timestamp, const Counters& values) {
    if (samples++ == 0)
        first_ts = timestamp;
    last_ts = timestamp;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        CounterStats& c = counters[i];
        const std::optional<std::uint64_t>& v = values.values[i];
        c.last = v;
        if (!v)
            continue;
        c.min = c.count == 0 ? *v : std::min(c.min, *v);
        c.max = c.count == 0 ? *v : std::max(c.max, *v);
        c.sum += *v;
        ++c.count;
    }
    UtilizationStats& u = utilization;
    u.last = utilization_percent(values);
    if (!u.last)
        return;
    u.min = u.count == 0 ? *u.last : std::min(u.min, *u.last);
    u.max = u.count == 0 ? *u.last : std::max(u.max, *u.last);
    u.sum += *u.last;
    ++u.count;
}

void RollupStats::absorb(const RollupStats& other) {
    if (other.samples == 0)
        return;
    if (samples == 0) {
        *this = other;
        return;
    }
    const bool later = other.last_ts > last_ts;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        CounterStats& c = counters[i];
        const CounterStats& o = other.counters[i];
        if (later)
            c.last = o.last;
        if (o.count == 0)
            continue;
        c.min = c.count == 0 ? o.min : std::min(c.min, o.min);
        c.max = c.count == 0 ? o.max : std::max(c.max, o.max);
        c.sum += o.sum;
        c.count += o.count;
    }
    UtilizationStats& u = utilization;
    const UtilizationStats& o = other.utilization;
    if (later)
        u.last = o.last;
    if (o.count > 0) {
        u.min = u.count == 0 ? o.min : std::min(u.min, o.min);
        u.max = u.count == 0 ? o.max : std::max(u.max, o.max);
        u.sum += o.sum;
        u.count += o.count;
    }
    samples += other.samples;
    first_ts = std::min(first_ts, other.first_ts);
    last_ts = std::max(last_ts, other.last_ts);
}

DayRollup roll_up_day(std::int64_t day, std::span<const ChunkSample> samples) {
    DayRollup out;
    out.day = day;
    for (const ChunkSample& s : samples) {
        const std::int64_t hour = s.timestamp - (s.timestamp - day) % kHourSeconds;
        if (out.hourly.empty() || out.hourly.back().start != hour)
            out.hourly.push_back(Rollup{hour, {}});
        out.hourly.back().stats.add(s.timestamp, s.counters);
        out.daily.add(s.timestamp, s.counters);
    }
    return out;
}

std::string encode_daily(const DayRollup& rollup) {
    std::string out;
    encode_bucket(rollup.day, rollup.daily, out);
    return out;
}

std::string encode_hourly(const DayRollup& rollup) {
    std::string out;
    for (const Rollup& h : rollup.hourly) {
        out.push_back(static_cast<char>((h.start - rollup.day) / kHourSeconds));
        encode_bucket(h.start, h.stats, out);
    }
    return out;
}

RollupStats decode_daily(std::int64_t day, std::string_view data) {
    ByteReader in(data, "rollup");
    RollupStats s = decode_bucket(day, in);
    if (!in.done())
        in.damaged();
    return s;
}

std::vector<Rollup> decode_hourly(std::int64_t day, std::string_view data) {
    std::vector<Rollup> out;
    ByteReader in(data, "rollup");
    while (!in.done()) {
        const std::int64_t hour = in.byte();
        if (hour >= kHoursPerDay || (!out.empty() && day + hour * kHourSeconds <= out.back().start))
            in.damaged();
        const std::int64_t start = day + hour * kHourSeconds;
        out.push_back(Rollup{start, decode_bucket(start, in)});
    }
    return out;
}

// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

namespace {

PruneSummary prune_in_transaction(SQLite::Database& db, std::int64_t now, std::int64_t keep_raw,
                                  std::int64_t keep_hourly) {
    PruneSummary out;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t started = unix_now();
    {
        SQLite::Statement run(db,
                              "INSERT INTO runs (started, source, status) "
                              "VALUES (?, 'prune', 'running')");
        run.bind(1, started);
        run.exec();
    }
    out.run_id = db.getLastInsertRowid();
    // Nothing may go that has not been rolled up.
    out.rolled_up = RollupWriter(db).update_backlog();

    // A day ended at day + 86400; it goes when that is more than keep_* before now.
    const std::int64_t raw_before = now - keep_raw - kChunkSeconds;
    const std::int64_t hourly_before = now - keep_hourly - kChunkSeconds;
    // Head samples of those days go to their chunks and rollups first (keep_raw <=
    // keep_hourly: raw_before covers both).
    compact_head_before(db, raw_before);
    {
        SQLite::Statement count(db,
                                "SELECT count(*), coalesce(sum(samples), 0), "
                                "count(DISTINCT series_id) FROM chunks WHERE day < ?");
        count.bind(1, raw_before);
        count.executeStep();
        out.raw_days = count.getColumn(0).getInt64();
        out.raw_samples = count.getColumn(1).getInt64();
        out.raw_series = count.getColumn(2).getInt64();
    }
    {
        SQLite::Statement mark(db,
                               "UPDATE rollups SET raw_pruned_by = ? WHERE day < ? AND "
                               "raw_pruned_by IS NULL");
        mark.bind(1, out.run_id);
        mark.bind(2, raw_before);
        mark.exec();
        // Every chunk has its rollup (update_backlog above, the collector for the rest); the
        // condition keeps a chunk that somehow has none rather than lose it.
        SQLite::Statement drop(db,
                               "DELETE FROM chunks WHERE day < ? AND EXISTS (SELECT 1 FROM "
                               "rollups r WHERE r.series_id = chunks.series_id AND "
                               "r.day = chunks.day)");
        drop.bind(1, raw_before);
        const int dropped = drop.exec();
        if (dropped != out.raw_days) {
            throw StorageError(std::to_string(out.raw_days - dropped) +
                               " days of raw samples have no rollup; nothing was pruned");
        }
        // The lease-state breakdowns go with the raw samples they describe.
        SQLite::Statement drop_states(db, "DELETE FROM lease_states WHERE day < ?");
        drop_states.bind(1, raw_before);
        drop_states.exec();
    }
    {
        SQLite::Statement drop(db,
                               "UPDATE rollups SET hourly = NULL WHERE day < ? AND "
                               "hourly IS NOT NULL");
        drop.bind(1, hourly_before);
        out.hourly_days = drop.exec();
    }
    {
        SQLite::Statement run(db,
                              "UPDATE runs SET ended = ?, rows = ?, status = 'ok', message = ? "
                              "WHERE id = ?");
        run.bind(1, unix_now());
        run.bind(2, out.raw_samples);
        run.bind(3, "removed " + std::to_string(out.raw_samples) + " raw samples (" +
                        std::to_string(out.raw_days) + " series-days of " +
                        std::to_string(out.raw_series) + " series) and the hourly rollups of " +
                        std::to_string(out.hourly_days) + " series-days");
        run.bind(4, out.run_id);
        run.exec();
    }
    transaction.commit();
    return out;
}

}  // namespace

PruneSummary prune(SQLite::Database& db, std::int64_t now, std::int64_t keep_raw,
                   std::int64_t keep_hourly) {
    const std::int64_t started = unix_now();
    try {
        return prune_in_transaction(db, now, keep_raw, keep_hourly);
    } catch (const std::exception& e) {
        try {
            record_failed_run(db, RunInfo{"prune", ""}, started, e.what());
        } catch (const std::exception&) {
            // The prune's own error is what the user needs.
        }
        throw;
    }
}

}  // namespace fostat
