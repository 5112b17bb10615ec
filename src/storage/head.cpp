#include "storage/head.h"

#include <algorithm>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/byte_codec.h"
#include "storage/rollup_writer.h"

// Layout of a row's data:
//   varint  n, the series in the row
//   n times varint slot (ascending), varint length of its samples, varint length of its
//           lease-state breakdowns (0: none)
//   then each series' samples and breakdowns, in that order: a chunk's encoding of its
//   samples in this row (chunk_codec.cpp), and encode_lease_states' form of its breakdowns.
// Each series' part is packed on its own, so a series is read without the others' bytes.

namespace fostat {

std::string encode_head_row(std::int64_t day, std::span<const HeadEntry> entries) {
    std::vector<std::string> parts;
    parts.reserve(entries.size() * 2);
    for (const HeadEntry& e : entries) {
        parts.push_back(encode_chunk(day, e.samples));
        parts.push_back(e.lease_states.empty() ? std::string()
                                               : encode_lease_states(day, e.lease_states));
    }
    std::string out;
    put_varint(out, entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        put_varint(out, static_cast<std::uint64_t>(entries[i].slot));
        put_varint(out, parts[2 * i].size());
        put_varint(out, parts[2 * i + 1].size());
    }
    for (const std::string& part : parts)
        out += part;
    return out;
}

void parse_head_row(std::string_view data, std::vector<HeadPiece>& out) {
    ByteReader in(data, "head row");
    const std::uint64_t n = in.varint();
    if (n > data.size())
        in.damaged();
    const std::size_t first = out.size();
    std::size_t total = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        HeadPiece piece;
        const std::uint64_t slot = in.varint();
        if (slot >= static_cast<std::uint64_t>(kHeadGroupSize) ||
            (i > 0 && static_cast<std::int64_t>(slot) <= out.back().slot))
            in.damaged();
        piece.slot = static_cast<std::int64_t>(slot);
        const std::uint64_t samples = in.varint();
        const std::uint64_t lease_states = in.varint();
        if (samples > data.size() || lease_states > data.size())
            in.damaged();
        total += samples + lease_states;
        // Lengths for now; made views below once the directory's end is known.
        piece.samples = std::string_view(nullptr, samples);
        piece.lease_states = std::string_view(nullptr, lease_states);
        out.push_back(piece);
    }
    const std::size_t start = data.size() - in.remaining();
    if (total != in.remaining())
        in.damaged();
    std::size_t at = start;
    for (std::size_t i = first; i < out.size(); ++i) {
        HeadPiece& p = out[i];
        p.samples = data.substr(at, p.samples.size());
        at += p.samples.size();
        p.lease_states = data.substr(at, p.lease_states.size());
        at += p.lease_states.size();
    }
}

// ---------------------------------------------------------------------------------------------

HeadReader::HeadReader(SQLite::Database& db) : db_(db) {}

HeadReader::~HeadReader() = default;

void HeadReader::load_index() {
    indexed_ = true;
    SQLite::Statement days(db_, "SELECT DISTINCT series_group, day FROM head ORDER BY 1, 2");
    while (days.executeStep())
        days_by_group_[days.getColumn(0).getInt64()].push_back(days.getColumn(1).getInt64());
    if (days_by_group_.empty())
        return;
    SQLite::Statement series(db_, "SELECT id, head_slot FROM series WHERE head_group = ?");
    for (const auto& [group, days] : days_by_group_) {
        series.reset();
        series.bind(1, group);
        while (series.executeStep())
            places_[series.getColumn(0).getInt64()] = Place{group, series.getColumn(1).getInt64()};
    }
}

const HeadReader::Place* HeadReader::place(std::int64_t series_id) {
    if (!indexed_)
        load_index();
    const auto it = places_.find(series_id);
    return it == places_.end() ? nullptr : &it->second;
}

std::vector<std::int64_t> HeadReader::days(std::int64_t series_id, std::int64_t from_day,
                                           std::int64_t to_day) {
    std::vector<std::int64_t> out;
    const Place* p = place(series_id);
    if (!p)
        return out;
    for (std::int64_t day : days_by_group_.at(p->group)) {
        if (day < from_day || day > to_day)
            continue;
        if (const auto* list = pieces(series_id, day); list && !list->empty())
            out.push_back(day);
    }
    return out;
}

const std::vector<HeadPiece>* HeadReader::pieces(std::int64_t series_id, std::int64_t day) {
    const Place* p = place(series_id);
    if (!p)
        return nullptr;
    auto it = std::find_if(cache_.begin(), cache_.end(),
                           [&](const GroupDay& g) { return g.group == p->group && g.day == day; });
    if (it == cache_.end()) {
        cache_.emplace_front();
        it = cache_.begin();
        it->group = p->group;
        it->day = day;
        if (!rows_) {
            rows_ = std::make_unique<SQLite::Statement>(
                db_, "SELECT data FROM head WHERE series_group = ? AND day = ? ORDER BY id");
        }
        rows_->reset();
        rows_->bind(1, p->group);
        rows_->bind(2, day);
        while (rows_->executeStep()) {
            it->rows.emplace_back(blob_view(rows_->getColumn(0)));
            it->bytes += it->rows.back().size();
        }
        std::vector<HeadPiece> parsed;
        for (const std::string& row : it->rows) {
            parsed.clear();
            parse_head_row(row, parsed);
            for (const HeadPiece& piece : parsed)
                it->by_slot[piece.slot].push_back(piece);
        }
        cache_bytes_ += it->bytes;
        while (cache_bytes_ > kCacheBytes && cache_.size() > 1) {
            cache_bytes_ -= cache_.back().bytes;
            cache_.pop_back();
        }
    }
    const auto slot = it->by_slot.find(p->slot);
    return slot == it->by_slot.end() ? nullptr : &slot->second;
}

void HeadReader::samples(std::int64_t series_id, std::int64_t day, std::vector<ChunkSample>& out) {
    if (const auto* list = pieces(series_id, day)) {
        for (const HeadPiece& piece : *list)
            decode_chunk(day, piece.samples, out);
    }
}

void HeadReader::lease_states(std::int64_t series_id, std::int64_t day,
                              std::vector<LeaseStatesAt>& out) {
    if (const auto* list = pieces(series_id, day)) {
        for (const HeadPiece& piece : *list) {
            if (!piece.lease_states.empty())
                decode_lease_states(day, piece.lease_states, out);
        }
    }
}

// ---------------------------------------------------------------------------------------------

namespace {

struct GroupSeries {
    std::int64_t id = 0;
    std::string server;
    std::string scope;
};

}  // namespace

std::int64_t compact_head(SQLite::Database& db, std::int64_t group, std::int64_t day) {
    std::unordered_map<std::int64_t, GroupSeries> by_slot;
    {
        SQLite::Statement series(
            db, "SELECT head_slot, id, server, scope FROM series WHERE head_group = ?");
        series.bind(1, group);
        while (series.executeStep()) {
            by_slot[series.getColumn(0).getInt64()] =
                GroupSeries{series.getColumn(1).getInt64(), series.getColumn(2).getString(),
                            series.getColumn(3).getString()};
        }
    }
    std::vector<std::string> rows;
    {
        SQLite::Statement read(
            db, "SELECT data FROM head WHERE series_group = ? AND day = ? ORDER BY id");
        read.bind(1, group);
        read.bind(2, day);
        while (read.executeStep())
            rows.emplace_back(blob_view(read.getColumn(0)));
    }
    if (rows.empty())
        return 0;
    std::map<std::int64_t, std::vector<HeadPiece>> pieces;  // by slot, in row order
    std::vector<HeadPiece> parsed;
    for (const std::string& row : rows) {
        parsed.clear();
        parse_head_row(row, parsed);
        for (const HeadPiece& piece : parsed)
            pieces[piece.slot].push_back(piece);
    }

    SQLite::Statement read_chunk(db, "SELECT data FROM chunks WHERE series_id = ? AND day = ?");
    SQLite::Statement write_chunk(
        db,
        "INSERT INTO chunks (series_id, day, first_ts, last_ts, samples, data) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, day) DO UPDATE SET "
        "first_ts = excluded.first_ts, last_ts = excluded.last_ts, samples = excluded.samples, "
        "data = excluded.data");
    RollupWriter rollups(db);
    LeaseStateWriter lease_writer(db, false);
    std::int64_t moved = 0;
    std::vector<ChunkSample> samples;
    std::vector<LeaseStatesAt> states;
    for (const auto& [slot, list] : pieces) {
        const auto series = by_slot.find(slot);
        if (series == by_slot.end()) {
            throw StorageError("head group " + std::to_string(group) + " has samples of slot " +
                               std::to_string(slot) +
                               ", which no series holds; the database is damaged");
        }
        const GroupSeries& s = series->second;
        samples.clear();
        read_chunk.reset();
        read_chunk.bind(1, s.id);
        read_chunk.bind(2, day);
        if (read_chunk.executeStep())
            decode_chunk(day, blob_view(read_chunk.getColumn(0)), samples);
        const std::size_t stored = samples.size();
        states.clear();
        for (const HeadPiece& piece : list) {
            decode_chunk(day, piece.samples, samples);
            if (!piece.lease_states.empty())
                decode_lease_states(day, piece.lease_states, states);
        }
        for (std::size_t i = std::max<std::size_t>(stored, 1); i < samples.size(); ++i) {
            if (samples[i].timestamp <= samples[i - 1].timestamp) {
                throw StorageError("the head samples of server " + s.server + ", scope " + s.scope +
                                   " on " + format_utc(day).substr(0, 10) +
                                   " are out of order; the database is damaged");
            }
        }
        moved += static_cast<std::int64_t>(samples.size() - stored);
        const std::string data = encode_chunk(day, samples);
        write_chunk.reset();
        write_chunk.bind(1, s.id);
        write_chunk.bind(2, day);
        write_chunk.bind(3, samples.front().timestamp);
        write_chunk.bind(4, samples.back().timestamp);
        write_chunk.bind(5, static_cast<std::int64_t>(samples.size()));
        write_chunk.bindNoCopy(6, data.data(), static_cast<int>(data.size()));
        write_chunk.exec();
        rollups.update(s.id, day, samples);
        Sample sample;
        sample.server = s.server;
        sample.scope = s.scope;
        for (LeaseStatesAt& at : states) {
            sample.timestamp = at.timestamp;
            sample.lease_states = std::move(at.counts);
            lease_writer.add(s.id, sample);
        }
    }
    lease_writer.flush();
    SQLite::Statement drop(db, "DELETE FROM head WHERE series_group = ? AND day = ?");
    drop.bind(1, group);
    drop.bind(2, day);
    drop.exec();
    return moved;
}

std::int64_t compact_head_before(SQLite::Database& db, std::int64_t before_day) {
    std::vector<std::pair<std::int64_t, std::int64_t>> group_days;
    {
        SQLite::Statement list(
            db, "SELECT DISTINCT series_group, day FROM head WHERE day < ? ORDER BY day, 1");
        list.bind(1, before_day);
        while (list.executeStep())
            group_days.emplace_back(list.getColumn(0).getInt64(), list.getColumn(1).getInt64());
    }
    std::int64_t moved = 0;
    for (const auto& [group, day] : group_days)
        moved += compact_head(db, group, day);
    return moved;
}

}  // namespace fostat
