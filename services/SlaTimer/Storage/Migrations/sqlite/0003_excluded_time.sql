-- Time that does not count against a clock (a reopened ticket's time resolved), and how often its ticket was reopened.
ALTER TABLE clocks ADD COLUMN excluded_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;
