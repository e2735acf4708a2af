-- An Idempotency-Key (or an externalRef sent without one) belongs to the caller that sent it: the same key
-- from another caller is a new key. A key stored before goes to the API key that reported its ticket, where
-- the ticket's "reported" entry names exactly one API key; any other is kept for no caller ('') and matches
-- no request again.
CREATE TABLE idempotency_keys_by_caller (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);

INSERT INTO idempotency_keys_by_caller (caller, idempotency_key, fingerprint, ticket_id, created_at)
SELECT COALESCE((
        SELECT CASE WHEN COUNT(*) = 1 THEN 'key:' || replace(lower(MIN(k.key_id)), '-', '') END
        FROM ticket_timeline r
        JOIN api_keys k ON r.actor = k.name || ' (API key)'
        WHERE r.ticket_id = i.ticket_id AND r.version = 1), ''),
    i.idempotency_key, i.fingerprint, i.ticket_id, i.created_at
FROM idempotency_keys i;

DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_by_caller RENAME TO idempotency_keys;

-- A service request has no severity (it has a grade): '' where the column needs a value.
UPDATE tickets SET severity = '' WHERE kind = 'request';
