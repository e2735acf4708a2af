-- What became of each clock (breached, met, late): append-only evidence, hash-chained.
CREATE TABLE dbo.clock_outcomes (
    chain_seq bigint NULL,
    clock_id uniqueidentifier NOT NULL,
    sequence bigint NOT NULL,
    ticket_id uniqueidentifier NOT NULL,
    ticket_number nvarchar(32) NOT NULL,
    kind varchar(16) NOT NULL,
    outcome varchar(16) NOT NULL,
    deadline datetime2 NOT NULL,
    occurred_at datetime2 NOT NULL,
    prev_hash char(64) NULL,
    hash char(64) NULL
);
GO
CREATE UNIQUE CLUSTERED INDEX UX_clock_outcomes_chain_seq ON dbo.clock_outcomes (chain_seq);
GO
CREATE INDEX IX_clock_outcomes_clock ON dbo.clock_outcomes (clock_id);
GO
CREATE TRIGGER dbo.TR_clock_outcomes_append_only ON dbo.clock_outcomes AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'clock_outcomes is append-only', 1;
END;
