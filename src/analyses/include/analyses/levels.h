// A warning and a critical level of one measure (utilization in %, the time left before a
// scope runs out), either of which a user may give alone.
#pragma once

#include <optional>
#include <utility>

namespace fostat {

// The two levels in force: each the one given, else its default; and one given alone moves
// the other's default out of its way, so that it alone decides (a warning at 95 % given alone
// means critical at 95 % too, rather than a warning above critical). `more_severe(a, b)`:
// a is the more severe level of the two (a > b for utilization, a < b for time left).
// Returns {warning, critical}.
template <typename T, typename MoreSevere>
std::pair<T, T> settle_levels(std::optional<T> warning, std::optional<T> critical,
                              T default_warning, T default_critical, MoreSevere more_severe) {
    T w = warning.value_or(default_warning);
    T c = critical.value_or(default_critical);
    if (warning && !critical && more_severe(w, c))
        c = w;
    if (critical && !warning && more_severe(w, c))
        w = c;
    return {w, c};
}

}  // namespace fostat
