-- Events waiting to be published: written in the same transaction as the change that caused them.
CREATE TABLE dbo.outbox_messages (
    id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_outbox_messages PRIMARY KEY,
    message_id uniqueidentifier NOT NULL,
    message_type nvarchar(300) NOT NULL,
    body nvarchar(max) NOT NULL,
    created_at datetime2 NOT NULL,
    sent_at datetime2 NULL
);
GO
CREATE INDEX IX_outbox_messages_unsent ON dbo.outbox_messages (id) WHERE sent_at IS NULL;
GO
CREATE INDEX IX_outbox_messages_sent_at ON dbo.outbox_messages (sent_at) WHERE sent_at IS NOT NULL;
