-- Warnings before a breach: the highest warning point raised and when the next one falls due.
ALTER TABLE clocks ADD COLUMN warned_percent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD COLUMN next_warning_at TEXT NULL;
CREATE INDEX ix_clocks_running_next_warning ON clocks (next_warning_at) WHERE state = 'running' AND next_warning_at IS NOT NULL;

-- Every notice sent (or tried) to a level of a contract's escalation chain: once per clock, stage and level.
CREATE TABLE notifications (
    id TEXT NOT NULL PRIMARY KEY,
    clock_id TEXT NOT NULL,
    ticket_number TEXT NOT NULL,
    contract TEXT NOT NULL,
    clock TEXT NOT NULL,
    stage INTEGER NOT NULL,
    level TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT NULL
);

CREATE UNIQUE INDEX ux_notifications_clock_stage_level ON notifications (clock_id, stage, level);
CREATE INDEX ix_notifications_status_created ON notifications (status, created_at);
