// Retention (fostat-collect prune): the raw samples and hourly rollups of old days go, their
// daily rollups stay (docs/storage.md, "Rollups and retention").
#pragma once

#include <cstdint>

#include "storage/clock.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

// What prune removed.
struct PruneSummary {
    std::int64_t run_id = 0;
    std::int64_t raw_days = 0;     // chunks removed (one series, one day each)
    std::int64_t raw_samples = 0;  // samples in them
    std::int64_t raw_series = 0;   // series they belonged to
    std::int64_t hourly_days = 0;  // days whose hourly rollups were removed
    std::int64_t rolled_up = 0;    // backlog days rolled up first
};

// Removes the raw chunks of days that ended at least keep_raw seconds before the clock's now
// (their rollups stay), and the hourly rollups of days that ended keep_hourly before; daily
// rollups are kept. One transaction and one run (source 'prune'), which starts at that now;
// a failure records a failed run and rethrows. REQUIRES: 0 < keep_raw <= keep_hourly.
PruneSummary prune(SQLite::Database& db, std::int64_t keep_raw, std::int64_t keep_hourly,
                   const Clock& clock = system_clock());

}  // namespace fostat
