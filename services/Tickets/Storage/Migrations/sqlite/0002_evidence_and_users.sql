-- The timeline becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted. Local users for the embedded sign-in.
ALTER TABLE ticket_timeline ADD COLUMN chain_seq INTEGER NULL;
ALTER TABLE ticket_timeline ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE ticket_timeline ADD COLUMN hash TEXT NULL;
CREATE UNIQUE INDEX ux_ticket_timeline_chain_seq ON ticket_timeline (chain_seq);

CREATE TRIGGER ticket_timeline_no_update BEFORE UPDATE ON ticket_timeline
BEGIN
    SELECT RAISE(ABORT, 'ticket_timeline is append-only');
END;

CREATE TRIGGER ticket_timeline_no_delete BEFORE DELETE ON ticket_timeline
BEGIN
    SELECT RAISE(ABORT, 'ticket_timeline is append-only');
END;

CREATE TABLE users (
    username TEXT NOT NULL PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT NULL
);
