#include "analyses/check.h"
#include "cli/option_values.h"
#include "cli/query.h"
#include "cli/query_common.h"
#include "fostat/error.h"

namespace fostat {
namespace {

struct CheckArgs {
    std::vector<std::string> rules;
    std::string severity = "info";
    DurationValue stale;
};

CheckOptions parse_check_args(const CheckArgs& args) {
    CheckOptions options;
    for (const std::string& name : args.rules)
        options.rules.push_back(read_option("--rule", [&] { return parse_rule(name); }));
    options.floor = read_option("--severity", [&] { return parse_severity(args.severity); });
    return options;
}

// The table fits 80 columns with a wrapped counter's 10-digit difference in it: severities
// shortened (crit, warn, info), "n" for the samples of the episode, and times as "11-23 18:30"
// in the zone of --tz, without year and seconds; `last` as "21:30" alone when on the same day
// as `first`. CSV and JSON give every field in full.
std::pair<std::string, std::string> short_times(const TimeFormatter& time, std::int64_t first,
                                                std::int64_t last) {
    const std::string a = time.format(first), b = time.format(last);
    const auto day_and_minute = [](const std::string& t) {
        return t.substr(5, 5) + ' ' + t.substr(11, 5);
    };
    const bool same_day = a.compare(0, 10, b, 0, 10) == 0;
    return {day_and_minute(a), same_day ? b.substr(11, 5) : day_and_minute(b)};
}

std::string_view short_severity(Severity s) {
    switch (s) {
        case Severity::critical:
            return "crit";
        case Severity::warning:
            return "warn";
        case Severity::info:
            return "info";
    }
    return "?";
}

void write_table(const CheckResult& result, QueryContext& q) {
    auto out = make_result_writer(OutputFormat::table, q.output.stream());
    out->begin({"rule", "sev", "server", "scope", "first", "last", "n", "worst"});
    for (const Violation& v : result.violations) {
        const auto [first, last] = short_times(q.time, v.episode.first, v.episode.last);
        // A gap's worst difference is its length: a duration, not a number of addresses.
        const Cell worst =
            v.rule == Rule::gap
                ? Cell(Figure{format_duration(static_cast<std::int64_t>(v.episode.worst))})
                : Cell(static_cast<std::int64_t>(v.episode.worst));
        out->row({std::string(to_string(v.rule)), std::string(short_severity(severity_of(v.rule))),
                  v.server, v.scope, first, last, v.episode.samples, worst});
    }
    out->end();

    std::array<std::int64_t, 3> per_severity{};
    for (const Violation& v : result.violations)
        ++per_severity[static_cast<std::size_t>(severity_of(v.rule))];
    std::ostream& s = q.output.stream();
    s << "episodes: " << per_severity[2] << " critical, " << per_severity[1] << " warning, "
      << per_severity[0] << " info; " << result.samples << " samples checked\n";
    std::string line = "skipped:";
    for (std::size_t i = 0; i < kRuleCount; ++i) {
        if (!result.checked[i] || result.skipped[i] == 0)
            continue;
        std::string item = ' ' + std::string(to_string(static_cast<Rule>(i))) + ' ' +
                           std::to_string(result.skipped[i]);
        if (line.size() + item.size() + 1 > 80) {
            s << line << ",\n";
            line = " ";
        } else if (line != "skipped:") {
            line += ',';
        }
        line += item;
    }
    s << (line == "skipped:" ? "skipped: none" : line) << '\n';
}

Cell counter(const Point& p, Counter c) {
    const auto& v = p.counters[c];
    return v ? Cell(static_cast<std::int64_t>(*v)) : Cell();
}

void write_records(const CheckResult& result, QueryContext& q) {
    auto out = make_result_writer(q.format, q.output.stream());
    std::vector<std::string> columns = {"rule",  "severity", "server",  "scope",
                                        "first", "last",     "samples", "worst_difference"};
    for (std::string_view name : kCounterNames)
        columns.emplace_back(name);
    out->begin(columns);
    for (const Violation& v : result.violations) {
        const Episode& e = v.episode;
        std::vector<Cell> cells = {std::string(to_string(v.rule)),
                                   std::string(to_string(severity_of(v.rule))),
                                   v.server,
                                   v.scope,
                                   q.time.format(e.first),
                                   q.time.format(e.last),
                                   e.samples,
                                   static_cast<std::int64_t>(e.worst)};
        for (std::size_t i = 0; i < kCounterCount; ++i)
            cells.push_back(counter(e.at_worst, static_cast<Counter>(i)));
        out->row(cells);
    }
    out->end();
}

int run_check(const QueryOptions& options, const CheckArgs& args) {
    const CheckOptions check = parse_check_args(args);
    return run_check_command(options, args.stale, /*rollups_count=*/false, [&](QueryContext& q) {
        SampleReader reader(*q.db);
        const CheckResult result = check_invariants(reader, q.filter, check);
        if (q.format == OutputFormat::table)
            write_table(result, q);
        else
            write_records(result, q);
        return result.worst;
    });
}

}  // namespace

void setup_check(CLI::App& app, QueryOptions& common, int& status) {
    auto args = std::make_shared<CheckArgs>();
    CLI::App* sub = app.add_subcommand(
        "check",
        "Check the invariant rules on every sample in the window and list their violations as "
        "episodes (consecutive violating samples of one rule, server and scope): first, last, "
        "samples, worst difference, and (CSV, JSON) the counters at the worst sample.\n"
        "Rules: critical: sum-total, sum-free, sum-in-use, range; warning: partner-free, "
        "partner-in-use, partner-size, gap; info: size-change (each change is an event).\n"
        "Partner rules pair each sample of the server later in name order with its partner's "
        "sample nearest in time (within the usual interval; partner-free and partner-in-use "
        "only in normal state) and report the episode for that server.\n"
        "A sample whose counters a rule needs are NULL, or that has no partner sample, is "
        "skipped by that rule; the table's summary counts the skips per rule (CSV and JSON "
        "list the episodes only). The table shortens to fit 80 columns: sev crit/warn/info, "
        "n samples, times to the minute without year; CSV and JSON carry every field in full.\n"
        "Exit status: 2 if a critical episode is reported, else 1 if a warning one or a "
        "server is --stale, else 0; 3 when the window holds no sample of what was asked.");
    add_query_options(*sub, common);
    sub->add_option("--rule", args->rules, "check only this rule (repeatable)")->type_name("NAME");
    sub->add_option("--severity", args->severity,
                    "report only rules of this severity or worse: info, warning, critical")
        ->type_name("LEVEL")
        ->capture_default_str();
    add_stale_option(*sub, args->stale);
    sub->callback([&common, &status, args] { status = run_check(common, *args); });
}

}  // namespace fostat
