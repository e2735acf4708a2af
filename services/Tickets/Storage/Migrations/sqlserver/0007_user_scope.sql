-- The contracts (and within them the sites) a local user may see and act on, space-separated codes.
-- Users created before keep no contracts (NULL): every contract, as they had.
ALTER TABLE dbo.users ADD
    contracts nvarchar(max) NULL,
    sites nvarchar(max) NULL;
