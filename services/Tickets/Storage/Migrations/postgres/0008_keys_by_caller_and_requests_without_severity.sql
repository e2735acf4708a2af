-- An Idempotency-Key (or an externalRef sent without one) belongs to the caller that sent it: the same key
-- from another caller is a new key. A key stored before goes to the API key that reported its ticket, where
-- the ticket's "reported" entry names exactly one API key; any other is kept for no caller ('') and matches
-- no request again.
ALTER TABLE idempotency_keys ADD COLUMN caller text NOT NULL DEFAULT '';

UPDATE idempotency_keys AS i SET caller = 'key:' || replace(lower(CAST(k.key_id AS text)), '-', '')
FROM ticket_timeline AS r
JOIN api_keys AS k ON r.actor = k.name || ' (API key)'
WHERE r.ticket_id = i.ticket_id AND r.version = 1
  AND (SELECT COUNT(*) FROM api_keys AS n WHERE n.name = k.name) = 1;

ALTER TABLE idempotency_keys ALTER COLUMN caller DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (caller, idempotency_key);

-- A service request has no severity (it has a grade): '' where the column needs a value.
UPDATE tickets SET severity = '' WHERE kind = 'request';
