// The project's benchmark (docs/design.md § Performance): every figure measured in one run on
// this machine, printed as one table with its target, and the exit status says whether every
// target was met.
//
// Usage: fostat-bench BIN_DIR WORK_DIR
//   BIN_DIR holds fostat-collect and fostat-query (the Release build); WORK_DIR is an empty
//   scratch directory (about 0.5 GB at peak) that the caller removes afterwards.
// fostat-bench --csv FILE SCOPES TICKS writes the benchmark's input alone, for profiling
//   the import by hand (perf record fostat-collect --db x.db import FILE).
// fostat-bench --import BIN_DIR WORK_DIR measures the imports alone (figures 1 to 4).
// fostat-bench --read BIN_DIR WORK_DIR measures the read of one scope alone (figure 5).
// fostat-bench --kea BIN_DIR WORK_DIR measures the kea figure alone.
// fostat-bench --live WORK_DIR measures the live day (figure 13) alone.
// fostat-bench --remote-write WORK_DIR measures --remote-write (its three figures) alone, against
//   Debian's prometheus (tools/lab/prometheus-server).
// fostat-bench --isc BIN_DIR WORK_DIR measures the isc source beside dhcpd-pools (figure 9)
//   alone.
// fostat-bench --analyses BIN_DIR WORK_DIR measures the figures over the analyses' database
//   alone (6, 7, 12 and 14).
// The kea figure starts a real kea-dhcp4 (Kea 2.2, packages kea-dhcp4-server and socat) with
// tools/bench_src/kea_server.sh, on no interface and with its HA peers on loopback; its
// configuration is written, and the server started and stopped, by the lab's
// tools/lab/kea-server.bash, as tools/lab/kea-pair's are.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "analyses/check.h"
#include "analyses/imbalance.h"
#include "analyses/trend.h"
#include "forecast_backtest.h"
#include "formats/byte_source.h"
#include "formats/canonical_csv.h"
#include "formats/metrics.h"
#include "formats/openmetrics.h"
#include "fostat/error.h"
#include "fostat/sample.h"
#include "fostat/sample_sink.h"
#include "fostat/time_text.h"
#include "push/remote_write.h"
#include "sources/simulate.h"
#include "storage/database.h"
#include "storage/head.h"
#include "storage/run_writer.h"
#include "storage/sample_reader.h"

namespace fostat::bench {
namespace {

namespace fs = std::filesystem;

// The estate of figures 1 to 4: 1,000 scopes on a failover pair, 1,000 five-minute ticks.
constexpr int kImportScopes = 1'000;
constexpr int kImportTicks = 1'000;
constexpr std::int64_t kImportSamples = std::int64_t{kImportScopes} * 2 * kImportTicks;
// The memory figure streams four times as many samples through a pipe: no file on disk, and
// the collector's peak memory must not follow the input's size.
constexpr int kStreamImportTicks = kImportTicks * 4;
constexpr std::int64_t kStreamImportSamples = std::int64_t{kImportScopes} * 2 * kStreamImportTicks;
// The database of figure 5: as many samples, but 100,000 of them in each series.
constexpr int kReadScopes = 10;
constexpr int kReadTicks = 100'000;
constexpr std::int64_t kReadSamples = std::int64_t{kReadScopes} * 2 * kReadTicks;
constexpr int kReadRepeats = 5;

constexpr std::int64_t kInterval = 300;
constexpr std::uint64_t kSeed = 20261124;
// Figure 5 reads the first server of the pair: simulate's dhcp1.
const std::string kServer = "dhcp1";

// Targets: docs/design.md § Performance, and the issue that set them.
constexpr double kTargetImportRate = 1'000'000;  // samples/s
constexpr double kTargetImportRatio = 0.7;       // import rate / raw insert-loop rate
constexpr double kTargetBytesPerSample = 24;
constexpr double kTargetRssRatio = 1.2;  // peak RSS at 8M samples / at 2M samples
constexpr double kTargetReadMs = 50;

// The analyses' database (issue 5; 60 days since issue 16): made by simulate, 1,000 scopes x
// 2 servers x 60 days of 5-minute samples, about 34.5 million samples. check and imbalance
// are judged by the samples they read a second over a whole history (issue 16, item 2),
// trend --bucket 1h by its time and peak memory.
// The site report (issue 21): 2,000 scopes of a pair over 30 days, 34.6 M samples.
constexpr int kReportScopes = 2'000;
constexpr int kReportDays = 30;
constexpr double kTargetReportBytes = 5e6;
constexpr double kTargetReportPaintMs = 2'000;
constexpr int kReportPaintRepeats = 3;
constexpr int kAnalysisScopes = 1'000;
constexpr int kAnalysisDays = 60;
constexpr int kAnalysisRepeats = 3;
constexpr double kTargetAnalysisRate = 20e6;  // samples/s
constexpr double kTargetTrendHourSeconds = 2;
constexpr double kTargetTrendHourBytes = 150e6;  // peak resident memory
// Where the build put fostat-collect and fostat-query, for --analyses.
// trend of one scope over one year of 5-minute samples, 1-day buckets.
constexpr int kTrendDays = 365;
constexpr int kTrendRepeats = 5;
// Figure 11: two sets of histories, each from its own first seed.
constexpr std::size_t kBacktestHistories = 60;
constexpr std::array<std::uint64_t, 2> kBacktestSeeds = {1, 10'001};
constexpr double kTargetTrendMs = 20;
// The isc source on a generated journal (tools/isc_gen), beside dhcpd-pools on the same files.
constexpr int kIscSubnets = 4'000;
constexpr int kIscLeases = 600'000;
constexpr double kTargetIscRatio = 0.5;  // at most half dhcpd-pools' time (issue 16, item 3)
// The kea source (issue 7) against a real kea-dhcp4 over its unix control socket, beside the
// same lease4-get-page loop done with socat. No target: information, unless the samples that
// fostat stored are wrong.
constexpr int kKeaSubnets = 100;
constexpr int kKeaLeases = 100'000;
constexpr int kKeaPageSize = 1'000;
constexpr int kKeaRepeats = 3;
const fs::path kKeaServerScript = FOSTAT_KEA_SERVER_SCRIPT;   // tools/bench_src/kea_server.sh
const fs::path kPagePaintScript = FOSTAT_PAGE_PAINT_SCRIPT;   // tools/bench_src/page_paint.py
const fs::path kPrometheusScript = FOSTAT_PROMETHEUS_SCRIPT;  // tools/lab/prometheus-server

// ---------------------------------------------------------------------------------------------
// Helpers: formatting, timing, child processes.

std::string grouped(double value) {
    std::string digits = std::to_string(static_cast<std::int64_t>(value + 0.5));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(i, ",");
    return digits;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string mib(long kib) {
    return fixed(static_cast<double>(kib) / 1024.0, 1) + " MiB";
}

template <class F>
double seconds_of(F&& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void remove_database(const fs::path& path) {
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(path.string() + suffix);
}

struct ChildRun {
    double seconds = 0;
    long max_rss_kib = 0;    // ru_maxrss of the child, which Linux gives in KiB
    double cpu_seconds = 0;  // user + system, the child's and its waited-for children's
};

// Runs a program with stdout sent to /dev/null and waits for it; throws unless it exits 0.
// The child is a plain fork of this driver, and Linux counts the RSS a process had before
// exec in its ru_maxrss: callers spawn while the driver is small (a few MiB), so the figure
// is the program's own.
// With stdin_fd >= 0 the child reads its standard input from it. With `findings_ok`, exit
// statuses 1 and 2 (a query's warning and critical findings, docs/design.md § Exit status)
// count as success.
ChildRun run_child(const std::vector<std::string>& args, int stdin_fd = -1,
                   bool findings_ok = false) {
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ChildRun run;
    int status = 0;
    rusage usage{};
    run.seconds = seconds_of([&] {
        const pid_t pid = fork();
        if (pid < 0)
            throw std::runtime_error("fork failed");
        if (pid == 0) {
            const int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, STDOUT_FILENO);
            if (stdin_fd >= 0)
                dup2(stdin_fd, STDIN_FILENO);
            execv(argv[0], argv.data());
            _exit(127);
        }
        if (wait4(pid, &status, 0, &usage) != pid)
            throw std::runtime_error("wait4 failed");
    });
    if (!WIFEXITED(status) || WEXITSTATUS(status) > (findings_ok ? 2 : 0)) {
        std::string command;
        for (const std::string& a : args)
            command += (command.empty() ? "" : " ") + a;
        throw std::runtime_error(command + ": failed with status " + std::to_string(status));
    }
    run.max_rss_kib = usage.ru_maxrss;
    auto to_seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    run.cpu_seconds = to_seconds(usage.ru_utime) + to_seconds(usage.ru_stime);
    return run;
}

// A raw sqlite3 connection for what SQLiteCpp hides: the baseline loop and file statistics.
class RawDb {
  public:
    explicit RawDb(const fs::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK) {
            fail("open");
        }
    }
    ~RawDb() { sqlite3_close_v2(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    sqlite3* get() { return db_; }
    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            fail(sql);
    }
    std::int64_t integer(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
            fail(sql);
        std::int64_t value = 0;
        if (sqlite3_step(s) == SQLITE_ROW)
            value = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return value;
    }
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error(what + ": " + sqlite3_errmsg(db_));
    }

  private:
    sqlite3* db_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// The data: the product's simulator (src/sources/simulate.cpp, docs/sources/simulate.md).

// A SampleSink that hands each sample to a callable.
template <class F>
class CallbackSink final : public SampleSink {
  public:
    explicit CallbackSink(F& emit) : emit_(emit) {}
    void add(const Sample& sample) override { emit_(sample); }

  private:
    F& emit_;
};

// The estate of the import, read and live figures: simulate's failover pair of `scopes`
// scopes, sampled from `first` to `last`. One tick at a time (simulate_tick), not a
// history: the figures need every scope of both servers at every tick, exactly 2 x scopes
// samples a tick (the counts they divide by), in time order as collectors store them, and
// none of the history's injected gap and broken samples. The model's daily cycle, growth,
// noise and free and in-use splits make the counters drift and add up as a real pair's do,
// so the samples compress as real ones would, no better. The window of the model's growth
// spans [first, last]: outside it the growth extrapolates (down to 0 % in use before it).
class Estate {
  public:
    Estate(int scopes, std::int64_t first, std::int64_t last) {
        options_.seed = kSeed;
        options_.scopes = scopes;
        options_.interval = kInterval;
        options_.end = last;
        options_.days = static_cast<int>((last - first + kDaySeconds - 1) / kDaySeconds);
        options_.days = std::max(options_.days, 1);
    }

    // Calls emit(sample) for both servers' samples of every scope at `timestamp`, which is a
    // multiple of the interval.
    template <class Emit>
    void tick(std::int64_t timestamp, Emit&& emit) const {
        CallbackSink<std::remove_reference_t<Emit>> sink(emit);
        simulate_tick(options_, timestamp, sink);
    }

    // The tick's samples, for a figure that times only what is done with them.
    std::vector<Sample> samples(std::int64_t timestamp) const {
        std::vector<Sample> out;
        out.reserve(2 * static_cast<std::size_t>(options_.scopes));
        tick(timestamp, [&](const Sample& s) { out.push_back(s); });
        return out;
    }

    std::string scope_name(int i) const { return samples(options_.end)[2 * i].scope; }

  private:
    SimulateOptions options_;
};

std::int64_t start_time() {
    return *parse_canonical_timestamp("2026-11-01T00:00:00Z");
}

// Writes the estate's samples, time-major, as canonical CSV with the project's own writer.
void write_estate_csv(const fs::path& path, int scopes, int ticks) {
    std::ofstream out(path, std::ios::binary);
    const TimeFormatter utc;
    std::string buffer;
    append_canonical_header(buffer);
    const Estate estate(scopes, start_time(), start_time() + (ticks - 1) * kInterval);
    for (int t = 0; t < ticks; ++t) {
        estate.tick(start_time() + t * kInterval, [&](const Sample& s) {
            append_canonical_row(buffer, s, utc);
            if (buffer.size() > (1 << 20)) {
                out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                buffer.clear();
            }
        });
    }
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out.flush())
        throw std::runtime_error(path.string() + ": cannot write");
}

// One sample as the baseline stores it, parsed beforehand: ids instead of text.
struct ParsedRow {
    std::int64_t series_id = 0;
    std::int64_t timestamp = 0;
    std::int64_t relationship_id = 0;
    std::array<std::int64_t, kCounterCount> counters{};
    std::uint8_t present = 0;  // bit i: counter i is not NULL
};

struct ParsedCsv {
    std::vector<ParsedRow> rows;
    std::vector<std::pair<std::string, std::string>> series;  // index: series_id - 1
    std::vector<Relationship> relationships;                  // index: relationship_id - 1
};

// Reads a canonical CSV with the project's reader, mapping names to ids as a recorder would.
ParsedCsv parse_csv(const fs::path& path) {
    ParsedCsv parsed;
    std::unordered_map<std::string, std::int64_t> series_ids;
    auto in = open_file_source(path.string());
    CanonicalCsvReader reader(*in, path.string());
    Sample s;
    while (reader.next(s)) {
        ParsedRow row;
        const std::string key = s.server + '\0' + s.scope;
        auto [it, added] = series_ids.try_emplace(key, parsed.series.size() + 1);
        if (added)
            parsed.series.emplace_back(s.server, s.scope);
        row.series_id = it->second;
        auto r =
            std::find(parsed.relationships.begin(), parsed.relationships.end(), s.relationship);
        if (r == parsed.relationships.end()) {
            r = parsed.relationships.insert(parsed.relationships.end(), s.relationship);
        }
        row.relationship_id = r - parsed.relationships.begin() + 1;
        row.timestamp = s.timestamp;
        for (std::size_t i = 0; i < kCounterCount; ++i) {
            if (!s.counters.values[i])
                continue;
            row.counters[i] = static_cast<std::int64_t>(*s.counters.values[i]);
            row.present |= static_cast<std::uint8_t>(1u << i);
        }
        parsed.rows.push_back(row);
    }
    return parsed;
}

std::int64_t stored_samples(const fs::path& db) {
    return RawDb(db).integer(
        "SELECT (SELECT coalesce(sum(samples), 0) FROM chunks) + "
        "(SELECT coalesce(sum(samples), 0) FROM head)");
}

// ---------------------------------------------------------------------------------------------
// The figures, one function each.

enum class Verdict { pass, fail, info };

struct Row {
    std::string figure;
    std::string measured;
    std::string target;
    Verdict verdict = Verdict::info;
};

Verdict check(bool met) {
    return met ? Verdict::pass : Verdict::fail;
}

struct ImportRun {
    double seconds = 0;
    long max_rss_kib = 0;
};

// Figure 1: the real collector importing the file into a fresh database, wall clock.
ImportRun import_csv(const fs::path& bin, const fs::path& csv, const fs::path& db,
                     std::int64_t expected) {
    remove_database(db);
    const ChildRun run =
        run_child({(bin / "fostat-collect").string(), "--db", db.string(), "import", csv.string()});
    if (const std::int64_t stored = stored_samples(db); stored != expected) {
        throw std::runtime_error(db.string() + ": import stored " + std::to_string(stored) +
                                 " samples, expected " + std::to_string(expected));
    }
    return {run.seconds, run.max_rss_kib};
}

// Figure 4's second import: a generator process writes the CSV into a pipe that the
// collector reads as standard input ("import -").
ImportRun import_streamed(const fs::path& bin, const fs::path& db, int ticks,
                          std::int64_t expected) {
    remove_database(db);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t writer = fork();
    if (writer < 0)
        throw std::runtime_error("fork failed");
    if (writer == 0) {
        close(pipe_fds[0]);
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[1]);
        write_estate_csv("/dev/stdout", kImportScopes, ticks);
        _exit(0);
    }
    close(pipe_fds[1]);
    const ChildRun run = run_child(
        {(bin / "fostat-collect").string(), "--db", db.string(), "import", "-"}, pipe_fds[0]);
    close(pipe_fds[0]);
    int status = 0;
    waitpid(writer, &status, 0);
    if (const std::int64_t stored = stored_samples(db); stored != expected) {
        throw std::runtime_error(db.string() + ": streamed import stored " +
                                 std::to_string(stored) + " samples, expected " +
                                 std::to_string(expected));
    }
    return {run.seconds, run.max_rss_kib};
}

Row import_rate_row(const ImportRun& run) {
    const double rate = static_cast<double>(kImportSamples) / run.seconds;
    return {"import " + grouped(kImportSamples) + " samples (fostat-collect import, wall)",
            grouped(rate) + " samples/s (" + fixed(run.seconds, 2) + " s)",
            ">= " + grouped(kTargetImportRate) + " samples/s", check(rate >= kTargetImportRate)};
}

// Figure 2, the baseline. What a naive recorder would do with the same rows: one prepared
// INSERT per sample into a plain one-row-per-sample table, in one transaction, with the
// collector's pragmas (WAL, synchronous=NORMAL). The issue that set the import target asks
// for >= 0.7 x "a raw SQLite prepared-insert loop of the same rows", so this loop is that
// yardstick. It is a strict one: the rows are parsed into memory beforehand (untimed), names
// are already ids, and the table has no index, so the loop pays for nothing but SQLite's own
// insert path. Timed from open to close, as the collector's run is (close checkpoints WAL).
double raw_insert_loop(const ParsedCsv& parsed, const fs::path& path) {
    remove_database(path);
    return seconds_of([&] {
        RawDb db(path);
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA foreign_keys = ON");
        db.exec(
            "CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, "
            "num_addr INTEGER, addr_free INTEGER, addr_in_use INTEGER, "
            "partner_addr_free INTEGER, this_addr_free INTEGER, partner_addr_in_use INTEGER, "
            "this_addr_in_use INTEGER, relationship_id INTEGER NOT NULL)");
        db.exec("BEGIN IMMEDIATE");
        sqlite3_stmt* insert = nullptr;
        if (sqlite3_prepare_v2(db.get(), "INSERT INTO samples VALUES (?,?,?,?,?,?,?,?,?,?)", -1,
                               &insert, nullptr) != SQLITE_OK) {
            db.fail("prepare");
        }
        for (const ParsedRow& row : parsed.rows) {
            sqlite3_bind_int64(insert, 1, row.series_id);
            sqlite3_bind_int64(insert, 2, row.timestamp);
            for (std::size_t i = 0; i < kCounterCount; ++i) {
                const int at = static_cast<int>(3 + i);
                if (row.present & (1u << i)) {
                    sqlite3_bind_int64(insert, at, row.counters[i]);
                } else {
                    sqlite3_bind_null(insert, at);
                }
            }
            sqlite3_bind_int64(insert, 10, row.relationship_id);
            if (sqlite3_step(insert) != SQLITE_DONE)
                db.fail("insert");
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
        db.exec("COMMIT");
    });
}

std::vector<Row> baseline_rows(const ImportRun& import, double baseline_seconds) {
    const double import_rate = static_cast<double>(kImportSamples) / import.seconds;
    const double baseline_rate = static_cast<double>(kImportSamples) / baseline_seconds;
    const double ratio = import_rate / baseline_rate;
    return {
        {"baseline: raw SQLite prepared-insert loop, same rows",
         grouped(baseline_rate) + " rows/s (" + fixed(baseline_seconds, 2) + " s)",
         "(the baseline)", Verdict::info},
        {"import rate / baseline rate", fixed(ratio, 2), ">= " + fixed(kTargetImportRatio, 2),
         check(ratio >= kTargetImportRatio)},
    };
}

// Second baseline line, for information: the same parsed rows through RunWriter into the
// chunks layout, in process. Against the import it shows what the CSV reading and the process
// cost; against the raw loop, what the chunk encoding costs or saves.
double run_writer_loop(const ParsedCsv& parsed, const fs::path& path) {
    remove_database(path);
    return seconds_of([&] {
        auto db = open_database(path.string(), Access::read_write);
        RunWriter writer(*db, RunInfo{"bench", ""}, OnConflict::fail);
        Sample s;
        for (const ParsedRow& row : parsed.rows) {
            const auto& [server, scope] = parsed.series[row.series_id - 1];
            s.server = server;
            s.scope = scope;
            s.relationship = parsed.relationships[row.relationship_id - 1];
            s.timestamp = row.timestamp;
            for (std::size_t i = 0; i < kCounterCount; ++i) {
                if (row.present & (1u << i)) {
                    s.counters.values[i] = static_cast<std::uint64_t>(row.counters[i]);
                } else {
                    s.counters.values[i].reset();
                }
            }
            writer.add(s);
        }
        writer.commit();
    });
}

Row run_writer_row(double seconds) {
    const double rate = static_cast<double>(kImportSamples) / seconds;
    return {"storage only: RunWriter::add of the parsed rows (chunks)",
            grouped(rate) + " samples/s (" + fixed(seconds, 2) + " s)", "(information)",
            Verdict::info};
}

// Figure 3: the database file after the import, its WAL checkpointed into it.
std::vector<Row> bytes_per_sample_rows(const fs::path& import_db, const fs::path& baseline_db) {
    auto file_bytes = [](const fs::path& path, std::int64_t& free_pages, std::int64_t& page) {
        RawDb db(path);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        page = db.integer("PRAGMA page_size");
        free_pages = db.integer("PRAGMA freelist_count");
        return db.integer("PRAGMA page_count") * page;
    };
    std::int64_t free_pages = 0;
    std::int64_t page = 0;
    const std::int64_t bytes = file_bytes(import_db, free_pages, page);
    const double per_sample = static_cast<double>(bytes) / static_cast<double>(kImportSamples);
    std::int64_t baseline_free = 0;
    std::int64_t baseline_page = 0;
    const std::int64_t baseline_bytes = file_bytes(baseline_db, baseline_free, baseline_page);
    return {
        {"bytes per stored sample (page_count x page_size / samples)",
         fixed(per_sample, 1) + " B (" + mib(bytes / 1024) + ", " + grouped(free_pages) +
             " free pages)",
         "<= " + fixed(kTargetBytesPerSample, 0) + " B",
         check(per_sample <= kTargetBytesPerSample)},
        {"bytes per sample in the baseline's plain table",
         fixed(static_cast<double>(baseline_bytes) / static_cast<double>(kImportSamples), 1) +
             " B (" + mib(baseline_bytes / 1024) + ")",
         "(information)", Verdict::info},
    };
}

// Figure 4: peak resident memory of the import at two input sizes; streaming keeps it flat.
std::vector<Row> memory_rows(const ImportRun& large, const ImportRun& streamed) {
    const double ratio =
        static_cast<double>(streamed.max_rss_kib) / static_cast<double>(large.max_rss_kib);
    return {
        {"peak RSS of the import, " + grouped(kImportSamples) + " samples", mib(large.max_rss_kib),
         "(information)", Verdict::info},
        {"peak RSS of the import, " + grouped(kStreamImportSamples) + " samples from a pipe",
         mib(streamed.max_rss_kib), "(information)", Verdict::info},
        {"peak RSS ratio, " + grouped(kStreamImportSamples) + " / " + grouped(kImportSamples),
         fixed(ratio, 2), "<= " + fixed(kTargetRssRatio, 1), check(ratio <= kTargetRssRatio)},
    };
}

// Figure 5's database: 20 series of 100,000 five-minute samples, 2,000,000 in all, written
// through RunWriter in time order as a collector would have over a year.
void build_read_database(const fs::path& path, const Estate& estate) {
    remove_database(path);
    auto db = open_database(path.string(), Access::read_write);
    RunWriter writer(*db, RunInfo{"bench", ""}, OnConflict::fail);
    for (int t = 0; t < kReadTicks; ++t) {
        estate.tick(start_time() + t * kInterval, [&](const Sample& s) { writer.add(s); });
    }
    writer.commit();
}

// Figure 5: one scope on one server read back through SampleReader, as every analysis does.
Row sample_reader_row(const fs::path& path, const std::string& scope) {
    auto db = open_database(path.string(), Access::read_only);
    SeriesFilter filter;
    filter.servers = {kServer};
    filter.scopes = {scope};
    std::vector<double> runs;
    for (int i = 0; i < kReadRepeats; ++i) {
        std::int64_t count = 0;
        std::uint64_t checksum = 0;
        runs.push_back(seconds_of([&] {
            SampleReader reader(*db);
            for (const Series& series : reader.series(filter)) {
                reader.for_each(series, filter, [&](const Sample& s) {
                    ++count;
                    checksum += s.counters[Counter::addr_in_use].value_or(0);
                });
            }
        }));
        if (count != kReadTicks || checksum == 0) {
            throw std::runtime_error("SampleReader read " + std::to_string(count) + " samples of " +
                                     scope + ", expected " + std::to_string(kReadTicks));
        }
    }
    const double ms = median(runs) * 1000;
    return {"read one scope's " + grouped(kReadTicks) + " samples of " + grouped(kReadSamples) +
                " (SampleReader, median of " + std::to_string(kReadRepeats) + ")",
            fixed(ms, 1) + " ms", "<= " + fixed(kTargetReadMs, 0) + " ms",
            check(ms <= kTargetReadMs)};
}

// Figure 5 as a user sees it: the whole fostat-query command, process start to exit.
Row query_command_row(const fs::path& bin, const fs::path& path, const std::string& scope) {
    std::vector<std::string> args = {(bin / "fostat-query").string(),
                                     "--db",
                                     path.string(),
                                     "samples",
                                     "--scope",
                                     scope,
                                     "--server",
                                     kServer,
                                     "--format",
                                     "csv",
                                     "-o",
                                     "/dev/null"};
    std::vector<double> runs;
    for (int i = 0; i < kReadRepeats; ++i)
        runs.push_back(run_child(args).seconds);
    return {"fostat-query samples --format csv of that scope (median of " +
                std::to_string(kReadRepeats) + ")",
            fixed(median(runs) * 1000, 1) + " ms", "(information)", Verdict::info};
}

// Figure 12: `fostat-query scopes` over the analyses' database, the whole command (median
// of 3): counted from the chunks' columns, it reads no sample but each series' last.
Row scopes_row(const fs::path& bin, const fs::path& path, std::int64_t samples) {
    const std::vector<std::string> args = {
        (bin / "fostat-query").string(), "--db", path.string(), "scopes", "-o", "/dev/null"};
    std::vector<double> runs;
    for (int i = 0; i < 3; ++i)
        runs.push_back(run_child(args).seconds);
    return {"fostat-query scopes over " + grouped(static_cast<double>(samples)) +
                " samples (median of 3)",
            fixed(median(runs), 2) + " s", "< 0.5 s at 35 M samples",
            check(median(runs) * 35e6 / static_cast<double>(samples) < 0.5)};
}

// ---------------------------------------------------------------------------------------------
// Figures 6 and 7: check and imbalance over the analyses' database, each beside a plain SQL
// query over the same rows in a one-row-per-sample table (what a naive recorder could ask
// its database), as a ratio.

void simulate_database(const fs::path& bin, const fs::path& db, int scopes, int days) {
    remove_database(db);
    run_child({(bin / "fostat-collect").string(), "--db", db.string(), "-q", "simulate", "--scopes",
               std::to_string(scopes), "--days", std::to_string(days), "--seed", "1", "--end",
               "2026-11-24T00:00:00Z"});
}

// Copies every stored sample into a plain table of one row per sample; returns the rows.
std::int64_t copy_to_plain_table(const fs::path& from, const fs::path& to) {
    remove_database(to);
    auto db = open_database(from.string(), Access::read_only);
    SampleReader reader(*db);
    RawDb plain(to);
    plain.exec("PRAGMA journal_mode = WAL");
    plain.exec("PRAGMA synchronous = NORMAL");
    plain.exec(
        "CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, "
        "num_addr INTEGER, addr_free INTEGER, addr_in_use INTEGER, partner_addr_free INTEGER, "
        "this_addr_free INTEGER, partner_addr_in_use INTEGER, this_addr_in_use INTEGER, "
        "expected_share REAL NOT NULL, state TEXT NOT NULL)");
    plain.exec("BEGIN");
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(plain.get(), "INSERT INTO samples VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1,
                           &insert, nullptr) != SQLITE_OK) {
        plain.fail("prepare");
    }
    std::int64_t rows = 0;
    for (const Series& series : reader.series({})) {
        for (const Point& p : reader.points(series, {})) {
            sqlite3_bind_int64(insert, 1, series.id);
            sqlite3_bind_int64(insert, 2, p.timestamp);
            for (std::size_t i = 0; i < kCounterCount; ++i) {
                const int at = static_cast<int>(3 + i);
                if (const auto& v = p.counters.values[i]) {
                    sqlite3_bind_int64(insert, at, static_cast<sqlite3_int64>(*v));
                } else {
                    sqlite3_bind_null(insert, at);
                }
            }
            sqlite3_bind_double(insert, 10, p.relationship->expected_share);
            sqlite3_bind_text(insert, 11, to_string(p.relationship->state).data(), -1,
                              SQLITE_STATIC);
            if (sqlite3_step(insert) != SQLITE_DONE)
                plain.fail("insert");
            sqlite3_reset(insert);
            ++rows;
        }
    }
    sqlite3_finalize(insert);
    plain.exec("COMMIT");
    return rows;
}

template <class F>
double median_seconds(F&& work) {
    std::vector<double> runs;
    for (int i = 0; i < kAnalysisRepeats; ++i)
        runs.push_back(seconds_of(work));
    return median(runs);
}

double plain_query_seconds(const fs::path& plain, const char* sql, std::int64_t& answer) {
    RawDb db(plain);
    return median_seconds([&] { answer = db.integer(sql); });
}

std::vector<Row> analysis_rows(const std::string& name, std::int64_t samples, double seconds,
                               const std::string& plain_name, double plain_seconds) {
    const double rate = static_cast<double>(samples) / seconds;
    return {
        {name + " over " + grouped(static_cast<double>(samples)) + " samples (median of " +
             std::to_string(kAnalysisRepeats) + ")",
         fixed(seconds, 2) + " s, " + fixed(rate / 1e6, 1) + " M samples/s",
         ">= " + fixed(kTargetAnalysisRate / 1e6, 0) + " M samples/s",
         check(rate >= kTargetAnalysisRate)},
        {"plain SQL over the same rows: " + plain_name, fixed(plain_seconds, 2) + " s",
         "(the baseline)", Verdict::info},
        {name + " / plain SQL", fixed(seconds / plain_seconds, 2), "(information)", Verdict::info},
    };
}

std::vector<Row> check_and_imbalance_rows(const fs::path& db_path, const fs::path& plain) {
    auto db = open_database(db_path.string(), Access::read_only);
    std::int64_t checked = 0;
    const double check_seconds = median_seconds([&] {
        SampleReader reader(*db);
        checked = check_invariants(reader, {}, CheckOptions{}).samples;
    });
    std::int64_t judged = 0;
    const double imbalance_seconds = median_seconds([&] {
        SampleReader reader(*db);
        judged = find_imbalance(reader, {}, ImbalanceOptions{}).samples;
    });
    std::int64_t sum_total = 0;
    const double sum_total_seconds = plain_query_seconds(
        plain, "SELECT count(*) FROM samples WHERE addr_free + addr_in_use <> num_addr", sum_total);
    std::int64_t short_samples = 0;
    const double short_seconds =
        plain_query_seconds(plain,
                            "SELECT count(*) FROM samples WHERE addr_free >= 10 AND "
                            "this_addr_free * 100.0 / addr_free < expected_share - 10",
                            short_samples);
    if (sum_total == 0 || short_samples == 0)
        throw std::runtime_error("the plain queries found nothing: the data is not the simulation");
    std::vector<Row> rows = analysis_rows("check (every rule)", checked, check_seconds,
                                          "sum-total as one SELECT", sum_total_seconds);
    for (Row& r : analysis_rows("imbalance", judged, imbalance_seconds,
                                "samples short of their free share, one SELECT", short_seconds)) {
        rows.push_back(std::move(r));
    }
    return rows;
}

// Figure 14: `fostat-query trend --bucket 1h` over the analyses' database, the whole command
// (median of 3), and its peak resident memory (the child's ru_maxrss, the largest of the 3).
Row trend_hourly_row(const fs::path& bin, const fs::path& path) {
    const std::vector<std::string> args = {(bin / "fostat-query").string(),
                                           "--db",
                                           path.string(),
                                           "trend",
                                           "--bucket",
                                           "1h",
                                           "-o",
                                           "/dev/null"};
    std::vector<double> runs;
    long rss = 0;
    for (int i = 0; i < 3; ++i) {
        const ChildRun run = run_child(args, -1, true);  // its forecasts may warn
        runs.push_back(run.seconds);
        rss = std::max(rss, run.max_rss_kib);
    }
    const double seconds = median(runs);
    const double bytes = static_cast<double>(rss) * 1024;
    return {"fostat-query trend --bucket 1h over " + grouped(kAnalysisScopes) + " scopes x " +
                std::to_string(kAnalysisDays) + " days (median of 3; peak RSS)",
            fixed(seconds, 2) + " s, " + mib(rss),
            "< " + fixed(kTargetTrendHourSeconds, 0) + " s, < " +
                fixed(kTargetTrendHourBytes / 1e6, 0) + " MB",
            check(seconds < kTargetTrendHourSeconds && bytes < kTargetTrendHourBytes)};
}

// Figures 6, 7, 12 and 14, over one analyses' database, removed afterwards.
std::vector<Row> analyses_rows(const fs::path& bin, const fs::path& work) {
    const fs::path analysis_db = work / "analysis.db";
    const fs::path plain_db = work / "analysis-plain.db";
    simulate_database(bin, analysis_db, kAnalysisScopes, kAnalysisDays);
    copy_to_plain_table(analysis_db, plain_db);
    std::vector<Row> rows = check_and_imbalance_rows(analysis_db, plain_db);
    remove_database(plain_db);
    rows.push_back(scopes_row(bin, analysis_db, stored_samples(analysis_db)));
    rows.push_back(trend_hourly_row(bin, analysis_db));
    remove_database(analysis_db);
    return rows;
}

// The report's figures: `fostat-query report` of a 2,000-scope site over 30 days (the
// command's time, the page's size), and the page in Debian's headless chromium (first
// contentful paint, load). Beside them, as the baseline, the least page of the same scopes:
// status's rows as a plain HTML table, no script, no SVG (its size, paint and load).
std::string html_text(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '<')
            out += "&lt;";
        else if (c == '&')
            out += "&amp;";
        else
            out.push_back(c);
    }
    return out;
}

// status --format csv as a plain table: one <tr> per line, one cell per field.
void write_plain_table_page(const fs::path& csv, const fs::path& page) {
    std::ifstream in(csv);
    std::ofstream out(page);
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>status"
           "</title></head>\n<body>\n<table>\n<tbody>\n";
    std::string line;
    while (std::getline(in, line)) {
        out << "<tr>";
        std::size_t start = 0;
        for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos;
             start = comma + 1) {
            out << "<td>" << html_text(std::string_view(line).substr(start, comma - start));
        }
        out << "<td>" << html_text(std::string_view(line).substr(start)) << "</tr>\n";
    }
    out << "</tbody>\n</table>\n</body>\n</html>\n";
}

struct PagePaint {
    double paint_ms = 0;
    double load_ms = 0;
};

// The pages in chromium (page_paint.py), in the order given.
std::vector<PagePaint> page_paints(const fs::path& work, const std::vector<fs::path>& pages) {
    const fs::path out = work / "paint.out";
    std::vector<std::string> args = {"/usr/bin/python3", kPagePaintScript.string(),
                                     std::to_string(kReportPaintRepeats), out.string()};
    for (const fs::path& p : pages)
        args.push_back(p.string());
    run_child(args);
    std::ifstream in(out);
    std::vector<PagePaint> paints;
    PagePaint p;
    long rows = 0;
    while (in >> p.paint_ms >> p.load_ms >> rows)
        paints.push_back(p);
    if (paints.size() != pages.size())
        throw std::runtime_error(out.string() + ": expected a line per page");
    return paints;
}

std::vector<Row> report_rows(const fs::path& bin, const fs::path& work) {
    const fs::path db = work / "report.db";
    simulate_database(bin, db, kReportScopes, kReportDays);
    const fs::path page = work / "report.html";
    const ChildRun report = run_child(
        {(bin / "fostat-query").string(), "--db", db.string(), "report", "-o", page.string()}, -1,
        /*findings_ok=*/true);
    const fs::path csv = work / "status.csv";
    const fs::path plain = work / "status.html";
    run_child({(bin / "fostat-query").string(), "--db", db.string(), "status", "--format", "csv",
               "-o", csv.string()},
              -1, /*findings_ok=*/true);
    write_plain_table_page(csv, plain);
    const std::vector<PagePaint> paints = page_paints(work, {page, plain});
    const auto bytes = static_cast<double>(fs::file_size(page));
    const auto plain_bytes = static_cast<double>(fs::file_size(plain));
    const std::string site = grouped(kReportScopes) + " scopes, " + std::to_string(kReportDays) +
                             " days, " + grouped(static_cast<double>(stored_samples(db))) +
                             " samples";
    remove_database(db);
    return {
        {"report of " + site + ": fostat-query report, wall; peak RSS",
         fixed(report.seconds, 2) + " s; " + mib(report.max_rss_kib), "(information)",
         Verdict::info},
        {"report: the page's size (baseline: status as a plain HTML table)",
         fixed(bytes / 1e6, 2) + " MB (" + fixed(plain_bytes / 1e6, 2) + " MB)",
         "< " + fixed(kTargetReportBytes / 1e6, 0) + " MB", check(bytes < kTargetReportBytes)},
        {"report in headless chromium: first contentful paint; load (median of " +
             std::to_string(kReportPaintRepeats) + "; baseline: the plain table)",
         fixed(paints[0].paint_ms, 0) + " ms; " + fixed(paints[0].load_ms, 0) + " ms (" +
             fixed(paints[1].paint_ms, 0) + " ms; " + fixed(paints[1].load_ms, 0) + " ms)",
         "paint < " + fixed(kTargetReportPaintMs / 1e3, 0) + " s",
         check(paints[0].paint_ms < kTargetReportPaintMs)},
    };
}

// Figure 8: trend of one scope over a year of simulate's 5-minute samples, daily buckets,
// in process (as fostat-query runs it once the database is open).
Row trend_row(const fs::path& bin, const fs::path& db_path) {
    simulate_database(bin, db_path, 1, kTrendDays);
    auto db = open_database(db_path.string(), Access::read_only);
    SeriesFilter filter;
    filter.scopes = {"10.0.0.0/24"};
    TrendOptions options;
    options.bucket = kDaySeconds;
    std::vector<double> runs;
    std::size_t buckets = 0;
    for (int i = 0; i < kTrendRepeats; ++i) {
        runs.push_back(seconds_of([&] {
            const TrendResult result = trend(*db, filter, options);
            buckets = result.lines.empty()
                          ? 0
                          : static_cast<std::size_t>(result.lines.front().bucket_count);
        }));
    }
    if (buckets < kTrendDays)
        throw std::runtime_error("trend gave " + std::to_string(buckets) + " daily buckets");
    const double ms = median(runs) * 1000;
    return {"trend of one scope, " + std::to_string(kTrendDays) +
                " days of 5-minute samples, 1d buckets (median of " +
                std::to_string(kTrendRepeats) + ")",
            fixed(ms, 1) + " ms", "< " + fixed(kTargetTrendMs, 0) + " ms",
            check(ms < kTargetTrendMs)};
}

// Figure 11: the forecast backtested (tests/forecast_backtest.h) on two sets of histories
// with known exhaustion, five-minute samples, beside the mean line trend used before: the
// median and 90th percentile of |error| in days of the central date, and how many forecasts
// come later than the truth, and later than max(1 day, 10 % of the lead)
// (docs/design.md § Performance, forecast); the latter judged on the earliest likely date,
// the one to act on.
std::vector<Row> backtest_rows(const fs::path& work) {
    std::vector<Row> rows;
    const fs::path dir = work / "backtest";
    fs::create_directories(dir);
    using backtest::Outcome;
    int set = 0;
    for (const std::uint64_t first_seed : {kBacktestSeeds[0], kBacktestSeeds[1]}) {
        ++set;
        std::vector<Outcome> outcomes;
        for (std::uint64_t seed = first_seed; outcomes.size() < kBacktestHistories; ++seed) {
            if (const auto h = backtest::make_history(seed, 300))
                outcomes.push_back(backtest::run(*h, dir.string()));
        }
        const backtest::Figures central = backtest::figures(outcomes, &Outcome::central);
        const backtest::Figures earliest = backtest::figures(outcomes, &Outcome::earliest);
        const backtest::Figures before = backtest::figures(outcomes, &Outcome::mean_line);
        const std::string name = "forecast backtest, set " + std::to_string(set) + " (" +
                                 std::to_string(central.forecasts) + " histories, seeds from " +
                                 std::to_string(first_seed) + ")";
        const auto percent = [](double share) { return fixed(100 * share, 0) + " %"; };
        rows.push_back({name + ": |error| of the central date, median and p90",
                        fixed(central.median, 2) + " d, " + fixed(central.p90, 1) + " d",
                        "median <= 1 d; mean line " + fixed(before.median, 1) + " d, " +
                            fixed(before.p90, 1) + " d",
                        check(central.median <= 1.0)});
        rows.push_back({name + ": later than the truth (central / earliest likely)",
                        percent(central.late_share) + " / " + percent(earliest.late_share),
                        "mean line " + percent(before.late_share), Verdict::info});
        rows.push_back({name + ": later than max(1 d, 10 % of the lead) (central / earliest)",
                        std::to_string(central.late_beyond) + " / " +
                            std::to_string(earliest.late_beyond) + " (latest " +
                            fixed(central.worst_late, 1) + " / " + fixed(earliest.worst_late, 1) +
                            " d)",
                        "earliest: none; mean line " + std::to_string(before.late_beyond),
                        check(earliest.late_beyond == 0)});
    }
    fs::remove_all(dir);
    return rows;
}

// Figure 9: fostat-collect isc (parse, count, store) against dhcpd-pools -f c on one
// generated 4,000-subnet, 600,000-record journal, both as child processes, median of 3.
std::vector<Row> isc_rows(const fs::path& bin, const fs::path& work) {
    const fs::path dir = work / "isc";
    fs::create_directories(dir);
    run_child({(bin / "tools/isc_gen/fostat-isc-gen").string(), dir.string(),
               std::to_string(kIscSubnets), std::to_string(kIscLeases), "1"});
    const std::string conf = (dir / "dhcpd.conf").string();
    const std::string leases = (dir / "dhcpd.leases").string();
    const double megabytes = static_cast<double>(fs::file_size(leases)) / 1e6;
    std::vector<double> ours, theirs;
    long rss = 0;
    for (int i = 0; i < 3; ++i) {
        const fs::path db = dir / "isc.db";
        remove_database(db);
        const ChildRun run =
            run_child({(bin / "fostat-collect").string(), "--db", db.string(), "-q", "isc",
                       "--config", conf, "--leases", leases, "--server", "bench"});
        ours.push_back(run.seconds);
        rss = std::max(rss, run.max_rss_kib);
        if (stored_samples(db) != kIscSubnets)
            throw std::runtime_error("fostat-collect isc stored the wrong number of samples");
        theirs.push_back(run_child({"/usr/bin/dhcpd-pools", "-c", conf, "-l", leases, "-f", "c",
                                    "-o", (dir / "dhcpd-pools.csv").string()})
                             .seconds);
    }
    const double ratio = median(ours) / median(theirs);
    return {
        {"fostat-collect isc, " + grouped(kIscSubnets) + " subnets, " + grouped(kIscLeases) +
             " records (" + fixed(megabytes, 0) + " MB), median of 3",
         fixed(median(ours), 2) + " s, peak RSS " + mib(rss), "(information)", Verdict::info},
        {"dhcpd-pools -f c on the same files (the baseline)", fixed(median(theirs), 2) + " s",
         "(the baseline)", Verdict::info},
        {"fostat-collect isc / dhcpd-pools", fixed(ratio, 2), "<= " + fixed(kTargetIscRatio, 1),
         check(ratio <= kTargetIscRatio)},
    };
}

// ---------------------------------------------------------------------------------------------
// Figure 10: fostat-collect kea against a real kea-dhcp4 holding 100 subnets and 100,000
// leases (load-balancing, pools of classes HA_server1/HA_server2, so the collector reads every
// lease with lease4-get-page), beside the same page loop done with socat from bash. Both are
// child processes, median of 3; kea-dhcp4's own CPU time during each run (from /proc) shows
// how the wall clock splits between the server building its JSON and the client.

// The kea-dhcp4 of kea_server.sh, stopped when this goes out of scope whatever happened.
class KeaServer {
  public:
    explicit KeaServer(const fs::path& dir) : dir_(dir) {}
    ~KeaServer() {
        try {
            run_child({kKeaServerScript.string(), "stop", dir_.string()});  // idempotent
        } catch (const std::exception& e) {
            std::cerr << "fostat-bench: " << e.what() << '\n';
        }
    }
    KeaServer(const KeaServer&) = delete;
    KeaServer& operator=(const KeaServer&) = delete;

    // Generates the configuration and the leases, starts kea-dhcp4, waits until it is ready.
    void start() {
        run_child({kKeaServerScript.string(), "start", dir_.string(), std::to_string(kKeaSubnets),
                   std::to_string(kKeaLeases)});
        std::ifstream pid_file(dir_ / "kea.pid");
        if (!(pid_file >> pid_))
            throw std::runtime_error((dir_ / "kea.pid").string() + ": no pid");
    }

    fs::path socket() const { return dir_ / "kea.sock"; }

    // What fostat should report: kea_server.sh's DIR/expected, key=value lines.
    std::int64_t expected(const std::string& key) const {
        std::ifstream in(dir_ / "expected");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind(key + "=", 0) == 0)
                return std::stoll(line.substr(key.size() + 1));
        }
        throw std::runtime_error((dir_ / "expected").string() + ": no " + key);
    }

    // kea-dhcp4's user + system CPU time so far (/proc/PID/stat fields 14 and 15).
    double cpu_seconds() const {
        std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::size_t after_name = text.rfind(')');
        if (after_name == std::string::npos)
            throw std::runtime_error("kea-dhcp4 (pid " + std::to_string(pid_) + ") is gone");
        std::istringstream fields(text.substr(after_name + 2));
        std::string field;
        long utime = 0, stime = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state
            if (i == 14)
                utime = std::stol(field);
            if (i == 15)
                stime = std::stol(field);
        }
        return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }

  private:
    fs::path dir_;
    long pid_ = 0;
};

struct KeaTotals {
    std::int64_t samples = 0;
    std::int64_t in_use = 0;
    std::int64_t this_in_use = 0;
    std::int64_t without_split = 0;  // samples whose this/partner in-use split is NULL
};

KeaTotals kea_totals(const fs::path& path) {
    auto db = open_database(path.string(), Access::read_only);
    SampleReader reader(*db);
    KeaTotals totals;
    for (const Series& series : reader.series({})) {
        reader.for_each(series, {}, [&](const Sample& s) {
            ++totals.samples;
            totals.in_use +=
                static_cast<std::int64_t>(s.counters[Counter::addr_in_use].value_or(0));
            const auto& mine = s.counters[Counter::this_addr_in_use];
            const auto& partner = s.counters[Counter::partner_addr_in_use];
            if (mine && partner)
                totals.this_in_use += static_cast<std::int64_t>(*mine);
            else
                ++totals.without_split;
        });
    }
    return totals;
}

struct KeaRun {
    ChildRun child;
    double server_cpu_seconds = 0;
};

template <class F>
KeaRun kea_timed(const KeaServer& server, F&& run) {
    const double before = server.cpu_seconds();
    KeaRun r;
    r.child = run();
    r.server_cpu_seconds = server.cpu_seconds() - before;
    return r;
}

// The run whose wall clock is the median, so that its CPU figures go with it.
const KeaRun& median_run(std::vector<KeaRun>& runs) {
    std::sort(runs.begin(), runs.end(),
              [](const KeaRun& a, const KeaRun& b) { return a.child.seconds < b.child.seconds; });
    return runs[runs.size() / 2];
}

std::vector<Row> kea_rows(const fs::path& bin, const fs::path& work) {
    const fs::path dir = work / "kea";
    const std::string setup = grouped(kKeaSubnets) + " subnets, " + grouped(kKeaLeases) +
                              " leases, pages of " + grouped(kKeaPageSize);
    try {
        fs::create_directories(dir);
        KeaServer server(dir);
        server.start();
        const std::int64_t pages = kKeaLeases / kKeaPageSize + 1;  // the last one says result 3
        std::vector<KeaRun> ours, theirs;
        long rss = 0;
        std::string wrong;
        KeaTotals totals;
        const KeaTotals want{server.expected("subnets"), server.expected("in_use"),
                             server.expected("this_in_use"), 0};
        for (int i = 0; i < kKeaRepeats; ++i) {
            const fs::path db = dir / "kea.db";
            remove_database(db);
            KeaRun run = kea_timed(server, [&] {
                return run_child({(bin / "fostat-collect").string(), "--db", db.string(), "-q",
                                  "kea", "--socket", server.socket().string(), "--page-size",
                                  std::to_string(kKeaPageSize)});
            });
            rss = std::max(rss, run.child.max_rss_kib);
            ours.push_back(run);
            totals = kea_totals(db);
            if (wrong.empty() &&
                (totals.samples != want.samples || totals.in_use != want.in_use ||
                 totals.this_in_use != want.this_in_use || totals.without_split != 0)) {
                wrong = "run " + std::to_string(i + 1) + ": " + std::to_string(totals.samples) +
                        " samples, in use " + grouped(static_cast<double>(totals.in_use)) +
                        ", this server's " + grouped(static_cast<double>(totals.this_in_use)) +
                        ", " + std::to_string(totals.without_split) + " without a split";
            }
            const fs::path count = dir / "socat-count";
            fs::remove(count);
            theirs.push_back(kea_timed(server, [&] {
                return run_child({kKeaServerScript.string(), "pages", server.socket().string(),
                                  std::to_string(kKeaPageSize), count.string()});
            }));
            std::ifstream in(count);
            std::int64_t read = 0;
            if (!(in >> read) || read != kKeaLeases) {
                throw std::runtime_error("the socat loop read " + std::to_string(read) +
                                         " leases, expected " + std::to_string(kKeaLeases));
            }
        }
        const KeaRun& a = median_run(ours);
        const KeaRun& b = median_run(theirs);
        const std::string expected_text = std::to_string(want.samples) + " samples, in use " +
                                          grouped(static_cast<double>(want.in_use)) +
                                          " (this server's " +
                                          grouped(static_cast<double>(want.this_in_use)) + ")";
        return {
            {"fostat-collect kea, unix socket, " + setup + " (median of " +
                 std::to_string(kKeaRepeats) + ")",
             fixed(a.child.seconds, 2) + " s (CPU: fostat " + fixed(a.child.cpu_seconds, 2) +
                 " s, kea-dhcp4 " + fixed(a.server_cpu_seconds, 2) + " s), peak RSS " + mib(rss),
             "(information)", Verdict::info},
            {"its stored samples, every run (sum of addr_in_use, split present)",
             wrong.empty() ? expected_text : wrong, expected_text, check(wrong.empty())},
            {"the same " + std::to_string(pages) +
                 " lease4-get-page requests, socat from a bash loop (the baseline)",
             fixed(b.child.seconds, 2) + " s (CPU: bash+socat " + fixed(b.child.cpu_seconds, 2) +
                 " s, kea-dhcp4 " + fixed(b.server_cpu_seconds, 2) + " s)",
             "(the baseline)", Verdict::info},
            {"fostat-collect kea / socat loop", fixed(a.child.seconds / b.child.seconds, 2),
             "(information)", Verdict::info},
        };
    } catch (const std::exception& e) {
        return {{"fostat-collect kea, " + setup + ": not measured", e.what(), "a run that works",
                 Verdict::fail}};
    }
}

// ---------------------------------------------------------------------------------------------

std::string machine_context() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    std::string model = "unknown CPU";
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    }
    return "machine: " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " CPUs (nproc), " + model +
           ", SQLite " + sqlite3_libversion();
}

const char* verdict_text(Verdict v) {
    switch (v) {
        case Verdict::pass:
            return "pass";
        case Verdict::fail:
            return "FAIL";
        case Verdict::info:
            return "info";
    }
    return "";
}

void print_table(const std::vector<Row>& rows) {
    const std::array<std::string, 4> heading = {"figure", "measured", "baseline or target",
                                                "verdict"};
    std::array<std::size_t, 4> width{};
    for (std::size_t c = 0; c < 4; ++c)
        width[c] = heading[c].size();
    for (const Row& r : rows) {
        width[0] = std::max(width[0], r.figure.size());
        width[1] = std::max(width[1], r.measured.size());
        width[2] = std::max(width[2], r.target.size());
    }
    auto line = [&](const std::array<std::string, 4>& cells) {
        std::string out;
        for (std::size_t c = 0; c < 4; ++c) {
            out += c == 0 ? "| " : " | ";
            out += cells[c] + std::string(width[c] - cells[c].size(), ' ');
        }
        std::cout << out << " |\n";
    };
    line(heading);
    std::string rule;
    for (std::size_t c = 0; c < 4; ++c)
        rule += "|" + std::string(width[c] + 2, '-');
    std::cout << rule << "|\n";
    for (const Row& r : rows)
        line({r.figure, r.measured, r.target, verdict_text(r.verdict)});
}

// ---------------------------------------------------------------------------------------------
// Figure 13: a day of live collection at 10,000 scopes on a failover pair, one run every 5
// minutes as cron would start fostat-collect: each run opens the database, stores its 20,000
// samples (one a series) in one transaction and closes it, which checkpoints the WAL. The
// day before is collected first, unmeasured, so that the measured day's first runs compact
// it as they do in service. Bytes written are the process's write() calls (/proc/self/io
// wchar): the WAL and the checkpoint. Beside it, the baseline: the same runs as plain row
// inserts into a one-row-per-sample table keyed by (series, time), as a naive recorder would.

constexpr int kLiveScopes = 10'000;
constexpr int kLiveRunsPerDay = 288;
constexpr std::int64_t kLiveDay = 1'795'478'400;  // 2026-11-24T00:00:00Z, the measured day
constexpr double kTargetLiveGrowth = 1.3;         // last run / first run
constexpr double kTargetLiveWrittenPerSample = 300;
constexpr double kTargetStoredPerSample = 24;

std::int64_t written_bytes() {
    std::ifstream io("/proc/self/io");
    std::string key;
    std::int64_t value = 0;
    while (io >> key >> value) {
        if (key == "wchar:")
            return value;
    }
    throw std::runtime_error("/proc/self/io has no wchar");
}

struct LiveDay {
    std::vector<double> seconds;  // each run's wall clock
    std::int64_t written = 0;     // bytes, the whole day
};

// Each run's samples are made before its clock starts: a run is timed from opening the
// database to closing it.
template <class Run>
LiveDay live_day(const Estate& estate, std::int64_t day, Run&& run) {
    LiveDay out;
    for (int i = 0; i < kLiveRunsPerDay; ++i) {
        const std::vector<Sample> samples = estate.samples(day + i * std::int64_t{300});
        const std::int64_t before = written_bytes();
        out.seconds.push_back(seconds_of([&] { run(samples); }));
        out.written += written_bytes() - before;
    }
    return out;
}

void live_run(const fs::path& path, const std::vector<Sample>& samples) {
    auto db = open_database(path.string(), Access::read_write);
    RunWriter writer(*db, {"bench", ""}, OnConflict::fail);
    for (const Sample& s : samples)
        writer.add(s);
    writer.commit();
}

// The baseline's run: names to ids from a table of series, then one INSERT a sample.
void plain_run(const fs::path& path, const std::vector<Sample>& samples) {
    RawDb db(path);
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("BEGIN IMMEDIATE");
    sqlite3_stmt* find = nullptr;
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(db.get(), "SELECT id FROM series WHERE server = ? AND scope = ?", -1,
                           &find, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db.get(), "INSERT INTO samples VALUES (?,?,?,?,?,?,?,?,?,?)", -1,
                           &insert, nullptr) != SQLITE_OK) {
        db.fail("prepare");
    }
    for (const Sample& s : samples) {
        sqlite3_bind_text(find, 1, s.server.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(find, 2, s.scope.c_str(), -1, SQLITE_STATIC);
        if (sqlite3_step(find) != SQLITE_ROW)
            db.fail("find series");
        sqlite3_bind_int64(insert, 1, sqlite3_column_int64(find, 0));
        sqlite3_reset(find);
        sqlite3_bind_int64(insert, 2, s.timestamp);
        for (std::size_t i = 0; i < kCounterCount; ++i)
            sqlite3_bind_int64(insert, static_cast<int>(3 + i),
                               static_cast<sqlite3_int64>(*s.counters.values[i]));
        sqlite3_bind_int64(insert, 10, 1);
        if (sqlite3_step(insert) != SQLITE_DONE)
            db.fail("insert");
        sqlite3_reset(insert);
    }
    sqlite3_finalize(find);
    sqlite3_finalize(insert);
    db.exec("COMMIT");
}

void create_plain_live_table(const fs::path& path, const Estate& estate) {
    remove_database(path);
    RawDb db(path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(
        "CREATE TABLE series (id INTEGER PRIMARY KEY, server TEXT NOT NULL, scope TEXT NOT "
        "NULL, UNIQUE (server, scope))");
    db.exec(
        "CREATE TABLE samples (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, "
        "num_addr INTEGER, addr_free INTEGER, addr_in_use INTEGER, partner_addr_free INTEGER, "
        "this_addr_free INTEGER, partner_addr_in_use INTEGER, this_addr_in_use INTEGER, "
        "relationship_id INTEGER NOT NULL, PRIMARY KEY (series_id, ts)) WITHOUT ROWID");
    db.exec("BEGIN");
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v2(db.get(), "INSERT INTO series (server, scope) VALUES (?, ?)", -1,
                           &insert, nullptr) != SQLITE_OK) {
        db.fail("prepare");
    }
    estate.tick(kLiveDay - 86'400 - 300, [&](const Sample& s) {
        sqlite3_bind_text(insert, 1, s.server.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, s.scope.c_str(), -1, SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE)
            db.fail("insert series");
        sqlite3_reset(insert);
    });
    sqlite3_finalize(insert);
    db.exec("COMMIT");
}

double quantile_of(std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

double sum_of(const std::vector<double>& values) {
    double total = 0;
    for (double v : values)
        total += v;
    return total;
}

std::vector<Row> live_rows(const fs::path& work) {
    const fs::path path = work / "live.db";
    const fs::path plain = work / "live-plain.db";
    const double samples = 2.0 * kLiveScopes;  // a run
    remove_database(path);
    // The day before, the measured day, and the baseline's series a tick before them.
    const Estate estate(kLiveScopes, kLiveDay - 86'400 - 300, kLiveDay + 86'400 - 300);
    const auto ours_run = [&](const std::vector<Sample>& s) { live_run(path, s); };
    live_day(estate, kLiveDay - 86'400, ours_run);
    const LiveDay ours = live_day(estate, kLiveDay, ours_run);
    // A day is complete once compacted: the stored bytes of both days, every sample in chunks.
    {
        auto db = open_database(path.string(), Access::read_write);
        SQLite::Transaction transaction(*db, SQLite::TransactionBehavior::IMMEDIATE);
        compact_head_before(*db, std::numeric_limits<std::int64_t>::max());
        transaction.commit();
    }
    RawDb stored(path);
    const std::int64_t kept =
        (stored.integer("PRAGMA page_count") - stored.integer("PRAGMA freelist_count")) *
        stored.integer("PRAGMA page_size");
    const std::int64_t stored_count = stored.integer("SELECT sum(samples) FROM chunks");
    if (stored_count != static_cast<std::int64_t>(2 * kLiveRunsPerDay * samples))
        throw std::runtime_error("the live day stored " + std::to_string(stored_count) +
                                 " samples");

    create_plain_live_table(plain, estate);
    const LiveDay theirs =
        live_day(estate, kLiveDay, [&](const std::vector<Sample>& s) { plain_run(plain, s); });
    remove_database(path);
    remove_database(plain);

    const auto hour = [](const std::vector<double>& s, std::size_t from) {
        return median(std::vector<double>(s.begin() + static_cast<long>(from),
                                          s.begin() + static_cast<long>(from + 12)));
    };
    const double first = ours.seconds.front(), last = ours.seconds.back();
    // The first runs of a day also compact the day before (about 40 runs at 10,000 scopes),
    // which makes "last <= 1.3 x first" easy: the last run is judged against runs that only
    // append, too.
    const double appending = hour(ours.seconds, 48);
    const double day_samples = samples * kLiveRunsPerDay;
    const double per_sample = static_cast<double>(ours.written) / day_samples;
    const double stored_per_sample = static_cast<double>(kept) / static_cast<double>(stored_count);
    return {
        {"live day, 10,000 scopes x 2 servers, a run of 20,000 samples every 5 min: first run / "
         "last run",
         fixed(first * 1e3, 0) + " ms / " + fixed(last * 1e3, 0) + " ms (ratio " +
             fixed(last / first, 2) + ")",
         "last <= " + fixed(kTargetLiveGrowth, 1) + " x first",
         check(last <= kTargetLiveGrowth * first)},
        {"live day: last run / median run of the fifth hour (the day before compacted by then)",
         fixed(last * 1e3, 0) + " ms / " + fixed(appending * 1e3, 0) + " ms (ratio " +
             fixed(last / appending, 2) + ")",
         "<= " + fixed(kTargetLiveGrowth, 1), check(last <= kTargetLiveGrowth * appending)},
        {"live day: median run of the first hour / of the last hour; slowest run",
         fixed(hour(ours.seconds, 0) * 1e3, 0) + " ms / " +
             fixed(hour(ours.seconds, kLiveRunsPerDay - 12) * 1e3, 0) + " ms; " +
             fixed(quantile_of(ours.seconds, 1.0) * 1e3, 0) + " ms",
         "(information)", Verdict::info},
        {"live day: the whole day's 288 runs; bytes written (WAL and checkpoints)",
         fixed(sum_of(ours.seconds), 1) + " s; " +
             fixed(static_cast<double>(ours.written) / 1e6, 0) + " MB",
         "(information)", Verdict::info},
        {"live day: bytes written per sample added", fixed(per_sample, 0) + " B",
         "<= " + fixed(kTargetLiveWrittenPerSample, 0) + " B",
         check(per_sample <= kTargetLiveWrittenPerSample)},
        {"live days once complete: bytes per stored sample (file pages in use / samples)",
         fixed(stored_per_sample, 1) + " B", "<= " + fixed(kTargetStoredPerSample, 0) + " B",
         check(stored_per_sample <= kTargetStoredPerSample)},
        {"baseline: the same day as row inserts into an indexed one-row-per-sample table: first "
         "/ last run; day; bytes written per sample",
         fixed(theirs.seconds.front() * 1e3, 0) + " ms / " + fixed(theirs.seconds.back() * 1e3, 0) +
             " ms; " + fixed(sum_of(theirs.seconds), 1) + " s; " +
             fixed(static_cast<double>(theirs.written) / day_samples, 0) + " B",
         "(the baseline)", Verdict::info},
    };
}

// One group of figures alone: the machine, then its rows; 1 if one of them fails.
int run_alone(const std::function<std::vector<Row>()>& rows_of) {
    std::cout << machine_context() << "\n\n" << std::flush;
    const std::vector<Row> rows = rows_of();
    print_table(rows);
    return std::any_of(rows.begin(), rows.end(),
                       [](const Row& r) { return r.verdict == Verdict::fail; });
}

// Figures 1 to 4: the imports, the baseline beside them, the database's bytes per sample and
// the imports' peak memory. Run while this driver is small (see run_child).
std::vector<Row> import_rows(const fs::path& bin, const fs::path& work) {
    std::vector<Row> rows;
    const fs::path large_csv = work / "import-2m.csv";
    write_estate_csv(large_csv, kImportScopes, kImportTicks);
    const fs::path import_db = work / "import.db";
    const ImportRun streamed =
        import_streamed(bin, work / "import-streamed.db", kStreamImportTicks, kStreamImportSamples);
    fs::remove(work / "import-streamed.db");
    const ImportRun large = import_csv(bin, large_csv, import_db, kImportSamples);
    rows.push_back(import_rate_row(large));

    const fs::path baseline_db = work / "baseline.db";
    {
        const ParsedCsv parsed = parse_csv(large_csv);
        if (static_cast<std::int64_t>(parsed.rows.size()) != kImportSamples) {
            throw std::runtime_error(large_csv.string() + ": parsed " +
                                     std::to_string(parsed.rows.size()) + " rows");
        }
        fs::remove(large_csv);
        const double baseline_seconds = raw_insert_loop(parsed, baseline_db);
        for (Row& r : baseline_rows(large, baseline_seconds))
            rows.push_back(std::move(r));
        rows.push_back(run_writer_row(run_writer_loop(parsed, work / "run-writer.db")));
    }
    for (Row& r : bytes_per_sample_rows(import_db, baseline_db))
        rows.push_back(std::move(r));
    for (Row& r : memory_rows(large, streamed))
        rows.push_back(std::move(r));
    remove_database(import_db);
    remove_database(baseline_db);
    remove_database(work / "run-writer.db");
    return rows;
}

// Figure 5: one scope read back from a year of samples, in process and as a command.
std::vector<Row> read_rows(const fs::path& bin, const fs::path& work) {
    std::vector<Row> rows;
    const fs::path read_db = work / "read.db";
    const Estate read_estate(kReadScopes, start_time(),
                             start_time() + (kReadTicks - 1) * kInterval);
    build_read_database(read_db, read_estate);
    const std::string scope = read_estate.scope_name(kReadScopes / 2);
    rows.push_back(sample_reader_row(read_db, scope));
    rows.push_back(query_command_row(bin, read_db, scope));
    remove_database(read_db);
    return rows;
}

// The remote-write figures: --remote-write as a live collector does it, after each run of the live
// estate (10,000 scopes on a pair: 20,000 samples, 180,000 metric samples a run) to Debian's
// Prometheus 2.42 on the loopback (tools/lab/prometheus-server). Eleven runs push as in
// service; the receiver is then stopped for twelve runs (an hour of 5-minute runs: each
// push fails at once, connection refused) and started again, and the next run sends the
// hour it missed with its own, read back from storage. Beside it, the baseline: the same
// samples of one run written as OpenMetrics text (what status and samples write), in memory.
constexpr int kPushSteadyRuns = 12;  // the first is not timed: it opens the connection
constexpr int kPushOutageRuns = 12;

// A Prometheus that takes remote writes, its data in `dir`; stopped with the object.
class Receiver {
  public:
    explicit Receiver(fs::path dir) : dir_(std::move(dir)) { start(); }
    ~Receiver() { stop(); }
    Receiver(const Receiver&) = delete;
    Receiver& operator=(const Receiver&) = delete;
    void start() {
        const fs::path url_file = dir_.string() + ".url";
        run_child({"/bin/bash", "-c",
                   "\"$0\" start \"$1\" --web.enable-remote-write-receiver >\"$2\"",
                   kPrometheusScript.string(), dir_.string(), url_file.string()});
        std::ifstream in(url_file);
        std::getline(in, url_);
        if (url_.empty())
            throw std::runtime_error(kPrometheusScript.string() + " gave no URL");
    }
    void stop() { run_child({kPrometheusScript.string(), "stop", dir_.string()}); }
    std::string write_url() const { return url_ + "/api/v1/write"; }

  private:
    fs::path dir_;
    std::string url_;
};

std::vector<Row> remote_write_rows(const fs::path& work) {
    const fs::path path = work / "push.db";
    remove_database(path);
    Receiver receiver(work / "prometheus");
    RemoteWriteOptions options;
    options.http.url = receiver.write_url();
    options.retries = 0;
    RemoteWriter writer(options);
    const Estate estate(kLiveScopes, kLiveDay - 300, kLiveDay + 86'400);
    auto db = open_database(path.string(), Access::read_write);
    std::int64_t tick = kLiveDay;
    // One collector run of the estate's next tick, then its push.
    const auto run_and_push = [&] {
        RunWriter run(*db, {"bench", ""}, OnConflict::fail);
        RunCapture capture(run, 200'000);
        estate.tick(tick, [&](const Sample& s) { capture.add(s); });
        tick += kInterval;
        const RunSummary summary = run.commit();
        return writer.push(*db, summary.run_id, capture);
    };
    std::vector<double> seconds;
    std::size_t bytes = 0, metric_samples = 0;
    for (int i = 0; i < kPushSteadyRuns; ++i) {
        const PushOutcome o = run_and_push();
        if (!o.complete)
            throw std::runtime_error("remote write failed: " + o.record.message);
        if (i == 0)
            continue;
        seconds.push_back(o.seconds);
        bytes += o.bytes;
        metric_samples += static_cast<std::size_t>(o.record.pushed);
    }
    receiver.stop();
    for (int i = 0; i < kPushOutageRuns; ++i) {
        if (run_and_push().complete)
            throw std::runtime_error("a push succeeded with the receiver stopped");
    }
    receiver.start();
    const PushOutcome backlog = run_and_push();
    if (!backlog.complete ||
        backlog.record.pushed != static_cast<std::int64_t>(metric_samples / (kPushSteadyRuns - 1) *
                                                           (kPushOutageRuns + 1)))
        throw std::runtime_error(
            "the backlog was not sent whole: " + std::to_string(backlog.record.pushed) +
            " metric samples, " + backlog.record.message);
    db.reset();
    remove_database(path);

    // The baseline: one run's samples as OpenMetrics text.
    const std::vector<Sample> one_run = estate.samples(kLiveDay);
    std::ostringstream text;
    std::size_t text_samples = 0;
    const double text_seconds = seconds_of([&] {
        OpenMetricsWriter w(text);
        for (std::size_t m = 0; m < kSampleMetricCount; ++m) {
            w.gauge(sample_metric(m).name, sample_metric(m).help, sample_metric(m).unit);
            for (const Sample& s : one_run) {
                if (const auto value = sample_metric_value(s, m)) {
                    w.sample(label_set(kSeriesLabels, series_label_values(s)), *value, s.timestamp);
                    ++text_samples;
                }
            }
        }
        w.finish();
    });
    const double per_run = static_cast<double>(metric_samples) / (kPushSteadyRuns - 1);
    const double push_s = median(seconds);
    const double backlog_samples = static_cast<double>(backlog.record.pushed);
    return {
        {"remote write after a live run of " + grouped(2.0 * kLiveScopes) + " samples (" +
             grouped(per_run) + " metric samples) to Prometheus on the loopback: push, median " +
             "of " + std::to_string(kPushSteadyRuns - 1) + "; rate (baseline: as OpenMetrics text)",
         fixed(push_s * 1000, 0) + " ms; " + grouped(per_run / push_s) + "/s (" +
             fixed(text_seconds * 1000, 0) + " ms; " +
             grouped(static_cast<double>(text_samples) / text_seconds) + "/s)",
         "(information)", Verdict::info},
        {"remote write: bytes on the wire a metric sample, snappy protobuf (baseline: "
         "OpenMetrics text)",
         fixed(static_cast<double>(bytes) / static_cast<double>(metric_samples), 1) + " B (" +
             fixed(static_cast<double>(text.str().size()) / static_cast<double>(text_samples), 1) +
             " B)",
         "(information)", Verdict::info},
        {"remote write after the receiver was down " + std::to_string(kPushOutageRuns) +
             " runs: the backlog with the run's own, " + grouped(backlog_samples) +
             " metric samples read back and pushed",
         fixed(backlog.seconds, 2) + " s; " + grouped(backlog_samples / backlog.seconds) + "/s",
         "(information)", Verdict::info},
    };
}

int run(const fs::path& bin, const fs::path& work) {
    std::cout << machine_context() << std::endl;

    // The kea figure first, while this driver is smallest (see run_child); its rows go last.
    const std::vector<Row> kea = kea_rows(bin, work);

    std::vector<Row> rows = import_rows(bin, work);
    for (Row& r : read_rows(bin, work))
        rows.push_back(std::move(r));
    for (Row& r : analyses_rows(bin, work))
        rows.push_back(std::move(r));
    rows.push_back(trend_row(bin, work / "trend.db"));
    for (Row& r : backtest_rows(work))
        rows.push_back(std::move(r));
    for (Row& r : isc_rows(bin, work))
        rows.push_back(std::move(r));
    for (Row& r : live_rows(work))
        rows.push_back(std::move(r));
    for (Row& r : report_rows(bin, work))
        rows.push_back(std::move(r));
    for (Row& r : remote_write_rows(work))
        rows.push_back(std::move(r));
    rows.insert(rows.end(), kea.begin(), kea.end());

    std::cout << '\n';
    print_table(rows);
    const bool all_met = std::none_of(rows.begin(), rows.end(),
                                      [](const Row& r) { return r.verdict == Verdict::fail; });
    std::cout << '\n' << (all_met ? "every target met" : "some targets missed") << std::endl;
    return all_met ? 0 : 1;
}

}  // namespace
}  // namespace fostat::bench

int main(int argc, char** argv) {
    try {
        if (argc == 5 && std::string(argv[1]) == "--csv") {
            fostat::bench::write_estate_csv(argv[2], std::stoi(argv[3]), std::stoi(argv[4]));
            return 0;
        }
        if (argc == 4 && std::string(argv[1]) == "--import")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::import_rows(argv[2], argv[3]); });
        if (argc == 4 && std::string(argv[1]) == "--read")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::read_rows(argv[2], argv[3]); });
        if (argc == 4 && std::string(argv[1]) == "--kea")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::kea_rows(argv[2], argv[3]); });
        if (argc == 4 && std::string(argv[1]) == "--isc")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::isc_rows(argv[2], argv[3]); });
        if (argc == 4 && std::string(argv[1]) == "--report")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::report_rows(argv[2], argv[3]); });
        if (argc == 3 && std::string(argv[1]) == "--remote-write")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::remote_write_rows(argv[2]); });
        if (argc == 3 && std::string(argv[1]) == "--live")
            return fostat::bench::run_alone([&] { return fostat::bench::live_rows(argv[2]); });
        if (argc == 4 && std::string(argv[1]) == "--analyses")
            return fostat::bench::run_alone(
                [&] { return fostat::bench::analyses_rows(argv[2], argv[3]); });
        if (argc != 3) {
            std::cerr << "usage: fostat-bench BIN_DIR WORK_DIR\n"
                         "       fostat-bench --import BIN_DIR WORK_DIR\n"
                         "       fostat-bench --read BIN_DIR WORK_DIR\n"
                         "       fostat-bench --kea BIN_DIR WORK_DIR\n"
                         "       fostat-bench --isc BIN_DIR WORK_DIR\n"
                         "       fostat-bench --live WORK_DIR\n"
                         "       fostat-bench --remote-write WORK_DIR\n"
                         "       fostat-bench --report BIN_DIR WORK_DIR\n"
                         "       fostat-bench --analyses BIN_DIR WORK_DIR\n"
                         "       fostat-bench --csv FILE SCOPES TICKS\n";
            return 1;
        }
        return fostat::bench::run(argv[1], argv[2]);
    } catch (const std::exception& e) {
        std::cerr << "fostat-bench: " << e.what() << '\n';
        return 1;
    }
}
