// The built-in source: a deterministic DHCP failover pair, for demos and for testing the
// analyses against a known truth.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fostat/sample_sink.h"

namespace fostat {

struct SimulateOptions {
    std::uint64_t seed = 1;
    int scopes = 4;
    int days = 30;
    std::int64_t interval = 300;  // seconds between samples
    std::int64_t end = 0;         // UTC seconds of the last sample (aligned down to interval)
};

// Something the simulator did on purpose, that a correct analysis must find.
struct Injection {
    std::string kind;    // an invariant rule name (sum-total, ...), or imbalance, starved, gap
    std::string server;  // the server whose samples show it
    std::string scope;
    std::int64_t first = 0;  // timestamps of the first and last affected sample
    std::int64_t last = 0;
    std::string detail;  // one human sentence
};

// Writes options.days of history ending at options.end: every scope of both servers at
// every interval, with the injections listed by simulate_injections().
// REQUIRES: scopes >= 1, days >= 1, interval >= 1.
void simulate_history(const SimulateOptions& options, SampleSink& sink);

// One sample per scope and server at `at`, from the same model with no injections
// (what the collector writes per tick of --every).
void simulate_tick(const SimulateOptions& options, std::int64_t at, SampleSink& sink);

// The first sampling instant after the history at which the model's demand in `scope`
// (before the fill cap that keeps every sample below 97 %) reaches the scope's num_addr,
// looking `within` seconds ahead; nullopt if it does not. What a forecast of the scope should
// say (tests/forecast_test.cpp). REQUIRES: 0 <= scope < options.scopes.
std::optional<std::int64_t> simulate_runs_out(const SimulateOptions& options, int scope,
                                              std::int64_t within);

// The injections simulate_history() makes for these options, in time order.
std::vector<Injection> simulate_injections(const SimulateOptions& options);

// The truth file: CSV "kind,server,scope,first,last,detail" with ISO 8601 UTC times.
void write_truth(const std::vector<Injection>& injections, std::ostream& out);

}  // namespace fostat
