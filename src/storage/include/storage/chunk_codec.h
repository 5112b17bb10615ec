// The packed form of one series' samples of one UTC day (docs/storage.md).
#pragma once

#include <array>
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

// Appends samples to a chunk's encoding one at a time, so that a chunk that grows in time
// order is never decoded again; remembers just what the next sample's encoding depends on.
class ChunkEncoder {
  public:
    explicit ChunkEncoder(std::int64_t day) : day_(day), previous_ts_(day) {}

    // REQUIRES: sample.timestamp > last_timestamp() (or the first sample), within the day.
    void append(const ChunkSample& sample, std::string& out);

    std::int64_t day() const { return day_; }
    std::int64_t samples() const { return samples_; }
    std::int64_t first_timestamp() const { return first_ts_; }
    std::int64_t last_timestamp() const { return previous_ts_; }

  private:
    std::int64_t day_;
    std::int64_t previous_ts_;
    std::int64_t previous_delta_ = 0;
    std::int64_t relationship_ = -1;
    std::array<std::int64_t, kCounterCount> previous_{};
    std::int64_t samples_ = 0;
    std::int64_t first_ts_ = 0;
};

// REQUIRES: samples strictly ascending by timestamp, all within [day, day + kChunkSeconds).
std::string encode_chunk(std::int64_t day, std::span<const ChunkSample> samples);

// Reads a chunk's samples one at a time, in time order: a walk over a series takes each
// sample straight from the blob, with no vector between.
class ChunkDecoder {
  public:
    ChunkDecoder() = default;  // no samples
    // REQUIRES: `data` outlives the decoder's use.
    ChunkDecoder(std::int64_t day, std::string_view data);

    // The next sample into the three, or false after the last. Every counter is written (an
    // absent one as nullopt). Throws StorageError if the blob is damaged.
    bool next(std::int64_t& timestamp, std::int64_t& relationship_id, Counters& counters);

  private:
    const std::uint8_t* p_ = nullptr;
    const std::uint8_t* end_ = nullptr;
    std::int64_t previous_ts_ = 0;
    std::int64_t previous_delta_ = 0;
    std::int64_t relationship_ = -1;
    std::array<std::int64_t, kCounterCount> previous_{};
};

// Appends the samples of `data` to `out`. Throws StorageError if the blob is damaged.
void decode_chunk(std::int64_t day, std::string_view data, std::vector<ChunkSample>& out);

}  // namespace fostat
