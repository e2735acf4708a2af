-- Every WeCom card press that acknowledged a ticket: a press delivered again, or a second press for the same
-- ticket, is refused and changes nothing.
CREATE TABLE dbo.wecom_presses (
    event_id varchar(64) NOT NULL CONSTRAINT PK_wecom_presses PRIMARY KEY,
    contract nvarchar(64) NOT NULL,
    ticket_id uniqueidentifier NOT NULL,
    wecom_user nvarchar(64) NOT NULL,
    engineer_id nvarchar(100) NOT NULL,
    pressed_at datetime2 NOT NULL
);
GO
CREATE UNIQUE INDEX UX_wecom_presses_ticket ON dbo.wecom_presses (ticket_id);
