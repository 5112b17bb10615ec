// The runs table (schema/0001_init.sql): one row for every run that wrote to the database or
// tried to, whether it collected, pruned or deleted (docs/design.md § Runs). Every statement
// that writes a row of it is here.
#pragma once

#include <cstdint>
#include <exception>
#include <string>

#include "storage/clock.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

struct RunInfo {
    std::string source;  // simulate, import, ..., prune, delete
    std::string server;  // the server collected from; empty when the input names many
};

// Inserts the row of a run that started at `started`, status running, inside the run's own
// transaction (which takes the row with it if it rolls back). Returns the run's id.
std::int64_t begin_run(SQLite::Database& db, const RunInfo& info, std::int64_t started);

// Marks the run ok, ended at `ended`, with the rows it stored or removed and a message that
// says what it did. Call in the run's transaction, before it commits.
void finish_run(SQLite::Database& db, std::int64_t run_id, std::int64_t ended, std::int64_t rows,
                const std::string& message);

// Records a run that failed before or while writing: its row, status failed, the message.
// Call after the failed run's transaction rolled back.
void record_failed_run(SQLite::Database& db, const RunInfo& info, std::int64_t started,
                       std::int64_t ended, const std::string& message);

// Does a run's work, which begins and finishes its run in a transaction of its own, and
// returns what the work returns. When the work throws, its transaction has rolled back: the
// run is recorded as failed and the work's exception rethrown.
template <typename Work>
auto run_or_record_failure(SQLite::Database& db, const RunInfo& info, const Clock& clock,
                           Work&& work) {
    const std::int64_t started = clock.now();
    try {
        return work();
    } catch (const std::exception& e) {
        try {
            record_failed_run(db, info, started, clock.now(), e.what());
        } catch (const std::exception&) {
            // The run's own error is what the user needs; a database that cannot take the
            // failure row has already said why in it.
        }
        throw;
    }
}

}  // namespace fostat
