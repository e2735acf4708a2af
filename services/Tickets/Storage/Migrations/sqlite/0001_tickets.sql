-- Faults and requests, their timeline, intake idempotency keys and the daily ticket number counters.
CREATE TABLE tickets (
    id TEXT NOT NULL PRIMARY KEY,
    number TEXT NOT NULL,
    version INTEGER NOT NULL,
    contract TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    site_code TEXT NOT NULL,
    system TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NULL,
    reporter_name TEXT NOT NULL,
    reporter_phone TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    acknowledged_at TEXT NULL,
    acknowledged_by TEXT NULL,
    resolved_at TEXT NULL,
    resolved_by TEXT NULL,
    resolution TEXT NULL,
    external_ref TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_tickets_number ON tickets (number);
CREATE INDEX ix_tickets_reported_at ON tickets (reported_at);
CREATE INDEX ix_tickets_status_reported_at ON tickets (status, reported_at);
CREATE INDEX ix_tickets_site_reported_at ON tickets (site_code, reported_at);

CREATE TABLE ticket_timeline (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    version INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT NULL,
    PRIMARY KEY (ticket_id, version)
);

CREATE TABLE idempotency_keys (
    idempotency_key TEXT NOT NULL PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    created_at TEXT NOT NULL
);

CREATE TABLE ticket_numbers (
    prefix TEXT NOT NULL PRIMARY KEY,
    last_number INTEGER NOT NULL
);
