-- The ticket's title, from its report: notices name it.
ALTER TABLE ticket_versions ADD COLUMN title TEXT NULL;

-- Why a notice went as it did (the rota named nobody, so the next level was told), and whom it named.
ALTER TABLE notifications ADD COLUMN reason TEXT NULL;
ALTER TABLE notifications ADD COLUMN engineer TEXT NULL;

-- The hand-over notices: once per contract, layer, hand-over and incoming engineer, whichever sla-timer sends it.
CREATE TABLE handover_notices (
    contract TEXT NOT NULL,
    layer TEXT NOT NULL,
    handover_at TEXT NOT NULL,
    engineer_id TEXT NOT NULL,
    engineer TEXT NOT NULL,
    tickets INTEGER NOT NULL,
    status TEXT NOT NULL,
    error TEXT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT NULL,
    PRIMARY KEY (contract, layer, handover_at, engineer_id)
);
