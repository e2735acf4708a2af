-- Events waiting to be published: written in the same transaction as the change that caused them.
CREATE TABLE outbox_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    message_type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT NULL
);

CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (id) WHERE sent_at IS NULL;
CREATE INDEX ix_outbox_messages_sent_at ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;
