-- Every WeCom card press that acknowledged a ticket: a press delivered again, or a second press for the same
-- ticket, is refused and changes nothing.
CREATE TABLE wecom_presses (
    event_id text NOT NULL PRIMARY KEY,
    contract text NOT NULL,
    ticket_id uuid NOT NULL,
    wecom_user text NOT NULL,
    engineer_id text NOT NULL,
    pressed_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_wecom_presses_ticket ON wecom_presses (ticket_id);
