-- Pauses: one an engineer asked for and no manager decided yet, the current one, and those that ended (JSON).
ALTER TABLE dbo.tickets ADD
    pause_requested_at datetime2 NULL,
    pause_requested_by nvarchar(100) NULL,
    pause_reason nvarchar(200) NULL,
    paused_at datetime2 NULL,
    pauses nvarchar(max) NOT NULL CONSTRAINT DF_tickets_pauses DEFAULT '[]';
