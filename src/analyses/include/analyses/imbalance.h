// Imbalance between failover partners (docs/design.md § Imbalance): each server's share of
// the free addresses against the share it should hold, in episodes; and starved servers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyses/analysis.h"

namespace fostat {

struct ImbalanceOptions {
    // A sample is short when its free share is more than this many percentage points
    // below the expected share.
    double threshold = 10;
    // An imbalance episode is reported when last - first >= this (seconds).
    std::int64_t min_duration = 30 * 60;
    // Samples with fewer free addresses than this (or none) are not judged on shares.
    std::uint64_t min_free = 10;
    // The server's own rebalancing interval (seconds): an imbalance that outlives it in
    // normal state is a stalled rebalance.
    std::int64_t rebalance = 60 * 60;
    // Threads that walk the scopes (0: analysis_threads()); the result is the same.
    std::size_t threads = 0;
};

enum class ImbalanceKind { imbalance, starved };
std::string_view to_string(ImbalanceKind kind);

struct ImbalanceEpisode {
    ImbalanceKind kind = ImbalanceKind::imbalance;
    Severity severity = Severity::info;
    std::string relationship;  // the name stored with the episode's first sample
    std::string scope;
    std::string server;      // the server short of free addresses
    std::int64_t first = 0;  // timestamps of the first and last sample of the episode
    std::int64_t last = 0;
    std::int64_t samples = 0;  // samples in the episode (not counting unjudged ones)
    // Deviations are free share - expected share in percentage points: negative = short.
    // Unknown only for a starved episode whose addr_free is NULL.
    std::optional<double> worst_deviation;
    std::optional<double> mean_deviation;
    // Mean of this_addr_in_use / addr_in_use in percent over the samples that have them.
    std::optional<double> mean_in_use_share;
    double expected_share = 0;     // at the worst sample
    State state = State::unknown;  // the most common state of the episode's samples
    // Imbalance only: a run of consecutive normal-state samples inside the episode lasted
    // longer than ImbalanceOptions::rebalance.
    bool stalled = false;

    std::int64_t duration() const { return last - first; }
};

struct ImbalanceResult {
    // By relationship, then scope in address order, then start, server, kind.
    std::vector<ImbalanceEpisode> episodes;
    std::int64_t samples = 0;        // samples read
    std::int64_t null_skipped = 0;   // samples with a NULL counter a judgement needed
    std::int64_t small_skipped = 0;  // samples not judged on shares: addr_free < min_free
    WorstSeverity worst;
};

// REQUIRES: 0 <= threshold <= 100, min_duration >= 0, rebalance >= 0.
ImbalanceResult find_imbalance(SampleReader& reader, const SeriesFilter& filter,
                               const ImbalanceOptions& options);

}  // namespace fostat
