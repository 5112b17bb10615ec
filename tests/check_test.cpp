#include <gtest/gtest.h>

#include <algorithm>

#include <SQLiteCpp/Database.h>

#include "analyses/check.h"
#include "fostat/error.h"
#include "storage/database.h"
#include "storage/run_writer.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kStep = 300;
constexpr const char* kScope = "10.1.2.0/24";

// A sample whose sums hold: num_addr = free + in use, each split this/partner as given.
Sample consistent(std::int64_t ts, const std::string& server, std::uint64_t this_free,
                  std::uint64_t partner_free, std::uint64_t this_in_use,
                  std::uint64_t partner_in_use) {
    Sample s;
    s.timestamp = ts;
    s.server = server;
    s.scope = kScope;
    s.relationship.name = "dhcp1-dhcp2";
    s.relationship.state = State::normal;
    const std::uint64_t free = this_free + partner_free, in_use = this_in_use + partner_in_use;
    s.counters.values = {free + in_use, free,           in_use,     partner_free,
                         this_free,     partner_in_use, this_in_use};
    return s;
}

// dhcp1's and dhcp2's views of the same pool, 254 addresses, both at `ts`.
Sample dhcp1(std::int64_t ts) {
    return consistent(ts, "dhcp1", 60, 64, 70, 60);
}
Sample dhcp2(std::int64_t ts) {
    return consistent(ts, "dhcp2", 64, 60, 60, 70);
}

struct Found {
    std::string rule;
    std::string server;
    std::int64_t first;
    std::int64_t last;
    std::int64_t samples;
    double worst;
    bool operator==(const Found&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Found& f) {
    return out << f.rule << ' ' << f.server << " first+" << f.first - kT0 << " last+"
               << f.last - kT0 << " n=" << f.samples << " worst=" << f.worst;
}

class CheckTest : public ::testing::Test {
  protected:
    void store(const std::vector<Sample>& samples) { test::store(*db_, samples); }
    CheckResult check(const CheckOptions& options = {}, const SeriesFilter& filter = {}) {
        return check_invariants(reader_, filter, options);
    }
    std::vector<Found> found(const CheckOptions& options = {}, const SeriesFilter& filter = {}) {
        std::vector<Found> out;
        for (const Violation& v : check(options, filter).violations) {
            out.push_back({std::string(to_string(v.rule)), v.server, v.episode.first,
                           v.episode.last, v.episode.samples, v.episode.worst});
        }
        return out;
    }
    static CheckOptions only(Rule rule) { return CheckOptions{{rule}, Severity::info}; }

    std::unique_ptr<SQLite::Database> db_ = open_database(":memory:", Access::read_write);
    SampleReader reader_{*db_};
};

std::int64_t skipped(const CheckResult& r, Rule rule) {
    return r.skipped[static_cast<std::size_t>(rule)];
}

TEST_F(CheckTest, ConsistentPairReportsNothing) {
    std::vector<Sample> samples;
    for (int i = 0; i < 10; ++i) {
        samples.push_back(dhcp1(kT0 + i * kStep));
        samples.push_back(dhcp2(kT0 + i * kStep));
    }
    store(samples);
    const CheckResult r = check();
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(r.samples, 20);
    EXPECT_EQ(r.worst.exit_status(), kExitOk);
    for (std::size_t i = 0; i < kRuleCount; ++i) {
        EXPECT_TRUE(r.checked[i]);
        EXPECT_EQ(r.skipped[i], 0) << to_string(static_cast<Rule>(i));
    }
}

TEST_F(CheckTest, EachSumRuleFindsItsViolationWithTheDifference) {
    std::vector<Sample> samples;
    for (int i = 0; i < 7; ++i)
        samples.push_back(dhcp1(kT0 + i * kStep));
    *samples[1].counters[Counter::addr_in_use] += 4;  // free + in use = 258 != 254
    *samples[1].counters[Counter::this_addr_in_use] += 4;
    *samples[3].counters[Counter::addr_free] += 3;         // both sums with addr_free: off by 3
    *samples[5].counters[Counter::this_addr_in_use] -= 2;  // 68 + 60 != 130: |-2|
    store(samples);
    // In order of first time, then of rule as docs/design.md § Invariant rules lists them.
    EXPECT_EQ(found(), (std::vector<Found>{
                           {"sum-total", "dhcp1", kT0 + kStep, kT0 + kStep, 1, 4},
                           {"sum-total", "dhcp1", kT0 + 3 * kStep, kT0 + 3 * kStep, 1, 3},
                           {"sum-free", "dhcp1", kT0 + 3 * kStep, kT0 + 3 * kStep, 1, 3},
                           {"sum-in-use", "dhcp1", kT0 + 5 * kStep, kT0 + 5 * kStep, 1, 2},
                       }));
    EXPECT_EQ(check().worst.get(), Severity::critical);
}

TEST_F(CheckTest, RangeCatchesAWrappedCounterAndSumsDoNotWrap) {
    Sample wrapped = dhcp1(kT0 + kStep);
    wrapped.counters[Counter::this_addr_in_use] = kMaxCounter;
    store({dhcp1(kT0), wrapped, dhcp1(kT0 + 2 * kStep)});
    const double excess = static_cast<double>(kMaxCounter - 254);
    const double sum_off = static_cast<double>(kMaxCounter + 60 - 130);
    EXPECT_EQ(found(only(Rule::range)),
              (std::vector<Found>{{"range", "dhcp1", kT0 + kStep, kT0 + kStep, 1, excess}}));
    EXPECT_EQ(found(only(Rule::sum_in_use)),
              (std::vector<Found>{{"sum-in-use", "dhcp1", kT0 + kStep, kT0 + kStep, 1, sum_off}}));
    const CheckResult r = check(only(Rule::range));
    ASSERT_EQ(r.violations.size(), 1u);
    EXPECT_EQ(r.violations[0].episode.at_worst.counters[Counter::this_addr_in_use], kMaxCounter);
    EXPECT_EQ(r.worst.get(), Severity::critical);
}

// Samples i of dhcp1 with addr_in_use off by offsets[i] (0: consistent).
std::vector<Sample> sum_total_series(const std::vector<int>& offsets) {
    std::vector<Sample> out;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        Sample s = dhcp1(kT0 + static_cast<std::int64_t>(i) * kStep);
        *s.counters[Counter::addr_in_use] += offsets[i];
        *s.counters[Counter::this_addr_in_use] += offsets[i];  // sum-in-use holds
        out.push_back(s);
    }
    return out;
}

TEST_F(CheckTest, ConsecutiveViolationsFormOneEpisodeThatAPassingSampleEnds) {
    store(sum_total_series({0, 2, 5, 3, 0, 1, 0}));
    EXPECT_EQ(found(only(Rule::sum_total)),
              (std::vector<Found>{{"sum-total", "dhcp1", kT0 + kStep, kT0 + 3 * kStep, 3, 5},
                                  {"sum-total", "dhcp1", kT0 + 5 * kStep, kT0 + 5 * kStep, 1, 1}}));
    const CheckResult r = check(only(Rule::sum_total));
    ASSERT_EQ(r.violations.size(), 2u);
    const Point& worst = r.violations[0].episode.at_worst;
    EXPECT_EQ(worst.timestamp, kT0 + 2 * kStep);  // the counters of the worst sample
    EXPECT_EQ(worst.counters[Counter::addr_in_use], 135u);
    EXPECT_EQ(r.violations[0].scope, kScope);
    EXPECT_EQ(r.samples, 7);
}

TEST_F(CheckTest, AnEpisodeCutByTheWindowStartsAndEndsAtTheWindowsEdgeSamples) {
    store(sum_total_series({0, 1, 2, 3, 4, 3, 2, 0}));
    SeriesFilter window;
    window.since = kT0 + 3 * kStep - 10;  // between samples 2 and 3
    window.until = kT0 + 5 * kStep;       // on sample 5
    EXPECT_EQ(found(only(Rule::sum_total), window),
              (std::vector<Found>{{"sum-total", "dhcp1", kT0 + 3 * kStep, kT0 + 5 * kStep, 3, 4}}));
    window.since = kT0;
    window.until = kT0 + 2 * kStep;
    EXPECT_EQ(found(only(Rule::sum_total), window),
              (std::vector<Found>{{"sum-total", "dhcp1", kT0 + kStep, kT0 + 2 * kStep, 2, 2}}));
}

TEST_F(CheckTest, ANullSampleIsSkippedCountedAndNeitherEndsNorExtendsAnEpisode) {
    std::vector<Sample> samples = sum_total_series({0, 2, 2, 2, 0, 0});
    samples[2].counters[Counter::addr_free].reset();  // in the middle of the episode
    samples[4].counters[Counter::num_addr].reset();   // after it: does not extend it
    store(samples);
    const CheckResult r = check();
    EXPECT_EQ(found(only(Rule::sum_total)),
              (std::vector<Found>{{"sum-total", "dhcp1", kT0 + kStep, kT0 + 3 * kStep, 2, 2}}));
    EXPECT_EQ(skipped(r, Rule::sum_total), 2);
    EXPECT_EQ(skipped(r, Rule::sum_free), 1);  // needs addr_free only, not num_addr
    EXPECT_EQ(skipped(r, Rule::sum_in_use), 0);
    EXPECT_EQ(skipped(r, Rule::range), 2);        // the NULL counter, and no num_addr
    EXPECT_EQ(skipped(r, Rule::size_change), 1);  // and no size change around the NULL
    EXPECT_TRUE(found(only(Rule::size_change)).empty());
}

TEST_F(CheckTest, RangeJudgesTheKnownCountersWhenOthersAreNull) {
    Sample high = dhcp1(kT0);
    high.counters[Counter::this_addr_free] = 300;
    high.counters[Counter::partner_addr_in_use].reset();
    Sample unknown = dhcp1(kT0 + kStep);
    unknown.counters[Counter::partner_addr_in_use].reset();
    store({high, unknown});
    const CheckResult r = check(only(Rule::range));
    EXPECT_EQ(found(only(Rule::range)),
              (std::vector<Found>{{"range", "dhcp1", kT0, kT0, 1, 300 - 254}}));
    EXPECT_EQ(skipped(r, Rule::range), 1);
}

// dhcp2 samples `skew` seconds after dhcp1's; dhcp2's partner_addr_free is 3 off at sample 2.
std::vector<Sample> skewed_pair(std::int64_t skew, int count) {
    std::vector<Sample> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(dhcp1(kT0 + i * kStep));
        Sample b = dhcp2(kT0 + i * kStep + skew);
        if (i == 2) {
            *b.counters[Counter::partner_addr_free] += 3;
            *b.counters[Counter::addr_free] += 3;  // its own sums hold
            *b.counters[Counter::num_addr] += 3;
        }
        out.push_back(b);
    }
    return out;
}

TEST_F(CheckTest, PartnerSamplesFortySecondsApartArePairedAndReportedForTheLaterServer) {
    store(skewed_pair(40, 6));
    const CheckResult r = check();
    // Once, for dhcp2 (the later name of the pair), at dhcp2's sample.
    EXPECT_EQ(found(only(Rule::partner_free)),
              (std::vector<Found>{
                  {"partner-free", "dhcp2", kT0 + 2 * kStep + 40, kT0 + 2 * kStep + 40, 1, 3}}));
    EXPECT_EQ(found(only(Rule::partner_size)),
              (std::vector<Found>{
                  {"partner-size", "dhcp2", kT0 + 2 * kStep + 40, kT0 + 2 * kStep + 40, 1, 3}}));
    EXPECT_TRUE(found(only(Rule::partner_in_use)).empty());
    EXPECT_EQ(skipped(r, Rule::partner_free), 0);
}

TEST_F(CheckTest, AServerFilterStillPairsItsPartnerAndChecksOnlyTheServerAsked) {
    store(skewed_pair(40, 6));
    SeriesFilter dhcp1;
    dhcp1.servers = {"dhcp1"};
    // dhcp1's partner is read for pairing: the disagreement between them is reported.
    EXPECT_EQ(found(only(Rule::partner_free), dhcp1),
              (std::vector<Found>{
                  {"partner-free", "dhcp2", kT0 + 2 * kStep + 40, kT0 + 2 * kStep + 40, 1, 3}}));
    // Only dhcp1's samples count as checked.
    EXPECT_EQ(check({}, dhcp1).samples, check({}, {}).samples / 2);
}

TEST_F(CheckTest, PartnerSamplesPairWithTheNearestSampleOfTheOtherServer) {
    // dhcp2 at 260 s after dhcp1's samples: dhcp1's next sample (40 s later) is the partner.
    // dhcp1's sample 3 disagrees, so dhcp2's sample 2 (next to it) is flagged, not sample 3.
    std::vector<Sample> samples;
    for (int i = 0; i < 6; ++i) {
        Sample a = dhcp1(kT0 + i * kStep);
        if (i == 3) {
            *a.counters[Counter::this_addr_in_use] += 4;
            *a.counters[Counter::addr_in_use] += 4;
            *a.counters[Counter::num_addr] += 4;
        }
        samples.push_back(a);
        samples.push_back(dhcp2(kT0 + i * kStep + 260));
    }
    store(samples);
    EXPECT_EQ(found(only(Rule::partner_in_use)),
              (std::vector<Found>{{"partner-in-use", "dhcp2", kT0 + 2 * kStep + 260,
                                   kT0 + 2 * kStep + 260, 1, 4}}));
}

TEST_F(CheckTest, PartnerSamplesFurtherApartThanTheUsualIntervalAreNotPaired) {
    // dhcp1 reports until 1200 s, dhcp2 from 1600 s: the nearest pair is 400 s apart.
    std::vector<Sample> samples;
    for (int i = 0; i < 5; ++i) {
        samples.push_back(dhcp1(kT0 + i * kStep));
        Sample b = dhcp2(kT0 + 1600 + i * kStep);
        *b.counters[Counter::partner_addr_free] += 3;  // would disagree if paired
        *b.counters[Counter::addr_free] += 3;
        *b.counters[Counter::num_addr] += 3;
        samples.push_back(b);
    }
    store(samples);
    const CheckResult r = check();
    for (Rule rule : {Rule::partner_free, Rule::partner_in_use, Rule::partner_size}) {
        EXPECT_TRUE(found(only(rule)).empty()) << to_string(rule);
        EXPECT_EQ(skipped(r, rule), 5) << to_string(rule);
    }
}

TEST_F(CheckTest, PartnerCountersAreComparedInNormalStateOnlyButSizeInAny) {
    std::vector<Sample> samples = skewed_pair(0, 5);
    samples[5].relationship.state = State::partner_down;  // dhcp2's broken sample 2
    store(samples);
    const CheckResult r = check();
    EXPECT_TRUE(found(only(Rule::partner_free)).empty());
    EXPECT_EQ(skipped(r, Rule::partner_free), 1);
    EXPECT_EQ(skipped(r, Rule::partner_in_use), 1);
    EXPECT_EQ(
        found(only(Rule::partner_size)),
        (std::vector<Found>{{"partner-size", "dhcp2", kT0 + 2 * kStep, kT0 + 2 * kStep, 1, 3}}));
    EXPECT_EQ(skipped(r, Rule::partner_size), 0);
}

TEST_F(CheckTest, OnlyServersOfTheSameRelationshipArePaired) {
    std::vector<Sample> samples;
    for (int i = 0; i < 4; ++i) {
        samples.push_back(dhcp1(kT0 + i * kStep));
        samples.push_back(dhcp2(kT0 + i * kStep));
        Sample other = consistent(kT0 + i * kStep, "dhcp3", 10, 10, 10, 10);
        other.relationship.name = "dhcp3-dhcp4";
        samples.push_back(other);
    }
    store(samples);
    const CheckResult r = check();
    EXPECT_TRUE(r.violations.empty());
    EXPECT_EQ(skipped(r, Rule::partner_size), 0);
}

TEST_F(CheckTest, TwoServersOfTheSameRoleAreNotPartners) {
    std::vector<Sample> samples;
    for (const char* server : {"dhcp1", "dhcp2", "dhcp3"}) {
        const bool primary = std::string(server) == "dhcp1";
        Sample s = primary ? consistent(kT0, server, 70, 50, 60, 74)
                           : consistent(kT0, server, 50, 70, 74, 60);
        s.relationship.role = primary ? "primary" : "secondary";
        samples.push_back(s);
    }
    store(samples);
    // dhcp2 and dhcp3 each agree with dhcp1; paired with each other they would not.
    EXPECT_TRUE(found().empty());
}

TEST_F(CheckTest, PartnerSamplesOfAnotherRelationshipNameAreNotPaired) {
    std::vector<Sample> samples = skewed_pair(0, 5);
    samples[5].relationship.name = "renamed";  // dhcp2's broken sample 2
    store(samples);
    const CheckResult r = check();
    for (Rule rule : {Rule::partner_free, Rule::partner_in_use, Rule::partner_size}) {
        EXPECT_TRUE(found(only(rule)).empty()) << to_string(rule);
        EXPECT_EQ(skipped(r, rule), 1) << to_string(rule);
    }
}

TEST_F(CheckTest, SizeChangeIsAnInfoEventAtTheSampleWithTheNewValue) {
    std::vector<Sample> samples;
    for (int i = 0; i < 5; ++i) {
        const std::uint64_t grow = i == 2 || i == 3 ? 46 : 0;
        samples.push_back(
            consistent(kT0 + i * kStep, "dhcp1", 60 + grow / 2, 64 + grow / 2, 70, 60));
    }
    store(samples);
    EXPECT_EQ(found(), (std::vector<Found>{
                           {"size-change", "dhcp1", kT0 + 2 * kStep, kT0 + 2 * kStep, 1, 46},
                           {"size-change", "dhcp1", kT0 + 4 * kStep, kT0 + 4 * kStep, 1, -46}}));
    const CheckResult r = check();
    EXPECT_EQ(r.worst.get(), Severity::info);
    EXPECT_EQ(r.worst.exit_status(), kExitOk);  // an info event never makes the status non-zero
}

TEST_F(CheckTest, AGapIsLongerThanTwoAndAHalfUsualIntervals) {
    // Steps 300 x 4, 750 (exactly 2.5: not a gap), 300 x 2, 900 (a gap), 300 x 2.
    std::vector<std::int64_t> times = {0, 300, 600, 900, 1200, 1950, 2250, 2550, 3450, 3750, 4050};
    std::vector<Sample> samples;
    for (std::int64_t t : times)
        samples.push_back(dhcp1(kT0 + t));
    store(samples);
    EXPECT_EQ(found(), (std::vector<Found>{{"gap", "dhcp1", kT0 + 2550, kT0 + 3450, 2, 900}}));
    EXPECT_EQ(check().worst.get(), Severity::warning);
}

// dhcp1 at kT0 + the running sums of `steps`.
std::vector<Sample> stepped(const std::vector<std::int64_t>& steps) {
    std::vector<Sample> out = {dhcp1(kT0)};
    std::int64_t t = 0;
    for (std::int64_t step : steps) {
        t += step;
        out.push_back(dhcp1(kT0 + t));
    }
    return out;
}

Found gap(std::int64_t from, std::int64_t to) {
    return {"gap", "dhcp1", kT0 + from, kT0 + to, 2, static_cast<double>(to - from)};
}

TEST_F(CheckTest, AGapAsTheVeryFirstStepIsFound) {
    // Steps 1000, then 300 x 6: the usual interval is 300, so the first step is a gap.
    store(stepped({1000, 300, 300, 300, 300, 300, 300}));
    EXPECT_EQ(found(), (std::vector<Found>{gap(0, 1000)}));
}

TEST_F(CheckTest, GapsBeforeTheIntervalShrankAreFound) {
    // Steps 1000 x 5, then a longer stretch of 300 x 8, 900, 300 x 4: the usual interval is
    // 300, so every 1000 s step is a gap, and so is the 900 s one.
    std::vector<std::int64_t> steps(5, 1000);
    steps.insert(steps.end(), 8, 300);
    steps.push_back(900);
    steps.insert(steps.end(), 4, 300);
    store(stepped(steps));
    EXPECT_EQ(found(), (std::vector<Found>{gap(0, 1000), gap(1000, 2000), gap(2000, 3000),
                                           gap(3000, 4000), gap(4000, 5000), gap(7400, 8300)}));
}

TEST_F(CheckTest, MoreGapsThanAreKeptAsCandidatesAreAllFound) {
    // Steps 1, 1000, 1, 1000, ..., 1: one more 1 s step than 1000 s ones, so the usual
    // interval is 1 and each of the 4,100 steps of 1000 s is a gap.
    constexpr int kGaps = 4'100;
    std::vector<std::int64_t> steps = {1};
    for (int i = 0; i < kGaps; ++i) {
        steps.push_back(1000);
        steps.push_back(1);
    }
    store(stepped(steps));
    std::vector<Found> expected;
    for (std::int64_t i = 0; i < kGaps; ++i)  // the i-th runs from 1001 i + 1 to 1001 (i + 1)
        expected.push_back(gap(1001 * i + 1, 1001 * (i + 1)));
    EXPECT_EQ(found(only(Rule::gap)), expected);
}

TEST_F(CheckTest, AWalkLeftBeforeItsEndDoesNotDisturbTheNextSeries) {
    // dhcp1 every 5 minutes for 3 days in two scopes, dhcp2 on the first day only: the
    // partner walk leaves dhcp1's first scope after day 1, two stored days unread, and the
    // next walk (dhcp1's second scope) must read its own samples all the same.
    constexpr const char* kOther = "10.1.3.0/24";
    std::vector<Sample> samples;
    for (std::int64_t i = 0; i < 3 * 288; ++i) {
        samples.push_back(dhcp1(kT0 + i * kStep));
        Sample other = dhcp1(kT0 + i * kStep);
        other.scope = kOther;
        if (i == 2 * 288 + 7) {
            *other.counters[Counter::addr_in_use] += 2;
            *other.counters[Counter::this_addr_in_use] += 2;
        }
        samples.push_back(other);
        if (i < 288)
            samples.push_back(dhcp2(kT0 + i * kStep));
    }
    store(samples);
    const std::int64_t t = kT0 + (2 * 288 + 7) * kStep;
    const CheckResult r = check();
    ASSERT_EQ(r.violations.size(), 1u);
    EXPECT_EQ(r.violations[0].scope, kOther);
    EXPECT_EQ(found(), (std::vector<Found>{{"sum-total", "dhcp1", t, t, 1, 2}}));
    EXPECT_EQ(r.samples, 7 * 288);
}

TEST_F(CheckTest, RuleAndSeverityChooseWhatIsCheckedAndTheExitStatus) {
    // One series with a sum-total episode (critical), a gap (warning), a size change (info).
    std::vector<Sample> samples;
    for (std::int64_t t : {0, 300, 600, 900, 1200, 2400, 2700, 3000}) {
        const std::uint64_t grow = t >= 2700 ? 2 : 0;
        samples.push_back(consistent(kT0 + t, "dhcp1", 60 + grow, 64, 70, 60));
    }
    *samples[1].counters[Counter::addr_in_use] += 1;
    *samples[1].counters[Counter::this_addr_in_use] += 1;
    store(samples);

    const auto rules = [](const CheckResult& r) {
        std::vector<std::string> names;
        for (const Violation& v : r.violations)
            names.emplace_back(to_string(v.rule));
        return names;
    };
    const CheckResult all = check();
    EXPECT_EQ(rules(all), (std::vector<std::string>{"sum-total", "gap", "size-change"}));
    EXPECT_EQ(all.worst.exit_status(), kExitCritical);

    const CheckResult warning = check({{}, Severity::warning});
    EXPECT_EQ(rules(warning), (std::vector<std::string>{"sum-total", "gap"}));
    EXPECT_FALSE(warning.checked[static_cast<std::size_t>(Rule::size_change)]);
    EXPECT_TRUE(warning.checked[static_cast<std::size_t>(Rule::gap)]);

    const CheckResult named = check({{Rule::gap, Rule::size_change}, Severity::info});
    EXPECT_EQ(rules(named), (std::vector<std::string>{"gap", "size-change"}));
    EXPECT_EQ(named.worst.exit_status(), kExitWarning);
    EXPECT_FALSE(named.checked[static_cast<std::size_t>(Rule::sum_total)]);

    const CheckResult info = check(only(Rule::size_change));
    EXPECT_EQ(rules(info), (std::vector<std::string>{"size-change"}));
    EXPECT_EQ(info.worst.exit_status(), kExitOk);

    // A rule below the floor is not checked even when named: nothing, status 0.
    const CheckResult none = check({{Rule::size_change, Rule::gap}, Severity::critical});
    EXPECT_TRUE(none.violations.empty());
    EXPECT_EQ(none.worst.exit_status(), kExitOk);
}

TEST(IntervalCounter, IsTheStepAtHalfTheCountOfTheSortedSteps) {
    const std::vector<std::vector<std::int64_t>> cases = {
        {300},
        {300, 900},
        {900, 300, 300},
        {1, 1000, 1, 1000},
        {300, 300, 300, 900, 300, 300, 1200, 300},
        {5, 3, 3, 9, 7, 7, 7, 1, 0},
        {60, 60, 61, 59, 60, 3600, 60, 58, 62, 60},
    };
    for (const std::vector<std::int64_t>& steps : cases) {
        IntervalCounter counter;
        std::int64_t t = kT0;
        counter.add(t);
        for (std::int64_t step : steps)
            counter.add(t += step);
        std::vector<std::int64_t> sorted = steps;
        const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
        std::nth_element(sorted.begin(), middle, sorted.end());
        EXPECT_EQ(counter.usual(), *middle) << testing::PrintToString(steps);
    }
    IntervalCounter none, one;
    one.add(kT0);
    EXPECT_EQ(none.usual(), 0);
    EXPECT_EQ(one.usual(), 0);
}

TEST(Check, RuleNamesRoundTripAndAnUnknownOneListsTheValidNames) {
    for (std::size_t i = 0; i < kRuleCount; ++i) {
        const Rule rule = static_cast<Rule>(i);
        EXPECT_EQ(parse_rule(to_string(rule)), rule);
    }
    EXPECT_EQ(severity_of(Rule::sum_free), Severity::critical);
    EXPECT_EQ(severity_of(Rule::partner_size), Severity::warning);
    EXPECT_EQ(severity_of(Rule::gap), Severity::warning);
    EXPECT_EQ(severity_of(Rule::size_change), Severity::info);
    try {
        parse_rule("sum");
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind("'sum' is not one of ", 0), 0u) << message;
        EXPECT_NE(message.find("sum-total, sum-free, sum-in-use, range, partner-free, "
                               "partner-in-use, partner-size, size-change, gap"),
                  std::string::npos)
            << message;
    }
}

}  // namespace
}  // namespace fostat
