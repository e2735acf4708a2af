-- Faults and requests, their timeline, intake idempotency keys and the daily ticket number counters.
CREATE TABLE dbo.tickets (
    id uniqueidentifier NOT NULL CONSTRAINT PK_tickets PRIMARY KEY NONCLUSTERED,
    number nvarchar(32) NOT NULL,
    version bigint NOT NULL,
    contract nvarchar(64) NOT NULL,
    kind varchar(16) NOT NULL,
    severity varchar(16) NOT NULL,
    status varchar(16) NOT NULL,
    channel varchar(16) NOT NULL,
    site_code nvarchar(32) NOT NULL,
    system nvarchar(100) NOT NULL,
    title nvarchar(200) NOT NULL,
    description nvarchar(4000) NULL,
    reporter_name nvarchar(50) NOT NULL,
    reporter_phone varchar(20) NOT NULL,
    reported_at datetime2 NOT NULL,
    acknowledged_at datetime2 NULL,
    acknowledged_by nvarchar(100) NULL,
    resolved_at datetime2 NULL,
    resolved_by nvarchar(100) NULL,
    resolution nvarchar(4000) NULL,
    external_ref nvarchar(100) NULL,
    created_at datetime2 NOT NULL,
    updated_at datetime2 NOT NULL
);
GO
CREATE CLUSTERED INDEX CX_tickets_reported_at ON dbo.tickets (reported_at);
CREATE UNIQUE INDEX UX_tickets_number ON dbo.tickets (number);
CREATE INDEX IX_tickets_status_reported_at ON dbo.tickets (status, reported_at);
CREATE INDEX IX_tickets_site_reported_at ON dbo.tickets (site_code, reported_at);
GO
CREATE TABLE dbo.ticket_timeline (
    ticket_id uniqueidentifier NOT NULL CONSTRAINT FK_ticket_timeline_tickets REFERENCES dbo.tickets (id),
    version bigint NOT NULL,
    occurred_at datetime2 NOT NULL,
    action varchar(32) NOT NULL,
    actor nvarchar(100) NOT NULL,
    detail nvarchar(4000) NULL,
    CONSTRAINT PK_ticket_timeline PRIMARY KEY (ticket_id, version)
);
GO
CREATE TABLE dbo.idempotency_keys (
    idempotency_key nvarchar(300) NOT NULL CONSTRAINT PK_idempotency_keys PRIMARY KEY,
    fingerprint char(64) NOT NULL,
    ticket_id uniqueidentifier NOT NULL CONSTRAINT FK_idempotency_keys_tickets REFERENCES dbo.tickets (id),
    created_at datetime2 NOT NULL
);
GO
CREATE TABLE dbo.ticket_numbers (
    prefix varchar(16) NOT NULL CONSTRAINT PK_ticket_numbers PRIMARY KEY,
    last_number int NOT NULL
);
