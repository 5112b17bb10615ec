#include <cstdio>

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "fostat/error.h"
#include "storage/database.h"
#include "storage/run_writer.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

using test::sample_at;
using test::store;

constexpr std::int64_t kT0 = 1'795'507'200;  // 2026-11-24T08:00:00Z

std::vector<Sample> read_all(SQLite::Database& db, const SeriesFilter& filter = {}) {
    SampleReader reader(db);
    std::vector<Sample> out;
    for (const Series& s : reader.series(filter)) {
        reader.for_each(s, filter, [&](const Sample& sample) { out.push_back(sample); });
    }
    return out;
}

std::int64_t count(SQLite::Database& db, const std::string& sql) {
    return db.execAndGet(sql).getInt64();
}

TEST(Storage, FreshDatabaseGetsEveryMigrationAndWal) {
    test::TempDir dir;
    auto db = open_database(dir.file("f.db"), Access::read_write);
    EXPECT_EQ(database_schema_version(*db), program_schema_version());
    EXPECT_GE(program_schema_version(), 1);
    EXPECT_EQ(db->execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_TRUE(db->tableExists("chunks"));
    EXPECT_TRUE(db->tableExists("runs"));
}

TEST(Storage, UpgradeAppliesOnlyTheNewMigrationsAndKeepsData) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::vector<Migration> v1 = {{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"}};
    apply_migrations(db, v1);
    db.exec("INSERT INTO a VALUES (42)");
    EXPECT_EQ(database_schema_version(db), 1);
    const std::vector<Migration> v2 = {v1[0],
                                       {2, "0002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT;"}};
    apply_migrations(db, v2);
    EXPECT_EQ(database_schema_version(db), 2);
    EXPECT_EQ(count(db, "SELECT x FROM a"), 42);
    EXPECT_EQ(count(db, "SELECT count(*) FROM schema_version"), 2);
}

TEST(Storage, AFailingMigrationLeavesTheOldVersion) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::vector<Migration> v1 = {{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"}};
    apply_migrations(db, v1);
    const std::vector<Migration> broken = {v1[0], {2, "0002_b.sql", "CREATE TABLE b (; nonsense"}};
    EXPECT_THROW(apply_migrations(db, broken), SQLite::Exception);
    EXPECT_EQ(database_schema_version(db), 1);
}

TEST(Storage, NewerDatabaseIsRefusedNamingBothVersions) {
    test::TempDir dir;
    const std::string path = dir.file("new.db");
    open_database(path, Access::read_write)
        ->exec("INSERT INTO schema_version VALUES (999, '0999_future.sql', 0)");
    for (Access access : {Access::read_write, Access::read_only}) {
        try {
            open_database(path, access);
            FAIL() << "a newer database was opened";
        } catch (const StorageError& e) {
            EXPECT_EQ(std::string(e.what()),
                      path + ": database schema version 999 is newer than this program's version " +
                          std::to_string(program_schema_version()) + "; use a newer fostat");
        }
    }
}

TEST(Storage, ReadOnlyRefusesAMissingFileAndWrites) {
    test::TempDir dir;
    EXPECT_THROW(open_database(dir.file("none.db"), Access::read_only), StorageError);
    const std::string path = dir.file("ro.db");
    open_database(path, Access::read_write);
    auto db = open_database(path, Access::read_only);
    EXPECT_THROW(db->exec("DELETE FROM runs"), SQLite::Exception);
}

TEST(Storage, AMissingOrEmptyDatabaseSaysSoWithoutNamingAProgramsOption) {
    // fostat-query and fostat-collect add "; collect into it first with fostat-collect --db
    // PATH" (golden query-errors, delete-samples).
    test::TempDir dir;
    const std::string none = dir.file("none.db");
    try {
        open_database(none, Access::existing_read_write);
        FAIL() << "a missing database was opened";
    } catch (const NoDatabase& e) {
        EXPECT_EQ(std::string(e.what()), none + ": no such database");
        EXPECT_EQ(e.path(), none);
    }
    const std::string empty = dir.file("empty.db");
    std::fclose(std::fopen(empty.c_str(), "wb"));
    try {
        open_database(empty, Access::read_only);
        FAIL() << "an empty file was opened";
    } catch (const NoDatabase& e) {
        EXPECT_EQ(std::string(e.what()), empty + ": empty file, not a fostat database");
    }
}

TEST(Storage, NotADatabaseIsAnErrorNamingTheFile) {
    test::TempDir dir;
    const std::string path = dir.file("junk.db");
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("this is not an SQLite database, just text that is long enough to look like one", f);
    std::fclose(f);
    try {
        open_database(path, Access::read_write);
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
    }
}

TEST(Storage, AnotherProgramsDatabaseIsLeftAlone) {
    test::TempDir dir;
    const std::string path = dir.file("other.db");
    {
        SQLite::Database other(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE accounts (id INTEGER)");
    }
    for (Access access : {Access::read_write, Access::read_only}) {
        EXPECT_THROW(open_database(path, access), StorageError);
    }
    SQLite::Database other(path, SQLite::OPEN_READONLY);
    EXPECT_FALSE(other.tableExists("chunks"));
}

TEST(Storage, SamplesComeBackAsStoredInTimeOrder) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> in;
    for (int i = 0; i < 600; ++i)
        in.push_back(sample_at(kT0 + 300 * i, "dhcp1", "10.1.2.0/24", 100 + i % 50));
    in.push_back(sample_at(kT0, "dhcp2", "10.1.2.0/24"));
    in.back().counters.values[4].reset();  // unknown this_addr_free
    in.back().relationship.role = "secondary";
    in.back().relationship.source_state = "NORMAL";
    const RunSummary summary = store(*db, in);
    EXPECT_EQ(summary.added, 601);
    EXPECT_EQ(read_all(*db), in);
    test::compact(*db);                                       // dhcp2's one sample was in the head
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 4);  // 600 samples over 3 days + 1
}

TEST(Storage, OutOfOrderSamplesAreStoredInOrder) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> in;
    for (int i = 0; i < 100; ++i)
        in.push_back(sample_at(kT0 + 3600 * ((i * 37) % 100)));
    store(*db, in);
    const auto out = read_all(*db);
    ASSERT_EQ(out.size(), 100u);
    for (std::size_t i = 0; i < out.size(); ++i)
        EXPECT_EQ(out[i].timestamp, kT0 + 3600 * static_cast<std::int64_t>(i));
}

TEST(Storage, StoringTheSameSamplesAgainAddsNothing) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> in;
    for (int i = 0; i < 50; ++i)
        in.push_back(sample_at(kT0 + 300 * i));
    store(*db, in);
    const RunSummary again = store(*db, in);
    EXPECT_EQ(again.added, 0);
    EXPECT_EQ(again.unchanged, 50);
    EXPECT_EQ(read_all(*db), in);
}

TEST(Storage, AConflictIsAnErrorAndTheRunLeavesOnlyItsFailureRow) {
    auto db = open_database(":memory:", Access::read_write);
    store(*db, {sample_at(kT0), sample_at(kT0 + 300)});
    std::vector<Sample> second = {sample_at(kT0 + 600),
                                  sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24", 140)};
    try {
        store(*db, second);
        FAIL() << "a conflict was accepted";
    } catch (const AlreadyStored& e) {
        // Storage says what is stored and what came; only the command that has --replace
        // names it (collect_import.cpp).
        const std::string message = e.what();
        EXPECT_NE(message.find("server dhcp1, scope 10.1.2.0/24 at 2026-11-24T08:05:00Z"),
                  std::string::npos)
            << message;
        EXPECT_EQ(message.find("--"), std::string::npos) << message;
    }
    EXPECT_EQ(read_all(*db).size(), 2u);  // the 08:10 sample of the failed run is not there
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'failed'"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'running'"), 0);
}

TEST(Storage, ReplaceOverwritesAConflictingSample) {
    auto db = open_database(":memory:", Access::read_write);
    store(*db, {sample_at(kT0), sample_at(kT0 + 300)});
    const Sample changed = sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24", 140);
    const RunSummary summary = store(*db, {changed}, OnConflict::replace);
    EXPECT_EQ(summary.replaced, 1);
    EXPECT_EQ(read_all(*db).back(), changed);
}

TEST(Storage, AConflictInsideOneRunIsAnErrorToo) {
    auto db = open_database(":memory:", Access::read_write);
    EXPECT_THROW(store(*db, {sample_at(kT0), sample_at(kT0, "dhcp1", "10.1.2.0/24", 1)}),
                 AlreadyStored);
    EXPECT_EQ(read_all(*db).size(), 0u);
}

TEST(Storage, ASourceThatFailsMidwayStoresNothing) {
    auto db = open_database(":memory:", Access::read_write);
    EXPECT_THROW(collect_run(*db, {"test", "dhcp1"}, OnConflict::fail,
                             [](SampleSink& sink) {
                                 for (int i = 0; i < 1000; ++i)
                                     sink.add(sample_at(kT0 + 300 * i));
                                 throw InputError("x.csv:1001: broken");
                             }),
                 InputError);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 0);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM series"), 0);
    SQLite::Statement run(*db, "SELECT status, message, server FROM runs");
    ASSERT_TRUE(run.executeStep());
    EXPECT_EQ(run.getColumn(0).getString(), "failed");
    EXPECT_EQ(run.getColumn(1).getString(), "x.csv:1001: broken");
    EXPECT_EQ(run.getColumn(2).getString(), "dhcp1");
}

TEST(Storage, NoNameThatCouldAttackATerminalIsStoredWhateverTheSource) {
    auto db = open_database(":memory:", Access::read_write);
    const auto message_of = [&](const Sample& bad) -> std::string {
        try {
            store(*db, {sample_at(kT0), bad});
        } catch (const InputError& e) {
            return e.what();
        }
        return "stored";
    };
    Sample bad = sample_at(kT0, "x\x1b]0;evil\x07");
    EXPECT_EQ(message_of(bad),
              "server: 'x\\x1b]0;evil\\x07' holds the control character \\x1b; a name is "
              "printable UTF-8");
    bad = sample_at(kT0, "dhcp1", "10.1.2.0/24\n");
    EXPECT_EQ(message_of(bad),
              "scope: '10.1.2.0/24\\n' holds the control character \\n; a name is printable "
              "UTF-8");
    bad = sample_at(kT0 + 300);
    bad.relationship.name = "r\xff";
    EXPECT_EQ(message_of(bad),
              "relationship: 'r\\xff' is not UTF-8 (byte \\xff); a name is "
              "printable UTF-8");
    bad.relationship.name = "r";
    bad.relationship.role = "primary\xC2\x85";
    EXPECT_EQ(message_of(bad),
              "role: 'primary\\u0085' holds the control character \\u0085; a "
              "name is printable UTF-8");
    bad.relationship.role = "primary";
    bad.relationship.source_state = std::string("NORMAL\0", 7);
    EXPECT_EQ(message_of(bad),
              "source_state: 'NORMAL\\x00' holds the control character \\x00; "
              "a name is printable UTF-8");
    // Each run stored nothing, its good sample included.
    EXPECT_EQ(count(*db, "SELECT count(*) FROM series"), 0);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM relationships"), 0);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 0);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM runs WHERE status = 'failed'"), 5);
    // Any other Unicode is a name like any other.
    EXPECT_EQ(store(*db, {sample_at(kT0, "東京-😀-e\xCC\x81")}).added, 1);
}

TEST(Storage, WritingOutMidRunLosesNothingAndMergesLaterSamples) {
    auto db = open_database(":memory:", Access::read_write);
    // A tiny limit: the writer writes its open chunks out every few samples, appends to what
    // it wrote, and materialises chunks for the out-of-order and repeated samples.
    std::vector<Sample> expected;
    {
        RunWriter writer(*db, {"test", ""}, OnConflict::fail, 2048);
        for (int t = 0; t < 400; t += 2) {
            for (int s = 0; s < 30; ++s) {
                const std::string scope = "10.0." + std::to_string(s) + ".0/24";
                writer.add(sample_at(kT0 + 300 * t, "dhcp1", scope, 100 + t % 7));
            }
        }
        for (int t = 399; t >= 1; t -= 2) {  // the odd ticks, backwards
            for (int s = 0; s < 30; ++s) {
                const std::string scope = "10.0." + std::to_string(s) + ".0/24";
                writer.add(sample_at(kT0 + 300 * t, "dhcp1", scope, 100 + t % 7));
                writer.add(sample_at(kT0 + 300 * t, "dhcp1", scope, 100 + t % 7));  // again
            }
        }
        const RunSummary summary = writer.commit();
        EXPECT_EQ(summary.added, 12'000);
        EXPECT_EQ(summary.unchanged, 6'000);
    }
    for (int s = 0; s < 30; ++s) {
        for (int t = 0; t < 400; ++t) {
            expected.push_back(sample_at(kT0 + 300 * t, "dhcp1",
                                         "10.0." + std::to_string(s) + ".0/24", 100 + t % 7));
        }
    }
    EXPECT_EQ(read_all(*db), expected);
    EXPECT_EQ(count(*db, "SELECT sum(samples) FROM chunks"), 12'000);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM chunks"), 60);  // 400 ticks of 5 min: 2 days
    // A later run appends to the stored chunks and refuses a conflict among them.
    store(*db, {sample_at(kT0 + 300 * 400, "dhcp1", "10.0.3.0/24")});
    EXPECT_THROW(store(*db, {sample_at(kT0 + 300 * 17, "dhcp1", "10.0.3.0/24", 1)}), InputError);
    test::compact(*db);
    EXPECT_EQ(count(*db, "SELECT sum(samples) FROM chunks"), 12'001);
}

TEST(Storage, WindowAndFiltersSelectSamples) {
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> in;
    for (int i = 0; i < 48; ++i) {
        in.push_back(sample_at(kT0 + 3600 * i, "dhcp1"));
        in.push_back(sample_at(kT0 + 3600 * i, "dhcp2", "10.9.0.0/24"));
    }
    store(*db, in);
    SeriesFilter f;
    f.since = kT0 + 3600;
    f.until = kT0 + 3 * 3600;
    EXPECT_EQ(read_all(*db, f).size(), 6u);
    f.servers = {"dhcp2"};
    const auto out = read_all(*db, f);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].scope, "10.9.0.0/24");
}

TEST(Storage, ASummaryCountsFromChunksAndDecodesOnlyTheDaysTheWindowCuts) {
    // 48 hourly samples from 08:00 on: three stored days (16, 24 and 8 samples).
    auto db = open_database(":memory:", Access::read_write);
    std::vector<Sample> in;
    for (int i = 0; i < 48; ++i)
        in.push_back(sample_at(kT0 + 3600 * i));
    store(*db, in);
    SampleReader reader(*db);
    const Series series = reader.series({}).at(0);
    for (const auto& [since, until] : std::vector<std::pair<std::int64_t, std::int64_t>>{
             {SeriesFilter{}.since, SeriesFilter{}.until},  // every day whole
             {kT0 + 3600 * 5 + 1, kT0 + 3600 * 40},         // both ends cut
             {kT0 + 3600 * 16, kT0 + 3600 * 39},            // one whole day
             {kT0 + 3600 * 20, kT0 + 3600 * 20},            // one instant
         }) {
        SeriesFilter f;
        f.since = since;
        f.until = until;
        const std::vector<Point> points = reader.points(series, f);
        const auto summary = reader.summary(series, f);
        ASSERT_TRUE(summary);
        EXPECT_EQ(summary->samples, static_cast<std::int64_t>(points.size()));
        EXPECT_EQ(summary->first, points.front().timestamp);
        EXPECT_EQ(summary->last, points.back().timestamp);
    }
    SeriesFilter empty;
    empty.since = kT0 + 60;
    empty.until = kT0 + 120;
    EXPECT_FALSE(reader.summary(series, empty));
}

TEST(Storage, NewestByServerIsTheNewestOfItsSeriesInChunksOrHead) {
    test::TempDir dir;
    auto db = open_database(dir.file("n.db"), Access::read_write);
    store(*db, {sample_at(kT0, "dhcp1", "10.1.2.0/24"), sample_at(kT0, "dhcp2", "10.1.2.0/24"),
                sample_at(kT0 + 600, "dhcp2", "10.9.0.0/24")});
    test::compact(*db);
    // The newest of dhcp1 in the head, of another scope than its older samples.
    store(*db, {sample_at(kT0 + 86'400, "dhcp1", "10.3.0.0/24"),
                sample_at(kT0 + 300, "dhcp1", "10.1.2.0/24")});
    SampleReader reader(*db);
    const auto all = reader.newest_by_server({});
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].server, "dhcp1");
    EXPECT_EQ(all[0].newest, kT0 + 86'400);
    EXPECT_EQ(all[1].server, "dhcp2");
    EXPECT_EQ(all[1].newest, kT0 + 600);

    SeriesFilter some;  // the filter's servers and scopes count, its window does not
    some.scopes = {"10.1.2.0/24"};
    some.until = kT0;
    const auto of_scope = reader.newest_by_server(some);
    ASSERT_EQ(of_scope.size(), 2u);
    EXPECT_EQ(of_scope[0].newest, kT0 + 300);
    EXPECT_EQ(of_scope[1].newest, kT0);
    some = {};
    some.servers = {"dhcp2", "dhcp9"};
    const auto of_server = reader.newest_by_server(some);
    ASSERT_EQ(of_server.size(), 1u);  // dhcp9 has nothing stored
    EXPECT_EQ(of_server[0].server, "dhcp2");
}

TEST(Storage, AReadTransactionSeesNoRunCommittedAfterItBegan) {
    test::TempDir dir;
    auto db = open_database(dir.file("r.db"), Access::read_write);
    store(*db, {sample_at(kT0)});
    auto reading = open_database(dir.file("r.db"), Access::read_only);
    {
        ReadTransaction read(*reading);
        EXPECT_EQ(read_all(*reading).size(), 1u);
        store(*db, {sample_at(kT0 + 300)});
        ReadTransaction moved(std::move(read));  // still one transaction, ended once
        EXPECT_EQ(read_all(*reading).size(), 1u);
    }
    EXPECT_EQ(read_all(*reading).size(), 2u);
    ReadTransaction again(*reading);  // the first one ended: another can begin
    EXPECT_EQ(read_all(*reading).size(), 2u);
}

}  // namespace
}  // namespace fostat
