// Helpers shared by the unit tests.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "fostat/sample_sink.h"
#include "storage/clock.h"
#include "storage/run_writer.h"

namespace fostat {

// For GoogleTest's messages.
inline void PrintTo(const LeaseStateCount& c, std::ostream* os) {
    *os << c.state << '=' << c.addresses;
}

}  // namespace fostat

namespace fostat::test {

// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

// A clock that says the time the test sets.
class SetClock : public Clock {
  public:
    explicit SetClock(std::int64_t time) : time(time) {}
    std::int64_t now() const override { return time; }
    std::int64_t time;
};

class VectorSink : public SampleSink {
  public:
    void add(const Sample& sample) override { samples.push_back(sample); }
    std::vector<Sample> samples;
};

// Stores the samples as one collection run; returns its summary.
RunSummary store(SQLite::Database& db, const std::vector<Sample>& samples,
                 OnConflict on_conflict = OnConflict::fail);

// Moves every sample of the head into the chunks and rollups, as later runs would
// (storage/head.h): for tests that look at the chunks, rollups or lease-state rows.
void compact(SQLite::Database& db);

// A consistent sample of one server: 254 addresses, `in_use` of them leased, split evenly.
Sample sample_at(std::int64_t ts, const std::string& server = "dhcp1",
                 const std::string& scope = "10.1.2.0/24", std::uint64_t in_use = 134);

}  // namespace fostat::test
