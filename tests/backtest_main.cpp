// fostat_backtest [HISTORIES [INTERVAL [FIRST_SEED]]]: the forecast's backtest
// (tests/forecast_backtest.h), as tools/bench prints it: median and 90th percentile of the
// absolute error in days, the share of forecasts later than the truth and those later by
// more than max(1 day, 10 % of the lead), for trend's central and earliest likely dates and
// for the former mean-line method, over histories with the truth within 75 days.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "forecast_backtest.h"
#include "test_support.h"

namespace {

void print(const char* method, const fostat::backtest::Figures& f) {
    std::printf("%-22s %4d  %6.2f  %6.2f  %5.1f %%  %4d  %4d  %7.2f\n", method, f.forecasts,
                f.median, f.p90, 100 * f.late_share, f.late_beyond, f.missing, f.worst_late);
}

}  // namespace

int main(int argc, char** argv) {
    const int histories = argc > 1 ? std::atoi(argv[1]) : 60;
    const std::int64_t interval = argc > 2 ? std::atoll(argv[2]) : 300;
    std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
    fostat::test::TempDir dir;
    std::vector<fostat::backtest::Outcome> outcomes;
    while (static_cast<int>(outcomes.size()) < histories) {
        const auto history = fostat::backtest::make_history(seed++, interval);
        if (!history)
            continue;
        outcomes.push_back(fostat::backtest::run(*history, dir.file("")));
        const auto& o = outcomes.back();
        if (std::getenv("FOSTAT_BACKTEST_VERBOSE"))
            std::fprintf(stderr, "%s: lead %.2f, central %+.2f, earliest %+.2f (%s)\n",
                         history->label.c_str(), o.lead, o.central.value_or(999),
                         o.earliest.value_or(999), o.model.c_str());
    }
    using fostat::backtest::Outcome;
    std::printf("%-22s %4s  %6s  %6s  %7s  %4s  %4s  %7s\n", "method", "n", "median", "p90", "late",
                "over", "none", "latest");
    print("trend (central)", fostat::backtest::figures(outcomes, &Outcome::central));
    print("trend (earliest)", fostat::backtest::figures(outcomes, &Outcome::earliest));
    print("mean line (before)", fostat::backtest::figures(outcomes, &Outcome::mean_line));
    return 0;
}
