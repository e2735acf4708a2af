-- The notices owed to the escalation chains: written in the same transaction as the warning or breach
-- that causes them, deleted once every level was told (or its notice recorded as failed).
CREATE TABLE dbo.pending_notices (
    id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_pending_notices PRIMARY KEY,
    stage int NOT NULL,
    clock nvarchar(max) NOT NULL
);
