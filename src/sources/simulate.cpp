#include "sources/simulate.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>

#include "fostat/time_text.h"

namespace fostat {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kPpm = 1'000'000;
// No scope is ever fuller than this, so every server always has some free address to give.
constexpr std::int64_t kMaxFillPpm = 970'000;
constexpr std::array<std::string_view, 2> kServers = {"dhcp1", "dhcp2"};

// splitmix64 (Steele, Lea, Flood 2014). std:: distributions are implementation-defined, and
// floating point may round differently between libms: the model uses integers only, so the
// same options give the same samples everywhere.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

enum Salt : std::uint64_t { kBase = 1, kGrowth, kSwing, kNoise, kSplitInUse, kSplitFree, kShare };

std::uint64_t hash(std::uint64_t seed, std::uint64_t scope, std::uint64_t time, Salt salt) {
    return mix(mix(mix(mix(seed) ^ scope) ^ time) ^ salt);
}

// Uniform in [lo, hi].
std::int64_t pick(std::uint64_t h, std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(hi - lo + 1));
}

// Business hours peak, night trough (UTC), per mille of the scope's swing; hour 24 = hour 0.
constexpr std::array<std::int64_t, 25> kDailyPermille = {
    -900, -1000, -1000, -1000, -1000, -900, -600, -100, 400,  800,  1000, 1000, 900,
    1000, 1000,  900,   700,   300,   -100, -300, -500, -600, -700, -800, -900,
};

std::int64_t daily_permille(std::int64_t t) {
    const std::int64_t second = ((t % kDay) + kDay) % kDay;
    const std::int64_t hour = second / kHour;
    const std::int64_t from = kDailyPermille[hour];
    const std::int64_t to = kDailyPermille[hour + 1];
    return from + (to - from) * (second % kHour) / kHour;
}

struct Shape {
    int prefix;
    std::int64_t num_addr;
};
// Scope i takes shape i % 8: mostly /24s, some /23s, one /22.
constexpr std::array<Shape, 8> kShapes = {{
    {24, 254},
    {23, 508},
    {24, 200},
    {23, 254},  // half of the /23 is excluded until the size change opens it (510)
    {22, 1000},
    {24, 254},
    {23, 500},
    {24, 230},
}};

std::int64_t grown_size(std::int64_t num_addr) {
    return 2 * num_addr + 2;
}

struct ScopeModel {
    std::string name;
    std::int64_t num_addr = 0;    // before any size change
    std::int64_t base_ppm = 0;    // in use at the start of the window
    std::int64_t growth_ppm = 0;  // added over the window
    std::int64_t swing_ppm = 0;   // the daily cycle's amplitude
    std::int64_t noise_ppm = 0;
};

// The scope that plays role k: scope k, or the last one when there are fewer.
int role_scope(const SimulateOptions& options, int k) {
    return std::min(k, options.scopes - 1);
}

std::vector<ScopeModel> make_scopes(const SimulateOptions& options) {
    std::vector<ScopeModel> scopes;
    std::uint32_t next_block = 0;  // in /24 units above 10.0.0.0
    for (int i = 0; i < options.scopes; ++i) {
        const Shape shape = kShapes[i % kShapes.size()];
        const std::uint32_t blocks = 1u << (24 - shape.prefix);
        next_block = (next_block + blocks - 1) / blocks * blocks;
        const std::uint32_t address = (10u << 24) + (next_block << 8);
        next_block += blocks;

        ScopeModel m;
        m.name = std::to_string(address >> 24) + '.' + std::to_string((address >> 16) & 255) + '.' +
                 std::to_string((address >> 8) & 255) + ".0/" + std::to_string(shape.prefix);
        m.num_addr = shape.num_addr;
        if (i == role_scope(options, 3)) {
            // The scope whose pool is extended starts at half its subnet, so that the
            // extended pool (grown_size) still fits the subnet.
            m.num_addr = (std::int64_t{1} << (32 - shape.prefix)) / 2 - 2;
        }
        const auto h = [&](Salt salt) { return hash(options.seed, i, 0, salt); };
        if (i == 0) {  // the one heading for exhaustion: ~91 % on average at the end
            m.base_ppm = pick(h(kBase), 580'000, 620'000);
            m.growth_ppm = 910'000 - m.base_ppm;
            m.swing_ppm = 30'000;
            m.noise_ppm = 8'000;
        } else {
            m.base_ppm = pick(h(kBase), 250'000, 550'000);
            m.growth_ppm = i % 3 == 2 ? 0 : pick(h(kGrowth), 0, 120'000);
            m.swing_ppm = pick(h(kSwing), 40'000, 100'000);
            m.noise_ppm = 5'000;
        }
        scopes.push_back(std::move(m));
    }
    return scopes;
}

// One scope at one instant as dhcp1 sees it; dhcp2 sees the same numbers mirrored.
struct View {
    std::int64_t num_addr = 0;
    std::int64_t in_use = 0;
    std::int64_t free = 0;
    std::int64_t this_free = 0;    // dhcp1's own free addresses
    std::int64_t this_in_use = 0;  // leased out by dhcp1
};

// Inclusive tick range; empty when the injection did not fit the window.
struct Span {
    std::int64_t first = -1;
    std::int64_t last = -2;
    bool empty() const { return last < first; }
    bool contains(std::int64_t tick) const { return first <= tick && tick <= last; }
};

// One deliberately broken dhcp2 sample and every rule a correct checker flags for it.
struct Finding {
    std::string_view rule;  // empty: unused
    std::string_view detail;
};
struct Breakage {
    void (*apply)(Counters& dhcp2);
    std::array<Finding, 3> findings;
};

std::uint64_t& at(Counters& c, Counter k) {
    return *c[k];
}

// Off by `by`, in whichever direction stays within 0..num_addr.
void nudge(Counters& c, Counter k, std::uint64_t by) {
    std::uint64_t& v = at(c, k);
    v = v + by <= at(c, Counter::num_addr) ? v + by : v - by;
}

// Moves up to 5 from the larger of a and b to the other: both sums still hold.
void shift(Counters& c, Counter a, Counter b) {
    if (at(c, a) < at(c, b))
        std::swap(a, b);
    const std::uint64_t moved = std::min<std::uint64_t>(5, at(c, a));
    at(c, a) -= moved;
    at(c, b) += moved;
}

constexpr std::size_t kPartnerSize = 6;  // its next sample changes num_addr back
const std::array<Breakage, 7> kBreakages = {{
    {[](Counters& c) { nudge(c, Counter::addr_in_use, 7); },
     {{{"sum-total", "dhcp2 reports addr_in_use off by 7, so addr_free + addr_in_use != num_addr"},
       {"sum-in-use",
        "dhcp2 reports addr_in_use off by 7, so this_addr_in_use + partner_addr_in_use != "
        "addr_in_use"}}}},
    {[](Counters& c) { nudge(c, Counter::partner_addr_free, 3); },
     {{{"sum-free",
        "dhcp2 reports partner_addr_free off by 3, so this_addr_free + partner_addr_free != "
        "addr_free"},
       {"partner-free",
        "dhcp2's partner_addr_free (off by 3) disagrees with dhcp1's this_addr_free"}}}},
    {[](Counters& c) { nudge(c, Counter::partner_addr_in_use, 5); },
     {{{"sum-in-use",
        "dhcp2 reports partner_addr_in_use off by 5, so this_addr_in_use + partner_addr_in_use != "
        "addr_in_use"},
       {"partner-in-use",
        "dhcp2's partner_addr_in_use (off by 5) disagrees with dhcp1's this_addr_in_use"}}}},
    {[](Counters& c) { at(c, Counter::this_addr_in_use) = kMaxCounter; },
     {{{"range", "dhcp2 reports this_addr_in_use 4294967295, a wrapped unsigned counter"},
       {"sum-in-use",
        "the wrapped this_addr_in_use breaks this_addr_in_use + partner_addr_in_use = addr_in_use"},
       {"partner-in-use",
        "the wrapped this_addr_in_use disagrees with dhcp1's partner_addr_in_use"}}}},
    {[](Counters& c) { shift(c, Counter::this_addr_free, Counter::partner_addr_free); },
     {{{"partner-free", "dhcp2 splits the free addresses 5 off dhcp1's view, its own sums hold"}}}},
    {[](Counters& c) { shift(c, Counter::this_addr_in_use, Counter::partner_addr_in_use); },
     {{{"partner-in-use",
        "dhcp2 splits the addresses in use 5 off dhcp1's view, its own sums hold"}}}},
    {[](Counters& c) {
         at(c, Counter::num_addr) += 10;
         at(c, Counter::addr_free) += 10;
         at(c, Counter::this_addr_free) += 10;
     },
     {{{"partner-size", "dhcp2 reports num_addr 10 above dhcp1's (configuration drift)"},
       {"partner-free",
        "dhcp2 counts its 10 extra addresses as its own free ones, so its this_addr_free disagrees "
        "with dhcp1's partner_addr_free"},
       {"size-change", "dhcp2's num_addr grows by 10 for one sample"}}}},
}};

// Where in the window each injection goes, as fractions (per mille) of the ticks, so that
// they never overlap: one slot each, in this order; the last slot ends the window.
enum SlotName { kImbalanceSlot, kStarvedSlot, kBrokenSlot, kResizeSlot, kGapSlot };
constexpr std::array<std::int64_t, 6> kSlotPermille = {0, 292, 417, 750, 834, 1000};

class Simulator {
  public:
    explicit Simulator(const SimulateOptions& options)
        : options_(options), scopes_(make_scopes(options)) {
        const std::int64_t interval = options.interval;
        const std::int64_t end = options.end - ((options.end % interval) + interval) % interval;
        window_ = options.days * kDay;
        ticks_ = std::max<std::int64_t>(1, window_ / interval);
        origin_ = end - (ticks_ - 1) * interval;
        window_start_ = end - window_;

        imbalance_ = place(kImbalanceSlot, std::max<std::int64_t>(1, 6 * kHour / interval));
        starved_ = place(kStarvedSlot, std::max<std::int64_t>(1, 2 * kHour / interval));
        const Span resize = place(kResizeSlot, 1);
        resize_time_ = resize.empty() ? -1 : time(resize.first);

        // The broken samples, an hour apart where the slot allows, each with a clean sample
        // before and after it.
        const auto [lo, hi] = slot(kBrokenSlot);
        const std::int64_t room = hi - lo - 1;
        const std::int64_t spacing =
            std::min(std::max<std::int64_t>(1, kHour / interval), (room - 1) / 6);
        if (spacing >= 1) {
            const std::int64_t first = lo + 1 + (room - 1 - 6 * spacing) / 2;
            for (std::size_t i = 0; i < kBreakages.size(); ++i) {
                broken_[i] = first + static_cast<std::int64_t>(i) * spacing;
            }
        }

        // The gap: ~3 h (at least 3 intervals) of missing ticks, with a sample on each side.
        const auto [gap_lo, gap_hi] = slot(kGapSlot);
        const std::int64_t missing =
            std::min(std::max<std::int64_t>(2, 3 * kHour / interval - 1), gap_hi - gap_lo - 2);
        if (missing >= 2) {
            gap_.first = gap_lo + 1 + (gap_hi - gap_lo - 2 - missing) / 2;
            gap_.last = gap_.first + missing - 1;
        }
    }

    std::int64_t ticks() const { return ticks_; }
    std::int64_t time(std::int64_t tick) const { return origin_ + tick * options_.interval; }
    int scope_count() const { return static_cast<int>(scopes_.size()); }
    const std::string& name(int scope) const { return scopes_[scope].name; }
    Span imbalance() const { return imbalance_; }
    Span starved() const { return starved_; }
    Span gap() const { return gap_; }
    std::int64_t resize_time() const { return resize_time_; }
    const std::array<std::int64_t, 7>& broken() const { return broken_; }

    // The model: a pure function of the options, the scope and the time. The size change is
    // part of it, since a configuration change persists (simulate_tick after it agrees).
    // The scope's demand at t, in millionths of its original size, before the fill cap.
    std::int64_t demand_ppm(int scope, std::int64_t t) const {
        const ScopeModel& m = scopes_[scope];
        return m.base_ppm + m.growth_ppm * (t - window_start_) / window_ +
               m.swing_ppm * daily_permille(t) / 1000 + jitter(scope, t, kNoise, m.noise_ppm);
    }

    std::int64_t num_addr(int scope, std::int64_t t) const {
        const bool grown =
            scope == role_scope(options_, 3) && resize_time_ >= 0 && t >= resize_time_;
        return grown ? grown_size(scopes_[scope].num_addr) : scopes_[scope].num_addr;
    }

    // Whether demand at t fills the scope's whole pool.
    bool full(int scope, std::int64_t t) const {
        return scopes_[scope].num_addr * demand_ppm(scope, t) / kPpm >= num_addr(scope, t);
    }

    View view(int scope, std::int64_t t) const {
        const ScopeModel& m = scopes_[scope];
        const std::int64_t ppm = std::clamp<std::int64_t>(demand_ppm(scope, t), 0, kMaxFillPpm);

        View v;
        v.num_addr = num_addr(scope, t);
        v.in_use = m.num_addr * ppm / kPpm;  // of the original size: no jump at the change
        v.free = v.num_addr - v.in_use;
        v.this_in_use = std::clamp<std::int64_t>(
            v.in_use / 2 + jitter(scope, t, kSplitInUse, v.in_use / 40), 0, v.in_use);
        // The pool balancer keeps the free addresses near an even split.
        v.this_free = std::clamp<std::int64_t>(
            (v.free + 1) / 2 + jitter(scope, t, kSplitFree, v.free / 100), 0, v.free);
        return v;
    }

    // The model plus the injections, for history's tick `tick`.
    void emit(std::int64_t tick, SampleSink& sink) const {
        const std::int64_t t = time(tick);
        for (int scope = 0; scope < scope_count(); ++scope) {
            View v = view(scope, t);
            if (scope == role_scope(options_, 1) && imbalance_.contains(tick)) {
                v.this_free = v.free * pick(hash(options_.seed, scope, t, kShare), 15, 20) / 100;
            }
            if (scope == role_scope(options_, 2) && starved_.contains(tick)) {
                v.this_free = v.free;  // dhcp1 holds every free address, dhcp2 none
            }
            const Sample one = sample(0, scope, t, v);
            Sample two = sample(1, scope, t, v);
            for (std::size_t i = 0; i < kBreakages.size(); ++i) {
                if (scope == role_scope(options_, 4) && broken_[i] == tick) {
                    kBreakages[i].apply(two.counters);
                }
            }
            sink.add(one);
            sink.add(two);
        }
    }

    Sample sample(int server, int scope, std::int64_t t, const View& v) const {
        Sample s;
        s.timestamp = t;
        s.server = kServers[server];
        s.scope = scopes_[scope].name;
        s.relationship = {"dhcp1-dhcp2", Mode::load_balance, server == 0 ? "primary" : "secondary",
                          50.0,          State::normal,      ""};
        const bool dhcp1 = server == 0;
        const auto put = [&](Counter k, std::int64_t value) {
            s.counters[k] = static_cast<std::uint64_t>(value);
        };
        put(Counter::num_addr, v.num_addr);
        put(Counter::addr_free, v.free);
        put(Counter::addr_in_use, v.in_use);
        put(Counter::this_addr_free, dhcp1 ? v.this_free : v.free - v.this_free);
        put(Counter::partner_addr_free, dhcp1 ? v.free - v.this_free : v.this_free);
        put(Counter::this_addr_in_use, dhcp1 ? v.this_in_use : v.in_use - v.this_in_use);
        put(Counter::partner_addr_in_use, dhcp1 ? v.in_use - v.this_in_use : v.this_in_use);
        return s;
    }

  private:
    std::pair<std::int64_t, std::int64_t> slot(SlotName name) const {
        return {ticks_ * kSlotPermille[name] / 1000, ticks_ * kSlotPermille[name + 1] / 1000};
    }

    // Up to `want` ticks in the middle of the slot, after its first tick (always clean).
    Span place(SlotName name, std::int64_t want) const {
        const auto [lo, hi] = slot(name);
        const std::int64_t length = std::min(want, hi - lo - 1);
        if (length < 1)
            return {};
        const std::int64_t first = lo + 1 + (hi - lo - 1 - length) / 2;
        return {first, first + length - 1};
    }

    std::int64_t jitter(int scope, std::int64_t t, Salt salt, std::int64_t k) const {
        if (k <= 0)
            return 0;
        return pick(hash(options_.seed, scope, t, salt), -k, k);
    }

    SimulateOptions options_;
    std::vector<ScopeModel> scopes_;
    std::int64_t window_ = 0;        // seconds
    std::int64_t window_start_ = 0;  // growth is measured from here
    std::int64_t ticks_ = 0;
    std::int64_t origin_ = 0;  // time of tick 0
    Span imbalance_;
    Span starved_;
    Span gap_;                       // the missing ticks
    std::int64_t resize_time_ = -1;  // first sample with the new size; -1: none
    std::array<std::int64_t, 7> broken_ = {-1, -1, -1, -1, -1, -1, -1};  // tick per breakage
};

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

}  // namespace

void simulate_history(const SimulateOptions& options, SampleSink& sink) {
    const Simulator sim(options);
    for (std::int64_t tick = 0; tick < sim.ticks(); ++tick) {
        if (!sim.gap().contains(tick))
            sim.emit(tick, sink);
    }
}

void simulate_tick(const SimulateOptions& options, std::int64_t at, SampleSink& sink) {
    const Simulator sim(options);
    for (int scope = 0; scope < sim.scope_count(); ++scope) {
        const View v = sim.view(scope, at);
        sink.add(sim.sample(0, scope, at, v));
        sink.add(sim.sample(1, scope, at, v));
    }
}

std::optional<std::int64_t> simulate_runs_out(const SimulateOptions& options, int scope,
                                              std::int64_t within) {
    const Simulator sim(options);
    const std::int64_t last = sim.time(sim.ticks() - 1);
    for (std::int64_t t = last + options.interval; t <= last + within; t += options.interval) {
        if (sim.full(scope, t))
            return t;
    }
    return std::nullopt;
}

std::vector<Injection> simulate_injections(const SimulateOptions& options) {
    const Simulator sim(options);
    std::vector<Injection> rows;
    const auto add = [&](std::string_view kind, std::string_view server, int scope,
                         std::int64_t first, std::int64_t last, std::string detail) {
        rows.push_back({std::string(kind), std::string(server), sim.name(scope), sim.time(first),
                        sim.time(last), std::move(detail)});
    };

    if (const Span s = sim.imbalance(); !s.empty()) {
        add("imbalance", "dhcp1", role_scope(options, 1), s.first, s.last,
            "dhcp1 holds 15-20 % of the free addresses where 50 % is expected, in normal state");
    }
    if (const Span s = sim.starved(); !s.empty()) {
        const int scope = role_scope(options, 2);
        add("starved", "dhcp2", scope, s.first, s.last,
            "dhcp2 has no free address of its own while dhcp1 holds all of them");
        add("imbalance", "dhcp2", scope, s.first, s.last,
            "dhcp2 holds 0 % of the free addresses where 50 % is expected, in normal state");
    }
    if (sim.resize_time() >= 0) {
        const int scope = role_scope(options, 3);
        const std::int64_t tick = (sim.resize_time() - sim.time(0)) / options.interval;
        const View before = sim.view(scope, sim.time(tick - 1));
        const View after = sim.view(scope, sim.time(tick));
        for (std::string_view server : kServers) {
            add("size-change", server, scope, tick, tick,
                "num_addr grows from " + std::to_string(before.num_addr) + " to " +
                    std::to_string(after.num_addr) + " on both servers (pool extended)");
        }
    }
    if (const Span g = sim.gap(); !g.empty()) {
        const std::int64_t seconds = (g.last - g.first + 2) * options.interval;
        const std::string detail = "no samples from either server for " +
                                   std::to_string(seconds / 60) + " min (" +
                                   std::to_string(g.last - g.first + 1) + " ticks missed)";
        for (int scope = 0; scope < sim.scope_count(); ++scope) {
            for (std::string_view server : kServers) {
                add("gap", server, scope, g.first - 1, g.last + 1, detail);
            }
        }
    }
    const int broken_scope = role_scope(options, 4);
    for (std::size_t i = 0; i < kBreakages.size(); ++i) {
        const std::int64_t tick = sim.broken()[i];
        if (tick < 0)
            continue;
        for (const Finding& f : kBreakages[i].findings) {
            if (!f.rule.empty()) {
                add(f.rule, "dhcp2", broken_scope, tick, tick, std::string(f.detail));
            }
        }
        if (i == kPartnerSize) {
            add("size-change", "dhcp2", broken_scope, tick + 1, tick + 1,
                "dhcp2's num_addr returns to dhcp1's value");
        }
    }

    std::sort(rows.begin(), rows.end(), [](const Injection& a, const Injection& b) {
        return std::tie(a.first, a.kind, a.server, a.scope) <
               std::tie(b.first, b.kind, b.server, b.scope);
    });
    return rows;
}

void write_truth(const std::vector<Injection>& injections, std::ostream& out) {
    out << "kind,server,scope,first,last,detail\n";
    for (const Injection& row : injections) {
        out << csv_field(row.kind) << ',' << csv_field(row.server) << ',' << csv_field(row.scope)
            << ',' << format_utc(row.first) << ',' << format_utc(row.last) << ','
            << csv_field(row.detail) << '\n';
    }
}

}  // namespace fostat
