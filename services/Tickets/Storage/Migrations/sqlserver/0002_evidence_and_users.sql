-- The timeline becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted. Local users for the embedded sign-in.
ALTER TABLE dbo.ticket_timeline ADD chain_seq bigint NULL, prev_hash char(64) NULL, hash char(64) NULL;
GO
CREATE UNIQUE INDEX UX_ticket_timeline_chain_seq ON dbo.ticket_timeline (chain_seq) WHERE chain_seq IS NOT NULL;
GO
CREATE TRIGGER dbo.TR_ticket_timeline_append_only ON dbo.ticket_timeline AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'ticket_timeline is append-only', 1;
END;
GO
CREATE TABLE dbo.users (
    username nvarchar(64) NOT NULL CONSTRAINT PK_users PRIMARY KEY,
    display_name nvarchar(100) NOT NULL,
    role varchar(16) NOT NULL,
    password_hash nvarchar(400) NOT NULL,
    created_at datetime2 NOT NULL,
    disabled_at datetime2 NULL
);
