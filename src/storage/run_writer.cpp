#include "storage/run_writer.h"

#include <algorithm>
#include <exception>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "fostat/error.h"
#include "storage/blob.h"
#include "storage/lease_states.h"
#include "storage/rollups.h"
#include "storage/sample_reader.h"
#include "text.h"
#include "time_text.h"

namespace fostat {
namespace {

std::string describe(const Counters& counters) {
    std::string out;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        if (i > 0)
            out += ' ';
        out += std::string(kCounterNames[i]) + "=";
        out += counters.values[i] ? std::to_string(*counters.values[i]) : "NULL";
    }
    return out;
}

// The last guard of docs/csv.md (Servers and relationships): whatever the source, no stored
// name can move a terminal's cursor or break a table. Sources refuse such names first, with
// their place.
void require_name(const char* what, const std::string& text) {
    if (auto problem = name_problem(text))
        throw InputError(std::string(what) + ": " + *problem);
}

}  // namespace

RunWriter::RunWriter(SQLite::Database& db, RunInfo info, OnConflict on_conflict,
                     std::size_t max_open_bytes)
    : db_(db), info_(std::move(info)), on_conflict_(on_conflict), max_open_bytes_(max_open_bytes) {
    started_ = unix_now();
    transaction_ =
        std::make_unique<SQLite::Transaction>(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement run(db_,
                          "INSERT INTO runs (started, source, server, status) "
                          "VALUES (?, ?, ?, 'running')");
    run.bind(1, started_);
    run.bind(2, info_.source);
    if (info_.server.empty()) {
        run.bind(3);
    } else {
        run.bind(3, info_.server);
    }
    run.exec();
    summary_.run_id = db_.getLastInsertRowid();
    find_chunk_ = std::make_unique<SQLite::Statement>(
        db_, "SELECT id, data FROM chunks WHERE series_id = ? AND day = ?");
    read_chunk_ = std::make_unique<SQLite::Statement>(db_, "SELECT data FROM chunks WHERE id = ?");
    insert_chunk_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO chunks (series_id, day, first_ts, last_ts, samples, data) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    append_chunk_ = std::make_unique<SQLite::Statement>(
        db_,
        "UPDATE chunks SET last_ts = ?, samples = ?, data = CAST(data || ? AS BLOB) "
        "WHERE id = ?");
    rewrite_chunk_ = std::make_unique<SQLite::Statement>(
        db_, "UPDATE chunks SET first_ts = ?, last_ts = ?, samples = ?, data = ? WHERE id = ?");
    rollups_ = std::make_unique<RollupWriter>(db_);
    lease_states_ = std::make_unique<LeaseStateWriter>(db_, on_conflict_ == OnConflict::replace);
}

RunWriter::~RunWriter() = default;  // an uncommitted transaction rolls back

std::int64_t RunWriter::series_id(const Sample& sample) {
    std::string key;
    key.reserve(sample.server.size() + sample.scope.size() + 1);
    key.append(sample.server).push_back('\0');
    key.append(sample.scope);
    if (key == last_series_key_)
        return last_series_id_;
    auto it = series_ids_.find(key);
    if (it == series_ids_.end()) {
        require_name("server", sample.server);
        require_name("scope", sample.scope);
        SQLite::Statement find(db_, "SELECT id FROM series WHERE server = ? AND scope = ?");
        find.bind(1, sample.server);
        find.bind(2, sample.scope);
        std::int64_t id = 0;
        if (find.executeStep()) {
            id = find.getColumn(0).getInt64();
        } else {
            SQLite::Statement insert(db_, "INSERT INTO series (server, scope) VALUES (?, ?)");
            insert.bind(1, sample.server);
            insert.bind(2, sample.scope);
            insert.exec();
            id = db_.getLastInsertRowid();
        }
        it = series_ids_.emplace(key, id).first;
    }
    last_series_key_ = std::move(key);
    last_series_id_ = it->second;
    return it->second;
}

std::int64_t RunWriter::relationship_id(const Relationship& r) {
    if (last_relationship_id_ >= 0 && r == last_relationship_)
        return last_relationship_id_;
    std::string key = r.name + '\0' + std::string(to_string(r.mode)) + '\0' + r.role + '\0' +
                      std::to_string(r.expected_share) + '\0' + std::string(to_string(r.state)) +
                      '\0' + r.source_state;
    auto it = relationship_ids_.find(key);
    if (it == relationship_ids_.end()) {
        require_name("relationship", r.name);
        require_name("role", r.role);
        require_name("source_state", r.source_state);
        SQLite::Statement find(
            db_,
            "SELECT id FROM relationships WHERE name = ? AND mode = ? AND "
            "role = ? AND expected_share = ? AND state = ? AND source_state = ?");
        SQLite::Statement insert(db_,
                                 "INSERT INTO relationships (name, mode, role, expected_share, "
                                 "state, source_state) VALUES (?, ?, ?, ?, ?, ?)");
        for (SQLite::Statement* s : {&find, &insert}) {
            s->bind(1, r.name);
            s->bind(2, std::string(to_string(r.mode)));
            s->bind(3, r.role);
            s->bind(4, r.expected_share);
            s->bind(5, std::string(to_string(r.state)));
            s->bind(6, r.source_state);
        }
        std::int64_t id = 0;
        if (find.executeStep()) {
            id = find.getColumn(0).getInt64();
        } else {
            insert.exec();
            id = db_.getLastInsertRowid();
        }
        it = relationship_ids_.emplace(std::move(key), id).first;
    }
    last_relationship_ = r;
    last_relationship_id_ = it->second;
    return it->second;
}

RunWriter::OpenChunk& RunWriter::open_chunk(std::int64_t series, std::int64_t day) {
    auto [it, inserted] = open_.try_emplace(series);
    OpenChunk& chunk = it->second;
    if (!inserted && chunk.encoder.day() == day)
        return chunk;
    if (!inserted) {
        open_bytes_ -= chunk.footprint();
        write_chunk(series, chunk);
        roll_up(series, chunk);
    }
    chunk = OpenChunk{};
    chunk.encoder = ChunkEncoder(day);
    find_chunk_->reset();
    find_chunk_->bind(1, series);
    find_chunk_->bind(2, day);
    if (find_chunk_->executeStep()) {
        // Continue the stored chunk: replay it once to know what the next sample's
        // encoding depends on.
        chunk.row_id = find_chunk_->getColumn(0).getInt64();
        const SQLite::Column data = find_chunk_->getColumn(1);
        scratch_.clear();
        decode_chunk(day, blob_view(data), scratch_);
        std::string discarded;
        for (const ChunkSample& s : scratch_)
            chunk.encoder.append(s, discarded);
    } else {
        rollups_->refuse_if_pruned(series, day);
    }
    return chunk;
}

void RunWriter::materialise(OpenChunk& chunk) {
    std::string data;
    if (chunk.row_id) {
        read_chunk_->reset();
        read_chunk_->bind(1, chunk.row_id);
        if (read_chunk_->executeStep()) {
            const SQLite::Column stored = read_chunk_->getColumn(0);
            data.assign(blob_view(stored));
        }
    }
    data += chunk.pending;
    chunk.pending.clear();
    decode_chunk(chunk.encoder.day(), data, chunk.samples);
    chunk.materialised = true;
}

void RunWriter::add(const Sample& sample) {
    const std::int64_t series = series_id(sample);
    ChunkSample incoming{sample.timestamp, relationship_id(sample.relationship), sample.counters};
    OpenChunk& chunk = open_chunk(series, chunk_day(sample.timestamp));
    const std::size_t before = chunk.footprint();
    Outcome outcome = Outcome::added;
    if (!chunk.materialised &&
        (chunk.encoder.samples() == 0 || incoming.timestamp > chunk.encoder.last_timestamp())) {
        chunk.encoder.append(incoming, chunk.pending);
    } else {
        if (!chunk.materialised)
            materialise(chunk);
        outcome = merge(chunk, sample, std::move(incoming));
    }
    switch (outcome) {
        case Outcome::added:
            ++summary_.added;
            break;
        case Outcome::unchanged:
            ++summary_.unchanged;
            break;
        case Outcome::replaced:
            ++summary_.replaced;
            break;
    }
    if (!sample.lease_states.empty()) {
        lease_states_->add(series, sample);
    } else if (outcome == Outcome::replaced) {
        lease_states_->erase(series, sample);
    }
    open_bytes_ += chunk.footprint() - before;
    if (open_bytes_ > max_open_bytes_)
        write_all();
}

RunWriter::Outcome RunWriter::merge(OpenChunk& chunk, const Sample& sample, ChunkSample incoming) {
    auto& samples = chunk.samples;
    auto at =
        std::lower_bound(samples.begin(), samples.end(), incoming.timestamp,
                         [](const ChunkSample& s, std::int64_t t) { return s.timestamp < t; });
    if (at != samples.end() && at->timestamp == incoming.timestamp) {
        if (same_sample(*at, incoming))
            return Outcome::unchanged;
        if (on_conflict_ == OnConflict::fail)
            conflict(sample, *at);
        *at = std::move(incoming);
        return Outcome::replaced;
    }
    samples.insert(at, std::move(incoming));
    return Outcome::added;
}

bool RunWriter::same_sample(const ChunkSample& stored, const ChunkSample& incoming) {
    if (stored.counters != incoming.counters)
        return false;
    if (stored.relationship_id == incoming.relationship_id)
        return true;
    // An export does not carry the role or the source's own state word: a sample that
    // leaves them out is the same as a stored one that has them.
    const Relationship& s = relationship_by_id(stored.relationship_id);
    const Relationship& i = relationship_by_id(incoming.relationship_id);
    return s.name == i.name && s.mode == i.mode && s.expected_share == i.expected_share &&
           s.state == i.state && (i.role.empty() || i.role == s.role) &&
           (i.source_state.empty() || i.source_state == s.source_state);
}

const Relationship& RunWriter::relationship_by_id(std::int64_t id) {
    auto it = relationships_by_id_.find(id);
    if (it == relationships_by_id_.end())
        it = relationships_by_id_.emplace(id, read_relationship(db_, id)).first;
    return it->second;
}

void RunWriter::conflict(const Sample& sample, const ChunkSample& stored) {
    std::string what = stored.counters == sample.counters ? "another relationship or state"
                                                          : describe(stored.counters);
    throw InputError("server " + sample.server + ", scope " + sample.scope + " at " +
                     format_utc(sample.timestamp) + " is already stored with " + what +
                     "; the new sample has " + describe(sample.counters) +
                     ". Use --replace to overwrite stored samples");
}

void RunWriter::write_chunk(std::int64_t series, OpenChunk& chunk) {
    if (!chunk.materialised && chunk.pending.empty())
        return;
    const bool whole = chunk.materialised;
    if (whole) {
        // Re-encode the merged chunk; the encoder then continues after its last sample.
        chunk.encoder = ChunkEncoder(chunk.encoder.day());
        for (const ChunkSample& c : chunk.samples)
            chunk.encoder.append(c, chunk.pending);
        chunk.samples = {};
        chunk.materialised = false;
    }
    SQLite::Statement& s = !chunk.row_id ? *insert_chunk_
                           : whole       ? *rewrite_chunk_
                                         : *append_chunk_;
    const ChunkEncoder& e = chunk.encoder;
    s.reset();
    int i = 1;
    if (!chunk.row_id) {
        s.bind(i++, series);
        s.bind(i++, e.day());
    }
    if (!chunk.row_id || whole)
        s.bind(i++, e.first_timestamp());
    s.bind(i++, e.last_timestamp());
    s.bind(i++, e.samples());
    s.bindNoCopy(i++, chunk.pending.data(), static_cast<int>(chunk.pending.size()));
    if (chunk.row_id)
        s.bind(i++, chunk.row_id);
    s.exec();
    if (!chunk.row_id)
        chunk.row_id = db_.getLastInsertRowid();
    chunk.pending = std::string();  // give the memory back: most series are idle until later
    chunk.unrolled = true;
}

void RunWriter::roll_up(std::int64_t series, OpenChunk& chunk) {
    if (!chunk.unrolled)
        return;
    rollups_->update(series, chunk.encoder.day());
    chunk.unrolled = false;
}

void RunWriter::write_all() {
    // The chunks stay open: each keeps its encoder, so the next sample is appended without
    // reading anything back.
    for (auto& [series, chunk] : open_)
        write_chunk(series, chunk);
    open_bytes_ = 0;
}

RunSummary RunWriter::commit() {
    write_all();
    lease_states_->flush();
    // In series order, so that a refusal names the same day whatever the hash map's order.
    std::vector<std::int64_t> series;
    for (const auto& [id, chunk] : open_) {
        if (chunk.unrolled)
            series.push_back(id);
    }
    std::sort(series.begin(), series.end());
    for (std::int64_t id : series)
        roll_up(id, open_.at(id));
    rollups_->update_backlog();
    SQLite::Statement run(db_,
                          "UPDATE runs SET ended = ?, rows = ?, status = 'ok', message = ? "
                          "WHERE id = ?");
    run.bind(1, unix_now());
    run.bind(2, summary_.added + summary_.replaced);
    run.bind(3, std::to_string(summary_.added) + " added, " + std::to_string(summary_.unchanged) +
                    " already stored, " + std::to_string(summary_.replaced) + " replaced");
    run.bind(4, summary_.run_id);
    run.exec();
    transaction_->commit();
    return summary_;
}

void record_failed_run(SQLite::Database& db, const RunInfo& info, std::int64_t started,
                       const std::string& message) {
    SQLite::Statement run(db,
                          "INSERT INTO runs (started, ended, source, server, status, message) "
                          "VALUES (?, ?, ?, ?, 'failed', ?)");
    run.bind(1, started);
    run.bind(2, unix_now());
    run.bind(3, info.source);
    if (info.server.empty()) {
        run.bind(4);
    } else {
        run.bind(4, info.server);
    }
    run.bind(5, message);
    run.exec();
}

RunSummary collect_run(SQLite::Database& db, const RunInfo& info, OnConflict on_conflict,
                       const std::function<void(SampleSink&)>& source) {
    const std::int64_t started = unix_now();
    std::exception_ptr failure;
    std::string message;
    try {
        RunWriter writer(db, info, on_conflict);
        source(writer);
        return writer.commit();
    } catch (const std::exception& e) {
        failure = std::current_exception();
        message = e.what();
    }
    try {
        record_failed_run(db, info, started, message);
    } catch (const std::exception&) {
        // The run's own error is what the user needs; a database that cannot take the
        // failure row has already said why in it.
    }
    std::rethrow_exception(failure);
}

}  // namespace fostat
