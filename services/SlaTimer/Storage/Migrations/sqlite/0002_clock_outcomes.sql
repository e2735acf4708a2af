-- What became of each clock (breached, met, late): append-only evidence, hash-chained.
CREATE TABLE clock_outcomes (
    chain_seq INTEGER NULL,
    clock_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    ticket_id TEXT NOT NULL,
    ticket_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    deadline TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    prev_hash TEXT NULL,
    hash TEXT NULL
);

CREATE UNIQUE INDEX ux_clock_outcomes_chain_seq ON clock_outcomes (chain_seq);
CREATE INDEX ix_clock_outcomes_clock ON clock_outcomes (clock_id);

CREATE TRIGGER clock_outcomes_no_update BEFORE UPDATE ON clock_outcomes
BEGIN
    SELECT RAISE(ABORT, 'clock_outcomes is append-only');
END;

CREATE TRIGGER clock_outcomes_no_delete BEFORE DELETE ON clock_outcomes
BEGIN
    SELECT RAISE(ABORT, 'clock_outcomes is append-only');
END;
