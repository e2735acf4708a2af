-- The ticket's title, from its report: notices name it.
ALTER TABLE dbo.ticket_versions ADD title nvarchar(200) NULL;
GO
-- Why a notice went as it did (the rota named nobody, so the next level was told), and whom it named.
ALTER TABLE dbo.notifications ADD
    reason nvarchar(500) NULL,
    engineer nvarchar(100) NULL;
GO
-- The hand-over notices: once per contract, layer, hand-over and incoming engineer, whichever sla-timer sends it.
CREATE TABLE dbo.handover_notices (
    contract nvarchar(64) NOT NULL,
    layer varchar(16) NOT NULL,
    handover_at datetime2 NOT NULL,
    engineer_id nvarchar(64) NOT NULL,
    engineer nvarchar(100) NOT NULL,
    tickets int NOT NULL,
    status varchar(16) NOT NULL,
    error nvarchar(1000) NULL,
    created_at datetime2 NOT NULL,
    finished_at datetime2 NULL,
    CONSTRAINT PK_handover_notices PRIMARY KEY (contract, layer, handover_at, engineer_id)
);
