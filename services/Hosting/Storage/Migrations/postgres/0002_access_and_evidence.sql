-- API keys of machine clients (only their SHA-256 hashes), replicated to every service, and the head
-- of each evidence chain: the sequence number and hash of its newest entry.
CREATE TABLE api_keys (
    key_id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    key_hash char(64) NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);
CREATE UNIQUE INDEX ux_api_keys_key_hash ON api_keys (key_hash);
CREATE TABLE evidence_chains (
    chain text NOT NULL PRIMARY KEY,
    last_seq bigint NOT NULL,
    last_hash char(64) NOT NULL
);
