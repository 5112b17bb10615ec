#include <iostream>
#include <memory>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "cli/collect.h"
#include "cli/options.h"
#include "cli/stored_names.h"
#include "formats/result_writer.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/sample_delete.h"

namespace fostat {
namespace {

struct DeleteArgs {
    std::vector<std::string> servers;
    std::vector<std::string> scopes;
    std::string since;
    std::string until;
    bool all = false;
    bool yes = false;
};

void print_series(const DeleteSummary& summary) {
    auto out = make_result_writer(OutputFormat::table, std::cout);
    out->begin({"server", "scope", "samples", "first", "last"});
    for (const DeletedSeries& d : summary.series) {
        out->row({d.server, d.scope, d.samples, format_utc(d.first), format_utc(d.last)});
    }
    out->end();
}

std::string how_many(const DeleteSummary& s) {
    return std::to_string(s.samples) + (s.samples == 1 ? " sample" : " samples") + " of " +
           std::to_string(s.series.size()) + " series";
}

int run_delete(const CollectOptions& common, const DeleteArgs& args) {
    if (!common.every.text.empty())
        throw InputError("--every: delete runs once");
    const bool filtered =
        !args.servers.empty() || !args.scopes.empty() || !args.since.empty() || !args.until.empty();
    if (!filtered && !args.all) {
        throw InputError(
            "name what to remove with --server, --scope, --since or --until (--all removes "
            "every sample)");
    }
    if (filtered && args.all)
        throw InputError(
            "--all removes every sample: give it without --server, --scope, "
            "--since and --until");
    QueryOptions window;
    window.since = args.since;
    window.until = args.until;
    window.scopes = args.scopes;
    window.servers = args.servers;
    const SeriesFilter filter = make_filter(window, unix_now());
    auto db = open_collect_database(common, /*must_exist=*/true);
    try {
        {
            SampleReader reader(*db);
            require_known_names(reader, common.db, args.scopes, filter);
        }
        if (!args.yes) {
            const DeleteSummary would = count_deletable(*db, filter);
            if (would.samples == 0) {
                std::cout << "no stored sample matches: nothing to remove" << std::endl;
                return kExitOk;
            }
            print_series(would);
            std::cout << "would remove " << how_many(would)
                      << "; nothing was removed: add --yes to remove them" << std::endl;
            return kExitOk;
        }
        const DeleteSummary done =
            delete_samples(*db, filter, filter.servers.size() == 1 ? filter.servers[0] : "");
        if (!common.quiet) {
            if (!done.series.empty())
                print_series(done);
            std::cout << "run " << done.run_id << " (delete): removed " << how_many(done)
                      << std::endl;
        }
        return kExitOk;
    } catch (const SQLite::Exception& e) {
        throw StorageError(database_error(common, e));
    }
}

}  // namespace

void setup_delete(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<DeleteArgs>();
    CLI::App* sub = app.add_subcommand(
        "delete",
        "Remove the stored samples of the given servers and scopes inside the window (say, a "
        "sample with an impossible time), with their lease-state breakdowns; the hourly and "
        "daily rollups of the days they leave are recomputed. Without --yes, prints what it "
        "would remove and changes nothing. One run (source delete).");
    add_collect_options(*sub, common, false);
    sub->add_option("--server", args->servers, "only the samples of this server (repeatable)")
        ->type_name("NAME");
    sub->add_option("--scope", args->scopes, "only the samples of this scope (repeatable)")
        ->type_name("SUBNET");
    sub->add_option("--since", args->since,
                    "only samples at or after TIME: 2026-11-24, 2026-11-24T08:00:00Z, -7d")
        ->type_name("TIME");
    sub->add_option("--until", args->until, "only samples at or before TIME (inclusive)")
        ->type_name("TIME");
    sub->add_flag("--all", args->all, "remove every sample (instead of naming which)");
    sub->add_flag("--yes", args->yes, "remove them (without it: only print what would go)");
    sub->callback([&common, &status, args] { status = run_delete(common, *args); });
}

}  // namespace fostat
