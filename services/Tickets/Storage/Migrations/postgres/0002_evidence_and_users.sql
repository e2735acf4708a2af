-- The timeline becomes sealed evidence: each entry carries its place in the chain, the previous entry's
-- hash and its own, and can be neither changed nor deleted. Local users for the embedded sign-in.
ALTER TABLE ticket_timeline ADD COLUMN chain_seq bigint NULL, ADD COLUMN prev_hash char(64) NULL, ADD COLUMN hash char(64) NULL;
CREATE UNIQUE INDEX ux_ticket_timeline_chain_seq ON ticket_timeline (chain_seq);

CREATE FUNCTION ticket_timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_timeline is append-only';
END;
$$;

CREATE TRIGGER ticket_timeline_append_only BEFORE UPDATE OR DELETE ON ticket_timeline
    FOR EACH ROW EXECUTE FUNCTION ticket_timeline_append_only();

CREATE TABLE users (
    username text NOT NULL PRIMARY KEY,
    display_name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    disabled_at timestamptz NULL
);
