-- Every generated SLA report, kept as evidence: its figures, its workbook and the workbook's SHA-256, sealed into
-- the reports chain. A report is never changed or deleted: figures corrected later make a new version.
CREATE TABLE reports (
    id uuid NOT NULL PRIMARY KEY,
    contract text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    period text NOT NULL,
    site_code text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    in_progress boolean NOT NULL,
    period_from timestamptz NOT NULL,
    period_to timestamptz NOT NULL,
    as_of timestamptz NOT NULL,
    generated_at timestamptz NOT NULL,
    generated_by text NOT NULL,
    generated_by_id text NOT NULL,
    sha256 char(64) NOT NULL,
    bytes bigint NOT NULL,
    figures text NOT NULL,
    workbook bytea NOT NULL,
    chain_seq bigint NOT NULL,
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL
);

-- One report per version of a period: two instances generating the same version store it once.
CREATE UNIQUE INDEX ux_reports_version ON reports (contract, kind, period, site_code, version);
CREATE INDEX ix_reports_sha256 ON reports (sha256);
CREATE UNIQUE INDEX ux_reports_chain_seq ON reports (chain_seq);

CREATE FUNCTION reports_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reports is append-only';
END;
$$;

CREATE TRIGGER reports_no_update BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_append_only();

CREATE TRIGGER reports_no_truncate BEFORE TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION reports_append_only();
