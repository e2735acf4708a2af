-- The clocks of every ticket, and the newest ticket version each ticket's clocks reflect.
CREATE TABLE dbo.clocks (
    id uniqueidentifier NOT NULL CONSTRAINT PK_clocks PRIMARY KEY NONCLUSTERED,
    ticket_id uniqueidentifier NOT NULL,
    kind varchar(16) NOT NULL,
    sequence bigint NOT NULL,
    ticket_number nvarchar(32) NOT NULL,
    contract nvarchar(64) NOT NULL,
    ticket_kind varchar(16) NOT NULL,
    severity varchar(16) NOT NULL,
    site_code nvarchar(32) NOT NULL,
    system nvarchar(100) NOT NULL,
    reported_at datetime2 NOT NULL,
    target_seconds bigint NOT NULL,
    started_at datetime2 NOT NULL,
    deadline datetime2 NOT NULL,
    state varchar(16) NOT NULL,
    breached_at datetime2 NULL,
    stopped_at datetime2 NULL
);
GO
CREATE UNIQUE CLUSTERED INDEX UX_clocks_ticket_kind ON dbo.clocks (ticket_id, kind);
CREATE INDEX IX_clocks_ticket_number ON dbo.clocks (ticket_number);
-- The due-clock scan reads only this: running clocks by deadline.
CREATE INDEX IX_clocks_running_deadline ON dbo.clocks (deadline) INCLUDE (state) WHERE state = 'running';
GO
CREATE TABLE dbo.ticket_versions (
    ticket_id uniqueidentifier NOT NULL CONSTRAINT PK_ticket_versions PRIMARY KEY,
    version bigint NOT NULL
);
