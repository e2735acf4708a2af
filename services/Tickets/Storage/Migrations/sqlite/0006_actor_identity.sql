-- Evidence names a unique identity beside the display name: the caller's token subject or API key id
-- (null on entries written before). Usernames become unique regardless of case: username_key is the
-- lower-case name. Of case variants that exist already, the one created first keeps the name; the
-- others are disabled and keep a key no new name can take ('~' is not allowed in usernames).
ALTER TABLE ticket_timeline ADD COLUMN actor_id TEXT NULL;
ALTER TABLE tickets ADD COLUMN acknowledged_by_id TEXT NULL;
ALTER TABLE tickets ADD COLUMN resolved_by_id TEXT NULL;
ALTER TABLE tickets ADD COLUMN pause_requested_by_id TEXT NULL;

ALTER TABLE users ADD COLUMN username_key TEXT NULL;

UPDATE users SET username_key = lower(username)
WHERE NOT EXISTS (
    SELECT 1 FROM users AS earlier
    WHERE lower(earlier.username) = lower(users.username)
      AND (earlier.created_at < users.created_at OR (earlier.created_at = users.created_at AND earlier.username < users.username)));

UPDATE users SET username_key = lower(username) || '~' || username,
    disabled_at = COALESCE(disabled_at, strftime('%Y-%m-%dT%H:%M:%f0000Z', 'now'))
WHERE username_key IS NULL;

CREATE UNIQUE INDEX ux_users_username_key ON users (username_key);
