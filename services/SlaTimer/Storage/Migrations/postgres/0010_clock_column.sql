-- Which clock (response, repair, completion) is `clock` everywhere: in the API, the events and scoring's tables.
-- `kind` is only ever a ticket's kind.
ALTER TABLE clocks RENAME COLUMN kind TO clock;
ALTER INDEX ux_clocks_ticket_kind RENAME TO ux_clocks_ticket_clock;
ALTER TABLE clock_outcomes RENAME COLUMN kind TO clock;
