#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include "cli/collect.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "fostat/error.h"
#include "fostat/text.h"
#include "fostat/time_text.h"
#include "storage/database.h"
#include "storage/sample_reader.h"

namespace fostat {

void add_collect_options(CLI::App& app, CollectOptions& o, bool sources) {
    if (o.db.empty())
        o.db = default_database();
    app.add_option("--db", o.db, "SQLite database file ($FOSTAT_DB, else fostat.db)")
        ->type_name("PATH")
        ->capture_default_str();
    app.add_flag("-q,--quiet", o.quiet, "print nothing when a run succeeds");
    add_duration_option(
        app, "--busy-timeout", o.busy_timeout,
        "wait up to DURATION for another program's lock on the database, then fail");
    if (!sources)
        return;  // prune and delete store no samples
    add_duration_option(app, "--max-skew", o.max_skew,
                        "refuse samples more than DURATION ahead of the run's clock, and warn of "
                        "servers whose newest stored sample is that far ahead (off: neither)",
                        NoDuration::off);
    app.add_flag("--allow-before-2000", o.allow_before_2000,
                 "store samples dated before 2000-01-01 (refused by default: a clock that was "
                 "not set)");
}

void add_every_option(CLI::App& app, CollectOptions& o) {
    add_duration_option(app, "--every", o.every,
                        "collect again every DURATION (30s, 5m, 1h) until SIGINT, SIGTERM or "
                        "SIGHUP; a failed run is reported and the next one tried");
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

std::string database_error(const CollectOptions& options, const SQLite::Exception& e) {
    std::string message = options.db + ": " + e.what();
    message += database_error_hint(options.db, e.getExtendedErrorCode());
    if (e.getErrorCode() == SQLITE_BUSY) {
        message += " (another process held it for longer than --busy-timeout " +
                   format_duration(options.busy_timeout.seconds) + "; try again)";
    }
    return message;
}

std::unique_ptr<SQLite::Database> open_collect_database(const CollectOptions& options,
                                                        bool must_exist) {
    const std::int64_t busy_timeout = options.busy_timeout.seconds;
    if (busy_timeout < 0 || busy_timeout > 3600)
        throw InputError("--busy-timeout: give 0s to 1h");
    return open_database(options.db, must_exist ? Access::existing_read_write : Access::read_write,
                         static_cast<int>(busy_timeout * 1000));
}

namespace {

constexpr std::int64_t kEarliestSample = 946'684'800;  // 2000-01-01T00:00:00Z

// "2h5m", or "more than 7973 years" where a duration would be a row of weeks.
std::string how_far(std::int64_t seconds) {
    constexpr std::int64_t kYear = 31'557'600;  // a Julian year
    if (seconds < kYear)
        return format_duration(seconds);
    const std::int64_t years = seconds / kYear;
    return "more than " + std::to_string(years) + (years == 1 ? " year" : " years");
}

// Refuses a sample whose time cannot be right (docs/operations.md, The clock), before any
// of it is stored. The message names the sample; a source that knows the input's line
// puts file:line before it.
class TimeBounds : public SampleSink {
  public:
    // max_skew 0: no bound ahead.
    TimeBounds(SampleSink& next, std::int64_t now, std::int64_t max_skew, bool allow_before_2000)
        : next_(next), now_(now), max_skew_(max_skew), allow_before_2000_(allow_before_2000) {}
    void add(const Sample& sample) override {
        const std::int64_t t = sample.timestamp;
        // Only for a message: the check itself costs two comparisons a sample.
        const auto named = [&] {
            return "server " + terminal_text(sample.server) + ", scope " +
                   terminal_text(sample.scope) + " at " + format_utc(t);
        };
        if (t < kEarliestSample && !allow_before_2000_) {
            throw InputError(named() + " is before " + format_utc(kEarliestSample) +
                             ", older than any DHCP failover statistics (a clock that was not "
                             "set?); --allow-before-2000 stores it");
        }
        if (max_skew_ > 0 && t > now_ && t - now_ > max_skew_) {
            throw InputError(named() + " is " + how_far(t - now_) + " ahead of this run's clock " +
                             format_utc(now_) + ", more than --max-skew " +
                             format_duration(max_skew_) + ": check the clocks of " +
                             terminal_text(sample.server) +
                             " and of this host (--max-skew off stores it)");
        }
        next_.add(sample);
    }

  private:
    SampleSink& next_;
    std::int64_t now_;
    std::int64_t max_skew_;
    bool allow_before_2000_;
};

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
// ours, or ours is behind (or was ahead when that sample was taken, or the sample was stored
// with a larger --max-skew): `status` shows that sample as the latest until the clock
// catches up (docs/operations.md, The clock). A run cannot add such a sample, but earlier
// runs may have.
void warn_of_skew(SQLite::Database& db, const std::set<std::string>& servers, std::int64_t now,
                  std::int64_t max_skew) {
    if (servers.empty())
        return;  // an empty filter would mean every server
    SeriesFilter filter;
    filter.servers.assign(servers.begin(), servers.end());
    std::vector<ServerNewest> newest;
    {
        ReadTransaction read(db);
        newest = SampleReader(db).newest_by_server(filter);
    }
    for (const auto& [server, last] : newest) {
        if (last - now > max_skew) {
            // As every message shows a name (text.h terminal_text).
            const std::string shown = terminal_text(server);
            std::cerr << "fostat-collect: warning: " << shown << ": newest sample "
                      << format_utc(last) << " is " << format_duration(last - now)
                      << " ahead of this run's clock " << format_utc(now)
                      << " (more than --max-skew " << format_duration(max_skew)
                      << "); check the clocks of " << shown
                      << " and of this host, or remove the sample with fostat-collect delete"
                      << std::endl;
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
            TimeBounds bounds(tally, now, max_skew, options.allow_before_2000);
            collect(now, bounds);
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
    const std::int64_t every = options.every.seconds;
    // simulate's history is made up and ends at --end, which tests set in the future: no
    // bound ahead for it (the 2000 floor holds). --every samples at the tick's time.
    const std::int64_t max_skew =
        (info.source == "simulate" && every == 0) ? 0 : options.max_skew.seconds;
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
