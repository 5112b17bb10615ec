#include "analyses/imbalance.h"

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

// The episodes of one kind on one series, walked in time order: flagged samples in a row
// make one episode (a skipped sample neither extends nor ends it), and its figures are
// summed up from those flagged samples as they come, so that no sample is kept.
class EpisodeWalk {
  public:
    EpisodeWalk(ImbalanceKind kind, const Series& series, const ImbalanceOptions& o,
                std::vector<ImbalanceEpisode>& found)
        : kind_(kind), series_(series), o_(o), found_(found) {}

    void feed(Verdict verdict, const Point& p) {
        if (verdict == Verdict::flagged)
            flagged(p);
        else if (verdict == Verdict::passed)
            passed();
    }

    // Ends the open episode, if any.
    void passed() {
        if (!open_)
            return;
        Open& e = *open_;
        if (kind_ == ImbalanceKind::starved || e.out.last - e.out.first >= o_.min_duration) {
            ImbalanceEpisode& out = e.out;
            out.expected_share = e.worst_relationship->expected_share;
            out.mean_deviation = e.mean_deviation.get();
            out.mean_in_use_share = e.mean_in_use.get();
            out.state = static_cast<State>(std::max_element(e.states.begin(), e.states.end()) -
                                           e.states.begin());
            if (kind_ == ImbalanceKind::starved) {
                out.severity = Severity::critical;
            } else {
                out.stalled = e.longest_normal > o_.rebalance;
                out.severity = out.stalled ? Severity::warning : Severity::info;
            }
            found_.push_back(std::move(out));
        }
        open_.reset();
    }

  private:
    struct Open {
        ImbalanceEpisode out;
        double worst = 0;  // the largest difference (EpisodeBuilder's), at worst_relationship
        const Relationship* worst_relationship = nullptr;
        Mean mean_deviation, mean_in_use;
        std::array<std::int64_t, static_cast<std::size_t>(State::unknown) + 1> states{};
        std::optional<std::int64_t> normal_since;  // start of the current run in normal state
        std::int64_t longest_normal = -1;
    };

    void flagged(const Point& p) {
        const double difference = -deviation(p).value_or(0);
        if (!open_) {
            open_.emplace();
            ImbalanceEpisode& out = open_->out;
            out.kind = kind_;
            out.scope = series_.scope;
            out.server = series_.server;
            out.first = p.timestamp;
            out.relationship = p.relationship->name;
            open_->worst = difference;
            open_->worst_relationship = p.relationship;
        }
        Open& e = *open_;
        e.out.last = p.timestamp;
        ++e.out.samples;
        if (difference > e.worst) {
            e.worst = difference;
            e.worst_relationship = p.relationship;
        }
        const auto d = deviation(p);
        if (d && (!e.out.worst_deviation || *d < *e.out.worst_deviation))
            e.out.worst_deviation = d;
        e.mean_deviation.add(d);
        e.mean_in_use.add(
            share_percent(p.counters[Counter::this_addr_in_use], p.counters[Counter::addr_in_use]));
        ++e.states[static_cast<std::size_t>(p.relationship->state)];
        if (p.relationship->state == State::normal) {
            if (!e.normal_since)
                e.normal_since = p.timestamp;
            e.longest_normal = std::max(e.longest_normal, p.timestamp - *e.normal_since);
        } else {
            e.normal_since.reset();
        }
    }

    ImbalanceKind kind_;
    const Series& series_;
    const ImbalanceOptions& o_;
    std::vector<ImbalanceEpisode>& found_;
    std::optional<Open> open_;
};

// The episodes of one series, in one walk. A change of relationship name ends an episode
// (another relationship, another episode). Counts the samples and the skipped ones into
// `result`, and its episodes to result.episodes, unsorted. Imbalance episodes are kept when
// they lasted min_duration; starved ones always.
void episodes_of(PointCursor& points, const Series& series, const ImbalanceOptions& o,
                 ImbalanceResult& result) {
    EpisodeWalk imbalance(ImbalanceKind::imbalance, series, o, result.episodes);
    EpisodeWalk starved(ImbalanceKind::starved, series, o, result.episodes);
    const Relationship* previous = nullptr;
    while (const Point* point = points.next()) {
        const Point& p = *point;
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
        imbalance.feed(short_of_free, p);
        starved.feed(no_free, p);
    }
    imbalance.passed();
    starved.passed();
}

}  // namespace

std::string_view to_string(ImbalanceKind kind) {
    return kind == ImbalanceKind::imbalance ? "imbalance" : "starved";
}

ImbalanceResult find_imbalance(SampleReader& reader, const SeriesFilter& filter,
                               const ImbalanceOptions& options) {
    const std::vector<ScopeSeries> scopes = scopes_of(reader, filter);
    std::vector<ImbalanceResult> parts(scopes.size());
    parallel_for_each(
        reader, scopes.size(), options.threads, [&](SampleReader& own, std::size_t i) {
            ImbalanceResult& part = parts[i];
            for (const Series& series : scopes[i].servers) {
                PointCursor points(own, series, filter);
                episodes_of(points, series, options, part);
            }
            std::sort(part.episodes.begin(), part.episodes.end(), [](const auto& a, const auto& b) {
                return std::tie(a.relationship, a.first, a.server, a.kind) <
                       std::tie(b.relationship, b.first, b.server, b.kind);
            });
        });
    ImbalanceResult result;
    for (ImbalanceResult& part : parts) {
        result.samples += part.samples;
        result.null_skipped += part.null_skipped;
        result.small_skipped += part.small_skipped;
        for (ImbalanceEpisode& e : part.episodes) {
            result.worst.add(e.severity);
            result.episodes.push_back(std::move(e));
        }
    }
    // Scopes came in address order; keep it within each relationship.
    std::stable_sort(result.episodes.begin(), result.episodes.end(),
                     [](const auto& a, const auto& b) { return a.relationship < b.relationship; });
    return result;
}

}  // namespace fostat
