#include "storage/run_writer.h"

#include <algorithm>
#include <limits>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "fostat/error.h"
#include "fostat/text.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/lease_states.h"
#include "storage/rollup_writer.h"
#include "storage/sample_reader.h"

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
                     std::size_t max_open_bytes, const Clock& clock)
    : db_(db),
      info_(std::move(info)),
      on_conflict_(on_conflict),
      clock_(clock),
      max_open_bytes_(max_open_bytes) {
    const std::int64_t started = clock_.now();
    transaction_ =
        std::make_unique<SQLite::Transaction>(db_, SQLite::TransactionBehavior::IMMEDIATE);
    summary_.run_id = begin_run(db_, info_, started);
    find_series_ = std::make_unique<SQLite::Statement>(
        db_, "SELECT id, head_group, head_slot FROM series WHERE server = ? AND scope = ?");
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

const RunWriter::SeriesRef& RunWriter::series(const Sample& sample) {
    std::string key;
    key.reserve(sample.server.size() + sample.scope.size() + 1);
    key.append(sample.server).push_back('\0');
    key.append(sample.scope);
    if (key == last_series_key_)
        return last_series_;
    auto it = series_ids_.find(key);
    if (it == series_ids_.end()) {
        require_name("server", sample.server);
        require_name("scope", sample.scope);
        SQLite::Statement& find = *find_series_;
        find.reset();
        find.bind(1, sample.server);
        find.bind(2, sample.scope);
        SeriesRef ref;
        if (find.executeStep()) {
            ref = {find.getColumn(0).getInt64(), find.getColumn(1).getInt64(),
                   find.getColumn(2).getInt64()};
        } else {
            ref = new_series(sample);
        }
        it = series_ids_.emplace(key, ref).first;
    }
    last_series_key_ = std::move(key);
    last_series_ = it->second;
    return last_series_;
}

// A new series takes the next slot of its server's newest head group, or opens a group: the
// series of a group are of one server, whose runs come in time order.
RunWriter::SeriesRef RunWriter::new_series(const Sample& sample) {
    auto [place, inserted] = head_places_.try_emplace(sample.server);
    if (inserted) {
        SQLite::Statement newest(db_,
                                 "SELECT head_group, max(head_slot) + 1 FROM series WHERE "
                                 "server = ? GROUP BY head_group ORDER BY head_group DESC LIMIT 1");
        newest.bind(1, sample.server);
        place->second.next_slot = kHeadGroupSize;
        if (newest.executeStep()) {
            place->second.group = newest.getColumn(0).getInt64();
            place->second.next_slot = newest.getColumn(1).getInt64();
        }
    }
    HeadPlace& p = place->second;
    if (p.next_slot >= kHeadGroupSize) {
        p.group = db_.execAndGet("SELECT coalesce(max(head_group), -1) + 1 FROM series").getInt64();
        p.next_slot = 0;
    }
    SQLite::Statement insert(
        db_, "INSERT INTO series (server, scope, head_group, head_slot) VALUES (?, ?, ?, ?)");
    insert.bind(1, sample.server);
    insert.bind(2, sample.scope);
    insert.bind(3, p.group);
    insert.bind(4, p.next_slot);
    insert.exec();
    return SeriesRef{db_.getLastInsertRowid(), p.group, p.next_slot++};
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
    const SeriesRef ref = series(sample);
    ChunkSample incoming{sample.timestamp, relationship_id(sample.relationship), sample.counters};
    const std::int64_t day = chunk_day(sample.timestamp);
    // The series' chunk of an earlier day is complete: it is written out now, as the series'
    // samples come, so that a day's chunks and rollups lie in the order of the input (the
    // two servers of a scope side by side, read together), not group by group as the head
    // sends them.
    if (const auto open = open_.find(ref.id);
        open != open_.end() && open->second.encoder.day() < day) {
        open_bytes_ -= open->second.footprint();
        write_chunk(ref.id, open->second);
        roll_up(ref.id, open->second);
        open_.erase(open);
    }
    HeadDay& head = head_day(ref.group, day);
    if (!head.to_chunks) {
        HeadSeries& in_head = head.series[ref.slot];
        std::vector<ChunkSample>& samples = in_head.entry.samples;
        if (sample.timestamp > head.bound &&
            (samples.empty() || sample.timestamp > samples.back().timestamp) &&
            samples.size() < kMaxHeadPerSeries && head_samples_ < kMaxHeadSamples) {
            if (samples.empty()) {
                in_head.id = ref.id;
                in_head.server = sample.server;
                in_head.scope = sample.scope;
            }
            samples.push_back(std::move(incoming));
            if (!sample.lease_states.empty())
                in_head.entry.lease_states.push_back({sample.timestamp, sample.lease_states});
            ++head_samples_;
            return;
        }
        send_to_chunks(ref.group, day, head);
    }
    add_to_chunks(ref.id, sample, std::move(incoming));
}

RunWriter::HeadDay& RunWriter::head_day(std::int64_t group, std::int64_t day) {
    auto [it, inserted] = head_days_.try_emplace({group, day});
    if (!inserted)
        return it->second;
    HeadDay& head = it->second;
    if (!head_last_) {
        head_last_ = std::make_unique<SQLite::Statement>(
            db_,
            "SELECT last_ts FROM head WHERE series_group = ? AND day = ? ORDER BY id DESC "
            "LIMIT 1");
        group_chunk_last_ = std::make_unique<SQLite::Statement>(
            db_,
            "SELECT max(c.last_ts) FROM series s JOIN chunks c ON c.series_id = s.id AND "
            "c.day = ?2 WHERE s.head_group = ?1");
        group_pruned_ = std::make_unique<SQLite::Statement>(
            db_,
            "SELECT 1 FROM series s JOIN rollups r ON r.series_id = s.id AND r.day = ?2 "
            "WHERE s.head_group = ?1 AND r.raw_pruned_by IS NOT NULL LIMIT 1");
    }
    for (SQLite::Statement* s : {head_last_.get(), group_chunk_last_.get(), group_pruned_.get()}) {
        s->reset();
        s->bind(1, group);
        s->bind(2, day);
    }
    if (head_last_->executeStep()) {
        // The rows of earlier runs are later than the chunks: the newest bounds the next.
        head.bound = head_last_->getColumn(0).getInt64();
        return head;
    }
    if (group_pruned_->executeStep()) {
        // The chunk path refuses the samples of the series whose day prune emptied.
        head.to_chunks = true;
        return head;
    }
    head.bound = std::numeric_limits<std::int64_t>::min();
    if (group_chunk_last_->executeStep() && !group_chunk_last_->getColumn(0).isNull())
        head.bound = group_chunk_last_->getColumn(0).getInt64();
    return head;
}

// The samples of this group and day go to the chunks after all: the day's head rows of
// earlier runs go there first, so that the chunks hold every sample stored before.
void RunWriter::send_to_chunks(std::int64_t group, std::int64_t day, HeadDay& head) {
    head.to_chunks = true;
    compact_head(db_, group, day);
    std::map<std::int64_t, HeadSeries> waiting = std::move(head.series);
    head.series.clear();
    Sample sample;
    for (auto& [slot, in_head] : waiting) {
        const HeadEntry& entry = in_head.entry;
        head_samples_ -= entry.samples.size();
        sample.server = in_head.server;
        sample.scope = in_head.scope;
        auto states = entry.lease_states.begin();
        for (const ChunkSample& c : entry.samples) {
            sample.timestamp = c.timestamp;
            sample.relationship = relationship_by_id(c.relationship_id);
            sample.counters = c.counters;
            sample.lease_states.clear();
            if (states != entry.lease_states.end() && states->timestamp == c.timestamp)
                sample.lease_states = (states++)->counts;
            add_to_chunks(in_head.id, sample, c);
        }
    }
}

void RunWriter::add_to_chunks(std::int64_t series, const Sample& sample, ChunkSample incoming) {
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

void RunWriter::write_head() {
    SQLite::Statement insert(db_,
                             "INSERT INTO head (series_group, day, first_ts, last_ts, samples, "
                             "data) VALUES (?, ?, ?, ?, ?, ?)");
    std::vector<HeadEntry> entries;
    for (auto& [key, head] : head_days_) {
        if (head.to_chunks)
            continue;
        entries.clear();
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t last = std::numeric_limits<std::int64_t>::min();
        std::int64_t count = 0;
        for (auto& [slot, in_head] : head.series) {
            if (in_head.entry.samples.empty())
                continue;
            in_head.entry.slot = slot;
            first = std::min(first, in_head.entry.samples.front().timestamp);
            last = std::max(last, in_head.entry.samples.back().timestamp);
            count += static_cast<std::int64_t>(in_head.entry.samples.size());
            entries.push_back(std::move(in_head.entry));
        }
        if (entries.empty())
            continue;
        const std::string data = encode_head_row(key.second, entries);
        insert.reset();
        insert.bind(1, key.first);
        insert.bind(2, key.second);
        insert.bind(3, first);
        insert.bind(4, last);
        insert.bind(5, count);
        insert.bindNoCopy(6, data.data(), static_cast<int>(data.size()));
        insert.exec();
        summary_.added += count;
    }
    head_days_.clear();
    head_samples_ = 0;
}

// A group's day is complete once the head holds a later day of the group. Each run compacts
// the oldest such days, about four times what it brought (at least one group's day), so
// that the work of compaction is spread over the runs that follow the day's end.
void RunWriter::compact_complete_days() {
    std::vector<std::pair<std::int64_t, std::int64_t>> complete;
    {
        SQLite::Statement list(db_,
                               "SELECT h.series_group, h.day FROM head h WHERE h.day < "
                               "(SELECT max(x.day) FROM head x WHERE x.series_group = "
                               "h.series_group) GROUP BY 1, 2 ORDER BY 2, 1");
        while (list.executeStep())
            complete.emplace_back(list.getColumn(0).getInt64(), list.getColumn(1).getInt64());
    }
    const std::int64_t budget = 4 * (summary_.added + summary_.replaced);
    std::int64_t moved = 0;
    for (const auto& [group, day] : complete) {
        moved += compact_head(db_, group, day);
        if (moved >= budget)
            break;
    }
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
    throw AlreadyStored("server " + sample.server + ", scope " + sample.scope + " at " +
                        format_utc(sample.timestamp) + " is already stored with " + what +
                        "; the new sample has " + describe(sample.counters));
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

void RunWriter::note(const std::string& remark) {
    notes_.push_back(remark);
}

namespace {

// "3 added, 0 already stored, 0 replaced", then the notes, the first kShown in full:
// "...; A; B; C; and 4 more".
std::string run_message(const RunSummary& summary, const std::vector<std::string>& notes) {
    constexpr std::size_t kShown = 3;
    std::string message = std::to_string(summary.added) + " added, " +
                          std::to_string(summary.unchanged) + " already stored, " +
                          std::to_string(summary.replaced) + " replaced";
    for (std::size_t i = 0; i < notes.size() && i < kShown; ++i)
        message += "; " + notes[i];
    if (notes.size() > kShown)
        message += "; and " + std::to_string(notes.size() - kShown) + " more";
    return message;
}

}  // namespace

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
    write_head();
    compact_complete_days();
    finish_run(db_, summary_.run_id, clock_.now(), summary_.added + summary_.replaced,
               run_message(summary_, notes_));
    transaction_->commit();
    return summary_;
}

RunSummary collect_run(SQLite::Database& db, const RunInfo& info, OnConflict on_conflict,
                       const std::function<void(SampleSink&)>& source, const Clock& clock) {
    return run_or_record_failure(db, info, clock, [&] {
        RunWriter writer(db, info, on_conflict, RunWriter::kDefaultMaxOpenBytes, clock);
        source(writer);
        return writer.commit();
    });
}

}  // namespace fostat
