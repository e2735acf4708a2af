-- Reporters' phone numbers are stored encrypted (v1: and Base64 of AES-GCM nonce, tag and cipher text); the service encrypts older rows at start.
-- The text column holds them as it is: nothing to change in the schema.
SELECT 1;
