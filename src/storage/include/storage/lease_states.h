// Samples' breakdowns by lease state (Sample::lease_states), stored beside the chunks in
// the lease_states table (schema/0003_lease_states.sql): one packed row per series and day.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fostat/sample.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace fostat {

class HeadReader;

struct LeaseStatesAt {
    std::int64_t timestamp = 0;
    std::vector<LeaseStateCount> counts;

    bool operator==(const LeaseStatesAt&) const = default;
};

// True when both give every state the same count, a state one leaves out counting as 0.
bool same_lease_states(std::span<const LeaseStateCount> a, std::span<const LeaseStateCount> b);

// The packed form of one series' breakdowns of one UTC day. A decoded sample lists every
// state named anywhere in its day, in the order the day first named them (0 where its own
// breakdown did not name it).
// REQUIRES: samples strictly ascending by timestamp, all within [day, day + kChunkSeconds).
std::string encode_lease_states(std::int64_t day, std::span<const LeaseStatesAt> samples);
// Appends the samples of `data` to `out`. Throws StorageError if the blob is damaged.
void decode_lease_states(std::int64_t day, std::string_view data, std::vector<LeaseStatesAt>& out);

// Writes one run's breakdowns, inside the run's transaction (RunWriter owns one). Keeps them
// until flush(), which merges each series' day into its stored row; memory is bounded by
// flushing whenever many are kept.
class LeaseStateWriter {
  public:
    // `replace`: a breakdown that differs from the stored one of the same sample overwrites
    // it; otherwise that is a conflict.
    LeaseStateWriter(SQLite::Database& db, bool replace);
    ~LeaseStateWriter();
    LeaseStateWriter(const LeaseStateWriter&) = delete;
    LeaseStateWriter& operator=(const LeaseStateWriter&) = delete;

    // Keeps `sample`'s breakdown (REQUIRES: not empty) for the sample's series `series`.
    void add(std::int64_t series, const Sample& sample);
    // Forgets the stored breakdown of `sample`'s series at its time: the sample was replaced
    // by one without a breakdown.
    void erase(std::int64_t series, const Sample& sample);
    // Writes everything kept. Throws AlreadyStored for a breakdown that differs from the stored
    // one of the same series and time, unless replacing.
    void flush();

  private:
    struct Change {
        LeaseStatesAt states;
        bool erase = false;
    };
    struct Day {
        std::string server;  // for messages
        std::string scope;
        std::vector<Change> changes;  // in arrival order
    };
    void keep(std::int64_t series, const Sample& sample, Change change);
    void write_day(std::int64_t series, std::int64_t day, Day& changes);

    SQLite::Database& db_;
    bool replace_;
    std::map<std::pair<std::int64_t, std::int64_t>, Day> pending_;  // key: series, day
    std::size_t pending_samples_ = 0;
    std::unique_ptr<SQLite::Statement> read_;
    std::unique_ptr<SQLite::Statement> write_;
    std::unique_ptr<SQLite::Statement> delete_;
    std::vector<LeaseStatesAt> scratch_;
};

class LeaseStateReader {
  public:
    explicit LeaseStateReader(SQLite::Database& db);
    ~LeaseStateReader();

    // The stored breakdowns of series `series` with since <= timestamp <= until, ascending.
    std::vector<LeaseStatesAt> read(std::int64_t series, std::int64_t since, std::int64_t until);

    // The same breakdowns one at a time, with one day of them in memory: start(), then
    // next() until it returns nullptr. A pointer stays valid until the next call.
    void start(std::int64_t series, std::int64_t since, std::int64_t until);
    const LeaseStatesAt* next();

  private:
    // Reads the next day, stored or in the head, into day_; false after the last.
    bool next_day();

    std::unique_ptr<SQLite::Statement> days_;
    std::unique_ptr<HeadReader> head_;
    std::vector<std::int64_t> head_days_;  // the window's days with head breakdowns
    std::size_t next_head_day_ = 0;
    std::int64_t series_ = 0;
    bool row_pending_ = false;  // days_ stands on a row not read yet
    bool rows_done_ = false;
    std::vector<LeaseStatesAt> day_;  // the day next() is in
    std::size_t at_ = 0;              // the next one of day_
    std::int64_t since_ = 0;
    std::int64_t until_ = 0;
    bool done_ = true;
};

}  // namespace fostat
