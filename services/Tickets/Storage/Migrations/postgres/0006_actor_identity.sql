-- Evidence names a unique identity beside the display name: the caller's token subject or API key id
-- (null on entries written before). Usernames become unique regardless of case: username_key is the
-- lower-case name. Of case variants that exist already, the one created first keeps the name (of two
-- created at once, the first in byte order); the others are disabled and keep a key no new name can take
-- ('~' is not allowed in usernames).
ALTER TABLE ticket_timeline ADD COLUMN actor_id text NULL;
ALTER TABLE tickets ADD COLUMN acknowledged_by_id text NULL, ADD COLUMN resolved_by_id text NULL, ADD COLUMN pause_requested_by_id text NULL;

ALTER TABLE users ADD COLUMN username_key text NULL;

UPDATE users AS u SET username_key = lower(u.username)
WHERE NOT EXISTS (
    SELECT 1 FROM users AS earlier
    WHERE lower(earlier.username) = lower(u.username)
      AND (earlier.created_at < u.created_at
           OR (earlier.created_at = u.created_at AND earlier.username COLLATE "C" < u.username COLLATE "C")));

UPDATE users SET username_key = lower(username) || '~' || username, disabled_at = COALESCE(disabled_at, now())
WHERE username_key IS NULL;

ALTER TABLE users ALTER COLUMN username_key SET NOT NULL;
CREATE UNIQUE INDEX ux_users_username_key ON users (username_key);
