// Analyses that walk every scope on several threads, each with a sibling SampleReader on a
// connection of its own: the same snapshot, and the same answers as one thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include <SQLiteCpp/Database.h>

#include "analyses/analysis.h"
#include "analyses/check.h"
#include "analyses/imbalance.h"
#include "fostat/error.h"
#include "sources/simulate.h"
#include "storage/database.h"
#include "storage/sample_reader.h"
#include "test_support.h"

namespace fostat {
namespace {

constexpr std::int64_t kEnd = 1'795'507'200;  // 2026-11-24T08:00:00Z

// A database file with simulate's history of `scopes` scopes, which holds findings of
// every kind.
void simulate_into(const std::string& path, int scopes, int days) {
    auto db = open_database(path, Access::read_write);
    SimulateOptions options;
    options.scopes = scopes;
    options.days = days;
    options.end = kEnd;
    test::VectorSink sink;
    simulate_history(options, sink);
    test::store(*db, sink.samples);
}

std::string describe(const Point& p) {
    std::ostringstream out;
    out << p.timestamp << ' ' << p.relationship->name << ' ' << p.relationship->source_state;
    for (const auto& v : p.counters.values)
        out << ' ' << (v ? std::to_string(*v) : "-");
    return out.str();
}

std::string describe(const CheckResult& r) {
    std::ostringstream out;
    out << "samples " << r.samples << " worst " << r.worst.exit_status() << '\n';
    for (std::size_t i = 0; i < kRuleCount; ++i)
        out << to_string(static_cast<Rule>(i)) << " skipped " << r.skipped[i] << '\n';
    for (const Violation& v : r.violations) {
        out << to_string(v.rule) << ' ' << v.server << ' ' << v.scope << ' ' << v.episode.first
            << ' ' << v.episode.last << ' ' << v.episode.samples << ' ' << v.episode.worst << " at "
            << describe(v.episode.at_worst) << '\n';
    }
    return out.str();
}

std::string describe(const ImbalanceResult& r) {
    std::ostringstream out;
    out << "samples " << r.samples << " null " << r.null_skipped << " small " << r.small_skipped
        << " worst " << r.worst.exit_status() << '\n';
    for (const ImbalanceEpisode& e : r.episodes) {
        out << to_string(e.kind) << ' ' << e.relationship << ' ' << e.scope << ' ' << e.server
            << ' ' << e.first << ' ' << e.last << ' ' << e.samples << ' '
            << e.worst_deviation.value_or(-999) << ' ' << e.stalled << '\n';
    }
    return out.str();
}

// An analysis's default options, on one thread and on four.
template <typename Options>
std::pair<Options, Options> on_one_and_four_threads() {
    Options one, four;
    one.threads = 1;
    four.threads = 4;
    return {one, four};
}

class ParallelTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        simulate_into(path(), 12, 3);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string path() { return dir_->file("site.db"); }

    // As fostat-query reads: read-only, in one read transaction.
    static std::unique_ptr<SQLite::Database> open_for_query() {
        auto db = open_database(path(), Access::read_only);
        db->exec("BEGIN");
        return db;
    }

    static test::TempDir* dir_;
};

test::TempDir* ParallelTest::dir_ = nullptr;

TEST_F(ParallelTest, ASiblingReadsWhatItsReaderReadsAndSharesItsRelationships) {
    auto db = open_for_query();
    SampleReader reader(*db);
    const std::unique_ptr<SampleReader> sibling = reader.sibling();
    ASSERT_NE(sibling, nullptr);
    const std::vector<Series> series = reader.series({});
    ASSERT_EQ(sibling->series({}).size(), series.size());
    const std::vector<Point> mine = reader.points(series.front(), {});
    const std::vector<Point> theirs = sibling->points(series.front(), {});
    ASSERT_EQ(mine.size(), theirs.size());
    ASSERT_FALSE(mine.empty());
    for (std::size_t i = 0; i < mine.size(); ++i) {
        EXPECT_EQ(mine[i].timestamp, theirs[i].timestamp);
        EXPECT_EQ(mine[i].counters, theirs[i].counters);
        EXPECT_EQ(mine[i].relationship, theirs[i].relationship);  // the one shared snapshot
    }
}

TEST_F(ParallelTest, NoSiblingOnceARunWasCommittedAfterTheReadBegan) {
    auto db = open_for_query();
    SampleReader reader(*db);
    const std::vector<Series> series = reader.series({});  // the read transaction begins
    {
        auto writer = open_database(path(), Access::read_write);
        test::store(*writer, {test::sample_at(kEnd + 86'400, "dhcp9")});
    }
    EXPECT_EQ(reader.sibling(), nullptr);
    // What the reader goes on to read is still its own snapshot.
    EXPECT_EQ(reader.series({}).size(), series.size());
}

TEST(Parallel, AnInMemoryDatabaseHasNoSibling) {
    auto db = open_database(":memory:", Access::read_write);
    SampleReader reader(*db);
    EXPECT_EQ(reader.sibling(), nullptr);
}

TEST_F(ParallelTest, EveryIndexIsWorkedOnceOnSeveralReaders) {
    auto db = open_for_query();
    SampleReader reader(*db);
    constexpr std::size_t kCount = 40;
    std::vector<std::atomic<int>> done(kCount);
    std::mutex lock;
    std::condition_variable seen;
    std::set<const SampleReader*> readers;
    // Each piece of work waits, up to 10 s, until all three readers have been seen: a thread
    // that starts late still finds work left.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    parallel_for_each(reader, kCount, 3, [&](SampleReader& own, std::size_t i) {
        ++done[i];
        std::unique_lock guard(lock);
        readers.insert(&own);
        seen.notify_all();
        seen.wait_until(guard, deadline, [&] { return readers.size() == 3; });
    });
    for (std::size_t i = 0; i < kCount; ++i)
        EXPECT_EQ(done[i], 1) << i;
    EXPECT_EQ(readers.size(), 3u);
    EXPECT_TRUE(readers.contains(&reader));
}

TEST_F(ParallelTest, TheFirstErrorIsRethrownOnceEveryThreadStopped) {
    auto db = open_for_query();
    SampleReader reader(*db);
    std::atomic<int> running{0};
    std::atomic<int> worked{0};
    EXPECT_THROW(parallel_for_each(reader, 1000, 2,
                                   [&](SampleReader&, std::size_t i) {
                                       ++running;
                                       ++worked;
                                       std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                       --running;
                                       if (i == 3)
                                           throw std::runtime_error("damaged");
                                   }),
                 std::runtime_error);
    EXPECT_EQ(running, 0);
    EXPECT_LT(worked, 1000);  // the rest was not started
}

TEST_F(ParallelTest, CheckOnSeveralThreadsFindsWhatOneThreadFinds) {
    auto db = open_for_query();
    SampleReader reader(*db);
    const auto [one, four] = on_one_and_four_threads<CheckOptions>();
    const std::string alone = describe(check_invariants(reader, {}, one));
    EXPECT_NE(alone.find("sum-total"), std::string::npos);  // simulate's findings are there
    EXPECT_NE(alone.find("partner-free"), std::string::npos);
    EXPECT_EQ(describe(check_invariants(reader, {}, four)), alone);
    SeriesFilter dhcp2;
    dhcp2.servers = {"dhcp2"};
    dhcp2.since = kEnd - 86'400 - 4321;
    EXPECT_EQ(describe(check_invariants(reader, dhcp2, four)),
              describe(check_invariants(reader, dhcp2, one)));
}

TEST_F(ParallelTest, ImbalanceOnSeveralThreadsFindsWhatOneThreadFinds) {
    auto db = open_for_query();
    SampleReader reader(*db);
    const auto [one, four] = on_one_and_four_threads<ImbalanceOptions>();
    const std::string alone = describe(find_imbalance(reader, {}, one));
    EXPECT_NE(alone.find("starved"), std::string::npos);
    EXPECT_EQ(describe(find_imbalance(reader, {}, four)), alone);
}

TEST_F(ParallelTest, ADamagedChunkReadOnAnotherThreadFailsTheCheck) {
    const std::string damaged = dir_->file("damaged.db");
    std::filesystem::copy_file(path(), damaged);
    {
        SQLite::Database db(damaged, SQLite::OPEN_READWRITE);
        // The last scope's chunks, which a thread other than the first is likely to walk; a
        // failure on any thread must reach the caller.
        db.exec("UPDATE chunks SET data = x'ff' WHERE series_id = (SELECT max(id) FROM series)");
    }
    auto db = open_database(damaged, Access::read_only);
    db->exec("BEGIN");
    SampleReader reader(*db);
    const auto [one, four] = on_one_and_four_threads<CheckOptions>();
    EXPECT_THROW(check_invariants(reader, {}, four), StorageError);
    EXPECT_THROW(check_invariants(reader, {}, one), StorageError);
}

}  // namespace
}  // namespace fostat
