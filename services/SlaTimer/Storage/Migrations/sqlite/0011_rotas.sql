-- The rota (值班表) a manager saved for a contract, as one JSON document of engineers and rotations; it wins over contracts.json.
CREATE TABLE oncall_rotas (
    contract TEXT NOT NULL PRIMARY KEY,
    rota TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- Overrides (换班): who takes a layer from when to when, and why.
CREATE TABLE oncall_overrides (
    id TEXT NOT NULL PRIMARY KEY,
    contract TEXT NOT NULL,
    layer TEXT NOT NULL,
    engineer TEXT NOT NULL,
    from_at TEXT NOT NULL,
    to_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_by_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX ix_oncall_overrides_contract_layer_to ON oncall_overrides (contract, layer, to_at);

-- Every change to a rota: rotations saved, an override added or removed, by whom and when.
CREATE TABLE oncall_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract TEXT NOT NULL,
    change TEXT NOT NULL,
    detail TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_by_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

CREATE INDEX ix_oncall_changes_contract ON oncall_changes (contract, id);
