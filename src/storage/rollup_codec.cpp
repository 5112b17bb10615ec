#include "storage/rollup_codec.h"

#include "storage/byte_codec.h"

// Packed bucket, all numbers varints unless said otherwise (B = the bucket's start):
//   samples, first_ts - B, last_ts - first_ts
//   per counter: count; when count > 0: min, max - min, sum - min * count,
//                and last - min + 1 (0: the last sample had none)
//   utilization count; when > 0: min, max, sum as 8-byte little-endian IEEE doubles
// Utilization at the last sample is not stored: it follows from the counters' last values.
// The hourly column is a sequence of (hour of the day as one byte, packed bucket).
// A /24 collected every 5 minutes takes about 80 bytes an hour.

namespace fostat {
namespace {

constexpr std::int64_t kHoursPerDay = kChunkSeconds / kHourSeconds;

std::optional<double> utilization_at_last(const RollupStats& s) {
    Counters last;
    last[Counter::num_addr] = s[Counter::num_addr].last;
    last[Counter::addr_in_use] = s[Counter::addr_in_use].last;
    return utilization_percent(last);
}

void encode_bucket(std::int64_t start, const RollupStats& s, std::string& out) {
    put_varint(out, static_cast<std::uint64_t>(s.samples));
    put_varint(out, static_cast<std::uint64_t>(s.first_ts - start));
    put_varint(out, static_cast<std::uint64_t>(s.last_ts - s.first_ts));
    for (const CounterStats& c : s.counters) {
        put_varint(out, static_cast<std::uint64_t>(c.count));
        if (c.count == 0)
            continue;
        put_varint(out, c.min);
        put_varint(out, c.max - c.min);
        put_varint(out, c.sum - c.min * static_cast<std::uint64_t>(c.count));
        put_varint(out, c.last ? *c.last - c.min + 1 : 0);
    }
    put_varint(out, static_cast<std::uint64_t>(s.utilization.count));
    if (s.utilization.count > 0) {
        put_double(out, s.utilization.min);
        put_double(out, s.utilization.max);
        put_double(out, s.utilization.sum);
    }
}

RollupStats decode_bucket(std::int64_t start, ByteReader& in) {
    RollupStats s;
    s.samples = static_cast<std::int64_t>(in.varint());
    s.first_ts = start + static_cast<std::int64_t>(in.varint());
    s.last_ts = s.first_ts + static_cast<std::int64_t>(in.varint());
    for (CounterStats& c : s.counters) {
        c.count = static_cast<std::int64_t>(in.varint());
        if (c.count == 0)
            continue;
        c.min = in.varint();
        c.max = c.min + in.varint();
        c.sum = in.varint() + c.min * static_cast<std::uint64_t>(c.count);
        if (const std::uint64_t last = in.varint(); last != 0)
            c.last = c.min + last - 1;
    }
    s.utilization.count = static_cast<std::int64_t>(in.varint());
    if (s.utilization.count > 0) {
        s.utilization.min = in.real();
        s.utilization.max = in.real();
        s.utilization.sum = in.real();
    }
    s.utilization.last = utilization_at_last(s);
    return s;
}

}  // namespace

std::string encode_daily(const DayRollup& rollup) {
    std::string out;
    encode_bucket(rollup.day, rollup.daily, out);
    return out;
}

std::string encode_hourly(const DayRollup& rollup) {
    std::string out;
    for (const Rollup& h : rollup.hourly) {
        out.push_back(static_cast<char>((h.start - rollup.day) / kHourSeconds));
        encode_bucket(h.start, h.stats, out);
    }
    return out;
}

RollupStats decode_daily(std::int64_t day, std::string_view data) {
    ByteReader in(data, "rollup");
    RollupStats s = decode_bucket(day, in);
    if (!in.done())
        in.damaged();
    return s;
}

std::vector<Rollup> decode_hourly(std::int64_t day, std::string_view data) {
    std::vector<Rollup> out;
    ByteReader in(data, "rollup");
    while (!in.done()) {
        const std::int64_t hour = in.byte();
        if (hour >= kHoursPerDay || (!out.empty() && day + hour * kHourSeconds <= out.back().start))
            in.damaged();
        const std::int64_t start = day + hour * kHourSeconds;
        out.push_back(Rollup{start, decode_bucket(start, in)});
    }
    return out;
}

}  // namespace fostat
