#include "test_support.h"

#include <unistd.h>

#include <atomic>
#include <limits>

#include <SQLiteCpp/Transaction.h>

#include "storage/head.h"

namespace fostat::test {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("fostat-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

RunSummary store(SQLite::Database& db, const std::vector<Sample>& samples, OnConflict on_conflict) {
    return collect_run(db, {"test", ""}, on_conflict, [&](SampleSink& sink) {
        for (const Sample& s : samples)
            sink.add(s);
    });
}

void compact(SQLite::Database& db) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    compact_head_before(db, std::numeric_limits<std::int64_t>::max());
    transaction.commit();
}

Sample sample_at(std::int64_t ts, const std::string& server, const std::string& scope,
                 std::uint64_t in_use) {
    Sample s;
    s.timestamp = ts;
    s.server = server;
    s.scope = scope;
    s.relationship.name = "dhcp1-dhcp2";
    s.relationship.state = State::normal;
    const std::uint64_t free = 254 - in_use;
    s.counters.values = {
        254, free, in_use, free / 2, free - free / 2, in_use / 2, in_use - in_use / 2};
    return s;
}

}  // namespace fostat::test
