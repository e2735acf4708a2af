-- How often each fault was reopened, for the dashboard.
ALTER TABLE clock_facts ADD COLUMN reopens integer NOT NULL DEFAULT 0;
