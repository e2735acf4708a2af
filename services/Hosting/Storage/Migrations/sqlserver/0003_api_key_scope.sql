-- The contracts (and within them the sites) an API key may act for, space-separated codes. Keys issued
-- before keep no contracts (NULL): every contract, as they had.
ALTER TABLE dbo.api_keys ADD
    contracts nvarchar(max) NULL,
    sites nvarchar(max) NULL;
