-- Reopened tickets: how often, and how long they spent resolved before (excluded from the repair clock).
ALTER TABLE tickets ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN time_resolved_ms INTEGER NOT NULL DEFAULT 0;
