#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "analyses/forecast.h"
#include "analyses/trend.h"
#include "forecast_backtest.h"
#include "sources/simulate.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kMonday = 1'795'392'000;  // 2026-11-23T00:00:00Z

// Complete days from `first` on, with these peaks.
std::vector<DayPeak> days_from(std::int64_t first, const std::vector<double>& peaks) {
    std::vector<DayPeak> out;
    for (std::size_t i = 0; i < peaks.size(); ++i) {
        const std::int64_t day = first + static_cast<std::int64_t>(i) * kDay;
        out.push_back({day, peaks[i], day, day + kDay - 300});
    }
    return out;
}

ForecastInput input(double capacity, std::int64_t as_of) {
    ForecastInput in;
    in.capacity = capacity;
    in.as_of = as_of;
    in.horizon = 365 * kDay;
    return in;
}

TEST(Forecast, AStraightLineThroughThePeaksByHand) {
    // Peaks 100, 110, 120, 130 on Monday to Thursday, 254 addresses; as of Friday 00:00. The
    // line gives day k after Thursday 130 + 10 k at its middle: 250 on day 12, 260 on day
    // 13, whose start the line already passes (255): it runs out on day 13 at 00:00. An
    // exact fit has no spread, so the earliest likely date is the same.
    const auto days = days_from(kMonday, {100, 110, 120, 130});
    const std::int64_t as_of = kMonday + 4 * kDay;
    const Forecast f = forecast_peaks(days, input(254, as_of));
    EXPECT_TRUE(f.enough);
    EXPECT_EQ(f.days, 4);
    EXPECT_EQ(f.model(), "line");
    ASSERT_TRUE(f.growth);
    EXPECT_NEAR(*f.growth, 10, 1e-9);
    EXPECT_EQ(f.runs_out, kMonday + 16 * kDay);
    EXPECT_EQ(f.earliest, f.runs_out);

    // Within a day: capacity 257 is reached on day 13 between its start (255) and middle
    // (260): 2/5 of the way, 04:48.
    EXPECT_EQ(forecast_peaks(days, input(257, as_of)).runs_out,
              kMonday + 16 * kDay + 2 * kDay / 10);
    // Beyond the horizon: none.
    ForecastInput near = input(254, as_of);
    near.horizon = 10 * kDay;
    EXPECT_EQ(forecast_peaks(days, near).runs_out, std::nullopt);
    EXPECT_EQ(forecast_peaks(days, near).earliest, std::nullopt);
}

TEST(Forecast, NoisyPeaksGiveAnEarlierLikelyDate) {
    // 20 days of 5 a day with +-3 alternating: the central date follows the line, the
    // earliest likely comes before it.
    std::vector<double> peaks;
    for (int i = 0; i < 20; ++i)
        peaks.push_back(100 + 5 * i + (i % 2 ? 3 : -3));
    const Forecast f = forecast_peaks(days_from(kMonday, peaks), input(400, kMonday + 20 * kDay));
    ASSERT_TRUE(f.runs_out && f.earliest);
    EXPECT_LT(*f.earliest, *f.runs_out);
    EXPECT_NEAR(*f.growth, 5, 0.5);
    EXPECT_GT(*f.spread, 1);
}

TEST(Forecast, TooFewDaysSayNothing) {
    const Forecast f =
        forecast_peaks(days_from(kMonday, {100, 200}), input(254, kMonday + 2 * kDay));
    EXPECT_FALSE(f.enough);
    EXPECT_EQ(f.model(), "short");
    EXPECT_EQ(f.growth, std::nullopt);
    EXPECT_EQ(f.runs_out, std::nullopt);
    // A day whose samples span less than 20 hours does not count.
    std::vector<DayPeak> days = days_from(kMonday, {100, 110, 120});
    days[1].last_ts = days[1].first_ts + 19 * 3600;
    EXPECT_FALSE(forecast_peaks(days, input(254, kMonday + 3 * kDay)).enough);
}

TEST(Forecast, DemandAtCapacityOnTheLastDayIsOutNow) {
    auto days = days_from(kMonday, {240, 230, 220});
    days.push_back({kMonday + 3 * kDay, 254, kMonday + 3 * kDay, kMonday + 3 * kDay + 3600});
    const std::int64_t as_of = kMonday + 3 * kDay + 3600;
    const Forecast f = forecast_peaks(days, input(254, as_of));
    EXPECT_EQ(f.runs_out, as_of);
    EXPECT_EQ(f.earliest, as_of);
    // Even with too little history to fit.
    EXPECT_EQ(forecast_peaks(std::span(days).last(1), input(254, as_of)).runs_out, as_of);
}

TEST(Forecast, ASpikeMovesTheForecastLittle) {
    std::vector<double> peaks;
    for (int i = 0; i < 30; ++i)
        peaks.push_back(100 + 2 * i + (i % 3) * 0.5);
    const std::int64_t as_of = kMonday + 30 * kDay;
    const Forecast plain = forecast_peaks(days_from(kMonday, peaks), input(254, as_of));
    peaks[20] += 60;  // a conference
    const Forecast spiked = forecast_peaks(days_from(kMonday, peaks), input(254, as_of));
    ASSERT_TRUE(plain.runs_out && spiked.runs_out);
    EXPECT_LE(std::abs(*spiked.runs_out - *plain.runs_out), kDay / 2);
    EXPECT_FALSE(spiked.step);
}

TEST(Forecast, WeekendsDoNotHideTheWeekdayPeak) {
    // Four weeks: weekdays 150 + 2 a day, Saturday and Sunday 60 lower. The weekday line
    // (its day i at the day's middle) passes 255.5 on day 53, a Friday: 255 at its start,
    // 256 at its middle, so a quarter into it. A line through every day would come later.
    std::vector<double> peaks;
    for (int i = 0; i < 28; ++i)
        peaks.push_back(150 + 2 * i - (i % 7 >= 5 ? 60 : 0));
    const Forecast f = forecast_peaks(days_from(kMonday, peaks), input(255.5, kMonday + 28 * kDay));
    EXPECT_TRUE(f.weekly);
    ASSERT_TRUE(f.runs_out);
    EXPECT_NEAR(static_cast<double>(*f.runs_out - kMonday) / kDay, 53.25, 0.01);
}

TEST(Forecast, AStepIsALevelNotGrowth) {
    // 30 days growing 1 a day; a building opens on day 24 and adds 40. Growth stays 1 a day
    // and the forecast starts from the new level: 169 on day 29, 254 on day 114.
    std::vector<double> peaks;
    for (int i = 0; i < 30; ++i)
        peaks.push_back(100 + i + (i >= 24 ? 40 : 0) + (i % 2) * 0.5);
    const Forecast f = forecast_peaks(days_from(kMonday, peaks), input(254, kMonday + 30 * kDay));
    ASSERT_TRUE(f.step);
    EXPECT_EQ(*f.step, kMonday + 24 * kDay);
    EXPECT_NEAR(*f.growth, 1, 0.05);
    ASSERT_TRUE(f.runs_out);
    EXPECT_NEAR(static_cast<double>(*f.runs_out - kMonday) / kDay, 114, 1);
}

TEST(Forecast, AcceleratingGrowthIsFollowed) {
    // 40 days of 100 + 0.5 i + 0.05 i^2: growth about 4.5 a day at the end, and capacity 400
    // reached on day 72.6 (0.05 i^2 + 0.5 i = 300); a line would say day 85 or later.
    std::vector<double> peaks;
    for (int i = 0; i < 40; ++i)
        peaks.push_back(std::round(100 + 0.5 * i + 0.05 * i * i));
    const Forecast f = forecast_peaks(days_from(kMonday, peaks), input(400, kMonday + 40 * kDay));
    EXPECT_TRUE(f.curve);
    ASSERT_TRUE(f.runs_out);
    EXPECT_NEAR(static_cast<double>(*f.runs_out - kMonday) / kDay, 72.6, 1);
}

TEST(Forecast, AKnownBreakLetsTheOwnPoolStepThere) {
    // A server's own free addresses at the trough, as negated demand: -60 falling 5 a day
    // (-60, -55, ...), then the pool is extended on day 12 and the trough jumps to 80 free.
    std::vector<double> peaks;
    for (int i = 0; i < 15; ++i)
        peaks.push_back(i < 12 ? -60 + 5 * i : -80 + 5 * (i - 12));
    ForecastInput in = input(0, kMonday + 15 * kDay);
    in.known_break = kMonday + 12 * kDay;
    const Forecast f = forecast_peaks(days_from(kMonday, peaks), in);
    ASSERT_TRUE(f.step);
    EXPECT_EQ(*f.step, kMonday + 12 * kDay);
    ASSERT_TRUE(f.runs_out);
    // -70 on day 14, 0 on day 28.
    EXPECT_NEAR(static_cast<double>(*f.runs_out - kMonday) / kDay, 28, 0.6);
}

TEST(Backtest, TheFormerMeanLineByHand) {
    // Weights 1, 2, 1 at x 0, 1, 2 with y 0, 3, 3: mean x 1, mean y 9/4, Sxx 2, Sxy 3.
    const std::vector<backtest::FitPoint> points = {{0, 0, 1}, {1, 3, 2}, {2, 3, 1}};
    const auto fit = backtest::fit_line(points);
    ASSERT_TRUE(fit);
    EXPECT_DOUBLE_EQ(fit->slope, 1.5);
    EXPECT_DOUBLE_EQ(fit->intercept, 0.75);
    EXPECT_FALSE(backtest::fit_line(std::vector<backtest::FitPoint>{{1, 5, 3}}));
    EXPECT_FALSE(
        backtest::fit_line(std::vector<backtest::FitPoint>{{1, 5, 3}, {1, 7, 1}}));  // one x only
    EXPECT_FALSE(backtest::fit_line(
        std::vector<backtest::FitPoint>{{1, 5, 3}, {2, 7, 0}}));  // one weight only
}

TEST(Backtest, TheFormerLineReachesItsTargetOnlyMovingTowardsIt) {
    const backtest::LinearFit up{100, 10};  // 100 at the origin, 10 a day
    EXPECT_EQ(backtest::reaches(up, 150, true, kMonday, 365 * kDay), kMonday + 5 * kDay);
    EXPECT_EQ(backtest::reaches(up, 150, true, kMonday, 5 * kDay), kMonday + 5 * kDay);
    EXPECT_EQ(backtest::reaches(up, 150, true, kMonday, 5 * kDay - 1), std::nullopt);
    EXPECT_EQ(backtest::reaches(up, 80, true, kMonday, 365 * kDay), kMonday);  // already past: now
    EXPECT_EQ(backtest::reaches(up, 0, false, kMonday, 365 * kDay), std::nullopt);
    EXPECT_EQ(backtest::reaches({100, -20}, 0, false, kMonday, 365 * kDay), kMonday + 5 * kDay);
    EXPECT_EQ(backtest::reaches({100, 0}, 150, true, kMonday, 365 * kDay), std::nullopt);
}

// The target (docs/design.md § Performance, forecast) on histories with known exhaustion, run
// through storage and trend as tools/bench runs them (with samples every 15 minutes here, to
// be quick).
TEST(Forecast, BacktestMeetsTheTarget) {
    test::TempDir dir;
    std::vector<backtest::Outcome> outcomes;
    for (std::uint64_t seed = 1; outcomes.size() < 100; ++seed) {
        if (const auto h = backtest::make_history(seed, 900))
            outcomes.push_back(backtest::run(*h, dir.file("")));
    }
    using backtest::Outcome;
    const backtest::Figures central = backtest::figures(outcomes, &Outcome::central);
    const backtest::Figures earliest = backtest::figures(outcomes, &Outcome::earliest);
    const backtest::Figures before = backtest::figures(outcomes, &Outcome::mean_line);
    EXPECT_GE(central.forecasts, 90);
    EXPECT_LE(central.median, 1.0);
    EXPECT_EQ(central.missing, 0);
    // The date to act on is late beyond max(1 day, 10 % of the lead) for at most 1 in 50.
    EXPECT_LE(earliest.late_beyond * 50, earliest.forecasts);
    EXPECT_LE(earliest.late_share, 0.2);
    // The mean line the forecast replaced fails the same histories: the test can tell.
    EXPECT_GT(before.median, 5.0);
    EXPECT_GT(before.late_share, 0.7);
}

// The simulate source's scope heading for exhaustion, cut at several times of day and after
// histories of several lengths: its forecast meets the same target against the instant the
// model's demand fills the pool (simulate_runs_out).
TEST(Forecast, TheSimulatedGrowingScopeRunsOutWhenTrendSays) {
    test::TempDir dir;
    std::vector<backtest::Outcome> outcomes;
    for (const int days : {7, 14, 30, 60}) {
        for (const std::int64_t cut : {0, 5, 11, 17, 22}) {
            SimulateOptions options;
            options.scopes = 1;
            options.days = days;
            options.seed = static_cast<std::uint64_t>(days + cut);
            options.end = kMonday + 3 * kDay + cut * 3600;
            const auto truth = simulate_runs_out(options, 0, 365 * kDay);
            ASSERT_TRUE(truth);
            test::VectorSink sink;
            simulate_history(options, sink);
            const std::string path = dir.file(std::to_string(days) + "-" + std::to_string(cut));
            auto db = open_database(path, Access::read_write);
            test::store(*db, sink.samples);
            const TrendResult result = trend(*db, {}, TrendOptions{});
            ASSERT_EQ(result.lines.size(), 1u);
            const TrendLine& line = result.lines[0];
            SCOPED_TRACE(std::to_string(days) + " days to " + std::to_string(cut) + ":00, " +
                         line.fit);
            backtest::Outcome o;
            o.lead = static_cast<double>(*truth - result.as_of) / kDay;
            if (line.exhaustion)
                o.central = static_cast<double>(*line.exhaustion - *truth) / kDay;
            if (line.earliest)
                o.earliest = static_cast<double>(*line.earliest - *truth) / kDay;
            ASSERT_TRUE(o.central);
            EXPECT_LE(*o.central, std::max(1.0, 0.1 * o.lead));
            EXPECT_LE(*o.earliest, std::max(1.0, 0.1 * o.lead));
            outcomes.push_back(o);
        }
    }
    EXPECT_LE(backtest::figures(outcomes, &backtest::Outcome::central).median, 1.0);
}

}  // namespace
}  // namespace fostat
