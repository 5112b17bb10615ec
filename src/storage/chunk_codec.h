// The packed form of one series' samples of one UTC day (docs/storage.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fostat/sample.h"

namespace fostat {

inline constexpr std::int64_t kChunkSeconds = 86'400;

// The day (00:00 UTC, Unix seconds) whose chunk holds a sample taken at `timestamp`.
constexpr std::int64_t chunk_day(std::int64_t timestamp) {
    const std::int64_t r = timestamp % kChunkSeconds;
    return timestamp - (r < 0 ? r + kChunkSeconds : r);
}

struct ChunkSample {
    std::int64_t timestamp = 0;
    std::int64_t relationship_id = 0;
    Counters counters;

    bool operator==(const ChunkSample&) const = default;
};

// REQUIRES: samples strictly ascending by timestamp, all within [day, day + kChunkSeconds).
std::string encode_chunk(std::int64_t day, std::span<const ChunkSample> samples);

// Appends the samples of `data` to `out`. Throws StorageError if the blob is damaged.
void decode_chunk(std::int64_t day, std::string_view data, std::vector<ChunkSample>& out);

}  // namespace fostat
