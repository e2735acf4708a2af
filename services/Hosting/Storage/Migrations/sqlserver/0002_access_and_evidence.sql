-- API keys of machine clients (only their SHA-256 hashes), replicated to every service, and the head
-- of each evidence chain: the sequence number and hash of its newest entry.
CREATE TABLE dbo.api_keys (
    key_id uniqueidentifier NOT NULL CONSTRAINT PK_api_keys PRIMARY KEY,
    name nvarchar(100) NOT NULL,
    role nvarchar(20) NOT NULL,
    key_hash char(64) NOT NULL,
    created_at datetime2 NOT NULL,
    revoked_at datetime2 NULL
);
GO
CREATE UNIQUE INDEX UX_api_keys_key_hash ON dbo.api_keys (key_hash);
GO
CREATE TABLE dbo.evidence_chains (
    chain nvarchar(50) NOT NULL CONSTRAINT PK_evidence_chains PRIMARY KEY,
    last_seq bigint NOT NULL,
    last_hash char(64) NOT NULL
);
