#include "storage/lease_states.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "fostat/error.h"
#include "storage/chunk_codec.h"
#include "storage/database.h"
#include "storage/prune.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kDay = 86'400;

std::vector<LeaseStateCount> states(std::uint64_t free, std::uint64_t active,
                                    std::uint64_t backup) {
    return {{"free", free}, {"active", active}, {"backup", backup}};
}

Sample with_states(std::int64_t ts, std::vector<LeaseStateCount> counts,
                   std::uint64_t in_use = 134) {
    Sample s = sample_at(ts, "dhcp1", "10.1.2.0/24", in_use);
    s.lease_states = std::move(counts);
    return s;
}

std::vector<LeaseStatesAt> read_states(SQLite::Database& db, std::int64_t since = kT0 - 9 * kDay,
                                       std::int64_t until = kT0 + 9 * kDay) {
    SampleReader samples(db);
    const std::vector<Series> series = samples.series({});
    EXPECT_EQ(series.size(), 1u);
    return LeaseStateReader(db).read(series.at(0).id, since, until);
}

TEST(LeaseStates, PackedFormRoundTripsAndNamesEveryStateOfTheDay) {
    const std::int64_t day = chunk_day(kT0);
    const std::vector<LeaseStatesAt> in = {
        {kT0, states(100, 50, 104)},
        {kT0 + 300, states(99, 52, 103)},
        {kT0 + 600, {{"free", 7}, {"bootp", 4'294'967'295}}},  // leaves active, backup out
    };
    const std::string data = encode_lease_states(day, in);
    std::vector<LeaseStatesAt> out;
    decode_lease_states(day, data, out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0],
              (LeaseStatesAt{kT0, {{"free", 100}, {"active", 50}, {"backup", 104}, {"bootp", 0}}}));
    EXPECT_EQ(out[1].counts[1], (LeaseStateCount{"active", 52}));
    EXPECT_EQ(out[2], (LeaseStatesAt{
                          kT0 + 600,
                          {{"free", 7}, {"active", 0}, {"backup", 0}, {"bootp", 4'294'967'295}}}));
    for (std::size_t i = 0; i < in.size(); ++i)
        EXPECT_TRUE(same_lease_states(in[i].counts, out[i].counts)) << i;
    // A state that barely moves takes one byte: the second sample is 2 (time) + 3 bytes.
    EXPECT_EQ(encode_lease_states(day, std::span(in).first(2)).size() -
                  encode_lease_states(day, std::span(in).first(1)).size(),
              5u);
}

TEST(LeaseStates, ADamagedBlobIsAStorageError) {
    const std::int64_t day = chunk_day(kT0);
    const std::string data =
        encode_lease_states(day, std::vector{LeaseStatesAt{kT0, states(1, 2, 3)}});
    // A cut inside the names or the sample is detected; one right after the names reads
    // as a day without samples (the row's sample count tells them apart).
    const std::size_t names_end = encode_lease_states(day, {}).size() + 1 + 4 + 1 + 6 + 1 + 6;
    for (std::size_t cut = 1; cut < data.size(); ++cut) {
        std::vector<LeaseStatesAt> out;
        if (cut == names_end) {
            decode_lease_states(day, data.substr(0, cut), out);
            EXPECT_TRUE(out.empty());
        } else {
            EXPECT_THROW(decode_lease_states(day, data.substr(0, cut), out), StorageError) << cut;
        }
    }
    std::vector<LeaseStatesAt> out;
    EXPECT_THROW(decode_lease_states(day, std::string("\x01\x01z\xff\xff\xff\x0f", 7), out),
                 StorageError);  // a time past the end of the day
    // The reader checks the row's sample count, which catches the cut after the names.
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db, {with_states(kT0, states(1, 2, 3))});
    test::compact(*db);
    db->exec("UPDATE lease_states SET data = substr(data, 1, " + std::to_string(names_end) + ")");
    EXPECT_THROW(read_states(*db), StorageError);
}

TEST(LeaseStates, AreStoredBesideTheirSamplesAndReadBackByWindow) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db, {with_states(kT0, states(60, 134, 60)), with_states(kT0 + 300, states(59, 135, 60)),
                with_states(kT0 + kDay, states(50, 144, 60)), sample_at(kT0 + kDay + 300)});
    const std::vector<LeaseStatesAt> all = read_states(*db);
    ASSERT_EQ(all.size(), 3u);  // the last sample has none
    EXPECT_EQ(all[0], (LeaseStatesAt{kT0, states(60, 134, 60)}));
    EXPECT_EQ(all[2], (LeaseStatesAt{kT0 + kDay, states(50, 144, 60)}));
    const std::vector<LeaseStatesAt> window = read_states(*db, kT0 + 1, kT0 + kDay);
    ASSERT_EQ(window.size(), 2u);
    EXPECT_EQ(window[0].timestamp, kT0 + 300);
    test::compact(*db);  // the second day was in the head
    EXPECT_EQ(read_states(*db), all);
    EXPECT_EQ(db->execAndGet("SELECT count(*) FROM lease_states").getInt64(), 2);  // 2 days
}

TEST(LeaseStates, NextStepsThroughTheWindowDayByDayAndStartBeginsAgain) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    std::vector<Sample> in;
    for (std::int64_t day = 0; day < 3; ++day) {
        for (std::int64_t i = 0; i < 4; ++i)
            in.push_back(with_states(kT0 + day * kDay + i * 3600, states(day, i, 60)));
    }
    store(*db, in);
    const std::int64_t series = SampleReader(*db).series({}).at(0).id;
    LeaseStateReader reader(*db);
    // From the second sample of the first day to the third of the last: ten of the twelve.
    for (int pass = 0; pass < 2; ++pass) {
        reader.start(series, kT0 + 3600, kT0 + 2 * kDay + 2 * 3600);
        std::vector<std::int64_t> seen;
        while (const LeaseStatesAt* at = reader.next()) {
            EXPECT_EQ(at->counts, states((at->timestamp - kT0) / kDay,
                                         (at->timestamp - kT0) % kDay / 3600, 60));
            seen.push_back(at->timestamp);
        }
        ASSERT_EQ(seen.size(), 10u) << "pass " << pass;
        EXPECT_EQ(seen.front(), kT0 + 3600);
        EXPECT_EQ(seen.back(), kT0 + 2 * kDay + 2 * 3600);
        EXPECT_EQ(reader.next(), nullptr);  // and stays at the end
    }
    reader.start(series, kT0 + 3 * kDay, kT0 + 4 * kDay);
    EXPECT_EQ(reader.next(), nullptr);
}

TEST(LeaseStates, TheSameBreakdownAgainAddsNothingAndAnotherIsAConflict) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db, {with_states(kT0, states(60, 134, 60))});
    EXPECT_EQ(store(*db, {with_states(kT0, states(60, 134, 60))}).unchanged, 1);
    // Same counters, other breakdown (134 in use, some now expired): a conflict.
    std::vector<LeaseStateCount> other = states(60, 130, 60);
    other.push_back({"expired", 4});
    try {
        store(*db, {with_states(kT0, other)});
        FAIL();
    } catch (const AlreadyStored& e) {
        EXPECT_NE(std::string(e.what()).find("already stored with lease states free=60 "
                                             "active=134 backup=60; the new sample has"),
                  std::string::npos)
            << e.what();
        EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_states(*db).at(0).counts, states(60, 134, 60));
    store(*db, {with_states(kT0, other)}, OnConflict::replace);
    EXPECT_TRUE(same_lease_states(read_states(*db).at(0).counts, other));
}

TEST(LeaseStates, ASampleReplacedByOneWithoutABreakdownLosesItsBreakdown) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db,
          {with_states(kT0, states(60, 134, 60)), with_states(kT0 + 300, states(60, 134, 60))});
    store(*db, {sample_at(kT0, "dhcp1", "10.1.2.0/24", 100)}, OnConflict::replace);
    const std::vector<LeaseStatesAt> left = read_states(*db);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].timestamp, kT0 + 300);
    // An unchanged sample without a breakdown keeps the stored one.
    store(*db, {sample_at(kT0 + 300)});
    EXPECT_EQ(read_states(*db).size(), 1u);
}

TEST(LeaseStates, AFailedRunStoresNoBreakdown) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db, {sample_at(kT0)});
    EXPECT_THROW(store(*db, {with_states(kT0 + 300, states(1, 2, 3)),
                             sample_at(kT0, "dhcp1", "10.1.2.0/24", 100)}),
                 InputError);
    EXPECT_EQ(db->execAndGet("SELECT count(*) FROM lease_states").getInt64(), 0);
}

TEST(LeaseStates, ManyBreakdownsInOneRunAreWrittenOutOnTheWay) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    std::vector<Sample> many;
    for (std::int64_t i = 0; i < 150'000; ++i)  // more than a writer keeps at once
        many.push_back(with_states(kT0 - 200 * kDay + i * 60, states(i % 7, 134, 60)));
    store(*db, many);
    const std::vector<LeaseStatesAt> all = read_states(*db, kT0 - 300 * kDay, kT0);
    ASSERT_EQ(all.size(), many.size());
    EXPECT_EQ(all[12'345], (LeaseStatesAt{many[12'345].timestamp, states(12'345 % 7, 134, 60)}));
}

TEST(LeaseStates, PruneRemovesTheBreakdownsOfTheDaysItRemoves) {
    test::TempDir dir;
    auto db = open_database(dir.file("l.db"), Access::read_write);
    store(*db, {with_states(kT0 - 10 * kDay, states(1, 2, 3)), with_states(kT0, states(4, 5, 6))});
    prune(*db, 3 * kDay, 6 * kDay, test::SetClock(kT0));
    const std::vector<LeaseStatesAt> left = read_states(*db, kT0 - 20 * kDay, kT0);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].timestamp, kT0);
}

}  // namespace
}  // namespace fostat
