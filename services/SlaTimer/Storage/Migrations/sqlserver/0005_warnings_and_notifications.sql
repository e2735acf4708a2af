-- Warnings before a breach: the highest warning point raised and when the next one falls due.
ALTER TABLE dbo.clocks ADD
    warned_percent int NOT NULL CONSTRAINT DF_clocks_warned_percent DEFAULT 0,
    next_warning_at datetime2 NULL;
GO
CREATE INDEX IX_clocks_running_next_warning ON dbo.clocks (next_warning_at) INCLUDE (state) WHERE state = 'running' AND next_warning_at IS NOT NULL;
GO
-- Every notice sent (or tried) to a level of a contract's escalation chain: once per clock, stage and level.
CREATE TABLE dbo.notifications (
    id uniqueidentifier NOT NULL CONSTRAINT PK_notifications PRIMARY KEY NONCLUSTERED,
    clock_id uniqueidentifier NOT NULL,
    ticket_number nvarchar(32) NOT NULL,
    contract nvarchar(64) NOT NULL,
    clock varchar(16) NOT NULL,
    stage int NOT NULL,
    level nvarchar(100) NOT NULL,
    channel varchar(16) NOT NULL,
    status varchar(16) NOT NULL,
    attempts int NOT NULL,
    error nvarchar(1000) NULL,
    created_at datetime2 NOT NULL,
    finished_at datetime2 NULL
);
GO
CREATE UNIQUE INDEX UX_notifications_clock_stage_level ON dbo.notifications (clock_id, stage, level);
GO
CREATE INDEX IX_notifications_status_created ON dbo.notifications (status, created_at);
