-- A service request has no severity (it has a grade): '' where the columns need a value, so that a severity
-- filter counts faults only. A request's clocks never had another severity than general, so no roll-up row merges.
UPDATE clock_facts SET severity = '' WHERE ticket_kind = 'request';
UPDATE clock_rollups SET severity = '' WHERE ticket_kind = 'request';
