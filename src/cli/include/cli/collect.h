// fostat-collect's subcommands: one file each (collect_<name>.cpp).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/option_values.h"

namespace fostat {

struct CollectOptions {
    std::string db;
    DurationValue every;  // empty: one run
    bool quiet = false;
    DurationValue busy_timeout{"30s"};  // how long to wait for another collector's lock
    DurationValue max_skew{"5m"};       // refuse samples further ahead of the run's clock (0: off)
    bool allow_before_2000 = false;     // store samples dated before 2000-01-01 all the same
    // --remote-write (docs/metrics.md): each run's samples pushed to this URL after it commits.
    struct RemoteWrite {
        std::string url;  // empty: no push
        std::string auth_file;
        std::string bearer_file;
        std::string tls_ca;
        std::string tls_cert;
        std::string tls_key;
        DurationValue timeout{"10s"};  // one request
        DurationValue max_time{"1m"};  // a run's whole push
        int retries = 3;
    } remote_write;
};

// --db, --quiet, --busy-timeout, and for the program and its sources (`sources`) --max-skew,
// --allow-before-2000 and --remote-write with its options; --every only for sources that can be
// collected again and again.
void add_collect_options(CLI::App& app, CollectOptions& options, bool sources = true);
void add_every_option(CLI::App& app, CollectOptions& options);

// Checks an option that names a server or relationship: printable UTF-8 (text.h
// name_problem), so that what the samples are stored under cannot attack a terminal.
CLI::Validator name_validator();

// Each adds its subcommand to `app`, with the common options (add_collect_options), and a
// callback that sets `status` to the exit status.
void setup_simulate(CLI::App& app, CollectOptions& common, int& status);
void setup_import(CLI::App& app, CollectOptions& common, int& status);
void setup_isc(CLI::App& app, CollectOptions& common, int& status);
void setup_isc_log(CLI::App& app, CollectOptions& common, int& status);
void setup_kea(CLI::App& app, CollectOptions& common, int& status);
void setup_windows(CLI::App& app, CollectOptions& common, int& status);
void setup_prune(CLI::App& app, CollectOptions& common, int& status);
void setup_delete(CLI::App& app, CollectOptions& common, int& status);

}  // namespace fostat

#include <cstdint>
#include <functional>
#include <memory>

#include "storage/run_writer.h"

namespace SQLite {
class Database;
class Exception;
}  // namespace SQLite

namespace fostat {

// --db opened for writing, waiting up to --busy-timeout for other programs' locks; created
// unless `must_exist` (prune, delete).
std::unique_ptr<SQLite::Database> open_collect_database(const CollectOptions& options,
                                                        bool must_exist = false);

// One line for the user about an SQLite error on --db: the file, the error, what to do.
std::string database_error(const CollectOptions& options, const SQLite::Exception& e);

// One line per stored run on standard output, unless --quiet.
void report_run(const CollectOptions& options, const RunInfo& info, const RunSummary& summary);

// Runs `collect` once, or with --every once per tick until SIGINT or SIGTERM, each time as
// one run of its own. `collect` gets the tick's time. Returns the exit status: with --every,
// 3 when any run failed (each failure is reported on stderr as it happens).
// Every sample passes the time bounds first (docs/operations.md, The clock): one before
// 2000-01-01 (unless --allow-before-2000) or further ahead of the run's clock than
// --max-skew (not for simulate's made-up history) fails the run with an InputError, which
// a source that knows the input's line prefixes with file:line.
int collect_runs(const CollectOptions& options, const RunInfo& info, OnConflict on_conflict,
                 const std::function<void(std::int64_t now, SampleSink&)>& collect);

}  // namespace fostat
