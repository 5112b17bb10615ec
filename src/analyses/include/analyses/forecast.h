// When demand at its daily peak reaches capacity: the forecast behind trend's "runs out"
// (docs/analyses.md, Forecasts). A pure function of one line's daily peaks; trend gathers
// the peaks from the daily rollups (or from raw samples where the window cuts a day), so
// both give the same forecast exactly.
//
// The model, fitted to the daily peaks of the last kForecastDays complete days:
//   peak(day) = level + growth * x [+ curve * x^2] [+ step after a break] [+ weekday effect]
// with x in days from the window's end. The terms in brackets are each kept only where the
// Bayesian information criterion (BIC) says they earn their parameters; the fit is Huber's
// robust regression, so a one-off spike moves it little. The central date is the first day
// whose predicted peak reaches capacity; the earliest likely date the first whose upper
// one-sided 90 % prediction bound does (Student's t, the residual spread and the
// parameters' own uncertainty).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace fostat {

// Days of complete peaks a forecast needs at least, and uses at most (the newest ones).
inline constexpr int kForecastMinDays = 3;
inline constexpr int kForecastDays = 91;
// A day's samples must span this long for its peak to count (a day cut by the window's
// edge, or mostly missed by the collector, may not hold its peak).
inline constexpr std::int64_t kCompleteDaySeconds = 20 * 3'600;

// The highest demand of one UTC day.
struct DayPeak {
    std::int64_t day = 0;  // the day's start, UTC
    double peak = 0;
    std::int64_t first_ts = 0;  // the day's first and last sample
    std::int64_t last_ts = 0;

    bool complete() const { return last_ts - first_ts >= kCompleteDaySeconds; }
};

struct ForecastInput {
    double capacity = 0;       // demand runs out here
    std::int64_t as_of = 0;    // the window's end; the forecast counts from it
    std::int64_t horizon = 0;  // seconds after as_of to look
    // A break the data is known to have (num_addr changed that day, and with it a server's
    // own free pool): every model takes a step there instead of searching for one, and
    // fewer than two days from it on are too little to forecast.
    std::optional<std::int64_t> known_break;
};

struct Forecast {
    int days = 0;                          // complete days fitted
    bool enough = false;                   // days >= kForecastMinDays
    std::optional<double> growth;          // the peak's growth a day at as_of
    std::optional<double> spread;          // the residuals' robust standard deviation
    std::optional<std::int64_t> runs_out;  // central: the predicted peak reaches capacity
    std::optional<std::int64_t> earliest;  // the upper 90 % bound reaches capacity
    bool curve = false;                    // accelerating growth (a positive x^2 term)
    bool weekly = false;                   // weekday effects
    std::optional<std::int64_t> step;      // the day a level shift starts
    // The central model's peak at as_of, on the weekday whose is highest, and the start of
    // the first day it was fitted to (of the step's, when it has one): what plot draws.
    std::optional<double> level;
    std::optional<std::int64_t> fitted_from;

    // "line", "curve", with "+weekly" and "+step" when they are part of it; "short" without
    // enough days.
    std::string model() const;
    bool operator==(const Forecast&) const = default;
};

// REQUIRES: days in ascending order of day, at most one per day; horizon >= 0.
Forecast forecast_peaks(std::span<const DayPeak> days, const ForecastInput& input);

}  // namespace fostat
