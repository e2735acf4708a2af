-- The clock facts are already kept in report-time order here (CX_clock_facts_contract_reported_at). What
-- the dashboard's p90 figures read besides: the stopped clocks of a contract by elapsed time.
CREATE INDEX IX_clock_facts_stopped_elapsed ON dbo.clock_facts (contract, ticket_kind, clock, elapsed_ms)
    INCLUDE (reported_at, site_code, system, severity) WHERE stopped_at IS NOT NULL;
