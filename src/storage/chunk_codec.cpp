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

namespace {

// A varint of more than one byte, or a damaged one; `p` is advanced past it.
std::uint64_t long_varint(const std::uint8_t*& p, const std::uint8_t* end) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && p != end; shift += 7) {
        const std::uint8_t b = *p++;
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (b < 0x80)
            return v;
    }
    ByteReader("", "chunk of samples").damaged();
}

}  // namespace

ChunkDecoder::ChunkDecoder(std::int64_t day, std::string_view data)
    : p_(reinterpret_cast<const std::uint8_t*>(data.data())),
      end_(p_ + data.size()),
      previous_ts_(day) {}

// The hot loop of every query that reads samples (docs/storage.md, Memory of the queries):
// raw pointers and a one-byte fast path for the varints, which are most of a chunk's bytes.
bool ChunkDecoder::next(std::int64_t& timestamp, std::int64_t& relationship_id,
                        Counters& counters) {
    if (p_ == end_)
        return false;
    const std::uint8_t* p = p_;
    const std::uint8_t* const end = end_;
    const auto varint = [&]() -> std::uint64_t {
        if (p != end && *p < 0x80)
            return *p++;
        return long_varint(p, end);
    };
    previous_delta_ += unzigzag(varint());
    previous_ts_ += previous_delta_;
    timestamp = previous_ts_;
    if (p == end)
        ByteReader("", "chunk of samples").damaged();
    const std::uint8_t flags = *p++;
    if (flags & kRelationshipFollows)
        relationship_ = static_cast<std::int64_t>(varint());
    if (relationship_ < 0)
        ByteReader("", "chunk of samples").damaged();
    relationship_id = relationship_;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        if (!(flags & (1u << i))) {
            counters.values[i].reset();
            continue;
        }
        previous_[i] += unzigzag(varint());
        if (previous_[i] < 0)
            ByteReader("", "chunk of samples").damaged();
        counters.values[i] = static_cast<std::uint64_t>(previous_[i]);
    }
    p_ = p;
    return true;
}

void decode_chunk(std::int64_t day, std::string_view data, std::vector<ChunkSample>& out) {
    ChunkDecoder decoder(day, data);
    ChunkSample s;
    while (decoder.next(s.timestamp, s.relationship_id, s.counters))
        out.push_back(s);
}

}  // namespace fostat
