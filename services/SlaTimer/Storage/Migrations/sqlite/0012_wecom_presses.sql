-- Every WeCom card press that acknowledged a ticket: a press delivered again, or a second press for the same
-- ticket, is refused and changes nothing.
CREATE TABLE wecom_presses (
    event_id TEXT NOT NULL PRIMARY KEY,
    contract TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    wecom_user TEXT NOT NULL,
    engineer_id TEXT NOT NULL,
    pressed_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_wecom_presses_ticket ON wecom_presses (ticket_id);
