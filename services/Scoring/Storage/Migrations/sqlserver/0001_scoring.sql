-- The compliance read model (every SLA clock as last heard of) and the append-only deduction ledger.
CREATE TABLE dbo.clock_facts (
    clock_id uniqueidentifier NOT NULL CONSTRAINT PK_clock_facts PRIMARY KEY NONCLUSTERED,
    sequence bigint NOT NULL,
    ticket_id uniqueidentifier NOT NULL,
    ticket_number nvarchar(32) NOT NULL,
    contract nvarchar(64) NOT NULL,
    clock varchar(16) NOT NULL,
    ticket_kind varchar(16) NOT NULL,
    severity varchar(16) NOT NULL,
    site_code nvarchar(32) NOT NULL,
    system nvarchar(100) NOT NULL,
    reported_at datetime2 NOT NULL,
    target_seconds bigint NOT NULL,
    started_at datetime2 NOT NULL,
    deadline datetime2 NOT NULL,
    state varchar(16) NOT NULL,
    breached_at datetime2 NULL,
    stopped_at datetime2 NULL,
    elapsed_ms bigint NULL
);
GO
CREATE CLUSTERED INDEX CX_clock_facts_contract_reported_at ON dbo.clock_facts (contract, reported_at);
GO
CREATE TABLE dbo.deductions (
    entry_no bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_deductions PRIMARY KEY,
    id uniqueidentifier NOT NULL,
    contract nvarchar(64) NOT NULL,
    item int NOT NULL,
    points_hundredths int NOT NULL,
    source varchar(16) NOT NULL,
    reason nvarchar(1000) NOT NULL,
    clock_id uniqueidentifier NULL,
    ticket_id uniqueidentifier NULL,
    ticket_number nvarchar(32) NULL,
    clock varchar(16) NULL,
    deadline datetime2 NULL,
    breached_at datetime2 NULL,
    compensates uniqueidentifier NULL,
    occurred_at datetime2 NOT NULL,
    recorded_at datetime2 NOT NULL,
    recorded_by nvarchar(100) NOT NULL
);
GO
CREATE UNIQUE INDEX UX_deductions_id ON dbo.deductions (id);
-- One breach deduction, and at most one entry of each other kind, per clock: a repeated event adds nothing.
CREATE UNIQUE INDEX UX_deductions_clock_source ON dbo.deductions (clock_id, source) WHERE clock_id IS NOT NULL;
CREATE INDEX IX_deductions_contract_occurred_at ON dbo.deductions (contract, occurred_at) INCLUDE (item, points_hundredths);
