#include <iomanip>
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
#include "push/remote_write.h"
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
    auto& rw = o.remote_write;
    app.add_option("--remote-write", rw.url,
                   "after each run has committed, push its samples to this Prometheus "
                   "remote-write receiver (http:// or https://), with those an earlier push "
                   "could not send; a failed push is reported and retried by the next run, "
                   "never undoing the stored run")
        ->type_name("URL");
    app.add_option("--remote-write-auth-file", rw.auth_file,
                   "basic authentication for --remote-write: user:password on the file's "
                   "first line (the file readable by its owner only)")
        ->type_name("FILE");
    app.add_option("--remote-write-bearer-file", rw.bearer_file,
                   "a bearer token for --remote-write on the file's first line (read again "
                   "for each request, so it may be rotated)")
        ->type_name("FILE");
    app.add_option("--remote-write-ca", rw.tls_ca,
                   "trust this CA file instead of the system's for an https --remote-write")
        ->type_name("FILE");
    app.add_option("--remote-write-cert", rw.tls_cert,
                   "a client certificate (PEM) for an https --remote-write")
        ->type_name("FILE");
    app.add_option("--remote-write-key", rw.tls_key, "the key of --remote-write-cert (PEM)")
        ->type_name("FILE");
    add_duration_option(app, "--remote-write-timeout", rw.timeout,
                        "give up on one request to --remote-write after DURATION, connecting "
                        "included");
    app.add_option("--remote-write-retries", rw.retries,
                   "attempts after the first of one request, after a failed transfer, a 5xx "
                   "or a 429, waiting 1s, 2s, 4s ... between them")
        ->check(CLI::Range(0, 10))
        ->type_name("N")
        ->capture_default_str();
    add_duration_option(app, "--remote-write-max-time", rw.max_time,
                        "stop a run's push after DURATION, waits included; what is not sent "
                        "waits for the next run");
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

// The samples of a run kept in memory for its push; a run that brings more (an import) is
// read back from storage.
constexpr std::size_t kPushKept = 200'000;

// --remote-write's client, or nullptr without it. Throws InputError for an unusable URL or
// file, before anything is collected.
std::unique_ptr<RemoteWriter> open_remote_write(const CollectOptions& options) {
    const auto& o = options.remote_write;
    if (o.url.empty()) {
        for (const auto& [name, given] :
             {std::pair{"--remote-write-auth-file", !o.auth_file.empty()},
              {"--remote-write-bearer-file", !o.bearer_file.empty()},
              {"--remote-write-ca", !o.tls_ca.empty()},
              {"--remote-write-cert", !o.tls_cert.empty()},
              {"--remote-write-key", !o.tls_key.empty()}}) {
            if (given)
                throw InputError(std::string(name) + ": only with --remote-write URL");
        }
        return nullptr;
    }
    if (o.timeout.seconds <= 0 || o.timeout.seconds > 3600)
        throw InputError("--remote-write-timeout: give 1s to 1h");
    if (o.max_time.seconds <= 0 || o.max_time.seconds > 86400)
        throw InputError("--remote-write-max-time: give 1s to 1d");
    RemoteWriteOptions w;
    w.http.url = o.url;
    w.http.auth_file = o.auth_file;
    w.http.bearer_file = o.bearer_file;
    w.http.tls_ca = o.tls_ca;
    w.http.tls_cert = o.tls_cert;
    w.http.tls_key = o.tls_key;
    w.http.timeout = std::chrono::seconds(o.timeout.seconds);
    w.http.client_cert_hint =
        "the receiver requires a client certificate: give --remote-write-cert and "
        "--remote-write-key";
    w.retries = o.retries;
    w.max_time = std::chrono::seconds(o.max_time.seconds);
    // A collector asked to stop does not wait out a retry.
    w.wait = [](std::chrono::milliseconds pause) {
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(pause).count();
        return sleep_until(unix_now() + seconds);
    };
    try {
        return std::make_unique<RemoteWriter>(std::move(w));
    } catch (const InputError& e) {
        throw InputError(std::string("--remote-write: ") + e.what());
    }
}

// Pushes a stored run (--remote-write) and says how it went. A push that fails is reported
// and left to the next run; the run stays stored, and the exit status is the run's.
void push_run(SQLite::Database& db, const CollectOptions& options, RemoteWriter& writer,
              std::int64_t run_id, const RunCapture& run) {
    try {
        const PushOutcome outcome = writer.push(db, run_id, run);
        if (!outcome.record.message.empty()) {
            std::cerr << "fostat-collect: run " << run_id << ": remote write to "
                      << writer.endpoint() << ": " << outcome.record.message
                      << (outcome.complete ? "" : "; what was not sent goes with the next run")
                      << std::endl;
        }
        if (!options.quiet) {
            std::cout << "run " << run_id << ": " << outcome.record.pushed
                      << " metric samples pushed to " << writer.endpoint() << " (" << outcome.bytes
                      << " bytes, " << std::fixed << std::setprecision(2) << outcome.seconds
                      << " s)" << std::defaultfloat << std::endl;
        }
    } catch (const SQLite::Exception& e) {
        // Before the push, or after it: the marks say this run's samples are not sent yet,
        // unless the database refused even that (then they are left out of later pushes).
        std::cerr << "fostat-collect: run " << run_id << ": remote write to " << writer.endpoint()
                  << ": " << database_error(options, e)
                  << "; the run is stored, and the next push starts from what the database "
                     "says was sent"
                  << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "fostat-collect: run " << run_id << ": remote write to " << writer.endpoint()
                  << ": " << e.what() << "; the run is stored" << std::endl;
    }
}

RunSummary one_run(SQLite::Database& db, const CollectOptions& options, const RunInfo& info,
                   OnConflict on_conflict, std::int64_t max_skew, RemoteWriter* writer,
                   const std::function<void(std::int64_t, SampleSink&)>& collect) {
    const std::int64_t now = unix_now();
    std::optional<RunCapture> capture;  // its samples, for the push
    RunSummary summary;
    try {
        std::set<std::string> servers;
        summary = collect_run(db, info, on_conflict, [&](SampleSink& sink) {
            SampleSink* stored = &sink;
            if (writer != nullptr)
                stored = &capture.emplace(sink, kPushKept);
            ServerTally tally(*stored);
            TimeBounds bounds(tally, now, max_skew, options.allow_before_2000);
            collect(now, bounds);
            servers = tally.servers();
        });
        if (max_skew > 0)
            warn_of_skew(db, servers, now, max_skew);
    } catch (const SQLite::Exception& e) {
        throw StorageError(database_error(options, e));
    }
    report_run(options, info, summary);
    if (writer != nullptr)
        push_run(db, options, *writer, summary.run_id, *capture);
    return summary;
}

}  // namespace

int collect_runs(const CollectOptions& options, const RunInfo& info, OnConflict on_conflict,
                 const std::function<void(std::int64_t, SampleSink&)>& collect) {
    const std::int64_t every = options.every.seconds;
    // simulate's history is made up and ends at --end, which tests set in the future: no
    // bound ahead for it (the 2000 floor holds). --every samples at the tick's time.
    const std::int64_t max_skew =
        (info.source == "simulate" && every == 0) ? 0 : options.max_skew.seconds;
    const std::unique_ptr<RemoteWriter> writer = open_remote_write(options);
    auto db = open_collect_database(options);
    if (every == 0) {
        // A signal kills a single run outright: its transaction is never committed, so it
        // leaves nothing (tests/scripts/faults_kill.sh).
        one_run(*db, options, info, on_conflict, max_skew, writer.get(), collect);
        return kExitOk;
    }
    // A long-lived collector ends between runs, and keeps going after a failed one.
    install_stop_handlers();
    bool any_failed = false;
    for (;;) {
        const std::int64_t started = unix_now();
        try {
            one_run(*db, options, info, on_conflict, max_skew, writer.get(), collect);
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
