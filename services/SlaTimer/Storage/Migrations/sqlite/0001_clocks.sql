-- The clocks of every ticket, and the newest ticket version each ticket's clocks reflect.
CREATE TABLE clocks (
    id TEXT NOT NULL PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    ticket_number TEXT NOT NULL,
    contract TEXT NOT NULL,
    ticket_kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    site_code TEXT NOT NULL,
    system TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    target_seconds INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    deadline TEXT NOT NULL,
    state TEXT NOT NULL,
    breached_at TEXT NULL,
    stopped_at TEXT NULL
);

CREATE UNIQUE INDEX ux_clocks_ticket_kind ON clocks (ticket_id, kind);
CREATE INDEX ix_clocks_ticket_number ON clocks (ticket_number);
-- The due-clock scan reads only this: running clocks by deadline.
CREATE INDEX ix_clocks_running_deadline ON clocks (deadline) WHERE state = 'running';

CREATE TABLE ticket_versions (
    ticket_id TEXT NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL
);
