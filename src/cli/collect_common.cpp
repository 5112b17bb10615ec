#include <iostream>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include "cli/collect.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "fostat/error.h"
#include "storage/database.h"
#include "time_text.h"

namespace fostat {

void add_collect_options(CLI::App& app, CollectOptions& o) {
    if (o.db.empty())
        o.db = default_database();
    app.add_option("--db", o.db, "SQLite database file ($FOSTAT_DB, else fostat.db)")
        ->type_name("PATH")
        ->capture_default_str();
    app.add_flag("-q,--quiet", o.quiet, "print nothing when a run succeeds");
}

void add_every_option(CLI::App& app, CollectOptions& o) {
    app.add_option("--every", o.every,
                   "collect again every DURATION (30s, 5m, 1h) until SIGINT or SIGTERM; a "
                   "failed run is reported and the next one tried")
        ->type_name("DURATION");
}

void report_run(const CollectOptions& options, const RunInfo& info, const RunSummary& s) {
    if (options.quiet)
        return;
    std::cout << "run " << s.run_id << " (" << info.source << "): " << s.added << " added, "
              << s.unchanged << " already stored, " << s.replaced << " replaced" << std::endl;
}

namespace {

// One line for the user: the database's file name, and what to do about a lock.
std::string database_error(const std::string& path, const SQLite::Exception& e) {
    std::string message = path + ": " + e.what();
    if (e.getErrorCode() == SQLITE_BUSY) {
        message += " (another process held it for longer than the 30 s busy timeout; try again)";
    }
    return message;
}

RunSummary one_run(SQLite::Database& db, const CollectOptions& options, const RunInfo& info,
                   OnConflict on_conflict,
                   const std::function<void(std::int64_t, SampleSink&)>& collect) {
    const std::int64_t now = unix_now();
    try {
        return collect_run(db, info, on_conflict, [&](SampleSink& sink) { collect(now, sink); });
    } catch (const SQLite::Exception& e) {
        throw StorageError(database_error(options.db, e));
    }
}

}  // namespace

int collect_runs(const CollectOptions& options, const RunInfo& info, OnConflict on_conflict,
                 const std::function<void(std::int64_t, SampleSink&)>& collect) {
    std::int64_t every = 0;
    if (!options.every.empty()) {
        try {
            every = parse_duration(options.every);
        } catch (const InputError& e) {
            throw InputError(std::string("--every: ") + e.what());
        }
    }
    auto db = open_database(options.db, Access::read_write);
    if (every == 0) {
        // A signal kills a single run outright: its transaction is never committed, so it
        // leaves nothing (tests/scripts/crash_during_import.sh).
        report_run(options, info, one_run(*db, options, info, on_conflict, collect));
        return kExitOk;
    }
    // A long-lived collector ends between runs, and keeps going after a failed one.
    install_stop_handlers();
    bool any_failed = false;
    for (;;) {
        const std::int64_t started = unix_now();
        try {
            report_run(options, info, one_run(*db, options, info, on_conflict, collect));
        } catch (const std::exception& e) {
            std::cerr << "fostat-collect: " << e.what() << std::endl;
            any_failed = true;
        }
        if (stop_requested() || !sleep_until((started / every + 1) * every)) {
            return any_failed ? kExitError : kExitOk;
        }
    }
}

}  // namespace fostat
