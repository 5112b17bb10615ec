#include "storage/sample_delete.h"

#include <algorithm>
#include <limits>
#include <memory>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "fostat/error.h"
#include "fostat/time_text.h"
#include "storage/blob.h"
#include "storage/chunk_codec.h"
#include "storage/head.h"
#include "storage/lease_states.h"
#include "storage/rollup_writer.h"
#include "storage/runs.h"

namespace fostat {
namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// The first day whose chunk may hold a sample at or after `since`, without overflowing.
std::int64_t first_day(std::int64_t since) {
    return since <= kMin + kChunkSeconds ? kMin : chunk_day(since);
}

bool inside(const SeriesFilter& f, std::int64_t t) {
    return t >= f.since && t <= f.until;
}

void note(DeletedSeries& d, std::int64_t samples, std::int64_t first, std::int64_t last) {
    if (samples == 0)
        return;
    d.first = d.samples == 0 ? first : std::min(d.first, first);
    d.last = d.samples == 0 ? last : std::max(d.last, last);
    d.samples += samples;
}

// One pass over the selected series: counts what goes and, when applying, removes it.
class Deleter {
  public:
    Deleter(SQLite::Database& db, const SeriesFilter& filter, bool apply)
        : db_(db),
          filter_(filter),
          apply_(apply),
          chunks_(db,
                  "SELECT day, first_ts, last_ts, samples, data FROM chunks WHERE series_id = ? "
                  "AND day BETWEEN ? AND ? AND last_ts >= ? AND first_ts <= ? ORDER BY day"),
          pruned_(db,
                  "SELECT r.day, r.first_ts, r.last_ts, r.samples, r.raw_pruned_by FROM rollups r "
                  "WHERE r.series_id = ? AND r.day BETWEEN ? AND ? AND r.last_ts >= ? AND "
                  "r.first_ts <= ? AND NOT EXISTS (SELECT 1 FROM chunks c WHERE "
                  "c.series_id = r.series_id AND c.day = r.day) ORDER BY r.day") {}

    DeleteSummary run() {
        DeleteSummary out;
        SampleReader reader(db_);
        for (const Series& series : reader.series(filter_)) {
            DeletedSeries d = visit(series);
            if (d.samples == 0)
                continue;
            out.samples += d.samples;
            out.series.push_back(std::move(d));
        }
        return out;
    }

  private:
    // A day the window cuts: the samples it keeps.
    struct CutDay {
        std::int64_t day = 0;
        std::vector<ChunkSample> kept;
    };

    void bind(SQLite::Statement& q, std::int64_t series) {
        q.reset();
        q.bind(1, series);
        q.bind(2, first_day(filter_.since));
        q.bind(3, filter_.until);
        q.bind(4, filter_.since);
        q.bind(5, filter_.until);
    }

    DeletedSeries visit(const Series& series) {
        DeletedSeries d{series.server, series.scope};
        std::vector<std::int64_t> whole_days;  // raw days, and days with only their rollups
        std::vector<CutDay> cut_days;
        bind(chunks_, series.id);
        while (chunks_.executeStep()) {
            const std::int64_t day = chunks_.getColumn(0).getInt64();
            const std::int64_t first = chunks_.getColumn(1).getInt64();
            const std::int64_t last = chunks_.getColumn(2).getInt64();
            if (inside(filter_, first) && inside(filter_, last)) {
                note(d, chunks_.getColumn(3).getInt64(), first, last);
                whole_days.push_back(day);
                continue;
            }
            // The window starts or ends inside this day: at most two such days a series.
            scratch_.clear();
            decode_chunk(day, blob_view(chunks_.getColumn(4)), scratch_);
            CutDay cut{day, {}};
            std::int64_t removed = 0;
            for (const ChunkSample& s : scratch_) {
                if (!inside(filter_, s.timestamp)) {
                    cut.kept.push_back(s);
                    continue;
                }
                note(d, 1, s.timestamp, s.timestamp);
                ++removed;
            }
            if (removed > 0)
                cut_days.push_back(std::move(cut));
        }
        bind(pruned_, series.id);
        while (pruned_.executeStep()) {
            const std::int64_t day = pruned_.getColumn(0).getInt64();
            const std::int64_t first = pruned_.getColumn(1).getInt64();
            const std::int64_t last = pruned_.getColumn(2).getInt64();
            if (!inside(filter_, first) || !inside(filter_, last)) {
                throw InputError(
                    "server " + series.server + ", scope " + series.scope +
                    ": the raw samples of " + format_utc(day).substr(0, 10) +
                    " were removed by prune run " +
                    std::to_string(pruned_.getColumn(4).getInt64()) +
                    ", so only that day's rollups are left, of samples from " + format_utc(first) +
                    " to " + format_utc(last) +
                    "; delete can remove them only all together: widen the window to hold them "
                    "all, or narrow it to leave them out");
            }
            note(d, pruned_.getColumn(3).getInt64(), first, last);
            whole_days.push_back(day);
        }
        if (apply_ && d.samples > 0)
            remove(series.id, whole_days, cut_days);
        return d;
    }

    void remove(std::int64_t series, const std::vector<std::int64_t>& whole_days,
                std::vector<CutDay>& cut_days) {
        if (!drop_day_) {
            drop_day_ = std::make_unique<SQLite::Statement>(
                db_, "DELETE FROM chunks WHERE series_id = ?1 AND day = ?2");
            drop_rollup_ = std::make_unique<SQLite::Statement>(
                db_, "DELETE FROM rollups WHERE series_id = ?1 AND day = ?2");
            drop_states_ = std::make_unique<SQLite::Statement>(
                db_, "DELETE FROM lease_states WHERE series_id = ?1 AND day = ?2");
            rewrite_ = std::make_unique<SQLite::Statement>(
                db_,
                "UPDATE chunks SET first_ts = ?, last_ts = ?, samples = ?, data = ? "
                "WHERE series_id = ? AND day = ?");
            read_states_ = std::make_unique<SQLite::Statement>(
                db_, "SELECT samples, data FROM lease_states WHERE series_id = ? AND day = ?");
            write_states_ = std::make_unique<SQLite::Statement>(
                db_,
                "UPDATE lease_states SET samples = ?, data = ? WHERE series_id = ? AND day = ?");
            rollups_ = std::make_unique<RollupWriter>(db_);
        }
        for (std::int64_t day : whole_days) {
            for (SQLite::Statement* s : {drop_day_.get(), drop_rollup_.get(), drop_states_.get()}) {
                s->reset();
                s->bind(1, series);
                s->bind(2, day);
                s->exec();
            }
        }
        for (CutDay& cut : cut_days) {
            const std::string data = encode_chunk(cut.day, cut.kept);
            SQLite::Statement& w = *rewrite_;
            w.reset();
            w.bind(1, cut.kept.front().timestamp);
            w.bind(2, cut.kept.back().timestamp);
            w.bind(3, static_cast<std::int64_t>(cut.kept.size()));
            w.bindNoCopy(4, data.data(), static_cast<int>(data.size()));
            w.bind(5, series);
            w.bind(6, cut.day);
            w.exec();
            rollups_->update(series, cut.day);
            cut_lease_states(series, cut.day);
        }
        SQLite::Statement left(db_,
                               "SELECT EXISTS (SELECT 1 FROM chunks WHERE series_id = ?1) OR "
                               "EXISTS (SELECT 1 FROM rollups WHERE series_id = ?1)");
        left.bind(1, series);
        if (left.executeStep() && left.getColumn(0).getInt() == 0) {
            for (const char* sql : {"DELETE FROM lease_states WHERE series_id = ?",
                                    "DELETE FROM series WHERE id = ?"}) {
                SQLite::Statement drop(db_, sql);
                drop.bind(1, series);
                drop.exec();
            }
        }
    }

    // The day's lease-state breakdowns without those of the removed samples.
    void cut_lease_states(std::int64_t series, std::int64_t day) {
        SQLite::Statement& r = *read_states_;
        r.reset();
        r.bind(1, series);
        r.bind(2, day);
        if (!r.executeStep())
            return;
        std::vector<LeaseStatesAt> states;
        decode_lease_states(day, blob_view(r.getColumn(1)), states);
        if (static_cast<std::int64_t>(states.size()) != r.getColumn(0).getInt64())
            throw StorageError("the lease-state breakdowns of series " + std::to_string(series) +
                               " on " + format_utc(day) + " are damaged");
        r.reset();
        std::erase_if(states, [&](const LeaseStatesAt& s) { return inside(filter_, s.timestamp); });
        if (states.empty()) {
            drop_states_->reset();
            drop_states_->bind(1, series);
            drop_states_->bind(2, day);
            drop_states_->exec();
            return;
        }
        const std::string data = encode_lease_states(day, states);
        SQLite::Statement& w = *write_states_;
        w.reset();
        w.bind(1, static_cast<std::int64_t>(states.size()));
        w.bindNoCopy(2, data.data(), static_cast<int>(data.size()));
        w.bind(3, series);
        w.bind(4, day);
        w.exec();
    }

    SQLite::Database& db_;
    const SeriesFilter& filter_;
    bool apply_;
    SQLite::Statement chunks_;
    SQLite::Statement pruned_;
    std::vector<ChunkSample> scratch_;
    std::unique_ptr<SQLite::Statement> drop_day_;
    std::unique_ptr<SQLite::Statement> drop_rollup_;
    std::unique_ptr<SQLite::Statement> drop_states_;
    std::unique_ptr<SQLite::Statement> rewrite_;
    std::unique_ptr<SQLite::Statement> read_states_;
    std::unique_ptr<SQLite::Statement> write_states_;
    std::unique_ptr<RollupWriter> rollups_;
};

DeleteSummary delete_in_transaction(SQLite::Database& db, const SeriesFilter& filter,
                                    const RunInfo& run, const Clock& clock) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t run_id = begin_run(db, run, clock.now());
    // Days stored before rollups existed are rolled up first, as prune does, so that a day
    // removed whole leaves no backlog entry behind and a cut one is rolled up from its rest.
    RollupWriter(db).update_backlog();
    // The head's samples are removed from chunks like the rest: compacted first.
    compact_head_before(db, std::numeric_limits<std::int64_t>::max());
    DeleteSummary out = Deleter(db, filter, true).run();
    out.run_id = run_id;
    std::string message = "removed " + std::to_string(out.samples) + " samples of " +
                          std::to_string(out.series.size()) + " series";
    if (out.samples > 0) {
        std::int64_t first = out.series.front().first, last = out.series.front().last;
        for (const DeletedSeries& d : out.series) {
            first = std::min(first, d.first);
            last = std::max(last, d.last);
        }
        message += " taken from " + format_utc(first) + " to " + format_utc(last);
    }
    finish_run(db, run_id, clock.now(), out.samples, message);
    transaction.commit();
    return out;
}

}  // namespace

DeleteSummary count_deletable(SQLite::Database& db, const SeriesFilter& filter) {
    // One read transaction: the count is of one state of the database.
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    compact_head_before(db, std::numeric_limits<std::int64_t>::max());  // counted as delete sees it
    return Deleter(db, filter, false).run();  // rolled back: nothing was written
}

DeleteSummary delete_samples(SQLite::Database& db, const SeriesFilter& filter,
                             const std::string& server, const Clock& clock) {
    const RunInfo run{"delete", server};
    return run_or_record_failure(db, run, clock,
                                 [&] { return delete_in_transaction(db, filter, run, clock); });
}

}  // namespace fostat
