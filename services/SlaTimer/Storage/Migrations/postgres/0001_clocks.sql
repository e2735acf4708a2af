-- The clocks of every ticket, and the newest ticket version each ticket's clocks reflect.
CREATE TABLE clocks (
    id uuid NOT NULL PRIMARY KEY,
    ticket_id uuid NOT NULL,
    kind text NOT NULL,
    sequence bigint NOT NULL,
    ticket_number text NOT NULL,
    contract text NOT NULL,
    ticket_kind text NOT NULL,
    severity text NOT NULL,
    site_code text NOT NULL,
    system text NOT NULL,
    reported_at timestamptz NOT NULL,
    target_seconds bigint NOT NULL,
    started_at timestamptz NOT NULL,
    deadline timestamptz NOT NULL,
    state text NOT NULL,
    breached_at timestamptz NULL,
    stopped_at timestamptz NULL
);

CREATE UNIQUE INDEX ux_clocks_ticket_kind ON clocks (ticket_id, kind);
CREATE INDEX ix_clocks_ticket_number ON clocks (ticket_number);
-- The due-clock scan reads only this: running clocks by deadline.
CREATE INDEX ix_clocks_running_deadline ON clocks (deadline) WHERE state = 'running';

CREATE TABLE ticket_versions (
    ticket_id uuid NOT NULL PRIMARY KEY,
    version bigint NOT NULL
);
