-- Reopened tickets: how often, and how long they spent resolved before (excluded from the repair clock).
ALTER TABLE tickets ADD COLUMN reopens integer NOT NULL DEFAULT 0, ADD COLUMN time_resolved_ms bigint NOT NULL DEFAULT 0;
