-- The contracts (and within them the sites) an API key may act for, space-separated codes. Keys issued
-- before keep no contracts (NULL): every contract, as they had.
ALTER TABLE api_keys ADD COLUMN contracts text NULL, ADD COLUMN sites text NULL;
