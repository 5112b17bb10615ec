// One collection run: one transaction, one row in runs (docs/design.md § Runs).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "fostat/sample_sink.h"
#include "storage/chunk_codec.h"
#include "storage/clock.h"
#include "storage/head.h"
#include "storage/runs.h"

namespace SQLite {
class Database;
class Statement;
class Transaction;
}  // namespace SQLite

namespace fostat {

class LeaseStateWriter;
class RollupWriter;

enum class OnConflict { fail, replace };

struct RunSummary {
    std::int64_t run_id = 0;
    std::int64_t added = 0;      // samples new to the database
    std::int64_t unchanged = 0;  // samples already stored with the same values
    std::int64_t replaced = 0;   // samples stored with other values, overwritten (--replace)
};

// Collects a run's samples and writes them in one transaction. Samples may come in any
// order; memory is bounded by the number of series, not by the number of samples (open
// chunks are written out when they hold too much).
// A RunWriter that is destroyed without commit() rolls back: the run leaves nothing.
// Each day the run writes to has its rollups recomputed from its whole chunk in the same
// transaction, when the run is done with the day (storage/rollup_writer.h). A sample's lease-state
// breakdown is stored beside it (storage/lease_states.h), under the same conflict rule.
// A run that brings few samples of a series' day, all later than those stored, appends them
// to the head (storage/head.h) instead, and compacts days of the head that are complete
// (docs/storage.md, "The head"). The run's row (storage/runs.h) takes its start and end from
// the clock.
class RunWriter : public SampleSink {
  public:
    // Open chunks are written out whenever they hold more than max_open_bytes in all.
    static constexpr std::size_t kDefaultMaxOpenBytes = 4 << 20;
    RunWriter(SQLite::Database& db, RunInfo info, OnConflict on_conflict,
              std::size_t max_open_bytes = kDefaultMaxOpenBytes,
              const Clock& clock = system_clock());
    ~RunWriter() override;
    RunWriter(const RunWriter&) = delete;
    RunWriter& operator=(const RunWriter&) = delete;

    // Throws AlreadyStored (fostat/error.h) for a sample that conflicts with a stored or an
    // earlier one of this run (same server, scope and time, other values) unless on_conflict
    // is replace, and InputError for a sample of a day whose raw samples prune removed, and
    // for a server, scope, relationship, role or source state that is not printable UTF-8
    // (text.h name_problem), naming the field.
    void add(const Sample& sample) override;
    // Kept in the run's message after its counts, the first few in full.
    void note(const std::string& remark) override;
    RunSummary commit();

    // A run that brings more samples than this of one series' day writes them to its chunk.
    static constexpr std::size_t kMaxHeadPerSeries = 12;
    // At most this many samples wait for the head; the rest go to the chunks.
    static constexpr std::size_t kMaxHeadSamples = 1 << 16;

  private:
    struct SeriesRef {
        std::int64_t id = 0;
        std::int64_t group = 0;  // its head group and slot
        std::int64_t slot = 0;
    };
    // One series' samples of this run for a head row.
    struct HeadSeries {
        std::int64_t id = 0;
        std::string server;
        std::string scope;
        HeadEntry entry;
    };
    // One head group and day of this run. Its samples wait for the head row written at
    // commit, unless one of them cannot go to the head: then they all go to the chunks.
    struct HeadDay {
        bool to_chunks = false;
        std::int64_t bound = 0;  // every sample of the head row must be later than this
        std::map<std::int64_t, HeadSeries> series;  // by slot
    };
    struct HeadPlace {
        std::int64_t group = 0;
        std::int64_t next_slot = 0;
    };

    // The chunk of one series that this run is writing to. In time order, samples are only
    // encoded onto `pending`, which is later appended to the stored blob: nothing is decoded
    // again. A sample that is not later than the last one makes the chunk `materialised`:
    // decoded whole, merged, and written back whole.
    struct OpenChunk {
        std::int64_t row_id = 0;  // 0: not stored yet
        ChunkEncoder encoder{0};  // the state after every sample of the chunk so far
        std::string pending;      // encoded samples not yet written, after the stored ones
        bool materialised = false;
        std::vector<ChunkSample> samples;  // when materialised: the whole chunk, ascending
        bool unrolled = false;             // written since its rollups were last computed
        std::size_t footprint() const {
            return pending.size() + samples.size() * sizeof(ChunkSample);
        }
    };

    const SeriesRef& series(const Sample& sample);
    SeriesRef new_series(const Sample& sample);
    HeadDay& head_day(std::int64_t group, std::int64_t day);
    void send_to_chunks(std::int64_t group, std::int64_t day, HeadDay& head_day);
    void add_to_chunks(std::int64_t series, const Sample& sample, ChunkSample incoming);
    void write_head();
    void compact_complete_days();
    std::int64_t relationship_id(const Relationship& relationship);
    OpenChunk& open_chunk(std::int64_t series, std::int64_t day);
    void materialise(OpenChunk& chunk);
    enum class Outcome { added, unchanged, replaced };
    Outcome merge(OpenChunk& chunk, const Sample& sample, ChunkSample incoming);
    void write_chunk(std::int64_t series, OpenChunk& chunk);
    void write_all();
    void roll_up(std::int64_t series, OpenChunk& chunk);
    // Equal counters and a relationship that agrees (see run_writer.cpp): nothing to store.
    bool same_sample(const ChunkSample& stored, const ChunkSample& incoming);
    const Relationship& relationship_by_id(std::int64_t id);
    [[noreturn]] void conflict(const Sample& sample, const ChunkSample& stored);

    SQLite::Database& db_;
    RunInfo info_;
    OnConflict on_conflict_;
    const Clock& clock_;
    std::unique_ptr<SQLite::Transaction> transaction_;
    RunSummary summary_;
    std::vector<std::string> notes_;

    std::unique_ptr<SQLite::Statement> find_series_;
    std::unique_ptr<SQLite::Statement> find_chunk_;
    std::unique_ptr<SQLite::Statement> read_chunk_;
    std::unique_ptr<SQLite::Statement> insert_chunk_;
    std::unique_ptr<SQLite::Statement> append_chunk_;
    std::unique_ptr<SQLite::Statement> rewrite_chunk_;
    std::unique_ptr<RollupWriter> rollups_;
    std::unique_ptr<LeaseStateWriter> lease_states_;

    // One open chunk per series: samples mostly arrive in time order, so a series moving to
    // a new day means its previous day is complete and can be written.
    std::unordered_map<std::int64_t, OpenChunk> open_;
    std::size_t max_open_bytes_;
    std::size_t open_bytes_ = 0;  // sum of the open chunks' footprints
    std::unordered_map<std::string, SeriesRef> series_ids_;
    std::unordered_map<std::string, HeadPlace> head_places_;  // by server: its next new slot
    std::map<std::pair<std::int64_t, std::int64_t>, HeadDay> head_days_;  // by group, day
    std::size_t head_samples_ = 0;
    std::unique_ptr<SQLite::Statement> head_last_;
    std::unique_ptr<SQLite::Statement> group_chunk_last_;
    std::unique_ptr<SQLite::Statement> group_pruned_;
    std::unordered_map<std::string, std::int64_t> relationship_ids_;
    std::unordered_map<std::int64_t, Relationship> relationships_by_id_;
    std::string last_series_key_;
    SeriesRef last_series_;
    Relationship last_relationship_;
    std::int64_t last_relationship_id_ = -1;
    std::vector<ChunkSample> scratch_;
};

// Runs a source into the database as one run. On failure the run's samples are rolled back,
// its failure row is recorded, and the source's exception is rethrown.
RunSummary collect_run(SQLite::Database& db, const RunInfo& info, OnConflict on_conflict,
                       const std::function<void(SampleSink&)>& source,
                       const Clock& clock = system_clock());

}  // namespace fostat
