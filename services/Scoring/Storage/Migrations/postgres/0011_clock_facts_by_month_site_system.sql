-- The p90 of a month, a site or a system walks only that part's clocks in its elapsed-time band, instead
-- of the whole contract's band: the Shanghai month of report (yyyy-MM) is kept beside the report time.
-- Shanghai is UTC+8 all year (since 1992): the month is read from the UTC time moved by eight hours, whatever
-- the session's time zone.
ALTER TABLE clock_facts ADD COLUMN report_month text NOT NULL DEFAULT '';
UPDATE clock_facts SET report_month = to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM');
CREATE INDEX ix_clock_facts_month_elapsed ON clock_facts (contract, ticket_kind, clock, report_month, elapsed_ms)
    INCLUDE (reported_at, site_code, system, severity) WHERE stopped_at IS NOT NULL;
CREATE INDEX ix_clock_facts_site_elapsed ON clock_facts (contract, ticket_kind, clock, site_code, elapsed_ms)
    INCLUDE (reported_at, system, severity) WHERE stopped_at IS NOT NULL;
CREATE INDEX ix_clock_facts_system_elapsed ON clock_facts (contract, ticket_kind, clock, system, elapsed_ms)
    INCLUDE (reported_at, site_code, severity) WHERE stopped_at IS NOT NULL;
