-- Reopened tickets: how often, and how long they spent resolved before (excluded from the repair clock).
ALTER TABLE dbo.tickets ADD
    reopens int NOT NULL CONSTRAINT DF_tickets_reopens DEFAULT 0,
    time_resolved_ms bigint NOT NULL CONSTRAINT DF_tickets_time_resolved_ms DEFAULT 0;
