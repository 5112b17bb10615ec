-- fostat schema, version 1. See docs/storage.md for why the samples live in chunks.

-- One row per (server, scope): the identity of a time series.
CREATE TABLE series (
    id     INTEGER PRIMARY KEY,
    server TEXT NOT NULL,
    scope  TEXT NOT NULL,
    UNIQUE (server, scope)
);

-- The failover relationship as a server saw it; samples refer to it by id, so the text is
-- stored once however many samples share it.
CREATE TABLE relationships (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('load-balance', 'hot-standby')),
    role           TEXT NOT NULL,
    expected_share REAL NOT NULL CHECK (expected_share BETWEEN 0 AND 100),
    state          TEXT NOT NULL,
    source_state   TEXT NOT NULL,
    UNIQUE (name, mode, role, expected_share, state, source_state)
);

-- Raw samples of one series and one UTC day, packed by storage/chunk_codec: timestamps and
-- counters delta-encoded, NULL counters flagged, relationship ids. first_ts, last_ts and
-- samples describe the blob so that windows and counts need not decode it.
CREATE TABLE chunks (
    id        INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series (id),
    day       INTEGER NOT NULL,  -- Unix seconds of 00:00 UTC
    first_ts  INTEGER NOT NULL,
    last_ts   INTEGER NOT NULL,
    samples   INTEGER NOT NULL,
    data      BLOB NOT NULL,
    UNIQUE (series_id, day)
);

-- One row per collection run. A failed run leaves its row with status 'failed' and no samples.
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY,
    started  INTEGER NOT NULL,
    ended    INTEGER,
    source   TEXT NOT NULL,
    server   TEXT,
    rows     INTEGER NOT NULL DEFAULT 0,
    status   TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    message  TEXT
);
