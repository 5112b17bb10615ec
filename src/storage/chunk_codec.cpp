#include "storage/chunk_codec.h"

#include "storage/byte_codec.h"

// Layout, per sample in time order:
//   varint  zigzag(delta - previous delta), delta = timestamp - previous timestamp
//           (the first sample's previous timestamp is the day, its previous delta 0)
//   byte    bit i (0..6): counter i is present; bit 7: a relationship id follows
//   varint  relationship id, when bit 7 is set (always for the first sample)
//   varint  zigzag(value - previous value of that counter), for each present counter
// A collector that samples on a fixed interval makes most samples 9 bytes.

namespace fostat {
namespace {

constexpr std::uint8_t kRelationshipFollows = 0x80;

}  // namespace

void ChunkEncoder::append(const ChunkSample& s, std::string& out) {
    if (samples_++ == 0)
        first_ts_ = s.timestamp;
    const std::int64_t delta = s.timestamp - previous_ts_;
    put_varint(out, zigzag(delta - previous_delta_));
    previous_ts_ = s.timestamp;
    previous_delta_ = delta;

    std::uint8_t flags = s.relationship_id != relationship_ ? kRelationshipFollows : 0;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        if (s.counters.values[i])
            flags |= static_cast<std::uint8_t>(1u << i);
    }
    out.push_back(static_cast<char>(flags));
    if (flags & kRelationshipFollows) {
        put_varint(out, static_cast<std::uint64_t>(s.relationship_id));
        relationship_ = s.relationship_id;
    }
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        if (!s.counters.values[i])
            continue;
        const auto value = static_cast<std::int64_t>(*s.counters.values[i]);
        put_varint(out, zigzag(value - previous_[i]));
        previous_[i] = value;
    }
}

std::string encode_chunk(std::int64_t day, std::span<const ChunkSample> samples) {
    std::string out;
    out.reserve(samples.size() * 10);
    ChunkEncoder encoder(day);
    for (const ChunkSample& s : samples)
        encoder.append(s, out);
    return out;
}

void decode_chunk(std::int64_t day, std::string_view data, std::vector<ChunkSample>& out) {
    ByteReader in(data, "chunk of samples");
    std::int64_t previous_ts = day;
    std::int64_t previous_delta = 0;
    std::int64_t relationship = -1;
    std::array<std::int64_t, kCounterCount> previous{};
    while (!in.done()) {
        ChunkSample& s = out.emplace_back();
        previous_delta += unzigzag(in.varint());
        previous_ts += previous_delta;
        s.timestamp = previous_ts;
        const std::uint8_t flags = in.byte();
        if (flags & kRelationshipFollows)
            relationship = static_cast<std::int64_t>(in.varint());
        if (relationship < 0)
            in.damaged();
        s.relationship_id = relationship;
        for (std::size_t i = 0; i < kCounterCount; ++i) {
            if (!(flags & (1u << i)))
                continue;
            previous[i] += unzigzag(in.varint());
            if (previous[i] < 0)
                in.damaged();
            s.counters.values[i] = static_cast<std::uint64_t>(previous[i]);
        }
    }
}

}  // namespace fostat
