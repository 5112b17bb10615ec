#include "storage/runs.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/prune.h"
#include "storage/run_writer.h"
#include "storage/sample_delete.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::SetClock;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z
constexpr std::int64_t kDay = 86'400;

// The newest row of the runs table.
struct RunRow {
    std::string source;
    std::optional<std::string> server;
    std::int64_t started = 0;
    std::optional<std::int64_t> ended;
    std::int64_t rows = 0;
    std::string status;
};

RunRow last_run(SQLite::Database& db) {
    SQLite::Statement q(db,
                        "SELECT source, server, started, ended, rows, status FROM runs "
                        "ORDER BY id DESC LIMIT 1");
    EXPECT_TRUE(q.executeStep());
    RunRow r;
    r.source = q.getColumn(0).getString();
    if (!q.getColumn(1).isNull())
        r.server = q.getColumn(1).getString();
    r.started = q.getColumn(2).getInt64();
    if (!q.getColumn(3).isNull())
        r.ended = q.getColumn(3).getInt64();
    r.rows = q.getColumn(4).getInt64();
    r.status = q.getColumn(5).getString();
    return r;
}

TEST(Runs, ACollectionRunRecordsItsClocksStartAndEnd) {
    auto db = open_database(":memory:", Access::read_write);
    SetClock clock(kT0);
    collect_run(
        *db, {"test", "dhcp1"}, OnConflict::fail,
        [&](SampleSink& sink) {
            sink.add(sample_at(kT0 - 600));
            sink.add(sample_at(kT0 - 300));
            clock.time = kT0 + 7;  // the run took 7 seconds
        },
        clock);
    const RunRow run = last_run(*db);
    EXPECT_EQ(run.source, "test");
    EXPECT_EQ(run.server, "dhcp1");
    EXPECT_EQ(run.status, "ok");
    EXPECT_EQ(run.started, kT0);
    EXPECT_EQ(run.ended, kT0 + 7);
    EXPECT_EQ(run.rows, 2);
}

// What a source left out stays with the run: its message has the counts, then the first
// three notes in full and how many more.
TEST(Runs, ARunKeepsTheSourcesNotesInItsMessage) {
    auto db = open_database(":memory:", Access::read_write);
    SetClock clock(kT0);
    collect_run(
        *db, {"test", "dhcp1"}, OnConflict::fail,
        [&](SampleSink& sink) {
            sink.add(sample_at(kT0 - 300));
            for (const char* scope : {"10.3.0.0", "10.4.0.0", "10.5.0.0", "10.6.0.0"})
                sink.note(std::string("scope ") + scope + ": it failed (left out)");
        },
        clock);
    SQLite::Statement q(*db, "SELECT message FROM runs ORDER BY id DESC LIMIT 1");
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getString(),
              "1 added, 0 already stored, 0 replaced; scope 10.3.0.0: it failed (left out); "
              "scope 10.4.0.0: it failed (left out); scope 10.5.0.0: it failed (left out); "
              "and 1 more");
}

TEST(Runs, AFailedRunRecordsItsClocksStartAndEnd) {
    auto db = open_database(":memory:", Access::read_write);
    SetClock clock(kT0);
    EXPECT_THROW(collect_run(
                     *db, {"test", ""}, OnConflict::fail,
                     [&](SampleSink& sink) {
                         sink.add(sample_at(kT0 - 300));
                         clock.time = kT0 + 3;
                         throw InputError("x.csv:2: broken");
                     },
                     clock),
                 InputError);
    const RunRow run = last_run(*db);
    EXPECT_EQ(run.status, "failed");
    EXPECT_EQ(run.server, std::nullopt);
    EXPECT_EQ(run.started, kT0);
    EXPECT_EQ(run.ended, kT0 + 3);
    EXPECT_EQ(run.rows, 0);
}

TEST(Runs, PruneRemovesAndRecordsByItsClock) {
    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, {sample_at(kT0 - 10 * kDay), sample_at(kT0 - kDay)});
    test::compact(*db);
    // By the clock, the first sample's day ended more than 3 days ago, the second's not.
    const PruneSummary p = prune(*db, 3 * kDay, 6 * kDay, SetClock(kT0));
    EXPECT_EQ(p.raw_samples, 1);
    const RunRow run = last_run(*db);
    EXPECT_EQ(run.source, "prune");
    EXPECT_EQ(run.server, std::nullopt);
    EXPECT_EQ(run.status, "ok");
    EXPECT_EQ(run.started, kT0);
    EXPECT_EQ(run.ended, kT0);
    EXPECT_EQ(run.rows, 1);
}

TEST(Runs, DeleteRecordsItsClocksTime) {
    auto db = open_database(":memory:", Access::read_write);
    test::store(*db, {sample_at(kT0 - 600), sample_at(kT0 - 300)});
    SeriesFilter filter;
    filter.since = kT0 - 300;
    const DeleteSummary done = delete_samples(*db, filter, "dhcp1", SetClock(kT0 + 60));
    EXPECT_EQ(done.samples, 1);
    const RunRow run = last_run(*db);
    EXPECT_EQ(run.source, "delete");
    EXPECT_EQ(run.server, "dhcp1");
    EXPECT_EQ(run.status, "ok");
    EXPECT_EQ(run.started, kT0 + 60);
    EXPECT_EQ(run.ended, kT0 + 60);
    EXPECT_EQ(run.rows, 1);
}

}  // namespace
}  // namespace fostat
