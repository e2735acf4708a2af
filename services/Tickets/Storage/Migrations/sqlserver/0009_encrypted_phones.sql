-- Reporters' phone numbers are stored encrypted (v1: and Base64 of AES-GCM nonce, tag and cipher text); the service encrypts older rows at start.
ALTER TABLE dbo.tickets ALTER COLUMN reporter_phone varchar(200) NOT NULL;
