-- Time that does not count against a clock (a reopened ticket's time resolved), and how often its ticket was reopened.
ALTER TABLE clocks
    ADD COLUMN excluded_ms bigint NOT NULL DEFAULT 0,
    ADD COLUMN reopens integer NOT NULL DEFAULT 0;
