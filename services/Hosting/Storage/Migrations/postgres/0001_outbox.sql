-- Events waiting to be published: written in the same transaction as the change that caused them.
CREATE TABLE outbox_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id uuid NOT NULL,
    message_type text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz NULL
);
CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (id) WHERE sent_at IS NULL;
CREATE INDEX ix_outbox_messages_sent_at ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;
