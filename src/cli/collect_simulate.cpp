#include <memory>

#include "cli/collect.h"
#include "formats/output_file.h"
#include "fostat/error.h"
#include "fostat/time_text.h"
#include "sources/simulate.h"

namespace fostat {
namespace {

struct SimulateArgs {
    SimulateOptions model;
    DurationValue interval{"5m"};
    std::string end;
    std::string truth;
};

int run_simulate(const CollectOptions& common, SimulateArgs& args) {
    if (args.model.scopes < 1 || args.model.scopes > 100'000) {
        throw InputError("--scopes: give 1 to 100000 scopes");
    }
    if (args.model.days < 1 || args.model.days > 3660)
        throw InputError("--days: give 1 to 3660 days");
    args.model.interval = args.interval.seconds;
    const RunInfo info{"simulate", ""};
    if (!common.every.text.empty()) {
        if (!args.truth.empty())
            throw InputError("--truth: only for a history, not with --every");
        if (!args.end.empty())
            throw InputError("--end: only for a history; --every samples at the current time");
        // The model's window ends when collection starts, so that growth goes on tick by tick.
        args.model.end = unix_now();
        return collect_runs(
            common, info, OnConflict::fail,
            [&](std::int64_t now, SampleSink& sink) { simulate_tick(args.model, now, sink); });
    }
    std::int64_t end = unix_now();
    if (!args.end.empty())
        end = read_option("--end", [&] { return parse_time_option(args.end, end); });
    args.model.end = end - end % args.model.interval;
    // The truth file is put in place only once the run is stored (OutputFile).
    std::unique_ptr<OutputFile> truth;
    if (!args.truth.empty()) {
        refuse_output_over_database("--truth", args.truth, common.db);
        truth = std::make_unique<OutputFile>("--truth", args.truth);
        write_truth(simulate_injections(args.model), truth->stream());
    }
    const int status =
        collect_runs(common, info, OnConflict::fail,
                     [&](std::int64_t, SampleSink& sink) { simulate_history(args.model, sink); });
    if (truth)
        truth->commit();
    return status;
}

}  // namespace

void setup_simulate(CLI::App& app, CollectOptions& common, int& status) {
    auto args = std::make_shared<SimulateArgs>();
    CLI::App* sub = app.add_subcommand(
        "simulate",
        "Record a simulated failover pair (dhcp1, dhcp2; load-balance 50/50): history with "
        "daily cycles, growth, an imbalance, a starved server, a size change, a collection "
        "gap and one broken sample per invariant rule. Deterministic for a --seed.");
    add_collect_options(*sub, common);
    add_every_option(*sub, common);
    sub->add_option("--scopes", args->model.scopes, "number of scopes")->capture_default_str();
    sub->add_option("--days", args->model.days, "days of history, ending now")
        ->capture_default_str();
    add_duration_option(*sub, "--interval", args->interval, "time between samples");
    sub->add_option("--seed", args->model.seed, "seed of the simulation")->capture_default_str();
    sub->add_option("--end", args->end, "end the history at TIME instead of now (for tests)")
        ->type_name("TIME");
    sub->add_option("--truth", args->truth,
                    "write what was injected (kind,server,scope,first,last,detail) as CSV here")
        ->type_name("FILE");
    sub->callback([&common, &status, args] { status = run_simulate(common, *args); });
}

}  // namespace fostat
