// The byte-level pieces of fostat's packed BLOBs (chunks of samples, rollups): varints,
// zig-zag signed values, little-endian doubles, and a bounds-checked reader.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "fostat/error.h"

namespace fostat {

inline std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

inline void put_double(std::string& out, double v) {
    auto bits = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i, bits >>= 8)
        out.push_back(static_cast<char>(bits & 0xff));
}

// Reads what the put_ functions wrote; a read past the end, or a varint longer than 64 bits,
// throws StorageError naming `what` ("chunk of samples", "rollup").
class ByteReader {
  public:
    ByteReader(std::string_view data, const char* what)
        : p_(data.data()), end_(data.data() + data.size()), what_(what) {}
    bool done() const { return p_ == end_; }
    std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
    std::uint8_t byte() {
        if (p_ == end_)
            damaged();
        return static_cast<std::uint8_t>(*p_++);
    }
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint8_t b = byte();
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (b < 0x80)
                return v;
        }
        damaged();
    }
    double real() {
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= static_cast<std::uint64_t>(byte()) << (8 * i);
        return std::bit_cast<double>(bits);
    }
    [[noreturn]] void damaged() const {
        throw StorageError(std::string("a stored ") + what_ +
                           " is damaged; run PRAGMA integrity_check");
    }

  private:
    const char* p_;
    const char* end_;
    const char* what_;
};

}  // namespace fostat
