-- Every generated SLA report, kept as evidence: its figures, its workbook and the workbook's SHA-256, sealed into
-- the reports chain. A report is never changed or deleted: figures corrected later make a new version.
CREATE TABLE reports (
    id TEXT NOT NULL PRIMARY KEY,
    contract TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    site_code TEXT NOT NULL,
    version INTEGER NOT NULL,
    in_progress INTEGER NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    as_of TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    generated_by TEXT NOT NULL,
    generated_by_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    figures TEXT NOT NULL,
    workbook BLOB NOT NULL,
    chain_seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- One report per version of a period: two instances generating the same version store it once.
CREATE UNIQUE INDEX ux_reports_version ON reports (contract, kind, period, site_code, version);
CREATE INDEX ix_reports_sha256 ON reports (sha256);
CREATE UNIQUE INDEX ux_reports_chain_seq ON reports (chain_seq);

CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN
    SELECT RAISE(ABORT, 'reports is append-only');
END;

CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN
    SELECT RAISE(ABORT, 'reports is append-only');
END;
