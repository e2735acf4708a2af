-- API keys of machine clients (only their SHA-256 hashes), replicated to every service, and the head
-- of each evidence chain: the sequence number and hash of its newest entry.
CREATE TABLE api_keys (
    key_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);

CREATE UNIQUE INDEX ux_api_keys_key_hash ON api_keys (key_hash);

CREATE TABLE evidence_chains (
    chain TEXT NOT NULL PRIMARY KEY,
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
