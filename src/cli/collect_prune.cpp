#include <iostream>
#include <memory>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include "cli/collect.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/database.h"
#include "storage/prune.h"

namespace fostat {
namespace {

struct PruneArgs {
    DurationValue keep_raw;
    DurationValue keep_hourly{"400d"};
};

int run_prune(const CollectOptions& common, const PruneArgs& args) {
    if (!common.every.text.empty())
        throw InputError("--every: prune runs once; schedule it instead");
    const std::int64_t keep_raw = args.keep_raw.seconds;
    const std::int64_t keep_hourly = args.keep_hourly.seconds;
    if (keep_hourly < keep_raw) {
        throw InputError("--keep-hourly " + args.keep_hourly.text + " is shorter than --keep-raw " +
                         args.keep_raw.text + ": hourly rollups must outlive the raw samples");
    }
    auto db = open_collect_database(common, /*must_exist=*/true);
    const PruneSummary p = [&] {
        try {
            return prune(*db, keep_raw, keep_hourly);
        } catch (const SQLite::Exception& e) {
            throw StorageError(database_error(common, e));
        }
    }();
    if (!common.quiet) {
        std::cout << "run " << p.run_id << " (prune): removed " << p.raw_samples << " raw samples, "
                  << p.raw_days << " series-days older than " << args.keep_raw.text
                  << ";\n  removed the hourly rollups of " << p.hourly_days
                  << " series-days older than " << args.keep_hourly.text << "; kept daily rollups"
                  << std::endl;
    }
    return kExitOk;
}

}  // namespace

void setup_prune(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<PruneArgs>();
    CLI::App* sub = app.add_subcommand(
        "prune",
        "Remove raw samples of days that ended more than --keep-raw ago, and hourly rollups "
        "of days that ended more than --keep-hourly ago. Daily rollups are kept, so trends "
        "over the whole history still work. One run (source prune). Samples of a pruned day "
        "cannot be imported again.");
    add_collect_options(*sub, common, false);
    add_duration_option(*sub, "--keep-raw", args->keep_raw, "keep raw samples this long, e.g. 90d")
        ->type_name("AGE")
        ->required();
    add_duration_option(*sub, "--keep-hourly", args->keep_hourly,
                        "keep hourly rollups this long (at least --keep-raw)")
        ->type_name("AGE");
    sub->callback([&common, &status, args] { status = run_prune(common, *args); });
}

}  // namespace fostat
