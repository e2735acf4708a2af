-- The ledger becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted.
ALTER TABLE deductions ADD COLUMN chain_seq INTEGER NULL;
ALTER TABLE deductions ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE deductions ADD COLUMN hash TEXT NULL;
CREATE UNIQUE INDEX ux_deductions_chain_seq ON deductions (chain_seq);

CREATE TRIGGER deductions_no_update BEFORE UPDATE ON deductions
BEGIN
    SELECT RAISE(ABORT, 'deductions is append-only');
END;

CREATE TRIGGER deductions_no_delete BEFORE DELETE ON deductions
BEGIN
    SELECT RAISE(ABORT, 'deductions is append-only');
END;
