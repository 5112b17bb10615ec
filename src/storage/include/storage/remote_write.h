// What fostat-collect --remote-write has sent where (schema/0005_remote_write.sql): per
// endpoint and server, how far the samples have been sent, and per run what its push did.
// Every statement on those is here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

struct PushMark {
    std::optional<std::int64_t> sent_through;  // the newest sample time sent
    std::optional<std::int64_t> unsent_from;   // the oldest time of a sample not yet sent
    bool operator==(const PushMark&) const = default;
};

// The marks of `endpoint`, by server; a server never pushed to it has none.
std::map<std::string, PushMark> read_push_marks(SQLite::Database& db, const std::string& endpoint);

// Sets the mark of `endpoint` and `server`. Call in a write transaction.
void write_push_mark(SQLite::Database& db, const std::string& endpoint, const std::string& server,
                     const PushMark& mark);

struct PushRecord {
    std::int64_t pushed = 0;    // metric samples the receiver took
    std::int64_t failures = 0;  // requests that failed, each attempt counted
    std::string message;        // the last failure, or empty
};

// Records on run `run_id`'s row what its push did. Call in a write transaction.
void record_push(SQLite::Database& db, std::int64_t run_id, const PushRecord& record);

}  // namespace fostat
