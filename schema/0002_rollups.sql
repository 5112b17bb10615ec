-- fostat schema, version 2: rollups, so that a year-long trend reads a row a day instead of
-- every sample, and raw samples can be pruned (fostat-collect prune) while the aggregates
-- stay. See docs/storage.md and src/storage/rollups.cpp.

-- The aggregates of one series over one UTC day: one bucket for the whole day and one for
-- each hour that has samples. Per bucket, for each counter: min, max, exact sum, count of
-- non-NULL values, and the value at the bucket's last sample; the number of samples, first
-- and last timestamp; and utilization (addr_in_use / num_addr, percent) min, max, sum and
-- count, summed in time order. The buckets are packed (src/storage/rollups.cpp) rather than
-- a row of 40 columns per hour: such rows measured 14.3 bytes per raw sample on their own,
-- which with the chunks would exceed the 24 bytes a sample of docs/design.md § Performance.
-- The collector rewrites a day's row in the run that writes samples of that day, from the
-- day's whole chunk, so the row always agrees with the raw samples while they exist.
-- first_ts, last_ts and samples describe the day so that windows need not decode it.
CREATE TABLE rollups (
    id            INTEGER PRIMARY KEY,
    series_id     INTEGER NOT NULL REFERENCES series (id),
    day           INTEGER NOT NULL,  -- Unix seconds of 00:00 UTC
    first_ts      INTEGER NOT NULL,
    last_ts       INTEGER NOT NULL,
    samples       INTEGER NOT NULL,
    daily         BLOB NOT NULL,
    hourly        BLOB,              -- NULL once prune removed the hourly buckets
    raw_pruned_by INTEGER REFERENCES runs (id),  -- the prune run that removed the day's chunk
    UNIQUE (series_id, day)
);

-- Days whose chunk has no rollup yet: every day stored before this migration. The collector
-- computes them in its next run (or prune) and empties this table.
CREATE TABLE rollup_backlog (
    series_id INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    PRIMARY KEY (series_id, day)
) WITHOUT ROWID;

INSERT INTO rollup_backlog (series_id, day) SELECT series_id, day FROM chunks;
