-- The ticket's title, from its report: notices name it.
ALTER TABLE ticket_versions ADD COLUMN title text NULL;

-- Why a notice went as it did (the rota named nobody, so the next level was told), and whom it named.
ALTER TABLE notifications
    ADD COLUMN reason text NULL,
    ADD COLUMN engineer text NULL;

-- The hand-over notices: once per contract, layer, hand-over and incoming engineer, whichever sla-timer sends it.
CREATE TABLE handover_notices (
    contract text NOT NULL,
    layer text NOT NULL,
    handover_at timestamptz NOT NULL,
    engineer_id text NOT NULL,
    engineer text NOT NULL,
    tickets integer NOT NULL,
    status text NOT NULL,
    error text NULL,
    created_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    PRIMARY KEY (contract, layer, handover_at, engineer_id)
);
