#include "storage/samples_with_lease_states.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "storage/database.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kDay = 86'400;

Sample with_states(std::int64_t ts, const std::string& scope, std::vector<LeaseStateCount> counts) {
    Sample s = sample_at(ts, "dhcp1", scope);
    s.lease_states = std::move(counts);
    return s;
}

// One series' walk: per sample, its time and its counts (empty for none).
struct Seen {
    std::int64_t timestamp = 0;
    bool has = false;
    std::vector<std::uint64_t> counts;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> walk(SamplesWithLeaseStates& joined, const Series& series) {
    std::vector<Seen> out;
    joined.for_each(series, [&](const Sample& s, const std::vector<std::uint64_t>* counts) {
        out.push_back(
            {s.timestamp, counts != nullptr, counts ? *counts : std::vector<std::uint64_t>{}});
    });
    return out;
}

void PrintTo(const Seen& s, std::ostream* os) {
    *os << s.timestamp << (s.has ? " with" : " without");
    for (std::uint64_t c : s.counts)
        *os << ' ' << c;
}

class SamplesWithLeaseStatesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        db = open_database(dir.file("j.db"), Access::read_write);
        // 10.1.2.0/24: a breakdown, none, another naming a state of its own; a day later
        // (in the head) one naming "bootp". 10.1.3.0/24: "backup" first.
        store(*db, {with_states(kT0, "10.1.2.0/24", {{"free", 60}, {"active", 134}}),
                    sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24"),
                    with_states(kT0 + 600, "10.1.2.0/24", {{"abandoned", 2}, {"free", 58}}),
                    with_states(kT0, "10.1.3.0/24", {{"backup", 7}, {"active", 1}})});
        test::compact(*db);
        store(*db, {with_states(kT0 + kDay, "10.1.2.0/24", {{"bootp", 4}})});
    }

    test::TempDir dir;
    std::unique_ptr<SQLite::Database> db;
};

TEST_F(SamplesWithLeaseStatesTest, PairsEachSampleWithItsCountsInTheOrderStatesFirstAppear) {
    ReadTransaction read(*db);
    SampleReader samples(*db);
    SamplesWithLeaseStates joined(*db, samples, {});
    // A decoded breakdown names every state of its day (storage/lease_states.h): "abandoned"
    // comes with the first sample of 10.1.2.0/24.
    EXPECT_EQ(joined.states(),
              (std::vector<std::string>{"free", "active", "abandoned", "bootp", "backup"}));
    ASSERT_EQ(joined.series().size(), 2u);
    EXPECT_EQ(walk(joined, joined.series()[0]),
              (std::vector<Seen>{{kT0, true, {60, 134, 0, 0, 0}},
                                 {kT0 + 300, false, {}},
                                 {kT0 + 600, true, {58, 0, 2, 0, 0}},
                                 {kT0 + kDay, true, {0, 0, 0, 4, 0}}}));
    EXPECT_EQ(walk(joined, joined.series()[1]), (std::vector<Seen>{{kT0, true, {0, 1, 0, 0, 7}}}));
    // A series can be walked again.
    EXPECT_EQ(walk(joined, joined.series()[1]).size(), 1u);
}

TEST_F(SamplesWithLeaseStatesTest, TheWindowAndFilterChooseTheStates) {
    ReadTransaction read(*db);
    SampleReader samples(*db);
    SeriesFilter filter;
    filter.scopes = {"10.1.2.0/24"};
    filter.since = kT0 + 1;
    SamplesWithLeaseStates joined(*db, samples, filter);
    EXPECT_EQ(joined.states(), (std::vector<std::string>{"free", "active", "abandoned", "bootp"}));
    ASSERT_EQ(joined.series().size(), 1u);
    EXPECT_EQ(walk(joined, joined.series()[0]),
              (std::vector<Seen>{{kT0 + 300, false, {}},
                                 {kT0 + 600, true, {58, 0, 2, 0}},
                                 {kT0 + kDay, true, {0, 0, 0, 4}}}));
}

TEST_F(SamplesWithLeaseStatesTest, AWindowWithoutBreakdownsHasNoStatesAndNoCounts) {
    ReadTransaction read(*db);
    SampleReader samples(*db);
    SeriesFilter filter;
    filter.since = kT0 + 1;
    filter.until = kT0 + 300;
    SamplesWithLeaseStates joined(*db, samples, filter);
    EXPECT_TRUE(joined.states().empty());
    ASSERT_EQ(joined.series().size(), 2u);
    EXPECT_EQ(walk(joined, joined.series()[0]), (std::vector<Seen>{{kT0 + 300, false, {}}}));
    EXPECT_TRUE(walk(joined, joined.series()[1]).empty());
}

}  // namespace
}  // namespace fostat
