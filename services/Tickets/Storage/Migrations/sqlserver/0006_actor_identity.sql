-- Evidence names a unique identity beside the display name: the caller's token subject or API key id
-- (null on entries written before). Usernames become unique regardless of case: username_key is the
-- lower-case name. Of case variants that exist already (possible under a case-sensitive collation), the
-- one created first keeps the name; the others are disabled and keep a key no new name can take.
ALTER TABLE dbo.ticket_timeline ADD actor_id nvarchar(200) NULL;
GO
ALTER TABLE dbo.tickets ADD acknowledged_by_id nvarchar(200) NULL, resolved_by_id nvarchar(200) NULL, pause_requested_by_id nvarchar(200) NULL;
GO
ALTER TABLE dbo.users ADD username_key nvarchar(140) NULL;
GO
UPDATE u SET username_key = LOWER(u.username)
FROM dbo.users AS u
WHERE NOT EXISTS (
    SELECT 1 FROM dbo.users AS earlier
    WHERE LOWER(earlier.username) = LOWER(u.username)
      AND (earlier.created_at < u.created_at
           OR (earlier.created_at = u.created_at AND earlier.username COLLATE Latin1_General_BIN2 < u.username COLLATE Latin1_General_BIN2)));

UPDATE dbo.users SET username_key = LOWER(username) + N'~' + username, disabled_at = COALESCE(disabled_at, SYSUTCDATETIME())
WHERE username_key IS NULL;
GO
ALTER TABLE dbo.users ALTER COLUMN username_key nvarchar(140) NOT NULL;
GO
CREATE UNIQUE INDEX UX_users_username_key ON dbo.users (username_key);
