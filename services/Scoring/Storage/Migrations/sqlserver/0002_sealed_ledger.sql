-- The ledger becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted.
ALTER TABLE dbo.deductions ADD chain_seq bigint NULL, prev_hash char(64) NULL, hash char(64) NULL;
GO
CREATE UNIQUE INDEX UX_deductions_chain_seq ON dbo.deductions (chain_seq) WHERE chain_seq IS NOT NULL;
GO
CREATE TRIGGER dbo.TR_deductions_append_only ON dbo.deductions AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'deductions is append-only', 1;
END;
