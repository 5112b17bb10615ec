// Opening a fostat database: pragmas, schema version, migrations.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <SQLiteCpp/Database.h>

#include "fostat/error.h"
#include "storage/migrations.h"

namespace fostat {

// existing_read_write: as read_write, but a file that does not exist is an error, not a new
// database (prune and delete have nothing to do in one).
enum class Access { read_only, read_write, existing_read_write };

// How long a connection waits for another's lock before failing (--busy-timeout).
inline constexpr int kDefaultBusyTimeoutMs = 30'000;

// The schema version this program writes and reads.
int program_schema_version();

// A database to read or change that holds nothing yet: its file does not exist, or is empty.
// The message says which; the program says how to make one (docs/design.md § Layers).
class NoDatabase : public StorageError {
  public:
    NoDatabase(std::string path, const std::string& what)
        : StorageError(path + ": " + what), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// REQUIRES for read_only: the file exists and has this program's schema version.
// read_write creates the file if needed and applies every pending migration in one
// transaction. A database newer than the program is refused, naming both versions.
// Throws NoDatabase for a missing (not read_write) or empty (read_only) file, and StorageError
// naming the file for the rest.
std::unique_ptr<SQLite::Database> open_database(const std::string& path, Access access,
                                                int busy_timeout_ms = kDefaultBusyTimeoutMs);

// What to do about an SQLite error on the database at `path`: " (...)" after the error's
// own words, or empty. `error_code` is SQLite's (primary or extended).
std::string database_error_hint(const std::string& path, int error_code);

// The version recorded in the database; 0 for an empty one.
int database_schema_version(SQLite::Database& db);

// What the current read transaction of `db` has seen committed: its schema version and its
// newest run. Every transaction that changes stored samples adds a row to runs (a run,
// prune, delete; a failed run's row too), and a migration adds a schema version, so two
// read transactions with the same mark see the same samples. REQUIRES: a fostat database.
struct WriteMark {
    int schema_version = 0;
    std::int64_t newest_run = 0;
    bool operator==(const WriteMark&) const = default;
};
WriteMark write_mark(SQLite::Database& db);

// A read transaction on `db` while the object lives: every read in it sees one committed
// state of the database however long it takes while others commit, so a run is seen wholly
// or not at all. The readers (SampleReader, HeadReader, LeaseStateReader) assume one.
// It writes nothing: it ends by rolling back, and never throws doing so.
class ReadTransaction {
  public:
    explicit ReadTransaction(SQLite::Database& db);
    ~ReadTransaction();
    ReadTransaction(ReadTransaction&& other) noexcept;
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    ReadTransaction& operator=(ReadTransaction&&) = delete;

  private:
    SQLite::Database* db_;  // null once moved from
};

// Applies the given migrations above the database's version; used by open_database and by
// tests that upgrade from an older schema.
void apply_migrations(SQLite::Database& db, const std::vector<Migration>& list);

}  // namespace fostat
