-- Warnings before a breach: the highest warning point raised and when the next one falls due.
ALTER TABLE clocks
    ADD COLUMN warned_percent integer NOT NULL DEFAULT 0,
    ADD COLUMN next_warning_at timestamptz NULL;
CREATE INDEX ix_clocks_running_next_warning ON clocks (next_warning_at) WHERE state = 'running' AND next_warning_at IS NOT NULL;

-- Every notice sent (or tried) to a level of a contract's escalation chain: once per clock, stage and level.
CREATE TABLE notifications (
    id uuid NOT NULL PRIMARY KEY,
    clock_id uuid NOT NULL,
    ticket_number text NOT NULL,
    contract text NOT NULL,
    clock text NOT NULL,
    stage integer NOT NULL,
    level text NOT NULL,
    channel text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    error text NULL,
    created_at timestamptz NOT NULL,
    finished_at timestamptz NULL
);

CREATE UNIQUE INDEX ux_notifications_clock_stage_level ON notifications (clock_id, stage, level);
CREATE INDEX ix_notifications_status_created ON notifications (status, created_at);
