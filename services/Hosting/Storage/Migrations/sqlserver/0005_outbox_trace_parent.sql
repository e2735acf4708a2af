-- The W3C traceparent of the change that wrote an event: its publication and its consumers continue that trace.
ALTER TABLE dbo.outbox_messages ADD trace_parent varchar(55) NULL;
