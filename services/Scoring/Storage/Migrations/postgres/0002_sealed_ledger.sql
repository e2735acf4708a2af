-- The ledger becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted (nor emptied at once).
ALTER TABLE deductions ADD COLUMN chain_seq bigint NULL, ADD COLUMN prev_hash char(64) NULL, ADD COLUMN hash char(64) NULL;
CREATE UNIQUE INDEX ux_deductions_chain_seq ON deductions (chain_seq);

CREATE FUNCTION deductions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deductions is append-only';
END;
$$;

CREATE TRIGGER deductions_no_update BEFORE UPDATE OR DELETE ON deductions
    FOR EACH ROW EXECUTE FUNCTION deductions_append_only();

CREATE TRIGGER deductions_no_truncate BEFORE TRUNCATE ON deductions
    FOR EACH STATEMENT EXECUTE FUNCTION deductions_append_only();
