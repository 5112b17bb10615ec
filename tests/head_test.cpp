// The head (storage/head.h, docs/storage.md "The head"): live runs append to it, later runs
// compact it, and every reader sees the same samples as if one bulk run had stored them.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/head.h"
#include "storage/lease_states.h"
#include "storage/prune.h"
#include "storage/run_writer.h"
#include "storage/sample_delete.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kDay0 = 1'795'478'400;  // 2026-11-24T00:00:00Z
constexpr std::int64_t kStep = 300;

std::int64_t count(SQLite::Database& db, const std::string& sql) {
    return db.execAndGet(sql).getInt64();
}

// Two servers, `scopes` scopes, one sample each every 5 minutes from kDay0 + start for
// `ticks` ticks; counters that move, a state change, and lease states on dhcp1's samples.
std::vector<std::vector<Sample>> ticks(int scopes, std::int64_t start, int count) {
    std::vector<std::vector<Sample>> out;
    for (int t = 0; t < count; ++t) {
        const std::int64_t ts = kDay0 + start + t * kStep;
        std::vector<Sample> tick;
        for (const char* server : {"dhcp1", "dhcp2"}) {
            for (int s = 0; s < scopes; ++s) {
                const std::uint64_t in_use =
                    40 + static_cast<std::uint64_t>((t * 7 + s * 13) % 150);
                Sample sample =
                    sample_at(ts, server, "10.0." + std::to_string(s) + ".0/24", in_use);
                if (t % 97 == 50)
                    sample.relationship.state = State::communication_interrupted;
                if (s == 1 && t % 11 == 3)
                    sample.counters.values[3].reset();
                if (std::string(server) == "dhcp1") {
                    sample.lease_states = {{"active", in_use}, {"free", 254 - in_use}};
                    if (t % 5 == 0)
                        sample.lease_states.push_back({"expired", 3});
                }
                tick.push_back(std::move(sample));
            }
        }
        out.push_back(std::move(tick));
    }
    return out;
}

struct Databases {
    test::TempDir dir;
    std::unique_ptr<SQLite::Database> bulk;  // every sample in one run: chunks only
    std::unique_ptr<SQLite::Database> live;  // one run a tick: the head, then compaction
};

void fill(Databases& d, const std::vector<std::vector<Sample>>& all) {
    d.bulk = open_database(d.dir.file("bulk.db"), Access::read_write);
    d.live = open_database(d.dir.file("live.db"), Access::read_write);
    std::vector<Sample> flat;
    for (const auto& tick : all)
        flat.insert(flat.end(), tick.begin(), tick.end());
    store(*d.bulk, flat);
    for (const auto& tick : all)
        store(*d.live, tick);
}

void expect_same_reads(SQLite::Database& a, SQLite::Database& b, const SeriesFilter& filter) {
    SampleReader ra(a), rb(b);
    LeaseStateReader la(a), lb(b);
    const std::vector<Series> sa = ra.series(filter), sb = rb.series(filter);
    ASSERT_EQ(sa.size(), sb.size());
    for (std::size_t i = 0; i < sa.size(); ++i) {
        SCOPED_TRACE(sa[i].server + " " + sa[i].scope);
        std::vector<Sample> xa, xb;
        ra.for_each(sa[i], filter, [&](const Sample& s) { xa.push_back(s); });
        rb.for_each(sb[i], filter, [&](const Sample& s) { xb.push_back(s); });
        EXPECT_EQ(xa, xb);
        const auto pa = ra.latest(sa[i], filter), pb = rb.latest(sb[i], filter);
        ASSERT_EQ(pa.has_value(), pb.has_value());
        if (pa) {
            EXPECT_EQ(pa->timestamp, pb->timestamp);
            EXPECT_EQ(pa->counters, pb->counters);
            EXPECT_EQ(*pa->relationship, *pb->relationship);
        }
        const auto ca = ra.summary(sa[i], filter), cb = rb.summary(sb[i], filter);
        ASSERT_EQ(ca.has_value(), cb.has_value());
        if (ca) {
            EXPECT_EQ(ca->samples, cb->samples);
            EXPECT_EQ(ca->first, cb->first);
            EXPECT_EQ(ca->last, cb->last);
        }
        EXPECT_EQ(ra.newest(sa[i]), rb.newest(sb[i]));
        EXPECT_EQ(la.read(sa[i].id, filter.since, filter.until),
                  lb.read(sb[i].id, filter.since, filter.until));
    }
}

TEST(Head, LiveRunsAppendToTheHeadAndReadAsOneBulkRun) {
    Databases d;
    // 2 days and 2 hours: the first day complete, compacted by the runs that follow it.
    fill(d, ticks(3, 0, 2 * 288 + 24));
    EXPECT_GT(count(*d.live, "SELECT count(*) FROM head"), 0);
    EXPECT_EQ(count(*d.bulk, "SELECT count(*) FROM head"), 0);
    for (const SeriesFilter& filter :
         {SeriesFilter{}, SeriesFilter{{}, {}, kDay0 + 3'600, kDay0 + 86'400 + 7'200},
          SeriesFilter{{}, {}, kDay0 + 2 * 86'400 + 600, kDay0 + 2 * 86'400 + 3'000},
          SeriesFilter{{"dhcp2"}, {"10.0.1.0/24"}, kDay0 + 86'400 + 1, kDay0 + 3 * 86'400}}) {
        expect_same_reads(*d.bulk, *d.live, filter);
    }
}

// Series come in the reverse of the order a query walks them in: groups and slots follow
// the input, the reads the scopes.
TEST(Head, SeriesThatCameInAnotherOrderReadTheSame) {
    Databases d;
    auto all = ticks(4, 0, 288 + 30);
    for (auto& tick : all)
        std::reverse(tick.begin(), tick.end());
    fill(d, all);
    EXPECT_GT(count(*d.live, "SELECT count(*) FROM head"), 0);
    expect_same_reads(*d.bulk, *d.live, SeriesFilter{});
    expect_same_reads(*d.bulk, *d.live, SeriesFilter{{}, {}, kDay0 + 86'400, kDay0 + 86'400 + 900});
}

TEST(Head, ACompleteDayIsCompactedIntoTheSameChunksAndRollups) {
    Databases d;
    fill(d, ticks(3, 0, 2 * 288 + 24));
    // Every day before the newest left the head, with the rollups a bulk run computes.
    EXPECT_EQ(count(*d.live,
                    "SELECT count(*) FROM head WHERE day < " + std::to_string(kDay0 + 2 * 86'400)),
              0);
    const std::string rows =
        "SELECT s.server, s.scope, r.day, r.first_ts, r.last_ts, r.samples, r.daily, r.hourly "
        "FROM rollups r JOIN series s ON s.id = r.series_id WHERE r.day < " +
        std::to_string(kDay0 + 2 * 86'400) + " ORDER BY 1, 2, 3";
    SQLite::Statement a(*d.bulk, rows), b(*d.live, rows);
    int days = 0;
    while (a.executeStep()) {
        ASSERT_TRUE(b.executeStep());
        for (int c = 0; c < 8; ++c)
            EXPECT_EQ(a.getColumn(c).getString(), b.getColumn(c).getString()) << "column " << c;
        ++days;
    }
    EXPECT_FALSE(b.executeStep());
    EXPECT_EQ(days, 2 * 6);
    const std::string chunks =
        "SELECT s.server, s.scope, c.day, c.samples, c.data FROM chunks c JOIN series s ON "
        "s.id = c.series_id WHERE c.day < " +
        std::to_string(kDay0 + 2 * 86'400) + " ORDER BY 1, 2, 3";
    SQLite::Statement ca(*d.bulk, chunks), cb(*d.live, chunks);
    while (ca.executeStep()) {
        ASSERT_TRUE(cb.executeStep());
        for (int c = 0; c < 5; ++c)
            EXPECT_EQ(ca.getColumn(c).getString(), cb.getColumn(c).getString());
    }
    EXPECT_FALSE(cb.executeStep());
}

TEST(Head, EachRunWritesOneRowPerGroupAndDay) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    for (const auto& tick : ticks(300, 0, 3))
        store(*db, tick);
    // 300 scopes of each server: two groups a server (256 and 44 series), one row each a run.
    EXPECT_EQ(count(*db, "SELECT count(DISTINCT head_group) FROM series"), 4);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM head"), 3 * 4);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 0);
    EXPECT_EQ(count(*db, "SELECT sum(samples) FROM head"), 3 * 600);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM series WHERE head_slot NOT BETWEEN 0 AND 255"), 0);
}

TEST(Head, TwoServersCollectedApartAtTheSameSecondBothStayInTheHead) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    for (const auto& tick : ticks(2, 0, 4)) {
        std::vector<Sample> one, two;
        for (const Sample& s : tick)
            (s.server == "dhcp1" ? one : two).push_back(s);
        store(*db, two);
        store(*db, one);
    }
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 0);
    EXPECT_EQ(count(*db, "SELECT sum(samples) FROM head"), 16);
}

TEST(Head, ASampleNotLaterThanTheHeadGoesThroughTheChunksWithTheUsualRules) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    const auto all = ticks(1, 0, 6);
    for (const auto& tick : all)
        store(*db, tick);
    // The same sample again: stored already.
    RunSummary again = store(*db, {all[2][0]});
    EXPECT_EQ(again.added, 0);
    EXPECT_EQ(again.unchanged, 1);
    // The day went to the chunks first, whole.
    EXPECT_EQ(count(*db,
                    "SELECT count(*) FROM head h JOIN series s ON s.head_group = "
                    "h.series_group WHERE s.server = 'dhcp1'"),
              0);
    // Other values for a stored time: a conflict, and nothing changes.
    Sample other = all[3][0];
    other.counters.values[2] = 1;
    other.counters.values[1] = 253;
    EXPECT_THROW(store(*db, {other}), InputError);
    RunSummary replaced = store(*db, {other}, OnConflict::replace);
    EXPECT_EQ(replaced.replaced, 1);
    // A sample between two stored ones is added in its place.
    Sample between = all[1][0];
    between.timestamp += 60;
    EXPECT_EQ(store(*db, {between}).added, 1);
    SampleReader reader(*db);
    std::vector<std::int64_t> times;
    for (const Series& s : reader.series({{"dhcp1"}, {}}))
        reader.for_each(s, {}, [&](const Sample& x) { times.push_back(x.timestamp); });
    ASSERT_EQ(times.size(), 7u);
    EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
    EXPECT_EQ(times[2], between.timestamp);
}

TEST(Head, ARunWithMuchOfASeriesDayWritesItsChunk) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    std::vector<Sample> hour;
    for (const auto& tick : ticks(1, 0, RunWriter::kMaxHeadPerSeries + 1))
        hour.insert(hour.end(), tick.begin(), tick.end());
    store(*db, hour);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM head"), 0);
    EXPECT_EQ(count(*db, "SELECT sum(samples) FROM chunks"),
              static_cast<std::int64_t>(hour.size()));
}

// Groups are per server, but a bulk run that passes through the head still lays a day's
// chunks and rollups out in the order of its input: both servers of a scope side by side,
// so that reading a scope touches one page where it would touch two.
TEST(Head, ABulkRunKeepsTheChunksInTheOrderOfItsInput) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    std::vector<Sample> input;
    for (int t = 0; t < 2 * 288; ++t) {
        for (int s = 0; s < 3; ++s) {
            for (const char* server : {"dhcp1", "dhcp2"})
                input.push_back(sample_at(kDay0 + t * kStep, server,
                                          "10.0." + std::to_string(s) + ".0/24", 40));
        }
    }
    store(*db, input);
    for (const char* table : {"chunks", "rollups"}) {
        SCOPED_TRACE(table);
        SQLite::Statement rows(*db, std::string("SELECT s.server || ' ' || s.scope FROM ") + table +
                                        " t JOIN series s ON s.id = t.series_id WHERE "
                                        "t.day = " +
                                        std::to_string(kDay0) + " ORDER BY t.rowid");
        std::vector<std::string> order;
        while (rows.executeStep())
            order.push_back(rows.getColumn(0).getString());
        EXPECT_EQ(order, (std::vector<std::string>{"dhcp1 10.0.0.0/24", "dhcp2 10.0.0.0/24",
                                                   "dhcp1 10.0.1.0/24", "dhcp2 10.0.1.0/24",
                                                   "dhcp1 10.0.2.0/24", "dhcp2 10.0.2.0/24"}));
    }
}

TEST(Head, PruneAndDeleteSeeTheHead) {
    Databases d;
    const auto all = ticks(2, 0, 20);
    fill(d, all);
    ASSERT_GT(count(*d.live, "SELECT count(*) FROM head"), 0);
    const SeriesFilter some{{"dhcp1"}, {}, kDay0 + 3 * kStep, kDay0 + 9 * kStep};
    EXPECT_EQ(count_deletable(*d.live, some).samples, count_deletable(*d.bulk, some).samples);
    EXPECT_GT(count(*d.live, "SELECT count(*) FROM head"), 0);  // the count changed nothing
    delete_samples(*d.live, some, "");
    delete_samples(*d.bulk, some, "");
    expect_same_reads(*d.bulk, *d.live, {});
    // prune of a day that is still in the head compacts it first, then keeps its rollups.
    const std::int64_t now = kDay0 + 10 * 86'400;
    prune(*d.live, 86'400, 86'400, test::SetClock(now));
    prune(*d.bulk, 86'400, 86'400, test::SetClock(now));
    EXPECT_EQ(count(*d.live, "SELECT count(*) FROM head"), 0);
    EXPECT_EQ(count(*d.live, "SELECT count(*) FROM chunks"), 0);
    EXPECT_EQ(count(*d.live, "SELECT sum(samples) FROM rollups"),
              count(*d.bulk, "SELECT sum(samples) FROM rollups"));
}

TEST(Head, ASampleOfAPrunedDayIsRefusedAsBefore) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    const auto all = ticks(1, 0, 3);
    store(*db, all[0]);
    store(*db, all[1]);
    prune(*db, 86'400, 86'400, test::SetClock(kDay0 + 10 * 86'400));
    EXPECT_THROW(store(*db, all[2]), InputError);
}

TEST(Head, ADamagedRowIsAStorageError) {
    std::vector<HeadEntry> entries(2);
    entries[0].slot = 3;
    entries[0].samples = {{kDay0 + 60, 1, sample_at(kDay0).counters}};
    entries[1].slot = 7;
    entries[1].samples = {{kDay0 + 120, 1, sample_at(kDay0).counters}};
    entries[1].lease_states = {{kDay0 + 120, {{"free", 3}}}};
    const std::string row = encode_head_row(kDay0, entries);
    std::vector<HeadPiece> pieces;
    parse_head_row(row, pieces);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(pieces[1].slot, 7);
    std::vector<ChunkSample> back;
    decode_chunk(kDay0, pieces[1].samples, back);
    EXPECT_EQ(back, entries[1].samples);
    for (std::size_t cut = 0; cut < row.size(); ++cut) {
        pieces.clear();
        EXPECT_THROW(parse_head_row(row.substr(0, cut), pieces), StorageError) << cut;
    }
    std::string swapped = row;
    swapped[1] = 9;  // slots out of order
    pieces.clear();
    EXPECT_THROW(parse_head_row(swapped, pieces), StorageError);
}

}  // namespace
}  // namespace fostat
