-- fostat schema, version 4: the head, where a live run appends its few samples per series
-- instead of rewriting each series' chunk of the day. See docs/storage.md ("The head") and
-- src/storage/head.cpp.

-- Each series belongs to a head group: up to 256 series of one server, numbered by slot.
-- A run writes one head row per group and day it brings samples of, so that a run of 20,000
-- series writes about 80 rows at the end of the table rather than touching 20,000 chunks.
ALTER TABLE series ADD COLUMN head_group INTEGER;
ALTER TABLE series ADD COLUMN head_slot INTEGER;

WITH numbered AS (
    SELECT id,
           dense_rank() OVER (ORDER BY server) AS server_rank,
           row_number() OVER (PARTITION BY server ORDER BY id) - 1 AS n
    FROM series
)
UPDATE series
SET head_group = (SELECT server_rank * 1000000 + n / 256 FROM numbered WHERE numbered.id = series.id),
    head_slot = (SELECT n % 256 FROM numbered WHERE numbered.id = series.id);

CREATE INDEX series_by_head_group ON series (head_group, head_slot);

-- The samples one run brought of one head group and one UTC day, not yet compacted into the
-- chunks: per slot, that series' samples packed like a chunk (storage/chunk_codec) and its
-- lease-state breakdowns (storage/lease_states), behind a directory of slots. The rows of a
-- group and day follow each other in time: every sample of a row is later than every sample
-- of the rows before it and than the stored chunks of the group's series on that day.
-- first_ts, last_ts and samples describe the row. A later run compacts a day's rows into
-- the chunks, with rollups, once the group has samples of a later day.
CREATE TABLE head (
    id           INTEGER PRIMARY KEY,
    series_group INTEGER NOT NULL,
    day          INTEGER NOT NULL,  -- Unix seconds of 00:00 UTC
    first_ts     INTEGER NOT NULL,
    last_ts      INTEGER NOT NULL,
    samples      INTEGER NOT NULL,
    data         BLOB NOT NULL
);

CREATE INDEX head_by_group_day ON head (series_group, day, id);
