#include <charconv>
#include <cmath>
#include <memory>
#include <optional>

#include "analyses/imbalance.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"

namespace fostat {
namespace {

struct ImbalanceArgs {
    std::string threshold = "10";
    DurationValue min_duration{"30m"};
    std::string min_free = "10";
    DurationValue rebalance{"1h"};
    DurationValue stale;
};

// The whole text as a number, or nullopt.
template <typename Number>
std::optional<Number> number(const std::string& text) {
    Number value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

ImbalanceOptions imbalance_options(const ImbalanceArgs& args) {
    ImbalanceOptions o;
    const auto threshold = number<double>(args.threshold);
    if (!threshold || !(*threshold >= 0 && *threshold <= 100)) {
        throw InputError("--threshold: " + excerpt(args.threshold) +
                         " is not 0 to 100 percentage points");
    }
    o.threshold = *threshold;
    o.min_duration = args.min_duration.seconds;
    const auto min_free = number<std::uint64_t>(args.min_free);
    if (!min_free) {
        throw InputError("--min-free: " + excerpt(args.min_free) +
                         " is not a number of free addresses (0 or more)");
    }
    o.min_free = *min_free;
    o.rebalance = args.rebalance.seconds;
    return o;
}

// Percent or percentage points to one decimal, as the report shows them.
Cell one_decimal(const std::optional<double>& x) {
    if (!x)
        return {};
    return std::round(*x * 10) / 10 + 0.0;  // + 0.0: no "-0"
}

// The table's one column for kind and severity: starved (critical), stalled (a warning),
// imbalance (info).
std::string finding(const ImbalanceEpisode& e) {
    if (e.kind == ImbalanceKind::imbalance && e.stalled)
        return "stalled";
    return std::string(to_string(e.kind));
}

void write_table(const ImbalanceResult& r, const QueryContext& q, std::ostream& out) {
    auto writer = make_result_writer(OutputFormat::table, out);
    writer->begin({"finding", "server", "scope", "start", "duration", "worst_pp"});
    for (const ImbalanceEpisode& e : r.episodes) {
        writer->row({finding(e), e.server, e.scope, q.time.format(e.first),
                     format_duration(e.duration()), one_decimal(e.worst_deviation)});
    }
    writer->end();
    if (r.null_skipped + r.small_skipped > 0) {
        out << "not judged: " << r.null_skipped << " with NULLs, " << r.small_skipped
            << " below --min-free, of " << r.samples << " samples\n";
    }
}

void write_rows(const ImbalanceResult& r, const QueryContext& q, std::ostream& out) {
    auto writer = make_result_writer(q.format, out);
    writer->begin({"kind", "severity", "relationship", "scope", "server", "start", "end",
                   "duration_s", "samples", "worst_deviation", "mean_deviation",
                   "mean_in_use_share", "expected_share", "state", "stalled"});
    for (const ImbalanceEpisode& e : r.episodes) {
        const bool starved = e.kind == ImbalanceKind::starved;
        writer->row({std::string(to_string(e.kind)), std::string(to_string(e.severity)),
                     e.relationship, e.scope, e.server, q.time.format(e.first),
                     q.time.format(e.last), e.duration(), e.samples, one_decimal(e.worst_deviation),
                     one_decimal(e.mean_deviation), one_decimal(e.mean_in_use_share),
                     e.expected_share, std::string(to_string(e.state)),
                     starved ? Cell() : Cell(std::string(e.stalled ? "true" : "false"))});
    }
    writer->end();
}

int run_imbalance(const QueryOptions& common, const ImbalanceArgs& args) {
    const ImbalanceOptions options = imbalance_options(args);
    return run_check_command(common, args.stale, /*rollups_count=*/false, [&](QueryContext& q) {
        SampleReader reader(*q.db);
        const ImbalanceResult result = find_imbalance(reader, q.filter, options);
        if (q.format == OutputFormat::table)
            write_table(result, q, q.output.stream());
        else
            write_rows(result, q, q.output.stream());
        return result.worst;
    });
}

}  // namespace

void setup_imbalance(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<ImbalanceArgs>();
    CLI::App* sub = app.add_subcommand(
        "imbalance",
        "Find failover partners whose free addresses are split against their configured "
        "share. Per server and scope, the free share is this_addr_free / addr_free; an "
        "imbalance episode is a run of samples whose free share is more than --threshold "
        "points below the expected share stored with the sample (the server short of free "
        "addresses is reported), lasting --for or longer (last - first sample). It is "
        "'stalled' (a warning) when it lasted longer than --rebalance in normal state, "
        "otherwise info (in partner-down the survivor owns the pool). 'starved' (critical, "
        "always reported): load-balance, this_addr_free = 0 while partner_addr_free > 0. "
        "Samples with NULL counters or fewer than --min-free free addresses are not judged "
        "on shares; they neither extend nor end an episode. The table shows the finding "
        "(starved, stalled, imbalance) and the worst deviation; --format csv or json adds "
        "every field.\n"
        "Exit status: 2 if a server is starved, else 1 if a rebalance stalled or a server is "
        "--stale, else 0; 3 when the window holds no sample of what was asked.");
    add_query_options(*sub, common);
    sub->add_option("--threshold", args->threshold,
                    "percentage points below the expected share that count as imbalance, "
                    "0 to 100")
        ->type_name("PP")
        ->capture_default_str();
    add_duration_option(*sub, "--for", args->min_duration,
                        "report imbalance episodes at least this long (0: every one)",
                        NoDuration::zero);
    sub->add_option("--min-free", args->min_free, "judge shares only when addr_free is at least N")
        ->type_name("N")
        ->capture_default_str();
    add_duration_option(*sub, "--rebalance", args->rebalance,
                        "the servers' rebalancing interval: longer in normal state is a stalled "
                        "rebalance (ISC max-balance defaults to 1h, Windows rebalances every 5m)",
                        NoDuration::zero);
    add_stale_option(*sub, args->stale);
    sub->callback([&common, &status, args] { status = run_imbalance(common, *args); });
}

}  // namespace fostat
