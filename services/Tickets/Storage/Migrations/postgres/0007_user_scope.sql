-- The contracts (and within them the sites) a local user may see and act on, space-separated codes.
-- Users created before keep no contracts (NULL): every contract, as they had.
ALTER TABLE users ADD COLUMN contracts text NULL, ADD COLUMN sites text NULL;
