#include "storage/runs.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace fostat {
namespace {

// A run without a server (one whose input names many) stores NULL.
void bind_server(SQLite::Statement& s, int index, const std::string& server) {
    if (server.empty()) {
        s.bind(index);
    } else {
        s.bind(index, server);
    }
}

}  // namespace

std::int64_t begin_run(SQLite::Database& db, const RunInfo& info, std::int64_t started) {
    SQLite::Statement run(db,
                          "INSERT INTO runs (started, source, server, status) "
                          "VALUES (?, ?, ?, 'running')");
    run.bind(1, started);
    run.bind(2, info.source);
    bind_server(run, 3, info.server);
    run.exec();
    return db.getLastInsertRowid();
}

void finish_run(SQLite::Database& db, std::int64_t run_id, std::int64_t ended, std::int64_t rows,
                const std::string& message) {
    SQLite::Statement run(db,
                          "UPDATE runs SET ended = ?, rows = ?, status = 'ok', message = ? "
                          "WHERE id = ?");
    run.bind(1, ended);
    run.bind(2, rows);
    run.bind(3, message);
    run.bind(4, run_id);
    run.exec();
}

void record_failed_run(SQLite::Database& db, const RunInfo& info, std::int64_t started,
                       std::int64_t ended, const std::string& message) {
    SQLite::Statement run(db,
                          "INSERT INTO runs (started, ended, source, server, status, message) "
                          "VALUES (?, ?, ?, ?, 'failed', ?)");
    run.bind(1, started);
    run.bind(2, ended);
    run.bind(3, info.source);
    bind_server(run, 4, info.server);
    run.bind(5, message);
    run.exec();
}

}  // namespace fostat
