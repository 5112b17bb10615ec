#include "storage/chunk_codec.h"

#include <gtest/gtest.h>

#include "fostat/error.h"

namespace fostat {
namespace {

constexpr std::int64_t kDay = 1'795'478'400;  // 2026-11-24T00:00:00Z

ChunkSample make(std::int64_t ts, std::int64_t rel, std::array<std::optional<std::uint64_t>, 7> v) {
    ChunkSample s;
    s.timestamp = ts;
    s.relationship_id = rel;
    s.counters.values = v;
    return s;
}

TEST(ChunkCodec, RoundTripsValuesNullsRelationshipsAndExtremes) {
    std::vector<ChunkSample> in = {
        make(kDay, 1, {254, 120, 134, 60, 60, 70, 64}),
        make(kDay + 300, 1, {254, 121, 133, 61, 60, 70, 63}),
        make(kDay + 600, 2, {254, std::nullopt, 133, std::nullopt, 60, 0, 0}),
        make(kDay + 601, 2, {kMaxCounter, 0, kMaxCounter, 1, 0, kMaxCounter, 0}),
        make(kDay + 86'399, 7, {0, 0, 0, 0, 0, 0, 0}),
    };
    const std::string data = encode_chunk(kDay, in);
    std::vector<ChunkSample> out;
    decode_chunk(kDay, data, out);
    EXPECT_EQ(out, in);
}

TEST(ChunkCodec, RegularSamplesTakeNineBytes) {
    std::vector<ChunkSample> in;
    for (int i = 0; i < 288; ++i) {
        const std::uint64_t used = 130 + static_cast<std::uint64_t>(i % 5);
        in.push_back(
            make(kDay + 300 * i, 3, {254, 254 - used, used, 62, 62, used / 2, used - used / 2}));
    }
    const std::string data = encode_chunk(kDay, in);
    EXPECT_LE(data.size(), 288u * 9 + 8);
    std::vector<ChunkSample> out;
    decode_chunk(kDay, data, out);
    EXPECT_EQ(out, in);
}

TEST(ChunkCodec, DamagedDataIsAnErrorNotACrash) {
    const std::string data =
        encode_chunk(kDay, std::vector<ChunkSample>{make(kDay, 1, {1, 2, 3, 4, 5, 6, 7})});
    for (std::size_t cut = 1; cut < data.size(); ++cut) {
        std::vector<ChunkSample> out;
        EXPECT_THROW(decode_chunk(kDay, data.substr(0, cut), out), StorageError) << cut;
    }
    std::vector<ChunkSample> out;
    EXPECT_THROW(decode_chunk(kDay, std::string(12, '\xff'), out), StorageError);
}

TEST(ChunkCodec, DayOfATimestamp) {
    EXPECT_EQ(chunk_day(kDay), kDay);
    EXPECT_EQ(chunk_day(kDay + 86'399), kDay);
    EXPECT_EQ(chunk_day(kDay - 1), kDay - 86'400);
    EXPECT_EQ(chunk_day(-1), -86'400);
}

}  // namespace
}  // namespace fostat
