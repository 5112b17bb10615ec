#include <iostream>
#include <set>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "cli/collect.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "fostat/error.h"
#include "storage/database.h"
#include "text.h"
#include "time_text.h"

namespace fostat {

void add_collect_options(CLI::App& app, CollectOptions& o) {
    if (o.db.empty())
        o.db = default_database();
    app.add_option("--db", o.db, "SQLite database file ($FOSTAT_DB, else fostat.db)")
        ->type_name("PATH")
        ->capture_default_str();
    app.add_flag("-q,--quiet", o.quiet, "print nothing when a run succeeds");
    app.add_option("--busy-timeout", o.busy_timeout,
                   "wait up to DURATION for another program's lock on the database, then fail")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--max-skew", o.max_skew,
                   "warn when a server's newest sample is more than DURATION ahead of the "
                   "run's clock (off: never)")
        ->type_name("DURATION")
        ->capture_default_str();
}

void add_every_option(CLI::App& app, CollectOptions& o) {
    app.add_option("--every", o.every,
                   "collect again every DURATION (30s, 5m, 1h) until SIGINT or SIGTERM; a "
                   "failed run is reported and the next one tried")
        ->type_name("DURATION");
}

CLI::Validator name_validator() {
    return CLI::Validator(
        [](std::string& value) { return name_problem(value).value_or(std::string()); }, "");
}

void report_run(const CollectOptions& options, const RunInfo& info, const RunSummary& s) {
    if (options.quiet)
        return;
    std::cout << "run " << s.run_id << " (" << info.source << "): " << s.added << " added, "
              << s.unchanged << " already stored, " << s.replaced << " replaced" << std::endl;
}

namespace {

std::int64_t duration_option(const char* name, const std::string& text) {
    try {
        return parse_duration(text);
    } catch (const InputError& e) {
        throw InputError(std::string(name) + ": " + e.what());
    }
}

}  // namespace

std::string database_error(const CollectOptions& options, const SQLite::Exception& e) {
    std::string message = options.db + ": " + e.what();
    message += database_error_hint(options.db, e.getExtendedErrorCode());
    if (e.getErrorCode() == SQLITE_BUSY) {
        message += " (another process held it for longer than --busy-timeout " +
                   format_duration(duration_option("--busy-timeout", options.busy_timeout)) +
                   "; try again)";
    }
    return message;
}

std::unique_ptr<SQLite::Database> open_collect_database(const CollectOptions& options) {
    const std::int64_t busy_timeout = duration_option("--busy-timeout", options.busy_timeout);
    if (busy_timeout < 0 || busy_timeout > 3600)
        throw InputError("--busy-timeout: give 0s to 1h");
    return open_database(options.db, Access::read_write, static_cast<int>(busy_timeout * 1000));
}

namespace {

// Passes samples on, noting the servers they come from.
class ServerTally : public SampleSink {
  public:
    explicit ServerTally(SampleSink& next) : next_(next) {}
    void add(const Sample& sample) override {
        if (sample.server != last_) {
            last_ = sample.server;
            servers_.insert(last_);
        }
        next_.add(sample);
    }
    const std::set<std::string>& servers() const { return servers_; }

  private:
    SampleSink& next_;
    std::string last_;
    std::set<std::string> servers_;
};

// A server whose newest stored sample lies ahead of the run's clock has a clock ahead of
// ours, or ours is behind (or was ahead when that sample was taken): `status` shows that
// sample as the latest until the clock catches up (docs/operations.md, The clock).
void warn_of_skew(SQLite::Database& db, const std::set<std::string>& servers, std::int64_t now,
                  std::int64_t max_skew) {
    SQLite::Statement newest(db,
                             "SELECT max(c.last_ts) FROM chunks c JOIN series s "
                             "ON s.id = c.series_id WHERE s.server = ?");
    for (const std::string& server : servers) {
        newest.reset();
        newest.bind(1, server);
        if (!newest.executeStep() || newest.getColumn(0).isNull())
            continue;
        const std::int64_t last = newest.getColumn(0).getInt64();
        if (last - now > max_skew) {
            // As every message shows a name (text.h terminal_text).
            const std::string shown = terminal_text(server);
            std::cerr << "fostat-collect: warning: " << shown << ": newest sample "
                      << format_utc(last) << " is " << format_duration(last - now)
                      << " ahead of this run's clock " << format_utc(now)
                      << " (more than --max-skew " << format_duration(max_skew)
                      << "); check the clocks of " << shown << " and of this host" << std::endl;
        }
    }
}

RunSummary one_run(SQLite::Database& db, const CollectOptions& options, const RunInfo& info,
                   OnConflict on_conflict, std::int64_t max_skew,
                   const std::function<void(std::int64_t, SampleSink&)>& collect) {
    const std::int64_t now = unix_now();
    try {
        std::set<std::string> servers;
        RunSummary summary = collect_run(db, info, on_conflict, [&](SampleSink& sink) {
            ServerTally tally(sink);
            collect(now, tally);
            servers = tally.servers();
        });
        if (max_skew > 0)
            warn_of_skew(db, servers, now, max_skew);
        return summary;
    } catch (const SQLite::Exception& e) {
        throw StorageError(database_error(options, e));
    }
}

}  // namespace

int collect_runs(const CollectOptions& options, const RunInfo& info, OnConflict on_conflict,
                 const std::function<void(std::int64_t, SampleSink&)>& collect) {
    const std::int64_t every =
        options.every.empty() ? 0 : duration_option("--every", options.every);
    // simulate's history is made up and ends at --end, which tests set in the future.
    const std::int64_t max_skew =
        (info.source == "simulate" && every == 0) || options.max_skew == "off"
            ? 0
            : duration_option("--max-skew", options.max_skew);
    auto db = open_collect_database(options);
    if (every == 0) {
        // A signal kills a single run outright: its transaction is never committed, so it
        // leaves nothing (tests/scripts/faults_kill.sh).
        report_run(options, info, one_run(*db, options, info, on_conflict, max_skew, collect));
        return kExitOk;
    }
    // A long-lived collector ends between runs, and keeps going after a failed one.
    install_stop_handlers();
    bool any_failed = false;
    for (;;) {
        const std::int64_t started = unix_now();
        try {
            report_run(options, info, one_run(*db, options, info, on_conflict, max_skew, collect));
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
