// Stored samples, each beside its breakdown by lease state if one was stored with it
// (Sample::lease_states): the two are stored apart (storage/lease_states.h) and joined here
// by series and time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fostat/sample.h"
#include "storage/lease_states.h"
#include "storage/sample_reader.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

class SamplesWithLeaseStates {
  public:
    // Reads which states are stored for the filter's series in its window.
    // REQUIRES: `samples` reads `db`, in a read transaction (storage/database.h), and
    // outlives this object.
    SamplesWithLeaseStates(SQLite::Database& db, SampleReader& samples, SeriesFilter filter);
    SamplesWithLeaseStates(const SamplesWithLeaseStates&) = delete;
    SamplesWithLeaseStates& operator=(const SamplesWithLeaseStates&) = delete;

    // The filter's series, in SampleReader::series' order.
    const std::vector<Series>& series() const { return series_; }
    // Every lease state stored for those series in the window, in the order they first
    // appear (series by series, in time order).
    const std::vector<std::string>& states() const { return states_; }

    // Calls visit(sample, counts) for every sample of `series` in the window, in time order.
    // `counts` holds one count per states(), the sample's addresses in that state (0 for a
    // state its breakdown does not name); it is null for a sample stored without a
    // breakdown, and always when states() is empty. Both are valid only during the call.
    void for_each(
        const Series& series,
        const std::function<void(const Sample&, const std::vector<std::uint64_t>*)>& visit);

  private:
    SampleReader& samples_;
    LeaseStateReader breakdowns_;
    SeriesFilter filter_;
    std::vector<Series> series_;
    std::vector<std::string> states_;
    std::vector<std::uint64_t> counts_;
};

}  // namespace fostat
