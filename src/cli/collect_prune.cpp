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
    std::string keep_raw;
    std::string keep_hourly = "400d";
};

std::int64_t age_option(const std::string& name, const std::string& text) {
    try {
        return parse_duration(text);
    } catch (const InputError& e) {
        throw InputError(name + ": " + e.what());
    }
}

int run_prune(const CollectOptions& common, const PruneArgs& args) {
    if (!common.every.empty())
        throw InputError("--every: prune runs once; schedule it instead");
    const std::int64_t keep_raw = age_option("--keep-raw", args.keep_raw);
    const std::int64_t keep_hourly = age_option("--keep-hourly", args.keep_hourly);
    if (keep_hourly < keep_raw) {
        throw InputError("--keep-hourly " + args.keep_hourly + " is shorter than --keep-raw " +
                         args.keep_raw + ": hourly rollups must outlive the raw samples");
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
                  << p.raw_days << " series-days older than " << args.keep_raw
                  << ";\n  removed the hourly rollups of " << p.hourly_days
                  << " series-days older than " << args.keep_hourly << "; kept daily rollups"
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
    sub->add_option("--keep-raw", args->keep_raw, "keep raw samples this long, e.g. 90d")
        ->type_name("AGE")
        ->required();
    sub->add_option("--keep-hourly", args->keep_hourly,
                    "keep hourly rollups this long (at least --keep-raw)")
        ->type_name("AGE")
        ->capture_default_str();
    sub->callback([&common, &status, args] { status = run_prune(common, *args); });
}

}  // namespace fostat
