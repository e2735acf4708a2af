-- The rota (值班表) a manager saved for a contract, as one JSON document of engineers and rotations; it wins over contracts.json.
CREATE TABLE dbo.oncall_rotas (
    contract nvarchar(64) NOT NULL CONSTRAINT PK_oncall_rotas PRIMARY KEY,
    rota nvarchar(max) NOT NULL,
    changed_by nvarchar(200) NOT NULL,
    changed_at datetime2 NOT NULL
);
GO
-- Overrides (换班): who takes a layer from when to when, and why.
CREATE TABLE dbo.oncall_overrides (
    id uniqueidentifier NOT NULL CONSTRAINT PK_oncall_overrides PRIMARY KEY NONCLUSTERED,
    contract nvarchar(64) NOT NULL,
    layer varchar(16) NOT NULL,
    engineer nvarchar(64) NOT NULL,
    from_at datetime2 NOT NULL,
    to_at datetime2 NOT NULL,
    reason nvarchar(200) NOT NULL,
    created_by nvarchar(200) NOT NULL,
    created_by_id nvarchar(200) NOT NULL,
    created_at datetime2 NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_oncall_overrides_contract_layer_to ON dbo.oncall_overrides (contract, layer, to_at);
GO
-- Every change to a rota: rotations saved, an override added or removed, by whom and when.
CREATE TABLE dbo.oncall_changes (
    id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_oncall_changes PRIMARY KEY,
    contract nvarchar(64) NOT NULL,
    change varchar(32) NOT NULL,
    detail nvarchar(max) NOT NULL,
    changed_by nvarchar(200) NOT NULL,
    changed_by_id nvarchar(200) NOT NULL,
    changed_at datetime2 NOT NULL
);
GO
CREATE INDEX IX_oncall_changes_contract ON dbo.oncall_changes (contract, id);
