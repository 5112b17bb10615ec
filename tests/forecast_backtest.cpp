#include "forecast_backtest.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <numbers>

#include "analyses/trend.h"
#include "storage/database.h"
#include "test_support.h"

namespace fostat::backtest {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kHorizon = 365 * kDay;
constexpr double kMaxLead = 75;  // days: the target's range
constexpr std::int64_t kSearch = 120 * kDay;

// splitmix64 (Steele, Lea, Flood 2014): the same draws on every platform.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
    std::uint64_t next() {
        std::uint64_t x = (state_ += 0x9E3779B97F4A7C15ull);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * static_cast<double>(next() >> 11) / 9007199254740992.0;
    }
    bool chance(double p) { return uniform(0, 1) < p; }

  private:
    std::uint64_t state_;
};

// A noise value in [-1, 1] for an instant, the same whenever asked (the truth and the
// samples see the same noise).
double noise_at(std::uint64_t seed, std::int64_t t) {
    Rng r(seed ^ (static_cast<std::uint64_t>(t) * 0xD1B54A32D192ED03ull));
    r.next();
    return r.uniform(-1, 1);
}

struct Spike {
    std::int64_t start = 0;
    std::int64_t length = 0;
    double size = 0;
};

// What drives one scope's demand (addresses in use) at an instant.
struct Model {
    std::uint64_t seed = 0;
    double num_addr = 0;
    std::int64_t as_of = 0;
    double level = 0;   // the trend's value at as_of
    double growth = 0;  // a day, at as_of
    double accel = 0;   // growth added a day
    double swing = 0;   // the daily cycle, trough to peak
    double peak_hour = 12;
    double weekend = 1;  // Saturday's and Sunday's swing above the trough, a share
    double noise = 0;
    std::optional<std::int64_t> step_at;  // a building opens
    double step = 0;
    std::vector<Spike> spikes;

    double demand(std::int64_t t) const {
        const double days = static_cast<double>(t - as_of) / kDay;
        double d = level + growth * days + accel * days * days / 2;
        if (step_at && t < *step_at)
            d -= step;
        const double hour = static_cast<double>(((t % kDay) + kDay) % kDay) / 3600;
        const double shape = (1 + std::cos(2 * std::numbers::pi * (hour - peak_hour) / 24)) / 2;
        const std::int64_t weekday = ((t / kDay + 3) % 7 + 7) % 7;  // Monday 0
        d += swing * (shape * (weekday >= 5 ? weekend : 1) - 1);
        for (const Spike& s : spikes) {
            if (t >= s.start && t < s.start + s.length)
                d += s.size;
        }
        return d + noise * noise_at(seed, t);
    }
};

std::uint64_t in_use_of(double demand, std::uint64_t capacity) {
    return static_cast<std::uint64_t>(
        std::clamp(std::round(demand), 0.0, static_cast<double>(capacity)));
}

Sample sample_of(std::int64_t t, std::uint64_t num_addr, std::uint64_t in_use) {
    Sample s = test::sample_at(t, "dhcp1", "10.64.0.0/16", 0);
    const std::uint64_t free = num_addr - in_use;
    s.counters.values = {num_addr,           free, in_use, free / 2, free - free / 2, in_use / 2,
                         in_use - in_use / 2};
    return s;
}

// Days from `as_of` to `at`.
double days_between(std::int64_t as_of, std::int64_t at) {
    return static_cast<double>(at - as_of) / kDay;
}

}  // namespace

std::optional<LinearFit> fit_line(std::span<const FitPoint> points) {
    double weight = 0, sx = 0, sy = 0;
    for (const FitPoint& p : points) {
        weight += p.weight;
        sx += p.weight * p.x;
        sy += p.weight * p.y;
    }
    if (!(weight > 0))
        return std::nullopt;
    const double mx = sx / weight, my = sy / weight;
    double sxx = 0, sxy = 0;
    for (const FitPoint& p : points) {
        sxx += p.weight * (p.x - mx) * (p.x - mx);
        sxy += p.weight * (p.x - mx) * (p.y - my);
    }
    if (!(sxx > 0))
        return std::nullopt;
    return LinearFit{my - sxy / sxx * mx, sxy / sxx};
}

std::optional<std::int64_t> reaches(const LinearFit& fit, double target, bool rising,
                                    std::int64_t origin, std::int64_t horizon) {
    if (rising ? !(fit.slope > 0) : !(fit.slope < 0))
        return std::nullopt;
    const double days = std::max(0.0, (target - fit.intercept) / fit.slope);
    const double seconds = days * static_cast<double>(kDay);
    if (seconds > static_cast<double>(horizon))
        return std::nullopt;
    return origin + std::llround(seconds);
}

std::optional<History> make_history(std::uint64_t seed, std::int64_t interval) {
    Rng r(seed);
    constexpr std::array<std::uint64_t, 4> kSizes = {254, 510, 1022, 4094};
    Model m;
    m.seed = seed;
    const std::uint64_t num_addr = kSizes[r.next() % kSizes.size()];
    m.num_addr = static_cast<double>(num_addr);
    const auto history_days = static_cast<std::int64_t>(r.uniform(7, 91));
    // 2026-06-01 plus up to a year, cut at any second of a day.
    m.as_of = 1'780'272'000 + static_cast<std::int64_t>(r.uniform(0, 365)) * kDay +
              static_cast<std::int64_t>(r.uniform(0, kDay));
    m.as_of -= m.as_of % interval;
    const double lead = r.uniform(1, 80);
    m.growth = m.num_addr * r.uniform(0.002, 0.02);
    // Growth that accelerates, where the history is long enough to show it: growth gains 15
    // to 50 % a month.
    const bool accelerating = history_days >= 21 && r.chance(0.4);
    if (accelerating)
        m.accel = std::min(m.growth * r.uniform(0.3, 1.0) / 60,  // growing all along
                           0.8 * m.growth / static_cast<double>(history_days));
    m.swing = m.num_addr * (r.chance(0.2) ? r.uniform(0, 0.05) : r.uniform(0.05, 0.3));
    m.peak_hour = r.uniform(9, 17);
    const bool weekly = r.chance(0.5);
    if (weekly)
        m.weekend = r.uniform(0.1, 0.8);
    m.noise = m.num_addr * r.uniform(0, 0.015);
    const std::int64_t start = m.as_of - history_days * kDay;
    const bool stepped = history_days >= 10 && r.chance(0.25);
    if (stepped) {
        m.step_at = start + static_cast<std::int64_t>(r.uniform(3, history_days - 2)) * kDay +
                    static_cast<std::int64_t>(r.uniform(6, 10) * 3600);
        m.step = m.num_addr * r.uniform(0.04, 0.12);
    }
    const int spikes = r.chance(0.3) ? 1 + static_cast<int>(r.next() % 2) : 0;
    for (int i = 0; i < spikes; ++i) {
        m.spikes.push_back(
            {start + static_cast<std::int64_t>(r.uniform(0, history_days - 1) * kDay),
             static_cast<std::int64_t>(r.uniform(1, 4) * 3600),
             m.num_addr * r.uniform(0.05, 0.15)});
    }
    // The level at as_of that puts the daily peak at capacity `lead` days later (the noise
    // moves the truth a little either way).
    m.level = m.num_addr - m.growth * lead - m.accel * lead * lead / 2 - m.noise / 2;
    // A pool extended in the history: demand ran into a smaller num_addr before it.
    const bool extended = history_days >= 10 && r.chance(0.2);
    const std::int64_t extended_at =
        start + static_cast<std::int64_t>(r.uniform(2, history_days - 1)) * kDay;
    const std::uint64_t before = num_addr - num_addr / 4;

    History h;
    h.num_addr = num_addr;
    h.as_of = m.as_of;
    h.label = "seed " + std::to_string(seed) + ": " + std::to_string(num_addr) + " addresses, " +
              std::to_string(history_days) + " days" + (accelerating ? ", accelerating" : "") +
              (weekly ? ", weekly" : "") + (stepped ? ", step" : "") + (spikes ? ", spikes" : "") +
              (extended ? ", extended" : "");
    for (std::int64_t t = start - start % interval + interval; t <= m.as_of; t += interval) {
        const std::uint64_t size = extended && t < extended_at ? before : num_addr;
        const double d = m.demand(t);
        if (d < 0 || d >= static_cast<double>(size))
            return std::nullopt;  // empty, or out already: not a forecast to test
        h.samples.push_back(sample_of(t, size, in_use_of(d, size)));
    }
    // The truth: the first instant after as_of at which demand (noise included, no spike)
    // reaches num_addr, on a one-minute grid.
    m.spikes.clear();
    for (std::int64_t t = m.as_of + 60; t <= m.as_of + kSearch; t += 60) {
        if (in_use_of(m.demand(t), num_addr + 1) >= num_addr) {
            h.truth = t;
            return h;
        }
    }
    return std::nullopt;
}

Outcome run(const History& history, const std::string& dir) {
    const std::string path = dir + "/backtest.db";
    std::filesystem::remove(path);
    Outcome out;
    out.lead = days_between(history.as_of, history.truth);
    {
        auto db = open_database(path, Access::read_write);
        test::store(*db, history.samples);
        TrendOptions options;
        options.horizon = kHorizon;
        options.bucket = kDaySeconds;
        const TrendResult result = trend(*db, {}, options);
        if (!result.lines.empty()) {
            const TrendLine& line = result.lines.front();
            if (line.exhaustion)
                out.central = days_between(history.truth, *line.exhaustion);
            if (line.earliest)
                out.earliest = days_between(history.truth, *line.earliest);
            out.model = line.fit + " growth " + std::to_string(line.slope.value_or(0)) +
                        " spread " + std::to_string(line.spread.value_or(0));
        }
    }
    if (const char* keep = std::getenv("FOSTAT_BACKTEST_KEEP"))  // a directory, to look into
        std::filesystem::copy_file(path,
                                   std::string(keep) + "/" + std::to_string(history.as_of) + ".db");
    std::filesystem::remove(path);

    // The former method: a least-squares line through each day's mean of addr_in_use,
    // weighted by its samples and placed at their middle, reaching the latest num_addr.
    std::vector<FitPoint> means;
    std::int64_t day = -1;
    double sum = 0, count = 0, first = 0, last = 0;
    const auto close = [&] {
        if (count > 0)
            means.push_back({(first + last) / 2 / kDay, sum / count, count});
    };
    for (const Sample& s : history.samples) {
        const std::int64_t d = s.timestamp - ((s.timestamp % kDay) + kDay) % kDay;
        if (d != day) {
            close();
            day = d;
            sum = count = 0;
            first = static_cast<double>(s.timestamp - history.as_of);
        }
        sum += static_cast<double>(*s.counters[Counter::addr_in_use]);
        count += 1;
        last = static_cast<double>(s.timestamp - history.as_of);
    }
    close();
    if (const auto fit = fit_line(means)) {
        if (const auto at =
                reaches(*fit, static_cast<double>(history.num_addr), true, history.as_of, kHorizon))
            out.mean_line = days_between(history.truth, *at);
    }
    return out;
}

Figures figures(const std::vector<Outcome>& outcomes, std::optional<double> Outcome::*error) {
    Figures f;
    std::vector<double> absolute;
    int late = 0;
    f.worst_late = -std::numeric_limits<double>::infinity();
    for (const Outcome& o : outcomes) {
        if (o.lead > kMaxLead)
            continue;
        ++f.forecasts;
        const std::optional<double>& e = o.*error;
        if (!e)
            ++f.missing;
        const double value = e ? *e : static_cast<double>(kHorizon) / kDay - o.lead;
        absolute.push_back(std::abs(value));
        if (value > 0)
            ++late;
        if (value > std::max(1.0, 0.1 * o.lead))
            ++f.late_beyond;
        f.worst_late = std::max(f.worst_late, value);
    }
    if (absolute.empty())
        return f;
    std::sort(absolute.begin(), absolute.end());
    const auto at = [&](double q) {
        return absolute[static_cast<std::size_t>(q * static_cast<double>(absolute.size() - 1) +
                                                 0.5)];
    };
    f.median = at(0.5);
    f.p90 = at(0.9);
    f.late_share = static_cast<double>(late) / static_cast<double>(f.forecasts);
    return f;
}

}  // namespace fostat::backtest
