-- The W3C traceparent of the change that wrote an event: its publication and its consumers continue that trace.
ALTER TABLE outbox_messages ADD COLUMN trace_parent text NULL;
