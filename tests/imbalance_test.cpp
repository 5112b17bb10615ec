#include "analyses/imbalance.h"

#include <gtest/gtest.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/run_writer.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kStep = 300;

std::int64_t at(std::int64_t tick) {
    return kT0 + kStep * tick;
}

// A load-balance sample of `server` at `tick` with `free` free addresses, `own` of them its
// own (expected: 50 %).
Sample pool(std::int64_t tick, std::uint64_t own, std::uint64_t free = 100,
            const std::string& server = "dhcp1") {
    Sample s = test::sample_at(at(tick), server, "10.1.2.0/24", 254 - free);
    s.counters[Counter::this_addr_free] = own;
    s.counters[Counter::partner_addr_free] = free - own;
    return s;
}

// Ticks 0.. with these own free addresses of 100.
std::vector<Sample> owning(const std::vector<std::uint64_t>& own) {
    std::vector<Sample> out;
    for (std::size_t i = 0; i < own.size(); ++i)
        out.push_back(pool(static_cast<std::int64_t>(i), own[i]));
    return out;
}

std::vector<std::uint64_t> repeat(std::uint64_t own, int times,
                                  std::vector<std::uint64_t> before = {}) {
    before.insert(before.end(), static_cast<std::size_t>(times), own);
    return before;
}

ImbalanceResult analyse(const std::vector<Sample>& samples, const ImbalanceOptions& options = {},
                        const SeriesFilter& filter = {}) {
    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, samples);
    SampleReader reader(*db);
    return find_imbalance(reader, filter, options);
}

TEST(Imbalance, ShortfallShorterThanForIsNotReportedLongerIs) {
    // 30 of 100 free (-20 points) for 25 min, back to 50, then for 30 min; 40 (-10) is not
    // beyond the threshold.
    auto own = repeat(50, 2);
    own = repeat(30, 6, own);   // ticks 2-7: 25 min
    own = repeat(40, 20, own);  // ticks 8-27: exactly -10, not beyond
    own = repeat(30, 7, own);   // ticks 28-34: 30 min
    own = repeat(50, 2, own);
    const ImbalanceResult r = analyse(owning(own));
    ASSERT_EQ(r.episodes.size(), 1u);
    const ImbalanceEpisode& e = r.episodes[0];
    EXPECT_EQ(e.kind, ImbalanceKind::imbalance);
    EXPECT_EQ(e.relationship, "dhcp1-dhcp2");
    EXPECT_EQ(e.scope, "10.1.2.0/24");
    EXPECT_EQ(e.server, "dhcp1");
    EXPECT_EQ(e.first, at(28));
    EXPECT_EQ(e.last, at(34));
    EXPECT_EQ(e.duration(), 1800);
    EXPECT_EQ(e.samples, 7);
    EXPECT_DOUBLE_EQ(*e.worst_deviation, -20);
    EXPECT_DOUBLE_EQ(*e.mean_deviation, -20);
    EXPECT_DOUBLE_EQ(*e.mean_in_use_share, 50);  // 77 of 154
    EXPECT_EQ(e.expected_share, 50);
    EXPECT_EQ(e.state, State::normal);
    EXPECT_EQ(r.samples, static_cast<std::int64_t>(own.size()));

    ImbalanceOptions every;
    every.min_duration = 0;
    EXPECT_EQ(analyse(owning(own), every).episodes.size(), 2u);
    ImbalanceOptions strict;
    strict.threshold = 9.5;  // now -10 is beyond: ticks 2-34 are one episode
    const ImbalanceResult all = analyse(owning(own), strict);
    ASSERT_EQ(all.episodes.size(), 1u);
    EXPECT_EQ(all.episodes[0].first, at(2));
    EXPECT_EQ(all.episodes[0].last, at(34));
    EXPECT_NEAR(*all.episodes[0].mean_deviation, (13 * -20.0 + 20 * -10.0) / 33, 1e-9);
}

TEST(Imbalance, WorstAndMeanDeviationAndInUseShare) {
    std::vector<Sample> samples = owning({50, 35, 20, 30, 35, 35, 35, 35, 50});
    for (Sample& s : samples)
        s.counters[Counter::this_addr_in_use] = 44;  // of 154 in use
    const ImbalanceResult r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].samples, 7);
    EXPECT_DOUBLE_EQ(*r.episodes[0].worst_deviation, -30);
    EXPECT_NEAR(*r.episodes[0].mean_deviation, (-15 - 30 - 20 - 15 * 4) / 7.0, 1e-9);
    EXPECT_NEAR(*r.episodes[0].mean_in_use_share, 4400.0 / 154, 1e-9);
}

TEST(Imbalance, MinFreeSkipsSmallPoolsWithoutEndingTheEpisode) {
    // 1 of 8 free is 12.5 %: far below 50, but too few addresses to judge on shares.
    std::vector<Sample> small;
    for (int i = 0; i < 20; ++i)
        small.push_back(pool(i, 1, 8));
    ImbalanceResult r = analyse(small);
    EXPECT_TRUE(r.episodes.empty());
    EXPECT_EQ(r.small_skipped, 20);
    EXPECT_EQ(r.null_skipped, 0);
    EXPECT_EQ(r.worst.exit_status(), kExitOk);
    ImbalanceOptions lower;
    lower.min_free = 8;
    r = analyse(small, lower);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].samples, 20);
    EXPECT_EQ(r.small_skipped, 0);

    // Short, a small pool for two samples, short again: one episode.
    std::vector<Sample> gapped;
    for (int i = 0; i < 11; ++i)
        gapped.push_back(i == 5 || i == 6 ? pool(i, 1, 8) : pool(i, 20));
    r = analyse(gapped);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].first, at(0));
    EXPECT_EQ(r.episodes[0].last, at(10));
    EXPECT_EQ(r.episodes[0].samples, 9);
    EXPECT_EQ(r.small_skipped, 2);

    // An empty pool has no shares even with --min-free 0.
    ImbalanceOptions zero;
    zero.min_free = 0;
    r = analyse({pool(0, 0, 0), pool(1, 0, 0)}, zero);
    EXPECT_TRUE(r.episodes.empty());
    EXPECT_EQ(r.small_skipped, 2);
}

TEST(Imbalance, StarvedIsAlwaysReportedEvenForOneSample) {
    // One sample with no free address of its own, in a pool too small to judge on shares.
    std::vector<Sample> samples = owning({50, 50});
    samples.push_back(pool(2, 0, 6));
    samples.push_back(pool(3, 50));
    ImbalanceOptions long_for;
    long_for.min_duration = 86400;
    const ImbalanceResult r = analyse(samples, long_for);
    ASSERT_EQ(r.episodes.size(), 1u);
    const ImbalanceEpisode& e = r.episodes[0];
    EXPECT_EQ(e.kind, ImbalanceKind::starved);
    EXPECT_EQ(e.severity, Severity::critical);
    EXPECT_EQ(e.first, at(2));
    EXPECT_EQ(e.last, at(2));
    EXPECT_EQ(e.samples, 1);
    EXPECT_DOUBLE_EQ(*e.worst_deviation, -50);
    EXPECT_EQ(r.worst.exit_status(), kExitCritical);

    // Two hours starved: a starved episode and an imbalance episode of the same samples.
    const ImbalanceResult both = analyse(owning(repeat(0, 25, {50})));
    ASSERT_EQ(both.episodes.size(), 2u);
    EXPECT_EQ(both.episodes[0].kind, ImbalanceKind::imbalance);
    EXPECT_EQ(both.episodes[1].kind, ImbalanceKind::starved);
    for (const ImbalanceEpisode& x : both.episodes) {
        EXPECT_EQ(x.first, at(1));
        EXPECT_EQ(x.last, at(25));
    }
    EXPECT_TRUE(both.episodes[0].stalled);

    // Nothing free on either side is not starved.
    EXPECT_TRUE(analyse({pool(0, 0, 0)}).episodes.empty());
}

TEST(Imbalance, HotStandbyIsJudgedAgainstItsOwnExpectedShare) {
    // The standby keeps 5 % in reserve, the active server the rest.
    std::vector<Sample> samples;
    for (int i = 0; i < 20; ++i) {
        Sample standby = pool(i, i < 10 ? 5 : 0, 100, "dhcp2");
        standby.relationship.mode = Mode::hot_standby;
        standby.relationship.role = "standby";
        standby.relationship.expected_share = 5;
        Sample active = pool(i, i < 10 ? 95 : 80, 100, "dhcp1");
        active.relationship.mode = Mode::hot_standby;
        active.relationship.role = "active";
        active.relationship.expected_share = 95;
        samples.push_back(standby);
        samples.push_back(active);
    }
    const ImbalanceResult r = analyse(samples);
    // The standby at 5 % is where it should be and, at 0 %, 5 points off and not starved
    // (hot-standby); the active at 80 % is 15 points short for 45 min.
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].server, "dhcp1");
    EXPECT_EQ(r.episodes[0].kind, ImbalanceKind::imbalance);
    EXPECT_EQ(r.episodes[0].expected_share, 95);
    EXPECT_DOUBLE_EQ(*r.episodes[0].worst_deviation, -15);
    EXPECT_EQ(r.episodes[0].first, at(10));
    EXPECT_EQ(r.episodes[0].last, at(19));
}

TEST(Imbalance, NullCountersAreSkippedAndCounted) {
    std::vector<Sample> samples = owning(repeat(20, 10));
    for (int i : {3, 4, 5})
        samples[i].counters[Counter::this_addr_free].reset();
    samples[7].counters[Counter::addr_free].reset();
    samples[8].counters[Counter::partner_addr_free].reset();  // only starved needs it
    samples[9].counters[Counter::this_addr_in_use].reset();   // only the in-use share
    const ImbalanceResult r = analyse(samples);
    EXPECT_EQ(r.null_skipped, 5);
    EXPECT_EQ(r.small_skipped, 0);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].first, at(0));
    EXPECT_EQ(r.episodes[0].last, at(9));
    EXPECT_EQ(r.episodes[0].samples, 6);  // 0-2, 6, 8, 9
    EXPECT_DOUBLE_EQ(*r.episodes[0].mean_in_use_share, 50);

    // Nothing but NULLs: nothing reported, everything counted.
    for (Sample& s : samples)
        s.counters[Counter::this_addr_free].reset();
    const ImbalanceResult none = analyse(samples);
    EXPECT_TRUE(none.episodes.empty());
    EXPECT_EQ(none.null_skipped, 10);
}

TEST(Imbalance, EpisodesAreCutAtTheWindowEdges) {
    auto own = repeat(20, 10);  // ticks 0-9
    own = repeat(50, 20, own);  // 10-29
    own = repeat(20, 10, own);  // 30-39
    SeriesFilter window;
    window.since = at(3);
    window.until = at(36);
    const ImbalanceResult r = analyse(owning(own), {}, window);
    ASSERT_EQ(r.episodes.size(), 2u);
    EXPECT_EQ(r.episodes[0].first, at(3));
    EXPECT_EQ(r.episodes[0].last, at(9));
    EXPECT_EQ(r.episodes[0].samples, 7);
    EXPECT_EQ(r.episodes[1].first, at(30));
    EXPECT_EQ(r.episodes[1].last, at(36));
    EXPECT_EQ(r.samples, 34);

    // Cut shorter than --for by the window: not reported.
    window.since = at(5);
    const ImbalanceResult cut = analyse(owning(own), {}, window);
    ASSERT_EQ(cut.episodes.size(), 1u);
    EXPECT_EQ(cut.episodes[0].first, at(30));
}

TEST(Imbalance, StalledOnlyWhenItOutlivesTheRebalanceInNormalState) {
    // Two hours short of free addresses in normal state: a stalled rebalance.
    std::vector<Sample> samples = owning(repeat(20, 25));
    ImbalanceResult r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_TRUE(r.episodes[0].stalled);
    EXPECT_EQ(r.episodes[0].severity, Severity::warning);
    EXPECT_EQ(r.worst.exit_status(), kExitWarning);

    ImbalanceOptions slow;
    slow.rebalance = 3 * 3600;
    r = analyse(samples, slow);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_FALSE(r.episodes[0].stalled);
    EXPECT_EQ(r.episodes[0].severity, Severity::info);
    EXPECT_EQ(r.worst.exit_status(), kExitOk);

    // Exactly the rebalancing interval has not outlived it.
    r = analyse(owning(repeat(20, 13)));
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].duration(), 3600);
    EXPECT_FALSE(r.episodes[0].stalled);

    // The same two hours in partner-down: the survivor owns the pool, info.
    for (Sample& s : samples)
        s.relationship.state = State::partner_down;
    r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_FALSE(r.episodes[0].stalled);
    EXPECT_EQ(r.episodes[0].state, State::partner_down);
    EXPECT_EQ(r.worst.exit_status(), kExitOk);

    // 50 min normal, 1 h partner-down, 50 min normal: no normal stretch outlived 1 h, and
    // partner-down is the most common state.
    for (int i = 0; i < 25; ++i)
        samples[i].relationship.state = i >= 11 && i < 24 ? State::partner_down : State::normal;
    samples[24].relationship.state = State::normal;
    r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 1u);
    EXPECT_EQ(r.episodes[0].first, at(0));
    EXPECT_EQ(r.episodes[0].last, at(24));
    EXPECT_FALSE(r.episodes[0].stalled);
    EXPECT_EQ(r.episodes[0].state, State::partner_down);
}

TEST(Imbalance, ReportsTheShortServerPerScopeAndRelationship) {
    std::vector<Sample> samples;
    for (int i = 0; i < 10; ++i) {
        samples.push_back(pool(i, 20, 100, "dhcp1"));  // short
        samples.push_back(pool(i, 80, 100, "dhcp2"));  // its mirror-image excess
        Sample other = pool(i, 10, 100, "dhcp3");
        other.scope = "10.1.10.0/24";
        other.relationship.name = "a-first";
        samples.push_back(other);
    }
    const ImbalanceResult r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 2u);
    EXPECT_EQ(r.episodes[0].relationship, "a-first");
    EXPECT_EQ(r.episodes[0].server, "dhcp3");
    EXPECT_EQ(r.episodes[1].relationship, "dhcp1-dhcp2");
    EXPECT_EQ(r.episodes[1].server, "dhcp1");
}

TEST(Imbalance, AnotherRelationshipEndsTheEpisode) {
    std::vector<Sample> samples = owning(repeat(20, 20));
    for (int i = 10; i < 20; ++i)
        samples[i].relationship.name = "renamed";
    const ImbalanceResult r = analyse(samples);
    ASSERT_EQ(r.episodes.size(), 2u);
    EXPECT_EQ(r.episodes[0].relationship, "dhcp1-dhcp2");
    EXPECT_EQ(r.episodes[0].last, at(9));
    EXPECT_EQ(r.episodes[1].relationship, "renamed");
    EXPECT_EQ(r.episodes[1].first, at(10));
}

TEST(Imbalance, NoFindingIsExitStatusZero) {
    const ImbalanceResult r = analyse(owning(repeat(50, 30)));
    EXPECT_TRUE(r.episodes.empty());
    EXPECT_FALSE(r.worst.get().has_value());
    EXPECT_EQ(r.worst.exit_status(), kExitOk);
}

}  // namespace
}  // namespace fostat
