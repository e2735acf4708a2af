-- Pauses: one an engineer asked for and no manager decided yet, the current one, and those that ended (JSON).
ALTER TABLE tickets ADD COLUMN pause_requested_at TEXT NULL;
ALTER TABLE tickets ADD COLUMN pause_requested_by TEXT NULL;
ALTER TABLE tickets ADD COLUMN pause_reason TEXT NULL;
ALTER TABLE tickets ADD COLUMN paused_at TEXT NULL;
ALTER TABLE tickets ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
