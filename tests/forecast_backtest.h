// Backtesting trend's forecast (docs/analyses.md, Forecasts): histories whose exhaustion
// instant is known, made by a model of what drives a scope (growth, linear or accelerating;
// daily and weekly cycles; a step; spikes; noise; a pool extended; several sizes; 7 to 90
// days, cut at any time of day), run through the collector's storage and `trend`, and the
// forecast's error measured beside the mean-line method trend used before.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fostat/sample.h"

namespace fostat::backtest {

// The mean line `trend` drew before the forecast through the daily peaks: a weighted
// least-squares line through points (x in days), and where it reaches a target.
struct FitPoint {
    double x = 0;  // days
    double y = 0;
    double weight = 0;
};

// y = intercept + slope * x.
struct LinearFit {
    double intercept = 0;
    double slope = 0;
    bool operator==(const LinearFit&) const = default;
};

// Weighted least squares; nullopt without two distinct x of positive weight.
std::optional<LinearFit> fit_line(std::span<const FitPoint> points);

// The time at which the fitted line (x in days from `origin`) reaches `target` moving up
// (rising) or down; no earlier than origin, and nullopt when the line moves the other way,
// is flat, or gets there only after origin + horizon.
std::optional<std::int64_t> reaches(const LinearFit& fit, double target, bool rising,
                                    std::int64_t origin, std::int64_t horizon);

struct History {
    std::string label;  // what the model put in it, for messages
    std::vector<Sample> samples;
    std::int64_t as_of = 0;  // the last sample
    std::int64_t truth = 0;  // the first instant demand reaches num_addr
    std::uint64_t num_addr = 0;
};

// The history of `seed`, sampled every `interval` seconds; nullopt for the few seeds whose
// draw runs out inside the history or not within 120 days (the caller takes the next seed).
std::optional<History> make_history(std::uint64_t seed, std::int64_t interval);

struct Outcome {
    double lead = 0;                  // days from as_of to the truth
    std::optional<double> central;    // forecast minus truth, days; nullopt: none
    std::optional<double> earliest;   // earliest likely minus truth
    std::optional<double> mean_line;  // the former method (a line through daily means)
    std::string model;                // trend's: its fit, growth and spread, for messages
};

// Stores the history in a fresh database under `dir` and runs trend on it.
Outcome run(const History& history, const std::string& dir);

struct Figures {
    int forecasts = 0;  // histories with the truth within 75 days
    int missing = 0;    // of them, without a forecast within the horizon (365 days)
    double median = 0;  // |error|, days
    double p90 = 0;
    double late_share = 0;  // forecasts later than the truth
    int late_beyond = 0;    // later than max(1 day, 10 % of the lead)
    double worst_late = 0;  // the latest, days (<= 0: none late)
};

// Figures of one method's errors (Outcome::central, ::earliest or ::mean_line) over the
// outcomes whose lead is at most 75 days; a missing forecast counts as late by the horizon.
Figures figures(const std::vector<Outcome>& outcomes, std::optional<double> Outcome::*error);

}  // namespace fostat::backtest
