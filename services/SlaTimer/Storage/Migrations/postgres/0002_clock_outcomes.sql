-- What became of each clock (breached, met, late): append-only evidence, hash-chained.
CREATE TABLE clock_outcomes (
    chain_seq bigint NULL,
    clock_id uuid NOT NULL,
    sequence bigint NOT NULL,
    ticket_id uuid NOT NULL,
    ticket_number text NOT NULL,
    kind text NOT NULL,
    outcome text NOT NULL,
    deadline timestamptz NOT NULL,
    occurred_at timestamptz NOT NULL,
    prev_hash char(64) NULL,
    hash char(64) NULL
);

CREATE UNIQUE INDEX ux_clock_outcomes_chain_seq ON clock_outcomes (chain_seq);
CREATE INDEX ix_clock_outcomes_clock ON clock_outcomes (clock_id);

CREATE FUNCTION clock_outcomes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'clock_outcomes is append-only';
END;
$$;

CREATE TRIGGER clock_outcomes_no_update BEFORE UPDATE ON clock_outcomes
    FOR EACH ROW EXECUTE FUNCTION clock_outcomes_append_only();

CREATE TRIGGER clock_outcomes_no_delete BEFORE DELETE ON clock_outcomes
    FOR EACH ROW EXECUTE FUNCTION clock_outcomes_append_only();
