#include "storage/prune.h"

#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "fostat/error.h"
#include "storage/chunk_codec.h"
#include "storage/head.h"
#include "storage/rollup_writer.h"
#include "storage/runs.h"

namespace fostat {
namespace {

const RunInfo kPruneRun{"prune", ""};

PruneSummary prune_in_transaction(SQLite::Database& db, std::int64_t keep_raw,
                                  std::int64_t keep_hourly, const Clock& clock) {
    PruneSummary out;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t now = clock.now();
    out.run_id = begin_run(db, kPruneRun, now);
    // Nothing may go that has not been rolled up.
    out.rolled_up = RollupWriter(db).update_backlog();

    // A day ended at day + 86400; it goes when that is more than keep_* before now.
    const std::int64_t raw_before = now - keep_raw - kChunkSeconds;
    const std::int64_t hourly_before = now - keep_hourly - kChunkSeconds;
    // Head samples of those days go to their chunks and rollups first (keep_raw <=
    // keep_hourly: raw_before covers both).
    compact_head_before(db, raw_before);
    {
        SQLite::Statement count(db,
                                "SELECT count(*), coalesce(sum(samples), 0), "
                                "count(DISTINCT series_id) FROM chunks WHERE day < ?");
        count.bind(1, raw_before);
        count.executeStep();
        out.raw_days = count.getColumn(0).getInt64();
        out.raw_samples = count.getColumn(1).getInt64();
        out.raw_series = count.getColumn(2).getInt64();
    }
    {
        SQLite::Statement mark(db,
                               "UPDATE rollups SET raw_pruned_by = ? WHERE day < ? AND "
                               "raw_pruned_by IS NULL");
        mark.bind(1, out.run_id);
        mark.bind(2, raw_before);
        mark.exec();
        // Every chunk has its rollup (update_backlog above, the collector for the rest); the
        // condition keeps a chunk that somehow has none rather than lose it.
        SQLite::Statement drop(db,
                               "DELETE FROM chunks WHERE day < ? AND EXISTS (SELECT 1 FROM "
                               "rollups r WHERE r.series_id = chunks.series_id AND "
                               "r.day = chunks.day)");
        drop.bind(1, raw_before);
        const int dropped = drop.exec();
        if (dropped != out.raw_days) {
            throw StorageError(std::to_string(out.raw_days - dropped) +
                               " days of raw samples have no rollup; nothing was pruned");
        }
        // The lease-state breakdowns go with the raw samples they describe.
        SQLite::Statement drop_states(db, "DELETE FROM lease_states WHERE day < ?");
        drop_states.bind(1, raw_before);
        drop_states.exec();
    }
    {
        SQLite::Statement drop(db,
                               "UPDATE rollups SET hourly = NULL WHERE day < ? AND "
                               "hourly IS NOT NULL");
        drop.bind(1, hourly_before);
        out.hourly_days = drop.exec();
    }
    finish_run(db, out.run_id, clock.now(), out.raw_samples,
               "removed " + std::to_string(out.raw_samples) + " raw samples (" +
                   std::to_string(out.raw_days) + " series-days of " +
                   std::to_string(out.raw_series) + " series) and the hourly rollups of " +
                   std::to_string(out.hourly_days) + " series-days");
    transaction.commit();
    return out;
}

}  // namespace

PruneSummary prune(SQLite::Database& db, std::int64_t keep_raw, std::int64_t keep_hourly,
                   const Clock& clock) {
    return run_or_record_failure(db, kPruneRun, clock, [&] {
        return prune_in_transaction(db, keep_raw, keep_hourly, clock);
    });
}

}  // namespace fostat
