// Removing chosen samples (fostat-collect delete): one run, rollups recomputed
// (docs/storage.md, Removing samples).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/sample_reader.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace fostat {

// The samples of one series that are, or would be, removed.
struct DeletedSeries {
    std::string server;
    std::string scope;
    std::int64_t samples = 0;
    std::int64_t first = 0;  // the earliest and latest of them
    std::int64_t last = 0;
};

struct DeleteSummary {
    std::int64_t run_id = 0;            // 0: nothing was removed (count_deletable)
    std::vector<DeletedSeries> series;  // those with samples to remove, in SampleReader order
    std::int64_t samples = 0;           // all of them
};

// What delete_samples would remove, changing nothing. Throws InputError as it does.
DeleteSummary count_deletable(SQLite::Database& db, const SeriesFilter& filter);

// Removes the samples of the series the filter selects inside its window (since and until
// inclusive), in one transaction and one run (source 'delete'; `server` is recorded as the
// run's server when not empty). A day the window covers loses its chunk, rollups and
// lease-state breakdowns; a day it cuts is re-encoded without the removed samples and its
// rollups recomputed, so that they equal those of a database that never had them. A
// series left without any sample or rollup is forgotten.
// A day whose raw samples prune removed has only its rollups: it goes when the window
// holds the whole day's samples, and a window that cuts it is an InputError (its rollups
// could not be recomputed). On failure the run is recorded as failed and the error rethrown.
// The run's start and end are the clock's.
DeleteSummary delete_samples(SQLite::Database& db, const SeriesFilter& filter,
                             const std::string& server = "", const Clock& clock = system_clock());

}  // namespace fostat
