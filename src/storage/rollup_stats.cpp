#include "storage/rollup_stats.h"

#include <algorithm>

namespace fostat {

std::optional<double> CounterStats::mean() const {
    if (count == 0)
        return std::nullopt;
    return static_cast<double>(sum) / static_cast<double>(count);
}

std::optional<double> UtilizationStats::mean() const {
    if (count == 0)
        return std::nullopt;
    return sum / static_cast<double>(count);
}

void RollupStats::add(std::int64_t timestamp, const Counters& values) {
    if (samples++ == 0)
        first_ts = timestamp;
    last_ts = timestamp;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        CounterStats& c = counters[i];
        const std::optional<std::uint64_t>& v = values.values[i];
        c.last = v;
        if (!v)
            continue;
        c.min = c.count == 0 ? *v : std::min(c.min, *v);
        c.max = c.count == 0 ? *v : std::max(c.max, *v);
        c.sum += *v;
        ++c.count;
    }
    UtilizationStats& u = utilization;
    u.last = utilization_percent(values);
    if (!u.last)
        return;
    u.min = u.count == 0 ? *u.last : std::min(u.min, *u.last);
    u.max = u.count == 0 ? *u.last : std::max(u.max, *u.last);
    u.sum += *u.last;
    ++u.count;
}

void RollupStats::absorb(const RollupStats& other) {
    if (other.samples == 0)
        return;
    if (samples == 0) {
        *this = other;
        return;
    }
    const bool later = other.last_ts > last_ts;
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        CounterStats& c = counters[i];
        const CounterStats& o = other.counters[i];
        if (later)
            c.last = o.last;
        if (o.count == 0)
            continue;
        c.min = c.count == 0 ? o.min : std::min(c.min, o.min);
        c.max = c.count == 0 ? o.max : std::max(c.max, o.max);
        c.sum += o.sum;
        c.count += o.count;
    }
    UtilizationStats& u = utilization;
    const UtilizationStats& o = other.utilization;
    if (later)
        u.last = o.last;
    if (o.count > 0) {
        u.min = u.count == 0 ? o.min : std::min(u.min, o.min);
        u.max = u.count == 0 ? o.max : std::max(u.max, o.max);
        u.sum += o.sum;
        u.count += o.count;
    }
    samples += other.samples;
    first_ts = std::min(first_ts, other.first_ts);
    last_ts = std::max(last_ts, other.last_ts);
}

DayRollup roll_up_day(std::int64_t day, std::span<const ChunkSample> samples) {
    DayRollup out;
    out.day = day;
    for (const ChunkSample& s : samples) {
        const std::int64_t hour = s.timestamp - (s.timestamp - day) % kHourSeconds;
        if (out.hourly.empty() || out.hourly.back().start != hour)
            out.hourly.push_back(Rollup{hour, {}});
        out.hourly.back().stats.add(s.timestamp, s.counters);
        out.daily.add(s.timestamp, s.counters);
    }
    return out;
}

}  // namespace fostat
