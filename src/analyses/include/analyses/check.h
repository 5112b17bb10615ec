// The invariant rules (docs/design.md § Invariant rules): which numbers do not add up,
// grouped into episodes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyses/analysis.h"

namespace fostat {

// The rules, in the order of docs/design.md § Invariant rules. Their names are stable: they
// appear in output.
enum class Rule {
    sum_total,
    sum_free,
    sum_in_use,
    range,
    partner_free,
    partner_in_use,
    partner_size,
    size_change,
    gap,
};
inline constexpr std::size_t kRuleCount = 9;

std::string_view to_string(Rule rule);
Severity severity_of(Rule rule);
// Throws InputError listing the valid names.
Rule parse_rule(std::string_view text);

struct CheckOptions {
    std::vector<Rule> rules;          // empty: every rule
    Severity floor = Severity::info;  // rules below it are not checked at all
    std::size_t threads = 0;          // that walk the scopes (0: analysis_threads()); same result
};

// One episode of one rule on one server's samples of one scope: consecutive violating
// samples (a sample the rule cannot judge neither ends nor extends it). episode.worst is the
// largest difference, a whole number computed in signed 64-bit: sum rules |left - right|;
// range how far the highest counter is above num_addr; partner rules |A - B|, the larger of
// the two comparisons. Two rules are events, one episode each: size-change at the sample
// with the new num_addr (1 sample, difference new - old, negative for a shrink), gap from
// the sample before it to the sample after it (2 samples, difference its length in seconds).
// Partner rules pair the two servers of a relationship and report an episode once, for the
// server later in name order, on that server's samples.
struct Violation {
    Rule rule = Rule::sum_total;
    std::string server;
    std::string scope;
    Episode episode;
};

struct CheckResult {
    std::vector<Violation> violations;  // scopes in address order; in a scope by first time
    // Per rule (indexed by Rule): samples the rule could not judge (a NULL counter it needs;
    // for partner rules also no partner sample in reach, or a side not in normal state).
    std::array<std::int64_t, kRuleCount> skipped{};
    std::array<bool, kRuleCount> checked{};  // which rules were checked
    std::int64_t samples = 0;                // samples in the window
    WorstSeverity worst;                     // of the violations
};

// Checks every sample in the filter's window. An episode cut by the window starts or ends
// at the window's first or last sample. The points in the result live as long as `reader`.
CheckResult check_invariants(SampleReader& reader, const SeriesFilter& filter,
                             const CheckOptions& options);

}  // namespace fostat
