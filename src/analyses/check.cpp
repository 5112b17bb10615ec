#include "analyses/check.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>

#include "fostat/error.h"

namespace fostat {
namespace {

constexpr std::array<std::string_view, kRuleCount> kRuleNames = {
    "sum-total",      "sum-free",     "sum-in-use",  "range", "partner-free",
    "partner-in-use", "partner-size", "size-change", "gap",
};

// Every difference is computed in signed 64-bit. Counters come from 32-bit fields (import
// refuses anything above kMaxCounter), so a sum of two of them cannot wrap, and a wrapped
// 4294967295 stays a large positive difference instead of cancelling out.
std::optional<std::int64_t> get(const Point& p, Counter c) {
    const auto& v = p.counters[c];
    if (!v)
        return std::nullopt;
    return static_cast<std::int64_t>(*v);
}

// What a rule says of one sample: 0 it holds, > 0 it is violated by that much, nullopt it
// cannot be judged (skipped).
using Judgement = std::optional<std::int64_t>;

// A template so that each rule's instance is called once and inlined: the hot loop.
template <Counter a, Counter b, Counter total>
Judgement sum_rule(const Point& p) {
    const auto x = get(p, a), y = get(p, b), t = get(p, total);
    if (!x || !y || !t)
        return std::nullopt;
    return std::abs(*x + *y - *t);
}

// How far the highest counter is above num_addr. Counters are unsigned, so only that can
// fail. A known counter above num_addr is a violation even when another counter is NULL.
Judgement range_rule(const Point& p) {
    const auto total = get(p, Counter::num_addr);
    if (!total)
        return std::nullopt;
    std::int64_t excess = 0;
    bool unknown = false;
    for (std::size_t i = 1; i < kCounterCount; ++i) {
        const auto v = get(p, static_cast<Counter>(i));
        if (v)
            excess = std::max(excess, *v - *total);
        else
            unknown = true;
    }
    if (excess == 0 && unknown)
        return std::nullopt;
    return excess;
}

// The rules that judge a sample on its own, in the order of Rule.
constexpr std::array<Rule, 4> kSampleRules = {Rule::sum_total, Rule::sum_free, Rule::sum_in_use,
                                              Rule::range};

std::array<Judgement, 4> judge_sample(const Point& p) {
    using enum Counter;
    return {sum_rule<addr_free, addr_in_use, num_addr>(p),
            sum_rule<this_addr_free, partner_addr_free, addr_free>(p),
            sum_rule<this_addr_in_use, partner_addr_in_use, addr_in_use>(p), range_rule(p)};
}

// Server A's view of its own pool against server B's view of its partner's, both ways.
template <Counter this_c, Counter partner_c>
Judgement mirrored(const Point& a, const Point& b) {
    const auto a_this = get(a, this_c), a_partner = get(a, partner_c);
    const auto b_this = get(b, this_c), b_partner = get(b, partner_c);
    if (!a_this || !a_partner || !b_this || !b_partner)
        return std::nullopt;
    return std::max(std::abs(*a_this - *b_partner), std::abs(*a_partner - *b_this));
}

Judgement partner_rule(Rule rule, const Point& a, const Point& b) {
    if (rule == Rule::partner_size) {  // configuration drift shows in any state
        const auto x = get(a, Counter::num_addr), y = get(b, Counter::num_addr);
        if (!x || !y)
            return std::nullopt;
        return std::abs(*x - *y);
    }
    // Outside normal state the partners do not keep their views in step.
    if (a.relationship->state != State::normal || b.relationship->state != State::normal)
        return std::nullopt;
    if (rule == Rule::partner_free)
        return mirrored<Counter::this_addr_free, Counter::partner_addr_free>(a, b);
    return mirrored<Counter::this_addr_in_use, Counter::partner_addr_in_use>(a, b);
}

// Walks the samples of one series and one rule into episodes.
class RuleWalk {
  public:
    explicit RuleWalk(std::int64_t& skipped) : skipped_(skipped) {}
    void judge(const Point& p, Judgement j) {
        if (!j) {
            ++skipped_;
            builder_.skip();
        } else if (*j > 0) {
            builder_.flagged(p, static_cast<double>(*j));
        } else {
            builder_.passed();
        }
    }
    std::vector<Episode> finish() { return builder_.finish(); }

  private:
    std::int64_t& skipped_;
    EpisodeBuilder builder_;
};

// The samples of a partner around a time: walked forward only, for ascending times, one
// stored day at a time.
class Nearest {
  public:
    explicit Nearest(PointCursor& partner) : partner_(partner), after_(partner_.next()) {}

    // The partner's sample nearest in time to `t`, at most `reach` seconds away; the earlier
    // one on a tie. Valid until the next call. REQUIRES: t no earlier than at the previous
    // call.
    const Point* at(std::int64_t t, std::int64_t reach) {
        while (after_ && after_->timestamp < t) {
            before_ = *after_;
            after_ = partner_.next();
        }
        const Point* best = before_ ? &*before_ : nullptr;
        if (after_ && (!best || after_->timestamp - t < t - best->timestamp))
            best = after_;
        if (!best || std::abs(best->timestamp - t) > reach)
            return nullptr;
        return best;
    }

  private:
    PointCursor& partner_;
    std::optional<Point> before_;   // the last sample before t
    const Point* after_ = nullptr;  // the first at or after t: the cursor's, until its next()
};

// The steps that may prove gaps (2*step > 5*usual) once the walk's end gives usual. A step
// is kept when 2*step > 5*shortest-so-far; the longest step not kept is remembered. If
// 2*longest_dropped > 5*usual, a gap was dropped (the interval shrank within the window, or
// the very first step was a gap), or more than kMost were kept: walk the series again for
// its gaps alone. Exact either way; memory at most kMost candidates.
class GapCandidates {
  public:
    static constexpr std::size_t kMost = 4096;

    // The step from the sample at `previous` to `p`. REQUIRES: steps in time order.
    void add(std::int64_t previous, const Point& p) {
        const std::int64_t step = p.timestamp - previous;
        if (!shortest_ || step < *shortest_)
            shortest_ = step;
        if (2 * step <= 5 * *shortest_) {
            longest_dropped_ = std::max(longest_dropped_, step);
        } else if (kept_.size() < kMost) {
            kept_.push_back({previous, p});
        } else {
            overflow_ = true;
            kept_ = {};  // the series is walked again: these are of no more use
        }
    }

    // Whether the steps kept hold every gap of a series whose usual interval is `usual`.
    bool complete(std::int64_t usual) const {
        return !overflow_ && !(2 * longest_dropped_ > 5 * usual);
    }

    // Calls gap(previous, after) for every gap kept, in time order. REQUIRES: complete(usual).
    template <typename Gap>
    void emit(std::int64_t usual, Gap&& gap) const {
        for (const Candidate& c : kept_) {
            if (2 * (c.after.timestamp - c.previous) > 5 * usual)
                gap(c.previous, c.after);
        }
    }

  private:
    struct Candidate {
        std::int64_t previous;  // the time of the sample before the step
        Point after;            // the sample after it
    };
    std::vector<Candidate> kept_;
    std::optional<std::int64_t> shortest_;
    std::int64_t longest_dropped_ = 0;
    bool overflow_ = false;
};

// What the first walk over a series finds out for the partner rules.
struct SeriesSurvey {
    const Series* series = nullptr;
    std::int64_t usual = 0;                              // IntervalCounter::usual of its samples
    std::set<std::pair<std::string, std::string>> seen;  // relationships: name, role
};

// Two servers of a scope are partners when they report a relationship of the same name
// (both unnamed counts as the same) at some sample, and, where both say, different roles
// (two secondaries of one relationship are not each other's partner).
bool share_relationship(const SeriesSurvey& a, const SeriesSurvey& b) {
    for (const auto& [name, role] : a.seen) {
        for (const auto& [b_name, b_role] : b.seen) {
            if (name == b_name && (role.empty() || b_role.empty() || role != b_role))
                return true;
        }
    }
    return false;
}

class Checker {
  public:
    // `servers`: the servers asked for (empty: all). Their partners are still read, so that
    // the partner rules can pair them.
    Checker(const CheckOptions& options, std::vector<std::string> servers)
        : servers_(std::move(servers)) {
        for (std::size_t i = 0; i < kRuleCount; ++i) {
            const Rule rule = static_cast<Rule>(i);
            const bool named =
                options.rules.empty() ||
                std::find(options.rules.begin(), options.rules.end(), rule) != options.rules.end();
            checked_[i] = named && severity_of(rule) >= options.floor;
        }
    }

    const std::array<bool, kRuleCount>& checked() const { return checked_; }

    // One walk over each series finds its usual interval and relationships and judges its
    // own rules, a second walks it beside each partner; neither keeps its samples
    // (docs/design.md § Memory). A series walks once more for its gaps only when
    // GapCandidates says so.
    // Findings, skipped samples and samples go to `part`, whose violations are then those of
    // the scope in order. Several threads may check scopes at once, each into its own part.
    void scope(SampleReader& reader, const SeriesFilter& filter, const std::string& scope,
               std::span<const Series> servers, CheckResult& part) const {
        const bool partners =
            on(Rule::partner_free) || on(Rule::partner_in_use) || on(Rule::partner_size);
        if (std::none_of(servers.begin(), servers.end(),
                         [&](const Series& s) { return wanted(s); }))
            return;  // nothing of this scope is reported
        std::vector<SeriesSurvey> surveys;
        std::vector<Violation> found;
        for (const Series& s : servers) {
            const bool judge_own = wanted(s);
            if (!judge_own && !partners)
                continue;
            SeriesSurvey survey = first_walk(reader, filter, s, judge_own, found, part);
            if (!survey.seen.empty())  // no sample in the window
                surveys.push_back(std::move(survey));
        }
        if (partners) {
            for (std::size_t a = 0; a < surveys.size(); ++a) {
                for (std::size_t b = a + 1; b < surveys.size(); ++b) {
                    if ((wanted(*surveys[a].series) || wanted(*surveys[b].series)) &&
                        share_relationship(surveys[a], surveys[b]))
                        partner_rules(reader, filter, surveys[a], surveys[b], found, part);
                }
            }
        }
        // A server's own findings of one rule start at distinct times, so their order before
        // the sort does not matter; the partner rules' (several partners of one server) keep
        // the order of the pairs.
        std::stable_sort(found.begin(), found.end(), [](const Violation& x, const Violation& y) {
            return std::tie(x.episode.first, x.rule, x.server) <
                   std::tie(y.episode.first, y.rule, y.server);
        });
        for (Violation& v : found) {
            v.scope = scope;
            part.worst.add(severity_of(v.rule));
            part.violations.push_back(std::move(v));
        }
    }

  private:
    bool on(Rule rule) const { return checked_[static_cast<std::size_t>(rule)]; }
    bool wanted(const Series& s) const {
        return servers_.empty() ||
               std::find(servers_.begin(), servers_.end(), s.server) != servers_.end();
    }
    static std::int64_t& skipped(CheckResult& part, Rule rule) {
        return part.skipped[static_cast<std::size_t>(rule)];
    }

    static void add(Rule rule, const std::string& server, std::vector<Episode> episodes,
                    std::vector<Violation>& found) {
        for (Episode& e : episodes)
            found.push_back({rule, server, {}, std::move(e)});
    }

    // The first walk over a series: its usual interval and relationships, and, when
    // `judge_own`, the rules of its own samples: those that judge each sample on its own,
    // size-change, and gap (judged once the walk's end gives the usual interval).
    SeriesSurvey first_walk(SampleReader& reader, const SeriesFilter& filter, const Series& series,
                            bool judge_own, std::vector<Violation>& found,
                            CheckResult& part) const {
        SeriesSurvey out;
        out.series = &series;
        const std::string& server = series.server;
        std::array<std::optional<RuleWalk>, kSampleRules.size()> walks;
        bool samples_judged = false;
        for (std::size_t r = 0; judge_own && r < kSampleRules.size(); ++r) {
            if (on(kSampleRules[r])) {
                walks[r].emplace(skipped(part, kSampleRules[r]));
                samples_judged = true;
            }
        }
        const bool sizes = judge_own && on(Rule::size_change);
        const bool gaps = judge_own && on(Rule::gap);
        IntervalCounter interval;
        GapCandidates candidates;
        const Relationship* last = nullptr;
        std::optional<std::int64_t> last_size;
        std::optional<std::int64_t> previous;  // the timestamp of the sample before
        PointCursor points(reader, series, filter);
        while (const Point* point = points.next()) {
            const Point& p = *point;
            interval.add(p.timestamp);
            if (p.relationship != last) {
                last = p.relationship;
                out.seen.emplace(last->name, last->role);
            }
            if (!judge_own)
                continue;
            ++part.samples;
            if (samples_judged) {
                const std::array<Judgement, 4> judged = judge_sample(p);
                for (std::size_t r = 0; r < kSampleRules.size(); ++r) {
                    if (walks[r])
                        walks[r]->judge(p, judged[r]);
                }
            }
            if (sizes)
                size_change(p, server, last_size, found, part);
            if (gaps && previous)
                candidates.add(*previous, p);
            previous = p.timestamp;
        }
        out.usual = interval.usual();
        for (std::size_t r = 0; r < kSampleRules.size(); ++r) {
            if (walks[r])
                add(kSampleRules[r], server, walks[r]->finish(), found);
        }
        if (gaps && out.usual > 0) {
            if (candidates.complete(out.usual)) {
                candidates.emit(out.usual, [&](std::int64_t before, const Point& after) {
                    gap(server, before, after, found);
                });
            } else {
                gap_walk(reader, filter, series, out.usual, found);
            }
        }
        return out;
    }

    // The gaps of a series whose usual interval is known, in a walk of their own.
    static void gap_walk(SampleReader& reader, const SeriesFilter& filter, const Series& series,
                         std::int64_t usual, std::vector<Violation>& found) {
        std::optional<std::int64_t> previous;
        PointCursor points(reader, series, filter);
        while (const Point* p = points.next()) {
            if (previous && 2 * (p->timestamp - *previous) > 5 * usual)
                gap(series.server, *previous, *p, found);
            previous = p->timestamp;
        }
    }

    // A gap is a step longer than 2.5 x the usual interval between two samples: its episode
    // runs from the sample before it to the sample after it (2 samples), its difference is
    // its length in seconds, and the counters shown are those of the sample after it.
    static void gap(const std::string& server, std::int64_t before, const Point& after,
                    std::vector<Violation>& found) {
        found.push_back({Rule::gap,
                         server,
                         {},
                         Episode{before, after.timestamp, 2,
                                 static_cast<double>(after.timestamp - before), after}});
    }

    // An event, not a state: each change is an episode of one sample, the one with the new
    // value; its difference is new - old (negative when the pool shrank). A sample with a
    // NULL num_addr is skipped: the next known value is compared with the last known one.
    void size_change(const Point& p, const std::string& server, std::optional<std::int64_t>& last,
                     std::vector<Violation>& found, CheckResult& part) const {
        const auto n = get(p, Counter::num_addr);
        if (!n) {
            ++skipped(part, Rule::size_change);
            return;
        }
        if (last && *n != *last) {
            found.push_back(
                {Rule::size_change,
                 server,
                 {},
                 Episode{p.timestamp, p.timestamp, 1, static_cast<double>(*n - *last), p}});
        }
        last = n;
    }

    // The partner rules compare two servers' views, so a disagreement is one finding, not
    // two: it is reported once per pair, for the server later in name order (b), walked on
    // b's samples, each paired with a's sample nearest in time (a sample at the same second
    // first) within the smaller of the two usual intervals and of the same relationship
    // name. The simulator breaks dhcp2's view and its truth names dhcp2 (of dhcp1, dhcp2).
    // A sample of b with no such partner is skipped for every partner rule.
    void partner_rules(SampleReader& reader, const SeriesFilter& filter, const SeriesSurvey& a,
                       const SeriesSurvey& b, std::vector<Violation>& found,
                       CheckResult& part) const {
        const std::int64_t ia = a.usual, ib = b.usual;
        const std::int64_t reach = ia > 0 && ib > 0 ? std::min(ia, ib) : std::max(ia, ib);
        const std::array<Rule, 3> rules = {Rule::partner_free, Rule::partner_in_use,
                                           Rule::partner_size};
        std::vector<RuleWalk> walks;
        walks.reserve(rules.size());
        for (Rule rule : rules)
            walks.emplace_back(skipped(part, rule));
        PointCursor a_points(reader, *a.series, filter);
        Nearest nearest(a_points);
        PointCursor b_points(reader, *b.series, filter);
        while (const Point* point = b_points.next()) {
            const Point& p = *point;
            const Point* q = nearest.at(p.timestamp, reach);
            if (q && q->relationship->name != p.relationship->name)
                q = nullptr;
            for (std::size_t r = 0; r < rules.size(); ++r) {
                if (on(rules[r]))
                    walks[r].judge(p, q ? partner_rule(rules[r], *q, p) : std::nullopt);
            }
        }
        for (std::size_t r = 0; r < rules.size(); ++r) {
            if (on(rules[r]))
                add(rules[r], b.series->server, walks[r].finish(), found);
        }
    }

    std::vector<std::string> servers_;
    std::array<bool, kRuleCount> checked_{};
};

}  // namespace

std::string_view to_string(Rule rule) {
    return kRuleNames[static_cast<std::size_t>(rule)];
}

Severity severity_of(Rule rule) {
    switch (rule) {
        case Rule::sum_total:
        case Rule::sum_free:
        case Rule::sum_in_use:
        case Rule::range:
            return Severity::critical;
        case Rule::size_change:
            return Severity::info;
        default:
            return Severity::warning;
    }
}

Rule parse_rule(std::string_view text) {
    for (std::size_t i = 0; i < kRuleCount; ++i) {
        if (kRuleNames[i] == text)
            return static_cast<Rule>(i);
    }
    std::string names;
    for (std::string_view name : kRuleNames)
        names += (names.empty() ? "" : ", ") + std::string(name);
    throw InputError(excerpt(text) + " is not one of " + names);
}

CheckResult check_invariants(SampleReader& reader, const SeriesFilter& filter,
                             const CheckOptions& options) {
    const Checker checker(options, filter.servers);
    SeriesFilter with_partners = filter;
    with_partners.servers.clear();
    const std::vector<ScopeSeries> scopes = scopes_of(reader, with_partners);
    std::vector<CheckResult> parts(scopes.size());
    parallel_for_each(reader, scopes.size(), options.threads,
                      [&](SampleReader& own, std::size_t i) {
                          checker.scope(own, filter, scopes[i].scope, scopes[i].servers, parts[i]);
                      });
    CheckResult result;
    result.checked = checker.checked();
    for (CheckResult& part : parts) {
        for (std::size_t r = 0; r < kRuleCount; ++r)
            result.skipped[r] += part.skipped[r];
        result.samples += part.samples;
        if (const auto worst = part.worst.get())
            result.worst.add(*worst);
        std::move(part.violations.begin(), part.violations.end(),
                  std::back_inserter(result.violations));
    }
    return result;
}

}  // namespace fostat
