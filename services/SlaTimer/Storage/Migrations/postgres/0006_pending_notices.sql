-- The notices owed to the escalation chains: written in the same transaction as the warning or breach
-- that causes them, deleted once every level was told (or its notice recorded as failed).
CREATE TABLE pending_notices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stage integer NOT NULL,
    clock text NOT NULL
);
