-- The dashboard reads the clock facts of a period by ix_clock_facts_contract_reported_at. What the dashboard's
-- p90 figures read besides: the stopped clocks of a contract by elapsed time.
CREATE INDEX ix_clock_facts_stopped_elapsed ON clock_facts (contract, ticket_kind, clock, elapsed_ms)
    INCLUDE (reported_at, site_code, system, severity) WHERE stopped_at IS NOT NULL;
