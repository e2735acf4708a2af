-- Each item's entries per contract and Shanghai day of occurrence (the UTC time the day starts): the assessment
-- sums a year's days (at most 15 items a day) instead of every ledger entry. The ledger is append-only, so a
-- trigger adds each statement's entries as they are written, in the same transaction; the totals of the entries
-- before are built here. A Shanghai day is a day of UTC+8 (all year since 1992): date_bin counts whole days from a
-- Shanghai midnight, whatever the session's time zone.
CREATE TABLE deduction_day_totals (
    contract text COLLATE "C" NOT NULL,
    day_start timestamptz NOT NULL,
    item integer NOT NULL,
    hundredths bigint NOT NULL,
    entries bigint NOT NULL,
    PRIMARY KEY (contract, day_start, item)
);

INSERT INTO deduction_day_totals (contract, day_start, item, hundredths, entries)
SELECT contract, date_bin(interval '1 day', occurred_at, timestamptz '2000-01-01 00:00:00+08'), item, SUM(points_hundredths), COUNT(*)
FROM deductions
GROUP BY 1, 2, 3;

CREATE FUNCTION deductions_day_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deduction_day_totals AS totals (contract, day_start, item, hundredths, entries)
    SELECT contract, date_bin(interval '1 day', occurred_at, timestamptz '2000-01-01 00:00:00+08'), item, SUM(points_hundredths), COUNT(*)
    FROM added
    GROUP BY 1, 2, 3
    ON CONFLICT (contract, day_start, item) DO UPDATE
        SET hundredths = totals.hundredths + excluded.hundredths, entries = totals.entries + excluded.entries;
    RETURN NULL;
END;
$$;

CREATE TRIGGER deductions_day_totals AFTER INSERT ON deductions
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION deductions_day_totals();

-- The elapsed-time histogram of the dashboard's roll-ups gets narrow bands where clocks crowd: a minute wide below an
-- hour, five or ten minutes around the 4- and 24-hour targets (188 bands, h00 ... h187; see ElapsedBands), so the
-- exact p90 walks a few thousand clocks of its band instead of up to 150,000. The bands change, so the roll-ups are
-- emptied here and the service builds them again from the clock facts when it starts.
ALTER TABLE clock_rollups
    ADD COLUMN h45 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h46 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h47 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h48 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h49 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h50 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h51 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h52 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h53 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h54 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h55 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h56 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h57 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h58 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h59 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h60 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h61 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h62 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h63 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h64 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h65 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h66 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h67 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h68 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h69 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h70 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h71 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h72 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h73 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h74 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h75 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h76 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h77 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h78 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h79 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h80 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h81 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h82 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h83 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h84 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h85 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h86 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h87 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h88 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h89 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h90 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h91 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h92 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h93 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h94 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h95 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h96 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h97 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h98 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h99 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h100 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h101 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h102 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h103 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h104 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h105 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h106 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h107 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h108 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h109 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h110 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h111 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h112 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h113 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h114 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h115 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h116 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h117 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h118 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h119 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h120 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h121 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h122 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h123 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h124 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h125 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h126 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h127 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h128 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h129 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h130 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h131 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h132 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h133 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h134 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h135 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h136 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h137 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h138 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h139 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h140 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h141 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h142 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h143 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h144 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h145 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h146 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h147 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h148 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h149 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h150 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h151 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h152 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h153 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h154 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h155 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h156 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h157 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h158 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h159 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h160 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h161 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h162 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h163 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h164 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h165 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h166 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h167 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h168 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h169 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h170 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h171 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h172 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h173 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h174 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h175 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h176 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h177 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h178 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h179 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h180 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h181 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h182 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h183 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h184 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h185 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h186 bigint NOT NULL DEFAULT 0,
    ADD COLUMN h187 bigint NOT NULL DEFAULT 0;
DELETE FROM clock_rollups;
