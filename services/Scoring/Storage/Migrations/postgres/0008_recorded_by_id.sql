-- The ledger names a unique identity beside the display name: the caller's token subject or API key id,
-- or service:sla-timer (null on entries recorded before).
ALTER TABLE deductions ADD COLUMN recorded_by_id text NULL;
