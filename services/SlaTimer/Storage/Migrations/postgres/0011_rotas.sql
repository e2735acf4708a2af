-- The rota (值班表) a manager saved for a contract, as one JSON document of engineers and rotations; it wins over contracts.json.
CREATE TABLE oncall_rotas (
    contract text NOT NULL PRIMARY KEY,
    rota text NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Overrides (换班): who takes a layer from when to when, and why.
CREATE TABLE oncall_overrides (
    id uuid NOT NULL PRIMARY KEY,
    contract text NOT NULL,
    layer text NOT NULL,
    engineer text NOT NULL,
    from_at timestamptz NOT NULL,
    to_at timestamptz NOT NULL,
    reason text NOT NULL,
    created_by text NOT NULL,
    created_by_id text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX ix_oncall_overrides_contract_layer_to ON oncall_overrides (contract, layer, to_at);

-- Every change to a rota: rotations saved, an override added or removed, by whom and when.
CREATE TABLE oncall_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract text NOT NULL,
    change text NOT NULL,
    detail text NOT NULL,
    changed_by text NOT NULL,
    changed_by_id text NOT NULL,
    changed_at timestamptz NOT NULL
);

CREATE INDEX ix_oncall_changes_contract ON oncall_changes (contract, id);
