#include "query/imbalance.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace fostat {
namespace {

enum class Verdict { flagged, passed, null_skipped, small_skipped };

std::optional<double> share_percent(const std::optional<std::uint64_t>& part,
                                    const std::optional<std::uint64_t>& whole) {
    if (!part || !whole || *whole == 0)
        return std::nullopt;
    return static_cast<double>(*part) * 100.0 / static_cast<double>(*whole);
}

// Free share - expected share in percentage points, whatever the pool size.
std::optional<double> deviation(const Point& p) {
    const auto share =
        share_percent(p.counters[Counter::this_addr_free], p.counters[Counter::addr_free]);
    if (!share)
        return std::nullopt;
    return *share - p.relationship->expected_share;
}

Verdict judge_imbalance(const Point& p, const ImbalanceOptions& o) {
    const auto& free = p.counters[Counter::addr_free];
    if (!free || !p.counters[Counter::this_addr_free])
        return Verdict::null_skipped;
    // An empty pool has no shares, whatever min_free says.
    if (*free < std::max<std::uint64_t>(o.min_free, 1))
        return Verdict::small_skipped;
    return *deviation(p) < -o.threshold ? Verdict::flagged : Verdict::passed;
}

Verdict judge_starved(const Point& p) {
    if (p.relationship->mode != Mode::load_balance)
        return Verdict::passed;
    const auto& own = p.counters[Counter::this_addr_free];
    const auto& partner = p.counters[Counter::partner_addr_free];
    if (!own || !partner)
        return Verdict::null_skipped;
    return *own == 0 && *partner > 0 ? Verdict::flagged : Verdict::passed;
}

Verdict judge(ImbalanceKind kind, const Point& p, const ImbalanceOptions& o) {
    return kind == ImbalanceKind::imbalance ? judge_imbalance(p, o) : judge_starved(p);
}

struct SeriesEpisodes {
    std::vector<Episode> imbalance;
    std::vector<Episode> starved;
};

void feed(EpisodeBuilder& builder, Verdict verdict, const Point& p) {
    switch (verdict) {
        case Verdict::flagged:
            builder.flagged(p, -deviation(p).value_or(0));
            break;
        case Verdict::passed:
            builder.passed();
            break;
        case Verdict::null_skipped:
        case Verdict::small_skipped:
            builder.skip();
            break;
    }
}

// The episodes of one series, in one walk. A skipped sample neither extends nor ends an
// episode; a change of relationship name ends it (another relationship, another episode).
// Counts the samples and the skipped ones into `result`.
SeriesEpisodes episodes_of(std::span<const Point> points, const ImbalanceOptions& o,
                           ImbalanceResult& result) {
    EpisodeBuilder imbalance, starved;
    const Relationship* previous = nullptr;
    for (const Point& p : points) {
        if (previous && previous != p.relationship && previous->name != p.relationship->name) {
            imbalance.passed();
            starved.passed();
        }
        previous = p.relationship;
        const Verdict short_of_free = judge_imbalance(p, o);
        const Verdict no_free = judge_starved(p);
        ++result.samples;
        if (short_of_free == Verdict::null_skipped || no_free == Verdict::null_skipped)
            ++result.null_skipped;
        if (short_of_free == Verdict::small_skipped)
            ++result.small_skipped;
        feed(imbalance, short_of_free, p);
        feed(starved, no_free, p);
    }
    return {imbalance.finish(), starved.finish()};
}

class Mean {
  public:
    void add(const std::optional<double>& x) {
        if (x) {
            sum_ += *x;
            ++n_;
        }
    }
    std::optional<double> get() const {
        return n_ ? std::optional<double>(sum_ / static_cast<double>(n_)) : std::nullopt;
    }

  private:
    double sum_ = 0;
    std::int64_t n_ = 0;
};

// The figures of one episode, from its flagged samples between first and last.
ImbalanceEpisode summarise(ImbalanceKind kind, const Episode& e, const SeriesHistory& h,
                           const ImbalanceOptions& o) {
    ImbalanceEpisode out;
    out.kind = kind;
    out.scope = h.series.scope;
    out.server = h.series.server;
    out.first = e.first;
    out.last = e.last;
    out.samples = e.samples;
    out.expected_share = e.at_worst.relationship->expected_share;

    const auto by_time = [](const Point& p, std::int64_t t) { return p.timestamp < t; };
    auto it = std::lower_bound(h.points.begin(), h.points.end(), e.first, by_time);
    Mean mean_deviation, mean_in_use;
    std::array<std::int64_t, static_cast<std::size_t>(State::unknown) + 1> states{};
    std::optional<std::int64_t> normal_since;  // start of the current run in normal state
    std::int64_t longest_normal = -1;
    for (; it != h.points.end() && it->timestamp <= e.last; ++it) {
        const Point& p = *it;
        if (judge(kind, p, o) != Verdict::flagged)
            continue;  // skipped samples inside the episode
        if (out.relationship.empty())
            out.relationship = p.relationship->name;
        const auto d = deviation(p);
        if (d && (!out.worst_deviation || *d < *out.worst_deviation))
            out.worst_deviation = d;
        mean_deviation.add(d);
        mean_in_use.add(
            share_percent(p.counters[Counter::this_addr_in_use], p.counters[Counter::addr_in_use]));
        ++states[static_cast<std::size_t>(p.relationship->state)];
        if (p.relationship->state == State::normal) {
            if (!normal_since)
                normal_since = p.timestamp;
            longest_normal = std::max(longest_normal, p.timestamp - *normal_since);
        } else {
            normal_since.reset();
        }
    }
    out.mean_deviation = mean_deviation.get();
    out.mean_in_use_share = mean_in_use.get();
    out.state = static_cast<State>(std::max_element(states.begin(), states.end()) - states.begin());

    if (kind == ImbalanceKind::starved) {
        out.severity = Severity::critical;
    } else {
        out.stalled = longest_normal > o.rebalance;
        out.severity = out.stalled ? Severity::warning : Severity::info;
    }
    return out;
}

}  // namespace

std::string_view to_string(ImbalanceKind kind) {
    return kind == ImbalanceKind::imbalance ? "imbalance" : "starved";
}

ImbalanceResult find_imbalance(SampleReader& reader, const SeriesFilter& filter,
                               const ImbalanceOptions& options) {
    ImbalanceResult result;
    for_each_scope(reader, filter, [&](const std::string&, std::span<const SeriesHistory> servers) {
        std::vector<ImbalanceEpisode> found;
        for (const SeriesHistory& h : servers) {
            const SeriesEpisodes episodes = episodes_of(h.points, options, result);
            for (const Episode& e : episodes.imbalance) {
                if (e.last - e.first >= options.min_duration)
                    found.push_back(summarise(ImbalanceKind::imbalance, e, h, options));
            }
            for (const Episode& e : episodes.starved)
                found.push_back(summarise(ImbalanceKind::starved, e, h, options));
        }
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
            return std::tie(a.relationship, a.first, a.server, a.kind) <
                   std::tie(b.relationship, b.first, b.server, b.kind);
        });
        for (ImbalanceEpisode& e : found) {
            result.worst.add(e.severity);
            result.episodes.push_back(std::move(e));
        }
    });
    // Scopes came in address order; keep it within each relationship.
    std::stable_sort(result.episodes.begin(), result.episodes.end(),
                     [](const auto& a, const auto& b) { return a.relationship < b.relationship; });
    return result;
}

}  // namespace fostat
