-- The p90 of a month, a site or a system walks only that part's clocks in its elapsed-time band, instead
-- of the whole contract's band: the Shanghai month of report (yyyy-MM) is kept beside the report time.
ALTER TABLE clock_facts ADD COLUMN report_month TEXT NOT NULL DEFAULT '';
UPDATE clock_facts SET report_month = strftime('%Y-%m', reported_at, '+8 hours');
CREATE INDEX ix_clock_facts_month_elapsed ON clock_facts (contract, ticket_kind, clock, report_month, elapsed_ms, reported_at, site_code, system, severity);
CREATE INDEX ix_clock_facts_site_elapsed ON clock_facts (contract, ticket_kind, clock, site_code, elapsed_ms, reported_at, system, severity);
CREATE INDEX ix_clock_facts_system_elapsed ON clock_facts (contract, ticket_kind, clock, system, elapsed_ms, reported_at, site_code, severity);
