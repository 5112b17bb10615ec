#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "sources/simulate.h"
#include "storage/chunk_codec.h"
#include "storage/database.h"
#include "storage/prune.h"
#include "storage/rollup_codec.h"
#include "storage/rollup_reader.h"
#include "storage/rollup_stats.h"
#include "storage/run_writer.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

RunSummary store(SQLite::Database& db, const std::vector<Sample>& samples,
                 OnConflict on_conflict = OnConflict::fail,
                 std::size_t max_open_bytes = RunWriter::kDefaultMaxOpenBytes) {
    RunWriter writer(db, {"test", ""}, on_conflict, max_open_bytes);
    for (const Sample& s : samples)
        writer.add(s);
    return writer.commit();
}

std::int64_t count(SQLite::Database& db, const std::string& sql) {
    return db.execAndGet(sql).getInt64();
}

// An independent recomputation from raw samples: the values of each bucket collected, then
// reduced, with none of rollup_stats.cpp's code.
struct Naive {
    std::int64_t samples = 0;
    std::int64_t first = 0;
    std::int64_t last = 0;
    std::array<std::vector<std::uint64_t>, kCounterCount> values;
    std::array<std::optional<std::uint64_t>, kCounterCount> last_values;
    std::vector<double> utilization;  // in time order
    std::optional<double> last_utilization;

    void add(const Point& p) {
        if (samples++ == 0)
            first = p.timestamp;
        last = p.timestamp;
        for (std::size_t i = 0; i < kCounterCount; ++i) {
            last_values[i] = p.counters.values[i];
            if (p.counters.values[i])
                values[i].push_back(*p.counters.values[i]);
        }
        const auto& in_use = p.counters[Counter::addr_in_use];
        const auto& total = p.counters[Counter::num_addr];
        last_utilization.reset();
        if (in_use && total && *total > 0) {
            last_utilization = 100.0 * static_cast<double>(*in_use) / static_cast<double>(*total);
            utilization.push_back(*last_utilization);
        }
    }
};

void expect_agrees(const Naive& n, const RollupStats& r, const std::string& where) {
    SCOPED_TRACE(where);
    EXPECT_EQ(r.samples, n.samples);
    EXPECT_EQ(r.first_ts, n.first);
    EXPECT_EQ(r.last_ts, n.last);
    for (std::size_t i = 0; i < kCounterCount; ++i) {
        SCOPED_TRACE(std::string(kCounterNames[i]));
        const auto& v = n.values[i];
        const CounterStats& c = r.counters[i];
        ASSERT_EQ(c.count, static_cast<std::int64_t>(v.size()));
        EXPECT_EQ(c.last, n.last_values[i]);
        if (v.empty())
            continue;
        EXPECT_EQ(c.min, *std::min_element(v.begin(), v.end()));
        EXPECT_EQ(c.max, *std::max_element(v.begin(), v.end()));
        std::uint64_t sum = 0;
        for (std::uint64_t x : v)
            sum += x;
        EXPECT_EQ(c.sum, sum);
    }
    const auto& u = n.utilization;
    ASSERT_EQ(r.utilization.count, static_cast<std::int64_t>(u.size()));
    EXPECT_EQ(r.utilization.last, n.last_utilization);
    if (!u.empty()) {
        double sum = 0;
        for (double x : u)
            sum += x;
        EXPECT_EQ(r.utilization.min, *std::min_element(u.begin(), u.end()));
        EXPECT_EQ(r.utilization.max, *std::max_element(u.begin(), u.end()));
        EXPECT_EQ(r.utilization.sum, sum);  // exactly: the same additions in the same order
    }
}

// Every stored day of a series, walked with a StoredDayCursor.
std::vector<StoredDay> all_days(RollupReader& reader, std::int64_t series_id, bool with_hourly) {
    std::vector<StoredDay> out;
    StoredDayCursor days(reader, series_id, kMin, kMax, with_hourly);
    while (const StoredDay* d = days.next())
        out.push_back(*d);
    return out;
}

// Every stored rollup of every series equals the recomputation from its raw samples, and
// every raw day has its rollup. Returns the number of days checked.
std::int64_t expect_rollups_agree(SQLite::Database& db) {
    SampleReader samples(db);
    RollupReader rollups(db);
    std::int64_t days = 0;
    for (const Series& series : samples.series({})) {
        std::map<std::int64_t, Naive> by_day, by_hour;
        for (const Point& p : samples.points(series, {})) {
            by_day[chunk_day(p.timestamp)].add(p);
            by_hour[p.timestamp - p.timestamp % 3600].add(p);
        }
        const std::vector<StoredDay> stored = all_days(rollups, series.id, true);
        EXPECT_EQ(stored.size(), by_day.size()) << series.server << " " << series.scope;
        for (const StoredDay& d : stored) {
            const std::string where =
                series.server + " " + series.scope + " day " + std::to_string(d.day);
            EXPECT_TRUE(by_day.count(d.day)) << where;
            expect_agrees(by_day[d.day], d.daily, where);
            std::size_t hours = 0;
            for (const auto& [hour, naive] : by_hour)
                hours += chunk_day(hour) == d.day;
            EXPECT_EQ(d.hourly.size(), hours) << where;
            for (const Rollup& h : d.hourly)
                expect_agrees(by_hour[h.start], h.stats,
                              where + " hour " + std::to_string(h.start));
            ++days;
        }
    }
    return days;
}

std::vector<Sample> simulated(int scopes, int days, std::uint64_t seed) {
    SimulateOptions options;
    options.scopes = scopes;
    options.days = days;
    options.seed = seed;
    options.end = kT0;
    test::VectorSink sink;
    simulate_history(options, sink);
    return sink.samples;
}

TEST(Rollups, StatsOfAHandfulOfSamplesWithNulls) {
    RollupStats s;
    Counters a = sample_at(kT0, "dhcp1", "10.1.2.0/24", 100).counters;
    Counters b = sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24", 150).counters;
    Counters c = sample_at(kT0 + 600, "dhcp1", "10.1.2.0/24", 50).counters;
    b[Counter::this_addr_in_use].reset();
    c[Counter::addr_in_use].reset();  // no utilization for c
    s.add(kT0, a);
    s.add(kT0 + 300, b);
    s.add(kT0 + 600, c);
    EXPECT_EQ(s.samples, 3);
    EXPECT_EQ(s.first_ts, kT0);
    EXPECT_EQ(s.last_ts, kT0 + 600);
    const CounterStats& in_use = s[Counter::addr_in_use];
    EXPECT_EQ(in_use.count, 2);
    EXPECT_EQ(in_use.min, 100u);
    EXPECT_EQ(in_use.max, 150u);
    EXPECT_EQ(in_use.sum, 250u);
    EXPECT_EQ(in_use.last, std::nullopt);  // the last sample had none
    const CounterStats& this_in_use = s[Counter::this_addr_in_use];
    EXPECT_EQ(this_in_use.count, 2);
    EXPECT_EQ(this_in_use.sum, 50u + 25u);
    EXPECT_EQ(this_in_use.last, 25u);
    EXPECT_EQ(s[Counter::num_addr].sum, 3u * 254u);
    EXPECT_EQ(s.utilization.count, 2);
    EXPECT_DOUBLE_EQ(s.utilization.min, 100.0 * 100 / 254);
    EXPECT_DOUBLE_EQ(s.utilization.max, 100.0 * 150 / 254);
    EXPECT_DOUBLE_EQ(*s.utilization.mean(), 100.0 * 125 / 254);
    EXPECT_EQ(s.utilization.last, std::nullopt);
}

TEST(Rollups, AbsorbCombinesAndTakesTheLastOfTheLaterBucket) {
    RollupStats early, late, both;
    early.add(kT0, sample_at(kT0, "dhcp1", "10.1.2.0/24", 100).counters);
    late.add(kT0 + 300, sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24", 200).counters);
    both = late;
    both.absorb(early);  // an earlier bucket absorbed into a later one keeps the later last
    EXPECT_EQ(both.samples, 2);
    EXPECT_EQ(both.first_ts, kT0);
    EXPECT_EQ(both.last_ts, kT0 + 300);
    EXPECT_EQ(both[Counter::addr_in_use].last, 200u);
    EXPECT_EQ(both[Counter::addr_in_use].min, 100u);
    EXPECT_EQ(both[Counter::addr_in_use].sum, 300u);
    EXPECT_EQ(both.utilization.count, 2);
    RollupStats empty;
    both.absorb(empty);
    EXPECT_EQ(both.samples, 2);
    empty.absorb(early);
    EXPECT_EQ(empty, early);
}

TEST(Rollups, PackedFormsRoundTripIncludingNullsAndAWrappedCounter) {
    const std::int64_t day = chunk_day(kT0);
    std::vector<ChunkSample> samples;
    for (int i = 0; i < 30; ++i) {
        ChunkSample c{day + 1 + i * 1'000, 1, sample_at(0, "a", "b", 10 + i * 7 % 200).counters};
        if (i % 7 == 3)
            c.counters[Counter::partner_addr_free].reset();
        if (i == 11)
            c.counters[Counter::this_addr_in_use] = kMaxCounter;
        if (i == 29)
            c.counters[Counter::num_addr].reset();
        samples.push_back(c);
    }
    const DayRollup r = roll_up_day(day, samples);
    ASSERT_EQ(r.hourly.size(), 9u);  // 30 samples 1000 s apart cover 9 hours
    EXPECT_EQ(decode_daily(day, encode_daily(r)), r.daily);
    EXPECT_EQ(decode_hourly(day, encode_hourly(r)), r.hourly);
    EXPECT_EQ(r.daily[Counter::this_addr_in_use].max, kMaxCounter);
    EXPECT_EQ(r.daily.utilization.last, std::nullopt);
    std::string damaged = encode_hourly(r);
    damaged.pop_back();
    EXPECT_THROW(decode_hourly(day, damaged), StorageError);
}

TEST(Rollups, AgreeExactlyWithRawSamplesAfterAppendsBackfillAndReplace) {
    test::TempDir dir;
    auto db = open_database(dir.file("r.db"), Access::read_write);
    std::vector<Sample> all = simulated(3, 4, 11);
    // Runs 1 and 2 append in time order, but every 13th sample is held back for run 3,
    // which backfills them out of order along with the rest.
    std::vector<Sample> held, first, second, third;
    const std::size_t cut = all.size() * 2 / 5;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (i % 13 == 5 && i < 2 * cut) {
            held.push_back(all[i]);
        } else {
            (i < cut ? first : i < 2 * cut ? second : third).push_back(all[i]);
        }
    }
    std::reverse(held.begin(), held.end());
    third.insert(third.begin() + static_cast<std::ptrdiff_t>(third.size() / 2), held.begin(),
                 held.end());
    store(*db, first);
    EXPECT_GT(expect_rollups_agree(*db), 0);
    store(*db, second);
    expect_rollups_agree(*db);
    // A small memory limit makes run 3 write chunks out midway and continue them.
    store(*db, third, OnConflict::fail, 4096);
    const std::int64_t days = expect_rollups_agree(*db);
    EXPECT_EQ(days, 3 * 2 * 5);  // 4 days ending 08:00 touch 5 UTC days
    // --replace: other values, NULLs, a wrapped counter, across days.
    std::vector<Sample> replaced;
    for (std::size_t i = 0; i < all.size(); i += 97) {
        Sample s = all[i];
        *s.counters[Counter::addr_in_use] += 3;
        s.counters[Counter::partner_addr_in_use].reset();
        if (i % 2 == 0)
            s.counters[Counter::this_addr_free] = kMaxCounter;
        if (i % 3 == 0)
            s.counters[Counter::num_addr].reset();
        replaced.push_back(s);
    }
    const RunSummary summary = store(*db, replaced, OnConflict::replace);
    EXPECT_EQ(summary.replaced, static_cast<std::int64_t>(replaced.size()));
    EXPECT_EQ(expect_rollups_agree(*db), days);
    // Storing the same again changes nothing.
    store(*db, all, OnConflict::replace);
    EXPECT_EQ(expect_rollups_agree(*db), days);
}

TEST(Rollups, AVersionOneDatabaseIsUpgradedAndItsDaysRolledUp) {
    test::TempDir dir;
    const std::string path = dir.file("v1.db");
    {
        SQLite::Database v1(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        apply_migrations(v1, {migrations().front()});
        ASSERT_EQ(database_schema_version(v1), 1);
        v1.exec("INSERT INTO series (id, server, scope) VALUES (1, 'dhcp1', '10.1.2.0/24')");
        v1.exec(
            "INSERT INTO relationships (id, name, mode, role, expected_share, state, "
            "source_state) VALUES (1, 'r', 'load-balance', '', 50, 'normal', '')");
        for (std::int64_t day : {chunk_day(kT0) - kDay, chunk_day(kT0)}) {
            std::vector<ChunkSample> samples;
            for (std::int64_t t = day + 300; t < day + kDay; t += 3'000) {
                samples.push_back(
                    {t, 1,
                     sample_at(t, "dhcp1", "10.1.2.0/24", static_cast<std::uint64_t>(t / 300 % 200))
                         .counters});
            }
            SQLite::Statement insert(v1,
                                     "INSERT INTO chunks (series_id, day, first_ts, last_ts, "
                                     "samples, data) VALUES (1, ?, ?, ?, ?, ?)");
            const std::string data = encode_chunk(day, samples);
            insert.bind(1, day);
            insert.bind(2, samples.front().timestamp);
            insert.bind(3, samples.back().timestamp);
            insert.bind(4, static_cast<std::int64_t>(samples.size()));
            insert.bind(5, data.data(), static_cast<int>(data.size()));
            insert.exec();
        }
    }
    auto db = open_database(path, Access::read_write);
    EXPECT_EQ(database_schema_version(*db), program_schema_version());
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollup_backlog"), 2);
    EXPECT_EQ(RollupReader(*db).backlog(), 2);
    // The next run, whatever it writes, rolls up the days stored before.
    store(*db, {sample_at(kT0 + 5 * kDay)});
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollup_backlog"), 0);
    test::compact(*db);  // the new day was in the head
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), 3);
    EXPECT_EQ(expect_rollups_agree(*db), 3);
}

TEST(Rollups, PruneRemovesOldRawDaysAndHourlyRowsAndKeepsDailyOnes) {
    test::TempDir dir;
    auto db = open_database(dir.file("p.db"), Access::read_write);
    const std::vector<Sample> all = simulated(2, 10, 3);  // 10 days up to kT0
    store(*db, all);
    const std::int64_t days = expect_rollups_agree(*db);
    ASSERT_EQ(days, 2 * 2 * 11);
    const std::int64_t today = chunk_day(kT0);
    // Days that ended more than 3 days before kT0 lose raw samples: those up to today - 4
    // (today - 3 ended at today - 2 days, 2 days 8 hours before kT0). Hourly: 6 days.
    const PruneSummary p = prune(*db, 3 * kDay, 6 * kDay, test::SetClock(kT0));
    std::int64_t old_samples = 0;
    for (const Sample& s : all)
        old_samples += chunk_day(s.timestamp) <= today - 4 * kDay;
    EXPECT_EQ(p.raw_days, 2 * 2 * 7);  // today - 10 ... today - 4: 7 days of 4 series
    EXPECT_EQ(p.raw_series, 4);
    EXPECT_EQ(p.raw_samples, old_samples);
    EXPECT_EQ(p.hourly_days, 2 * 2 * 4);  // today - 10 ... today - 7
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 2 * 2 * 4);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), days);
    EXPECT_EQ(count(*db, "SELECT min(day) FROM chunks"), today - 3 * kDay);
    SQLite::Statement run(*db, "SELECT source, status, rows, message FROM runs WHERE id = ?");
    run.bind(1, p.run_id);
    ASSERT_TRUE(run.executeStep());
    EXPECT_EQ(run.getColumn(0).getString(), "prune");
    EXPECT_EQ(run.getColumn(1).getString(), "ok");
    EXPECT_EQ(run.getColumn(2).getInt64(), old_samples);
    EXPECT_EQ(run.getColumn(3).getString(),
              "removed " + std::to_string(old_samples) +
                  " raw samples (28 series-days of 4 series) and the hourly rollups of 16 "
                  "series-days");

    RollupReader reader(*db);
    SampleReader samples(*db);
    const Series first = samples.series({}).front();
    const std::vector<StoredDay> stored = all_days(reader, first.id, true);
    ASSERT_EQ(stored.size(), 11u);
    EXPECT_TRUE(stored[0].hourly_pruned);
    EXPECT_TRUE(stored[0].hourly.empty());
    EXPECT_EQ(stored[0].raw_pruned_by, p.run_id);
    EXPECT_FALSE(stored[4].hourly_pruned);  // today - 6: raw gone, hours kept
    EXPECT_EQ(stored[4].raw_pruned_by, p.run_id);
    EXPECT_FALSE(stored[4].hourly.empty());
    EXPECT_EQ(stored[7].raw_pruned_by, std::nullopt);  // today - 3
    // What is left still agrees, and pruning again removes nothing more.
    const PruneSummary again = prune(*db, 3 * kDay, 6 * kDay, test::SetClock(kT0));
    EXPECT_EQ(again.raw_days, 0);
    EXPECT_EQ(again.hourly_days, 0);
    EXPECT_EQ(stored[0].daily.samples, all_days(reader, first.id, false)[0].daily.samples);
}

TEST(Rollups, ASampleForAPrunedDayIsRefusedNamingTheDayAndThePrune) {
    test::TempDir dir;
    auto db = open_database(dir.file("p.db"), Access::read_write);
    store(*db, {sample_at(kT0 - 20 * kDay), sample_at(kT0)});
    test::compact(*db);
    const PruneSummary p = prune(*db, 10 * kDay, 400 * kDay, test::SetClock(kT0));
    ASSERT_EQ(p.raw_days, 1);
    const std::int64_t rollups_before = count(*db, "SELECT count(*) FROM rollups");
    const std::string daily_before =
        db->execAndGet("SELECT hex(daily) FROM rollups ORDER BY day LIMIT 1").getString();
    try {
        collect_run(*db, {"test", ""}, OnConflict::replace, [&](SampleSink& sink) {
            sink.add(sample_at(kT0 - 20 * kDay + 600, "dhcp1", "10.1.2.0/24", 3));
        });
        FAIL() << "a sample of a pruned day was stored";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "server dhcp1, scope 10.1.2.0/24: the raw samples of 2026-11-04 were removed "
                  "by prune run " +
                      std::to_string(p.run_id) +
                      ", so a sample of that day cannot be added without corrupting its "
                      "rollups; leave that day out of the input");
    }
    EXPECT_EQ(count(*db, "SELECT count(*) FROM rollups"), rollups_before);
    EXPECT_EQ(db->execAndGet("SELECT hex(daily) FROM rollups ORDER BY day LIMIT 1").getString(),
              daily_before);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'failed'"), 1);
}

TEST(Rollups, PruneRollsUpTheBacklogBeforeRemovingAnything) {
    test::TempDir dir;
    auto db = open_database(dir.file("b.db"), Access::read_write);
    store(*db, {sample_at(kT0 - 20 * kDay), sample_at(kT0 - 20 * kDay + 300)});
    test::compact(*db);
    // As if the day had been stored before rollups existed.
    db->exec("DELETE FROM rollups");
    db->exec("INSERT INTO rollup_backlog SELECT series_id, day FROM chunks");
    const PruneSummary p = prune(*db, 10 * kDay, 400 * kDay, test::SetClock(kT0));
    EXPECT_EQ(p.rolled_up, 1);
    EXPECT_EQ(p.raw_days, 1);
    EXPECT_EQ(p.raw_samples, 2);
    RollupReader reader(*db);
    const auto stored = all_days(reader, 1, true);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].daily.samples, 2);
    EXPECT_EQ(stored[0].hourly.size(), 1u);
}

}  // namespace
}  // namespace fostat
