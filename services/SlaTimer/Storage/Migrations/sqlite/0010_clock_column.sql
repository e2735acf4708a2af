-- Which clock (response, repair, completion) is `clock` everywhere: in the API, the events and scoring's tables.
-- `kind` is only ever a ticket's kind.
ALTER TABLE clocks RENAME COLUMN kind TO clock;
DROP INDEX ux_clocks_ticket_kind;
CREATE UNIQUE INDEX ux_clocks_ticket_clock ON clocks (ticket_id, clock);
ALTER TABLE clock_outcomes RENAME COLUMN kind TO clock;
