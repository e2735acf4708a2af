-- The notices owed to the escalation chains: written in the same transaction as the warning or breach
-- that causes them, deleted once every level was told (or its notice recorded as failed).
CREATE TABLE pending_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stage INTEGER NOT NULL,
    clock TEXT NOT NULL
);
