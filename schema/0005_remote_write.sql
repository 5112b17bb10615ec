-- fostat schema, version 5: fostat-collect --remote-write. How far each endpoint has been sent
-- each server's samples (docs/metrics.md, "Pushed after each run"), and what each run's push
-- did. See src/storage/remote_write.cpp.

-- One row per endpoint (its URL) and server: the newest sample time sent, and the oldest time
-- of a sample not sent yet (NULL when none waits). A run sends its own samples newer than
-- sent_through; where unsent_from is set, it first sends every stored sample of the server
-- from that time on, in time order, so that a receiver that was down gets what it missed.
CREATE TABLE remote_write (
    endpoint     TEXT NOT NULL,
    server       TEXT NOT NULL,
    sent_through INTEGER,
    unsent_from  INTEGER,
    PRIMARY KEY (endpoint, server)
) WITHOUT ROWID;

-- What the push after a run did: the metric samples sent, the requests that failed (each
-- attempt counts), and the last failure's message. NULL for a run without --remote-write.
ALTER TABLE runs ADD COLUMN pushed INTEGER;
ALTER TABLE runs ADD COLUMN push_failures INTEGER;
ALTER TABLE runs ADD COLUMN push_message TEXT;
