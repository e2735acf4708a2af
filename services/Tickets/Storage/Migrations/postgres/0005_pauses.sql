-- Pauses: one an engineer asked for and no manager decided yet, the current one, and those that ended (JSON).
ALTER TABLE tickets
    ADD COLUMN pause_requested_at timestamptz NULL,
    ADD COLUMN pause_requested_by text NULL,
    ADD COLUMN pause_reason text NULL,
    ADD COLUMN paused_at timestamptz NULL,
    ADD COLUMN pauses text NOT NULL DEFAULT '[]';
