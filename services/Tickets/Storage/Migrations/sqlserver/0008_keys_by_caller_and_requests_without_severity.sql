-- An Idempotency-Key (or an externalRef sent without one) belongs to the caller that sent it: the same key
-- from another caller is a new key. A key stored before goes to the API key that reported its ticket, where
-- the ticket's "reported" entry names exactly one API key; any other is kept for no caller ('') and matches
-- no request again.
ALTER TABLE dbo.idempotency_keys DROP CONSTRAINT PK_idempotency_keys;
GO
ALTER TABLE dbo.idempotency_keys ADD caller nvarchar(450) NOT NULL CONSTRAINT DF_idempotency_keys_caller DEFAULT N'';
GO
UPDATE i SET caller = N'key:' + LOWER(REPLACE(CONVERT(nvarchar(36), k.key_id), N'-', N''))
FROM dbo.idempotency_keys AS i
JOIN dbo.ticket_timeline AS r ON r.ticket_id = i.ticket_id AND r.version = 1
JOIN dbo.api_keys AS k ON r.actor = k.name + N' (API key)'
WHERE (SELECT COUNT(*) FROM dbo.api_keys AS n WHERE n.name = k.name) = 1;
GO
-- Nonclustered: caller and key together may be longer than a clustered key may be (900 bytes).
ALTER TABLE dbo.idempotency_keys ADD CONSTRAINT PK_idempotency_keys PRIMARY KEY NONCLUSTERED (caller, idempotency_key);

GO
-- A service request has no severity (it has a grade): '' where the column needs a value.
UPDATE dbo.tickets SET severity = '' WHERE kind = 'request';
