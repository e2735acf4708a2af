-- The compliance read model (every SLA clock as last heard of) and the append-only deduction ledger.
CREATE TABLE clock_facts (
    clock_id TEXT NOT NULL PRIMARY KEY,
    sequence INTEGER NOT NULL,
    ticket_id TEXT NOT NULL,
    ticket_number TEXT NOT NULL,
    contract TEXT NOT NULL,
    clock TEXT NOT NULL,
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
    stopped_at TEXT NULL,
    elapsed_ms INTEGER NULL
);

CREATE INDEX ix_clock_facts_contract_reported_at ON clock_facts (contract, reported_at);

CREATE TABLE deductions (
    entry_no INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    contract TEXT NOT NULL,
    item INTEGER NOT NULL,
    points_hundredths INTEGER NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    clock_id TEXT NULL,
    ticket_id TEXT NULL,
    ticket_number TEXT NULL,
    clock TEXT NULL,
    deadline TEXT NULL,
    breached_at TEXT NULL,
    compensates TEXT NULL,
    occurred_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE UNIQUE INDEX ux_deductions_id ON deductions (id);
-- One breach deduction, and at most one entry of each other kind, per clock: a repeated event adds nothing.
CREATE UNIQUE INDEX ux_deductions_clock_source ON deductions (clock_id, source) WHERE clock_id IS NOT NULL;
CREATE INDEX ix_deductions_contract_occurred_at ON deductions (contract, occurred_at);
