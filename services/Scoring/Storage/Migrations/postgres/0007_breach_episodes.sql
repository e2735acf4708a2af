-- A clock may breach, have the deduction taken back (a stop in time reached the timer late), run again after a
-- reopen and breach anew: breach entries are unique per clock and breach (the moment it breached), no longer per
-- clock. Every entry is taken back at most once, by a retraction or by a waiver, never both.
DROP INDEX ux_deductions_clock_source;
CREATE UNIQUE INDEX ux_deductions_breach_episode ON deductions (clock_id, breached_at) WHERE source = 'breach';
CREATE UNIQUE INDEX ux_deductions_compensates ON deductions (compensates) WHERE compensates IS NOT NULL;
