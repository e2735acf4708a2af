-- The assessment reads each item's newest entries: a short walk down this index (each item's total in the
-- period is covered by ix_deductions_contract_occurred_at).
CREATE INDEX ix_deductions_item_newest ON deductions (contract, item, entry_no DESC) INCLUDE (occurred_at);
