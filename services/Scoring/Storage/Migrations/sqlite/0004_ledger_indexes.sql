-- The assessment reads the ledger two ways: each item's total in the period (covered by the first index,
-- no row read) and each item's newest entries (a short walk down the second).
CREATE INDEX ix_deductions_period_totals ON deductions (contract, occurred_at, item, points_hundredths);
CREATE INDEX ix_deductions_item_newest ON deductions (contract, item, entry_no);
