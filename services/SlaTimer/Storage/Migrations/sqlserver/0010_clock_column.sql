-- Which clock (response, repair, completion) is `clock` everywhere: in the API, the events and scoring's tables.
-- `kind` is only ever a ticket's kind.
EXEC sp_rename 'dbo.clocks.kind', 'clock', 'COLUMN';
EXEC sp_rename 'dbo.clocks.UX_clocks_ticket_kind', 'UX_clocks_ticket_clock', 'INDEX';
EXEC sp_rename 'dbo.clock_outcomes.kind', 'clock', 'COLUMN';
