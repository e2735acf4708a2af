-- Faults and requests, their timeline, intake idempotency keys and the daily ticket number counters.
CREATE TABLE tickets (
    id uuid NOT NULL PRIMARY KEY,
    number text NOT NULL,
    version bigint NOT NULL,
    contract text NOT NULL,
    kind text NOT NULL,
    severity text NOT NULL,
    status text NOT NULL,
    channel text NOT NULL,
    site_code text NOT NULL,
    system text NOT NULL,
    title text NOT NULL,
    description text NULL,
    reporter_name text NOT NULL,
    reporter_phone text NOT NULL,
    reported_at timestamptz NOT NULL,
    acknowledged_at timestamptz NULL,
    acknowledged_by text NULL,
    resolved_at timestamptz NULL,
    resolved_by text NULL,
    resolution text NULL,
    external_ref text NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_tickets_number ON tickets (number);
CREATE INDEX ix_tickets_reported_at ON tickets (reported_at);
CREATE INDEX ix_tickets_status_reported_at ON tickets (status, reported_at);
CREATE INDEX ix_tickets_site_reported_at ON tickets (site_code, reported_at);

CREATE TABLE ticket_timeline (
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    version bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    detail text NULL,
    PRIMARY KEY (ticket_id, version)
);

CREATE TABLE idempotency_keys (
    idempotency_key text NOT NULL PRIMARY KEY,
    fingerprint text NOT NULL,
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    created_at timestamptz NOT NULL
);

CREATE TABLE ticket_numbers (
    prefix text NOT NULL PRIMARY KEY,
    last_number integer NOT NULL
);
