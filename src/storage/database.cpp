#include "storage/database.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "fostat/error.h"

namespace fostat {
namespace {

constexpr int kPageSize = 8192;

bool has_version_table(SQLite::Database& db) {
    return db.tableExists("schema_version");
}

// Switching a database to WAL needs an exclusive lock, for which SQLite returns "database is
// locked" at once, without its busy handler, while another connection opens the new file:
// tried again until the busy timeout.
void set_wal(SQLite::Database& db, int busy_timeout_ms) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
        try {
            db.exec("PRAGMA journal_mode = WAL");
            return;
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline)
                throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string newer_message(const std::string& path, int found) {
    return path + ": database schema version " + std::to_string(found) +
           " is newer than this program's version " + std::to_string(program_schema_version()) +
           "; use a newer fostat";
}

}  // namespace

std::string database_error_hint(const std::string& path, int error_code) {
    switch (error_code & 0xff) {
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY: {
            // SQLite does not say which file it could not open or write.
            if (std::FILE* file = std::fopen(path.c_str(), "r+b")) {
                std::fclose(file);
                return " (SQLite writes " + path + "-wal and " + path +
                       "-shm beside it: this user must be able to write to its directory)";
            }
            return std::string(" (cannot write it: ") + std::strerror(errno) + ")";
        }
        case SQLITE_FULL:
            return " (its file system is full: everything committed before is kept; free space "
                   "and run again)";
        case SQLITE_CORRUPT:
            return " (the file is damaged: restore it from a backup)";
        case SQLITE_NOTADB:
            return " (is it the right file? A damaged database is restored from a backup)";
        default:
            return "";
    }
}

ReadTransaction::ReadTransaction(SQLite::Database& db) : db_(&db) {
    db.exec("BEGIN");
}

ReadTransaction::~ReadTransaction() {
    if (db_ != nullptr)
        db_->tryExec("ROLLBACK");
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

int program_schema_version() {
    return migrations().empty() ? 0 : migrations().back().version;
}

int database_schema_version(SQLite::Database& db) {
    if (!has_version_table(db))
        return 0;
    return db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
}

WriteMark write_mark(SQLite::Database& db) {
    return {database_schema_version(db),
            db.execAndGet("SELECT coalesce(max(id), 0) FROM runs").getInt64()};
}

void apply_migrations(SQLite::Database& db, const std::vector<Migration>& list) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)");
    const int current = database_schema_version(db);
    for (const Migration& migration : list) {
        if (migration.version <= current)
            continue;
        db.exec(std::string(migration.sql));
        SQLite::Statement record(db,
                                 "INSERT INTO schema_version (version, name, applied) "
                                 "VALUES (?, ?, unixepoch())");
        record.bind(1, migration.version);
        record.bind(2, std::string(migration.name));
        record.exec();
    }
    transaction.commit();
}

std::unique_ptr<SQLite::Database> open_database(const std::string& path, Access access,
                                                int busy_timeout_ms) {
    try {
        std::error_code error;
        if (path != ":memory:" && std::filesystem::is_directory(path, error))
            throw StorageError(path + ": is a directory, not a database file");
        if (access != Access::read_write && path != ":memory:" && !std::filesystem::exists(path)) {
            throw NoDatabase(path, "no such database");
        }
        // SQLite takes an empty file for an empty database, which the collector may start;
        // to the query tool it is no fostat database at all.
        if (access == Access::read_only && path != ":memory:" &&
            std::filesystem::file_size(path, error) == 0 && !error) {
            throw NoDatabase(path, "empty file, not a fostat database");
        }
        if (access != Access::read_only && path != ":memory:") {
            // SQLite says only "unable to open database file".
            const std::filesystem::path dir = std::filesystem::path(path).parent_path();
            if (!dir.empty() && !std::filesystem::is_directory(dir))
                throw StorageError(path + ": no such directory " + dir.string() +
                                   "; create it first");
        }
        const int flags = access == Access::read_only
                              ? SQLite::OPEN_READONLY
                              : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
        auto db = std::make_unique<SQLite::Database>(path, flags, busy_timeout_ms);
        // Reading the schema is the first real access: it fails here for a file that is
        // not a database. Both reads are one snapshot: another collector may create the
        // schema between two reads, which would look like tables without a version.
        int found = 0;
        bool tables = false;
        {
            SQLite::Transaction snapshot(*db);
            found = database_schema_version(*db);
            tables =
                found == 0 && db->execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0;
            snapshot.commit();
        }
        if (found > program_schema_version())
            throw StorageError(newer_message(path, found));
        if (tables) {
            throw StorageError(path +
                               ": an SQLite database of another program (it has tables "
                               "but no fostat schema version); give fostat its own file");
        }
        if (access == Access::read_only) {
            if (found < program_schema_version()) {
                throw StorageError(path + ": database schema version " + std::to_string(found) +
                                   " is older than this program's version " +
                                   std::to_string(program_schema_version()) +
                                   "; run fostat-collect on it once to upgrade");
            }
            return db;
        }
        // Chunks are a few KiB each: 8 KiB pages hold several with little left over
        // (docs/storage.md). Only a database with nothing in it yet can take a page size.
        if (found == 0)
            db->exec("PRAGMA page_size = " + std::to_string(kPageSize));
        set_wal(*db, busy_timeout_ms);
        db->exec("PRAGMA synchronous = NORMAL");
        db->exec("PRAGMA foreign_keys = ON");
        if (found < program_schema_version())
            apply_migrations(*db, migrations());
        return db;
    } catch (const SQLite::Exception& e) {
        throw StorageError(path + ": " + e.what() +
                           database_error_hint(path, e.getExtendedErrorCode()));
    }
}

}  // namespace fostat
