// What every analysis shares: severities and the exit status they add up to, the usual
// interval of a series, episodes of consecutive flagged samples, and the walk over scopes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sample_reader.h"

namespace fostat {

enum class Severity { info, warning, critical };

std::string_view to_string(Severity severity);
// Throws InputError for anything but info, warning, critical.
Severity parse_severity(std::string_view text);

// The monitoring-plugin exit status of a result whose worst finding is `worst`
// (docs/design.md § Exit status): none or info 0, warning 1, critical 2.
int exit_status(std::optional<Severity> worst);

// Keeps the worst severity seen.
class WorstSeverity {
  public:
    void add(Severity s) {
        if (!worst_ || s > *worst_)
            worst_ = s;
    }
    std::optional<Severity> get() const { return worst_; }
    int exit_status() const { return fostat::exit_status(worst_); }

  private:
    std::optional<Severity> worst_;
};

// The usual collection interval of a series walked in time order: the median step between
// consecutive timestamps (robust to gaps and to the odd late sample), the step at index
// count / 2 of the sorted steps; 0 with fewer than two timestamps. It keeps no samples: the
// steps are counted by length, one entry per distinct step (a few for a collector on a
// timer), not one per sample. REQUIRES: timestamps added in ascending order.
class IntervalCounter {
  public:
    IntervalCounter() = default;
    // Not copied: last_ points into steps_.
    IntervalCounter(const IntervalCounter&) = delete;
    IntervalCounter& operator=(const IntervalCounter&) = delete;

    void add(std::int64_t timestamp) {
        if (any_) {
            const std::int64_t step = timestamp - previous_;
            if (!last_ || step != last_step_) {  // a regular series finds its step here
                last_ = &steps_[step];
                last_step_ = step;
            }
            ++*last_;
        }
        previous_ = timestamp;
        any_ = true;
    }
    std::int64_t usual() const;

  private:
    std::map<std::int64_t, std::int64_t> steps_;  // step -> how many
    std::int64_t* last_ = nullptr;                // the count of last_step_ in steps_
    std::int64_t last_step_ = 0;
    std::int64_t previous_ = 0;
    bool any_ = false;
};

// A run of consecutive flagged samples of one series.
struct Episode {
    std::int64_t first = 0;  // timestamps of the first and last flagged sample
    std::int64_t last = 0;
    std::int64_t samples = 0;
    double worst = 0;  // the largest difference among them
    Point at_worst;    // the sample with that difference
};

// Turns a series walked in time order into episodes: flagged samples in a row make one
// episode; a sample that is not flagged ends it. Samples that cannot be judged (NULL
// counters) should be passed to skip(), which neither extends nor ends an episode.
class EpisodeBuilder {
  public:
    void flagged(const Point& point, double difference);
    void passed();
    void skip() {}
    // Ends the open episode, if any, and returns all of them in time order.
    std::vector<Episode> finish();

  private:
    std::optional<Episode> open_;
    std::vector<Episode> done_;
};

// A scope that has series matching a filter, with those series in server order.
struct ScopeSeries {
    std::string scope;
    std::vector<Series> servers;
};

// The scopes that have series matching the filter, in address order.
std::vector<ScopeSeries> scopes_of(SampleReader& reader, const SeriesFilter& filter);

// Calls `visit` once per scope of scopes_of(), in address order. The analyses then walk each
// series with a PointCursor, so that no window of samples is ever held (docs/design.md § Memory).
void for_each_scope(
    SampleReader& reader, const SeriesFilter& filter,
    const std::function<void(const std::string& scope, std::span<const Series> servers)>& visit);

// The threads an analysis that walks every scope uses when not told: one per core, at most
// kMostAnalysisThreads (each holds a connection with its own page cache and head cache).
inline constexpr std::size_t kMostAnalysisThreads = 4;
std::size_t analysis_threads();

// Calls work(thread_reader, i) for every i in [0, count), on up to `threads` threads
// (0: analysis_threads()), each index once, in no given order. The calling thread works with
// `reader`, every other thread with a sibling of it (SampleReader::sibling()): all read the
// same snapshot, and the points they make live as long as `reader`; where no sibling can be
// had, fewer threads do the work. REQUIRES: work of different indexes shares nothing it
// writes. The first exception thrown is rethrown once every thread stopped; indexes not
// started by then are not started.
void parallel_for_each(SampleReader& reader, std::size_t count, std::size_t threads,
                       const std::function<void(SampleReader&, std::size_t)>& work);

}  // namespace fostat
