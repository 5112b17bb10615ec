#include "storage/sample_delete.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "sources/simulate.h"
#include "storage/chunk_codec.h"
#include "storage/database.h"
#include "storage/lease_states.h"
#include "storage/prune.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kDay = 86'400;

std::int64_t count(SQLite::Database& db, const std::string& sql) {
    return db.execAndGet(sql).getInt64();
}

std::vector<Sample> simulated(int scopes, int days) {
    SimulateOptions options;
    options.scopes = scopes;
    options.days = days;
    options.seed = 5;
    options.end = kT0;
    test::VectorSink sink;
    simulate_history(options, sink);
    return sink.samples;
}

// Every sample of every series, with its lease states.
std::vector<Sample> read_all(SQLite::Database& db) {
    SampleReader reader(db);
    LeaseStateReader states(db);
    std::vector<Sample> out;
    for (const Series& s : reader.series({})) {
        const std::vector<LeaseStatesAt> breakdowns =
            states.read(s.id, std::numeric_limits<std::int64_t>::min() / 4,
                        std::numeric_limits<std::int64_t>::max() / 4);
        reader.for_each(s, {}, [&](const Sample& sample) {
            out.push_back(sample);
            for (const LeaseStatesAt& b : breakdowns) {
                if (b.timestamp == sample.timestamp)
                    out.back().lease_states = b.counts;
            }
        });
    }
    return out;
}

// In one order whatever the order they came in; compared with EXPECT_TRUE, since a failure
// would print thousands of samples byte by byte.
std::vector<Sample> sorted(std::vector<Sample> samples) {
    std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
        return std::tie(a.server, a.scope, a.timestamp) < std::tie(b.server, b.scope, b.timestamp);
    });
    return samples;
}

// What the database holds besides the samples, by series name rather than id: each day's
// chunk description, rollups (their packed bytes) and lease-state rows.
std::set<std::string> days_stored(SQLite::Database& db) {
    std::set<std::string> out;
    SQLite::Statement q(
        db,
        "SELECT 'chunk', s.server, s.scope, c.day, c.first_ts, c.last_ts, c.samples, '' "
        "FROM chunks c JOIN series s ON s.id = c.series_id UNION ALL "
        "SELECT 'rollup', s.server, s.scope, r.day, r.first_ts, r.last_ts, r.samples, "
        "hex(r.daily) || '/' || coalesce(hex(r.hourly), 'pruned') || '/' || "
        "(r.raw_pruned_by IS NULL) FROM rollups r JOIN series s ON s.id = r.series_id UNION ALL "
        "SELECT 'states', s.server, s.scope, l.day, 0, 0, l.samples, hex(l.data) "
        "FROM lease_states l JOIN series s ON s.id = l.series_id");
    while (q.executeStep()) {
        std::string row;
        for (int i = 0; i < 8; ++i)
            row += q.getColumn(i).getString() + "|";
        out.insert(row);
    }
    return out;
}

bool removed_by(const SeriesFilter& f, const Sample& s) {
    const auto wanted = [](const std::vector<std::string>& list, const std::string& v) {
        return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
    };
    return wanted(f.servers, s.server) && wanted(f.scopes, s.scope) && s.timestamp >= f.since &&
           s.timestamp <= f.until;
}

// Some samples of the simulation with lease states, so that their removal can be seen.
std::vector<Sample> with_lease_states(std::vector<Sample> samples) {
    for (std::size_t i = 0; i < samples.size(); i += 3) {
        samples[i].lease_states = {{"free", i % 50}, {"active", 7}, {"backup", i % 11}};
    }
    return samples;
}

TEST(SampleDelete, LeavesWhatADatabaseThatNeverHadTheSamplesHolds) {
    test::TempDir dir;
    const std::vector<Sample> all = with_lease_states(simulated(3, 4));
    // Cuts the first and the last day it touches, and covers two whole days between them.
    SeriesFilter filter;
    filter.servers = {"dhcp1"};
    for (const Sample& s : all) {
        if (filter.scopes.size() < 2 &&
            std::find(filter.scopes.begin(), filter.scopes.end(), s.scope) == filter.scopes.end())
            filter.scopes.push_back(s.scope);
    }
    filter.since = chunk_day(kT0) - 3 * kDay + 5 * 3600 + 17;
    filter.until = chunk_day(kT0) - 1 + 3600;
    std::vector<Sample> kept;
    std::int64_t removed = 0;
    std::set<std::string> series_touched;
    for (const Sample& s : all) {
        if (removed_by(filter, s)) {
            ++removed;
            series_touched.insert(s.server + " " + s.scope);
        } else {
            kept.push_back(s);
        }
    }
    ASSERT_GT(removed, 0);
    ASSERT_EQ(series_touched.size(), 2u);

    auto db = open_database(dir.file("a.db"), Access::read_write);
    store(*db, all);
    const DeleteSummary would = count_deletable(*db, filter);
    EXPECT_EQ(would.run_id, 0);
    EXPECT_EQ(would.samples, removed);
    ASSERT_EQ(would.series.size(), 2u);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs"), 1);  // the dry run changed nothing
    EXPECT_TRUE(sorted(read_all(*db)) == sorted(all));

    const DeleteSummary done = delete_samples(*db, filter, "dhcp1");
    EXPECT_EQ(done.samples, removed);
    ASSERT_EQ(done.series.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(done.series[i].server, would.series[i].server);
        EXPECT_EQ(done.series[i].scope, would.series[i].scope);
        EXPECT_EQ(done.series[i].samples, would.series[i].samples);
        EXPECT_EQ(done.series[i].first, would.series[i].first);
        EXPECT_EQ(done.series[i].last, would.series[i].last);
        EXPECT_GE(done.series[i].first, filter.since);
        EXPECT_LE(done.series[i].last, filter.until);
    }

    auto never = open_database(dir.file("b.db"), Access::read_write);
    store(*never, kept);
    const std::vector<Sample> left = read_all(*db);
    EXPECT_EQ(left.size(), kept.size());
    EXPECT_TRUE(left == read_all(*never));
    EXPECT_EQ(days_stored(*db), days_stored(*never));

    SQLite::Statement run(*db,
                          "SELECT source, server, status, rows, message FROM runs WHERE id = ?");
    run.bind(1, done.run_id);
    ASSERT_TRUE(run.executeStep());
    EXPECT_EQ(run.getColumn(0).getString(), "delete");
    EXPECT_EQ(run.getColumn(1).getString(), "dhcp1");
    EXPECT_EQ(run.getColumn(2).getString(), "ok");
    EXPECT_EQ(run.getColumn(3).getInt64(), removed);
    EXPECT_EQ(run.getColumn(4).getString().rfind(
                  "removed " + std::to_string(removed) + " samples of 2 series taken from ", 0),
              0u);

    // The same again finds nothing and changes nothing but its run row.
    const std::set<std::string> before = days_stored(*db);
    EXPECT_EQ(delete_samples(*db, filter).samples, 0);
    EXPECT_EQ(days_stored(*db), before);
}

TEST(SampleDelete, AWholeSeriesGoesWithItsLeaseStatesAndIsForgotten) {
    test::TempDir dir;
    auto db = open_database(dir.file("w.db"), Access::read_write);
    Sample bad = sample_at(253402214400);  // 9999-12-31T00:00:00Z
    bad.lease_states = {{"free", 1}, {"active", 2}};
    Sample other = sample_at(kT0, "dhcp2");
    other.lease_states = {{"free", 3}};
    store(*db, {sample_at(kT0 - kDay), sample_at(kT0), bad, other});
    SeriesFilter filter;
    filter.servers = {"dhcp1"};
    const DeleteSummary done = delete_samples(*db, filter);
    EXPECT_EQ(done.samples, 3);
    ASSERT_EQ(done.series.size(), 1u);
    EXPECT_EQ(done.series[0].first, kT0 - kDay);
    EXPECT_EQ(done.series[0].last, 253402214400);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM series"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM lease_states"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), 1);
    EXPECT_EQ(read_all(*db), std::vector<Sample>{other});
}

TEST(SampleDelete, OneSampleOfADayGoesAndTheDayKeepsTheRest) {
    test::TempDir dir;
    auto db = open_database(dir.file("o.db"), Access::read_write);
    std::vector<Sample> all;
    for (std::int64_t t = kT0; t < kT0 + 3600; t += 300)
        all.push_back(sample_at(t, "dhcp1", "10.1.2.0/24", static_cast<std::uint64_t>(t % 97)));
    all[4].lease_states = {{"free", 9}};
    all[5].lease_states = {{"free", 8}};
    store(*db, all);
    SeriesFilter filter;
    filter.since = filter.until = all[4].timestamp;
    EXPECT_EQ(delete_samples(*db, filter).samples, 1);
    all.erase(all.begin() + 4);
    EXPECT_EQ(read_all(*db), all);
    auto never = open_database(dir.file("n.db"), Access::read_write);
    store(*never, all);
    test::compact(*never);  // delete compacted the head of *db
    EXPECT_EQ(days_stored(*db), days_stored(*never));
}

TEST(SampleDelete, APrunedDayGoesOnlyWhole) {
    test::TempDir dir;
    auto db = open_database(dir.file("p.db"), Access::read_write);
    // A year-0 sample beside real ones: prune keeps its day's rollups, which trend reads.
    const std::int64_t year0 = -62167219200;  // 0000-01-01T00:00:00Z
    store(*db,
          {sample_at(year0), sample_at(year0 + 600), sample_at(kT0 - 20 * kDay), sample_at(kT0)});
    test::compact(*db);
    prune(*db, 10 * kDay, 400 * kDay, test::SetClock(kT0));
    ASSERT_EQ(count(*db, "SELECT count(*) FROM chunks"), 1);
    ASSERT_EQ(count(*db, "SELECT count(*) FROM rollups"), 3);
    const std::int64_t runs = count(*db, "SELECT count(*) FROM runs");

    SeriesFilter cut;
    cut.until = year0 + 300;
    try {
        delete_samples(*db, cut);
        FAIL() << "a pruned day was cut";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "server dhcp1, scope 10.1.2.0/24: the raw samples of 0000-01-01 were removed "
                  "by prune run 2, so only that day's rollups are left, of samples from "
                  "0000-01-01T00:00:00Z to 0000-01-01T00:10:00Z; delete can remove them only "
                  "all together: widen the window to hold them all, or narrow it to leave "
                  "them out");
    }
    EXPECT_THROW(count_deletable(*db, cut), InputError);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), 3);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'failed' AND source = 'delete'"),
              1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs"), runs + 1);

    SeriesFilter whole;
    whole.until = 946'684'799;  // 1999-12-31T23:59:59Z
    EXPECT_EQ(count_deletable(*db, whole).samples, 2);
    const DeleteSummary done = delete_samples(*db, whole);
    EXPECT_EQ(done.samples, 2);
    ASSERT_EQ(done.series.size(), 1u);
    EXPECT_EQ(done.series[0].first, year0);
    EXPECT_EQ(done.series[0].last, year0 + 600);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), 2);
    EXPECT_EQ(count(*db, "SELECT min(day) FROM rollups"), chunk_day(kT0 - 20 * kDay));
}

TEST(SampleDelete, DaysStoredBeforeRollupsAreRolledUpFirst) {
    test::TempDir dir;
    auto db = open_database(dir.file("b.db"), Access::read_write);
    store(*db, {sample_at(kT0), sample_at(kT0 + 300), sample_at(kT0 + kDay)});
    test::compact(*db);
    // As if both days had been stored before rollups existed.
    db->exec("DELETE FROM rollups");
    db->exec("INSERT INTO rollup_backlog SELECT series_id, day FROM chunks");
    SeriesFilter filter;
    filter.since = kT0 + kDay;
    EXPECT_EQ(delete_samples(*db, filter).samples, 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollup_backlog"), 0);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), 1);
    auto never = open_database(dir.file("n.db"), Access::read_write);
    store(*never, {sample_at(kT0), sample_at(kT0 + 300)});
    test::compact(*never);
    EXPECT_EQ(days_stored(*db), days_stored(*never));
}

}  // namespace
}  // namespace fostat
