-- fostat schema, version 3: every address of a scope by lease state (ISC dhcpd's binding
-- states: free, active, expired, released, abandoned, reset, backup, bootp), stored beside
-- the samples of a source that knows them. See docs/storage.md and src/storage/lease_states.cpp.

-- The breakdowns of one series over one UTC day, packed like the chunks: the state names
-- once, then per sample in time order its time and each state's count as the change since
-- the sample before, so that a state that did not change takes one byte.
CREATE TABLE lease_states (
    series_id INTEGER NOT NULL REFERENCES series (id),
    day       INTEGER NOT NULL,  -- Unix seconds of 00:00 UTC
    samples   INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (series_id, day)
) WITHOUT ROWID;
