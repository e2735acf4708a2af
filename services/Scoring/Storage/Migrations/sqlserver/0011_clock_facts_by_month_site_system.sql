-- The p90 of a month, a site or a system walks only that part's clocks in its elapsed-time band, instead
-- of the whole contract's band: the Shanghai month of report (yyyy-MM) is kept beside the report time.
ALTER TABLE dbo.clock_facts ADD report_month nchar(7) NOT NULL CONSTRAINT DF_clock_facts_report_month DEFAULT N'';
GO
UPDATE dbo.clock_facts SET report_month = CONVERT(nchar(7), DATEADD(hour, 8, reported_at), 126);
GO
CREATE INDEX IX_clock_facts_month_elapsed ON dbo.clock_facts (contract, ticket_kind, clock, report_month, elapsed_ms)
    INCLUDE (reported_at, site_code, system, severity) WHERE stopped_at IS NOT NULL;
CREATE INDEX IX_clock_facts_site_elapsed ON dbo.clock_facts (contract, ticket_kind, clock, site_code, elapsed_ms)
    INCLUDE (reported_at, system, severity) WHERE stopped_at IS NOT NULL;
CREATE INDEX IX_clock_facts_system_elapsed ON dbo.clock_facts (contract, ticket_kind, clock, system, elapsed_ms)
    INCLUDE (reported_at, site_code, severity) WHERE stopped_at IS NOT NULL;
