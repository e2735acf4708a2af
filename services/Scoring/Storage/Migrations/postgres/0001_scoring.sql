-- The compliance read model (every SLA clock as last heard of) and the append-only deduction ledger.
-- Codes and numbers compare as SQLite compares them, by code point (COLLATE "C"), whatever the database's locale,
-- so that a report lists the same tickets in the same order on either store.
CREATE TABLE clock_facts (
    clock_id uuid NOT NULL PRIMARY KEY,
    sequence bigint NOT NULL,
    ticket_id uuid NOT NULL,
    ticket_number text COLLATE "C" NOT NULL,
    contract text COLLATE "C" NOT NULL,
    clock text NOT NULL,
    ticket_kind text NOT NULL,
    severity text NOT NULL,
    site_code text COLLATE "C" NOT NULL,
    system text COLLATE "C" NOT NULL,
    reported_at timestamptz NOT NULL,
    target_seconds bigint NOT NULL,
    started_at timestamptz NOT NULL,
    deadline timestamptz NOT NULL,
    state text NOT NULL,
    breached_at timestamptz NULL,
    stopped_at timestamptz NULL,
    elapsed_ms bigint NULL
);
CREATE INDEX ix_clock_facts_contract_reported_at ON clock_facts (contract, reported_at);

CREATE TABLE deductions (
    entry_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id uuid NOT NULL,
    contract text COLLATE "C" NOT NULL,
    item integer NOT NULL,
    points_hundredths integer NOT NULL,
    source text NOT NULL,
    reason text NOT NULL,
    clock_id uuid NULL,
    ticket_id uuid NULL,
    ticket_number text COLLATE "C" NULL,
    clock text NULL,
    deadline timestamptz NULL,
    breached_at timestamptz NULL,
    compensates uuid NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL
);
CREATE UNIQUE INDEX ux_deductions_id ON deductions (id);
-- One breach deduction, and at most one entry of each other kind, per clock: a repeated event adds nothing.
CREATE UNIQUE INDEX ux_deductions_clock_source ON deductions (clock_id, source) WHERE clock_id IS NOT NULL;
CREATE INDEX ix_deductions_contract_occurred_at ON deductions (contract, occurred_at) INCLUDE (item, points_hundredths);
