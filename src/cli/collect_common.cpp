#include <iostream>

#include <SQLiteCpp/Database.h>

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
    app.add_option("--every", o.every,
                   "collect again every DURATION (30s, 5m, 1h) until SIGINT or SIGTERM")
        ->type_name("DURATION");
    app.add_flag("-q,--quiet", o.quiet, "print nothing when a run succeeds");
}

void report_run(const CollectOptions& options, const RunInfo& info, const RunSummary& s) {
    if (options.quiet)
        return;
    std::cout << "run " << s.run_id << " (" << info.source << "): " << s.added << " added, "
              << s.unchanged << " already stored, " << s.replaced << " replaced" << std::endl;
}

int collect_runs(const CollectOptions& options, const RunInfo& info, OnConflict on_conflict,
                 const std::function<void(std::int64_t, SampleSink&)>& collect) {
    install_stop_handlers();
    std::int64_t every = 0;
    if (!options.every.empty()) {
        try {
            every = parse_duration(options.every);
        } catch (const InputError& e) {
            throw InputError(std::string("--every: ") + e.what());
        }
    }
    auto db = open_database(options.db, Access::read_write);
    for (;;) {
        const std::int64_t now = unix_now();
        const RunSummary summary =
            collect_run(*db, info, on_conflict, [&](SampleSink& sink) { collect(now, sink); });
        report_run(options, info, summary);
        if (every == 0 || stop_requested())
            return kExitOk;
        if (!sleep_until((now / every + 1) * every))
            return kExitOk;
    }
}

}  // namespace fostat
