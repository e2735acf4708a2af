-- How often each fault was reopened, for the dashboard.
ALTER TABLE dbo.clock_facts ADD reopens int NOT NULL CONSTRAINT DF_clock_facts_reopens DEFAULT 0;
