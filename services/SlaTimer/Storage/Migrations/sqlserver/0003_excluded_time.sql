-- Time that does not count against a clock (a reopened ticket's time resolved), and how often its ticket was reopened.
ALTER TABLE dbo.clocks ADD
    excluded_ms bigint NOT NULL CONSTRAINT DF_clocks_excluded_ms DEFAULT 0,
    reopens int NOT NULL CONSTRAINT DF_clocks_reopens DEFAULT 0;
