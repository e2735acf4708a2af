-- Each item's entries per contract and Shanghai day of occurrence (the UTC time the day starts): the assessment
-- sums a year's days (at most 15 items a day) instead of every ledger entry. The ledger is append-only, so a
-- trigger adds each entry as it is written, in the same transaction; the totals of the entries before are built here.
CREATE TABLE dbo.deduction_day_totals (
    contract nvarchar(64) NOT NULL,
    day_start datetime2 NOT NULL,
    item int NOT NULL,
    hundredths bigint NOT NULL,
    entries bigint NOT NULL,
    CONSTRAINT PK_deduction_day_totals PRIMARY KEY (contract, day_start, item)
);
GO
INSERT INTO dbo.deduction_day_totals (contract, day_start, item, hundredths, entries)
SELECT contract, day_start, item, SUM(CAST(points_hundredths AS bigint)), COUNT_BIG(*)
FROM (
    SELECT contract, DATEADD(hour, -8, CAST(CAST(DATEADD(hour, 8, occurred_at) AS date) AS datetime2)) AS day_start, item, points_hundredths
    FROM dbo.deductions
) AS entries
GROUP BY contract, day_start, item;
GO
CREATE TRIGGER dbo.TR_deductions_day_totals ON dbo.deductions AFTER INSERT
AS
BEGIN
    SET NOCOUNT ON;
    MERGE dbo.deduction_day_totals WITH (HOLDLOCK) AS totals
    USING (
        SELECT contract, day_start, item, SUM(CAST(points_hundredths AS bigint)) AS hundredths, COUNT_BIG(*) AS entries
        FROM (
            SELECT contract, DATEADD(hour, -8, CAST(CAST(DATEADD(hour, 8, occurred_at) AS date) AS datetime2)) AS day_start, item, points_hundredths
            FROM inserted
        ) AS added
        GROUP BY contract, day_start, item
    ) AS added
    ON totals.contract = added.contract AND totals.day_start = added.day_start AND totals.item = added.item
    WHEN MATCHED THEN UPDATE SET hundredths = totals.hundredths + added.hundredths, entries = totals.entries + added.entries
    WHEN NOT MATCHED THEN INSERT (contract, day_start, item, hundredths, entries)
        VALUES (added.contract, added.day_start, added.item, added.hundredths, added.entries);
END;

GO
-- The elapsed-time histogram of the dashboard's roll-ups gets narrow bands where clocks crowd: a minute wide below an
-- hour, five or ten minutes around the 4- and 24-hour targets (188 bands, h00 ... h187; see ElapsedBands), so the
-- exact p90 walks a few thousand clocks of its band instead of up to 150,000. The bands change, so the roll-ups are
-- emptied here and the service builds them again from the clock facts when it starts.
ALTER TABLE dbo.clock_rollups ADD
    h45 bigint NOT NULL CONSTRAINT DF_clock_rollups_h45 DEFAULT 0,
    h46 bigint NOT NULL CONSTRAINT DF_clock_rollups_h46 DEFAULT 0,
    h47 bigint NOT NULL CONSTRAINT DF_clock_rollups_h47 DEFAULT 0,
    h48 bigint NOT NULL CONSTRAINT DF_clock_rollups_h48 DEFAULT 0,
    h49 bigint NOT NULL CONSTRAINT DF_clock_rollups_h49 DEFAULT 0,
    h50 bigint NOT NULL CONSTRAINT DF_clock_rollups_h50 DEFAULT 0,
    h51 bigint NOT NULL CONSTRAINT DF_clock_rollups_h51 DEFAULT 0,
    h52 bigint NOT NULL CONSTRAINT DF_clock_rollups_h52 DEFAULT 0,
    h53 bigint NOT NULL CONSTRAINT DF_clock_rollups_h53 DEFAULT 0,
    h54 bigint NOT NULL CONSTRAINT DF_clock_rollups_h54 DEFAULT 0,
    h55 bigint NOT NULL CONSTRAINT DF_clock_rollups_h55 DEFAULT 0,
    h56 bigint NOT NULL CONSTRAINT DF_clock_rollups_h56 DEFAULT 0,
    h57 bigint NOT NULL CONSTRAINT DF_clock_rollups_h57 DEFAULT 0,
    h58 bigint NOT NULL CONSTRAINT DF_clock_rollups_h58 DEFAULT 0,
    h59 bigint NOT NULL CONSTRAINT DF_clock_rollups_h59 DEFAULT 0,
    h60 bigint NOT NULL CONSTRAINT DF_clock_rollups_h60 DEFAULT 0,
    h61 bigint NOT NULL CONSTRAINT DF_clock_rollups_h61 DEFAULT 0,
    h62 bigint NOT NULL CONSTRAINT DF_clock_rollups_h62 DEFAULT 0,
    h63 bigint NOT NULL CONSTRAINT DF_clock_rollups_h63 DEFAULT 0,
    h64 bigint NOT NULL CONSTRAINT DF_clock_rollups_h64 DEFAULT 0,
    h65 bigint NOT NULL CONSTRAINT DF_clock_rollups_h65 DEFAULT 0,
    h66 bigint NOT NULL CONSTRAINT DF_clock_rollups_h66 DEFAULT 0,
    h67 bigint NOT NULL CONSTRAINT DF_clock_rollups_h67 DEFAULT 0,
    h68 bigint NOT NULL CONSTRAINT DF_clock_rollups_h68 DEFAULT 0,
    h69 bigint NOT NULL CONSTRAINT DF_clock_rollups_h69 DEFAULT 0,
    h70 bigint NOT NULL CONSTRAINT DF_clock_rollups_h70 DEFAULT 0,
    h71 bigint NOT NULL CONSTRAINT DF_clock_rollups_h71 DEFAULT 0,
    h72 bigint NOT NULL CONSTRAINT DF_clock_rollups_h72 DEFAULT 0,
    h73 bigint NOT NULL CONSTRAINT DF_clock_rollups_h73 DEFAULT 0,
    h74 bigint NOT NULL CONSTRAINT DF_clock_rollups_h74 DEFAULT 0,
    h75 bigint NOT NULL CONSTRAINT DF_clock_rollups_h75 DEFAULT 0,
    h76 bigint NOT NULL CONSTRAINT DF_clock_rollups_h76 DEFAULT 0,
    h77 bigint NOT NULL CONSTRAINT DF_clock_rollups_h77 DEFAULT 0,
    h78 bigint NOT NULL CONSTRAINT DF_clock_rollups_h78 DEFAULT 0,
    h79 bigint NOT NULL CONSTRAINT DF_clock_rollups_h79 DEFAULT 0,
    h80 bigint NOT NULL CONSTRAINT DF_clock_rollups_h80 DEFAULT 0,
    h81 bigint NOT NULL CONSTRAINT DF_clock_rollups_h81 DEFAULT 0,
    h82 bigint NOT NULL CONSTRAINT DF_clock_rollups_h82 DEFAULT 0,
    h83 bigint NOT NULL CONSTRAINT DF_clock_rollups_h83 DEFAULT 0,
    h84 bigint NOT NULL CONSTRAINT DF_clock_rollups_h84 DEFAULT 0,
    h85 bigint NOT NULL CONSTRAINT DF_clock_rollups_h85 DEFAULT 0,
    h86 bigint NOT NULL CONSTRAINT DF_clock_rollups_h86 DEFAULT 0,
    h87 bigint NOT NULL CONSTRAINT DF_clock_rollups_h87 DEFAULT 0,
    h88 bigint NOT NULL CONSTRAINT DF_clock_rollups_h88 DEFAULT 0,
    h89 bigint NOT NULL CONSTRAINT DF_clock_rollups_h89 DEFAULT 0,
    h90 bigint NOT NULL CONSTRAINT DF_clock_rollups_h90 DEFAULT 0,
    h91 bigint NOT NULL CONSTRAINT DF_clock_rollups_h91 DEFAULT 0,
    h92 bigint NOT NULL CONSTRAINT DF_clock_rollups_h92 DEFAULT 0,
    h93 bigint NOT NULL CONSTRAINT DF_clock_rollups_h93 DEFAULT 0,
    h94 bigint NOT NULL CONSTRAINT DF_clock_rollups_h94 DEFAULT 0,
    h95 bigint NOT NULL CONSTRAINT DF_clock_rollups_h95 DEFAULT 0,
    h96 bigint NOT NULL CONSTRAINT DF_clock_rollups_h96 DEFAULT 0,
    h97 bigint NOT NULL CONSTRAINT DF_clock_rollups_h97 DEFAULT 0,
    h98 bigint NOT NULL CONSTRAINT DF_clock_rollups_h98 DEFAULT 0,
    h99 bigint NOT NULL CONSTRAINT DF_clock_rollups_h99 DEFAULT 0,
    h100 bigint NOT NULL CONSTRAINT DF_clock_rollups_h100 DEFAULT 0,
    h101 bigint NOT NULL CONSTRAINT DF_clock_rollups_h101 DEFAULT 0,
    h102 bigint NOT NULL CONSTRAINT DF_clock_rollups_h102 DEFAULT 0,
    h103 bigint NOT NULL CONSTRAINT DF_clock_rollups_h103 DEFAULT 0,
    h104 bigint NOT NULL CONSTRAINT DF_clock_rollups_h104 DEFAULT 0,
    h105 bigint NOT NULL CONSTRAINT DF_clock_rollups_h105 DEFAULT 0,
    h106 bigint NOT NULL CONSTRAINT DF_clock_rollups_h106 DEFAULT 0,
    h107 bigint NOT NULL CONSTRAINT DF_clock_rollups_h107 DEFAULT 0,
    h108 bigint NOT NULL CONSTRAINT DF_clock_rollups_h108 DEFAULT 0,
    h109 bigint NOT NULL CONSTRAINT DF_clock_rollups_h109 DEFAULT 0,
    h110 bigint NOT NULL CONSTRAINT DF_clock_rollups_h110 DEFAULT 0,
    h111 bigint NOT NULL CONSTRAINT DF_clock_rollups_h111 DEFAULT 0,
    h112 bigint NOT NULL CONSTRAINT DF_clock_rollups_h112 DEFAULT 0,
    h113 bigint NOT NULL CONSTRAINT DF_clock_rollups_h113 DEFAULT 0,
    h114 bigint NOT NULL CONSTRAINT DF_clock_rollups_h114 DEFAULT 0,
    h115 bigint NOT NULL CONSTRAINT DF_clock_rollups_h115 DEFAULT 0,
    h116 bigint NOT NULL CONSTRAINT DF_clock_rollups_h116 DEFAULT 0,
    h117 bigint NOT NULL CONSTRAINT DF_clock_rollups_h117 DEFAULT 0,
    h118 bigint NOT NULL CONSTRAINT DF_clock_rollups_h118 DEFAULT 0,
    h119 bigint NOT NULL CONSTRAINT DF_clock_rollups_h119 DEFAULT 0,
    h120 bigint NOT NULL CONSTRAINT DF_clock_rollups_h120 DEFAULT 0,
    h121 bigint NOT NULL CONSTRAINT DF_clock_rollups_h121 DEFAULT 0,
    h122 bigint NOT NULL CONSTRAINT DF_clock_rollups_h122 DEFAULT 0,
    h123 bigint NOT NULL CONSTRAINT DF_clock_rollups_h123 DEFAULT 0,
    h124 bigint NOT NULL CONSTRAINT DF_clock_rollups_h124 DEFAULT 0,
    h125 bigint NOT NULL CONSTRAINT DF_clock_rollups_h125 DEFAULT 0,
    h126 bigint NOT NULL CONSTRAINT DF_clock_rollups_h126 DEFAULT 0,
    h127 bigint NOT NULL CONSTRAINT DF_clock_rollups_h127 DEFAULT 0,
    h128 bigint NOT NULL CONSTRAINT DF_clock_rollups_h128 DEFAULT 0,
    h129 bigint NOT NULL CONSTRAINT DF_clock_rollups_h129 DEFAULT 0,
    h130 bigint NOT NULL CONSTRAINT DF_clock_rollups_h130 DEFAULT 0,
    h131 bigint NOT NULL CONSTRAINT DF_clock_rollups_h131 DEFAULT 0,
    h132 bigint NOT NULL CONSTRAINT DF_clock_rollups_h132 DEFAULT 0,
    h133 bigint NOT NULL CONSTRAINT DF_clock_rollups_h133 DEFAULT 0,
    h134 bigint NOT NULL CONSTRAINT DF_clock_rollups_h134 DEFAULT 0,
    h135 bigint NOT NULL CONSTRAINT DF_clock_rollups_h135 DEFAULT 0,
    h136 bigint NOT NULL CONSTRAINT DF_clock_rollups_h136 DEFAULT 0,
    h137 bigint NOT NULL CONSTRAINT DF_clock_rollups_h137 DEFAULT 0,
    h138 bigint NOT NULL CONSTRAINT DF_clock_rollups_h138 DEFAULT 0,
    h139 bigint NOT NULL CONSTRAINT DF_clock_rollups_h139 DEFAULT 0,
    h140 bigint NOT NULL CONSTRAINT DF_clock_rollups_h140 DEFAULT 0,
    h141 bigint NOT NULL CONSTRAINT DF_clock_rollups_h141 DEFAULT 0,
    h142 bigint NOT NULL CONSTRAINT DF_clock_rollups_h142 DEFAULT 0,
    h143 bigint NOT NULL CONSTRAINT DF_clock_rollups_h143 DEFAULT 0,
    h144 bigint NOT NULL CONSTRAINT DF_clock_rollups_h144 DEFAULT 0,
    h145 bigint NOT NULL CONSTRAINT DF_clock_rollups_h145 DEFAULT 0,
    h146 bigint NOT NULL CONSTRAINT DF_clock_rollups_h146 DEFAULT 0,
    h147 bigint NOT NULL CONSTRAINT DF_clock_rollups_h147 DEFAULT 0,
    h148 bigint NOT NULL CONSTRAINT DF_clock_rollups_h148 DEFAULT 0,
    h149 bigint NOT NULL CONSTRAINT DF_clock_rollups_h149 DEFAULT 0,
    h150 bigint NOT NULL CONSTRAINT DF_clock_rollups_h150 DEFAULT 0,
    h151 bigint NOT NULL CONSTRAINT DF_clock_rollups_h151 DEFAULT 0,
    h152 bigint NOT NULL CONSTRAINT DF_clock_rollups_h152 DEFAULT 0,
    h153 bigint NOT NULL CONSTRAINT DF_clock_rollups_h153 DEFAULT 0,
    h154 bigint NOT NULL CONSTRAINT DF_clock_rollups_h154 DEFAULT 0,
    h155 bigint NOT NULL CONSTRAINT DF_clock_rollups_h155 DEFAULT 0,
    h156 bigint NOT NULL CONSTRAINT DF_clock_rollups_h156 DEFAULT 0,
    h157 bigint NOT NULL CONSTRAINT DF_clock_rollups_h157 DEFAULT 0,
    h158 bigint NOT NULL CONSTRAINT DF_clock_rollups_h158 DEFAULT 0,
    h159 bigint NOT NULL CONSTRAINT DF_clock_rollups_h159 DEFAULT 0,
    h160 bigint NOT NULL CONSTRAINT DF_clock_rollups_h160 DEFAULT 0,
    h161 bigint NOT NULL CONSTRAINT DF_clock_rollups_h161 DEFAULT 0,
    h162 bigint NOT NULL CONSTRAINT DF_clock_rollups_h162 DEFAULT 0,
    h163 bigint NOT NULL CONSTRAINT DF_clock_rollups_h163 DEFAULT 0,
    h164 bigint NOT NULL CONSTRAINT DF_clock_rollups_h164 DEFAULT 0,
    h165 bigint NOT NULL CONSTRAINT DF_clock_rollups_h165 DEFAULT 0,
    h166 bigint NOT NULL CONSTRAINT DF_clock_rollups_h166 DEFAULT 0,
    h167 bigint NOT NULL CONSTRAINT DF_clock_rollups_h167 DEFAULT 0,
    h168 bigint NOT NULL CONSTRAINT DF_clock_rollups_h168 DEFAULT 0,
    h169 bigint NOT NULL CONSTRAINT DF_clock_rollups_h169 DEFAULT 0,
    h170 bigint NOT NULL CONSTRAINT DF_clock_rollups_h170 DEFAULT 0,
    h171 bigint NOT NULL CONSTRAINT DF_clock_rollups_h171 DEFAULT 0,
    h172 bigint NOT NULL CONSTRAINT DF_clock_rollups_h172 DEFAULT 0,
    h173 bigint NOT NULL CONSTRAINT DF_clock_rollups_h173 DEFAULT 0,
    h174 bigint NOT NULL CONSTRAINT DF_clock_rollups_h174 DEFAULT 0,
    h175 bigint NOT NULL CONSTRAINT DF_clock_rollups_h175 DEFAULT 0,
    h176 bigint NOT NULL CONSTRAINT DF_clock_rollups_h176 DEFAULT 0,
    h177 bigint NOT NULL CONSTRAINT DF_clock_rollups_h177 DEFAULT 0,
    h178 bigint NOT NULL CONSTRAINT DF_clock_rollups_h178 DEFAULT 0,
    h179 bigint NOT NULL CONSTRAINT DF_clock_rollups_h179 DEFAULT 0,
    h180 bigint NOT NULL CONSTRAINT DF_clock_rollups_h180 DEFAULT 0,
    h181 bigint NOT NULL CONSTRAINT DF_clock_rollups_h181 DEFAULT 0,
    h182 bigint NOT NULL CONSTRAINT DF_clock_rollups_h182 DEFAULT 0,
    h183 bigint NOT NULL CONSTRAINT DF_clock_rollups_h183 DEFAULT 0,
    h184 bigint NOT NULL CONSTRAINT DF_clock_rollups_h184 DEFAULT 0,
    h185 bigint NOT NULL CONSTRAINT DF_clock_rollups_h185 DEFAULT 0,
    h186 bigint NOT NULL CONSTRAINT DF_clock_rollups_h186 DEFAULT 0,
    h187 bigint NOT NULL CONSTRAINT DF_clock_rollups_h187 DEFAULT 0;
GO
DELETE FROM dbo.clock_rollups;
