// The hourly and daily aggregates of a series (schema/0002_rollups.sql): what a bucket
// holds and how samples and other buckets add to it (docs/storage.md, "Rollups and
// retention").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fostat/sample.h"
#include "storage/chunk_codec.h"

namespace fostat {

// The two bucket lengths stored; a daily bucket is a chunk's day.
inline constexpr std::int64_t kHourSeconds = 3'600;
inline constexpr std::int64_t kDaySeconds = kChunkSeconds;

// One counter over a bucket. min, max and sum cover the count non-NULL values; last is the
// value at the bucket's last sample, NULL when that sample had none.
struct CounterStats {
    std::int64_t count = 0;
    std::uint64_t min = 0;
    std::uint64_t max = 0;
    std::uint64_t sum = 0;  // exact: counters are at most 2^32 - 1
    std::optional<std::uint64_t> last;

    std::optional<double> mean() const;
    bool operator==(const CounterStats&) const = default;
};

// Utilization (utilization_percent) over a bucket; sum adds the samples in time order.
struct UtilizationStats {
    std::int64_t count = 0;
    double min = 0;
    double max = 0;
    double sum = 0;
    std::optional<double> last;  // at the bucket's last sample

    std::optional<double> mean() const;
    bool operator==(const UtilizationStats&) const = default;
};

// The aggregates of one series (or of several, combined) over a stretch of time.
struct RollupStats {
    std::int64_t samples = 0;
    std::int64_t first_ts = 0;
    std::int64_t last_ts = 0;
    std::array<CounterStats, kCounterCount> counters{};
    UtilizationStats utilization;

    const CounterStats& operator[](Counter c) const { return counters[static_cast<int>(c)]; }

    // REQUIRES: timestamp > last_ts unless this is the first sample (samples in time order).
    void add(std::int64_t timestamp, const Counters& values);
    // Adds another bucket's aggregates: of a later stretch of the same series, or of another
    // series over the same stretch. The last values come from whichever bucket has the later
    // last sample (this one on a tie); utilization sums are added, this one's first.
    void absorb(const RollupStats& other);

    bool operator==(const RollupStats&) const = default;
};

// One bucket: [start, start + length).
struct Rollup {
    std::int64_t start = 0;
    RollupStats stats;
    bool operator==(const Rollup&) const = default;
};

// The rollups of one series' day, as the collector stores them.
struct DayRollup {
    std::int64_t day = 0;
    RollupStats daily;
    std::vector<Rollup> hourly;  // the hours that have samples, ascending
};

// REQUIRES: samples ascending by time, all within the day; at least one.
DayRollup roll_up_day(std::int64_t day, std::span<const ChunkSample> samples);

}  // namespace fostat
