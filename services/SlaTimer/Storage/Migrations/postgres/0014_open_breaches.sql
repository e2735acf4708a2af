-- The tickets still overdue (the dashboard's list of open breaches), earliest deadline first, without
-- reading every clock that ever breached.
CREATE INDEX ix_clocks_open_breached_deadline ON clocks (deadline) WHERE state = 'breached' AND stopped_at IS NULL;
