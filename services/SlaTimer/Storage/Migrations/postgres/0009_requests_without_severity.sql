-- A service request has no severity (it has a grade): '' where the column needs a value.
UPDATE clocks SET severity = '' WHERE ticket_kind = 'request';
