-- Every generated SLA report, kept as evidence: its figures, its workbook and the workbook's SHA-256, sealed into
-- the reports chain. A report is never changed or deleted: figures corrected later make a new version.
CREATE TABLE dbo.reports (
    id uniqueidentifier NOT NULL CONSTRAINT PK_reports PRIMARY KEY NONCLUSTERED,
    contract nvarchar(64) NOT NULL,
    kind varchar(16) NOT NULL,
    period varchar(16) NOT NULL,
    site_code nvarchar(32) NOT NULL,
    version int NOT NULL,
    in_progress bit NOT NULL,
    period_from datetime2 NOT NULL,
    period_to datetime2 NOT NULL,
    as_of datetime2 NOT NULL,
    generated_at datetime2 NOT NULL,
    generated_by nvarchar(100) NOT NULL,
    generated_by_id nvarchar(200) NOT NULL,
    sha256 char(64) NOT NULL,
    bytes bigint NOT NULL,
    figures nvarchar(max) NOT NULL,
    workbook varbinary(max) NOT NULL,
    chain_seq bigint NOT NULL,
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL
);
GO
-- One report per version of a period: two instances generating the same version store it once.
CREATE UNIQUE CLUSTERED INDEX UX_reports_version ON dbo.reports (contract, kind, period, site_code, version);
CREATE INDEX IX_reports_sha256 ON dbo.reports (sha256);
CREATE UNIQUE INDEX UX_reports_chain_seq ON dbo.reports (chain_seq);
GO
CREATE TRIGGER dbo.TR_reports_append_only ON dbo.reports AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'reports is append-only', 1;
END;
