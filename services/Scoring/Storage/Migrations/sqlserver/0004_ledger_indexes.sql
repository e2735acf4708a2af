-- The assessment reads each item's newest entries: a short walk down this index.
CREATE INDEX IX_deductions_item_newest ON dbo.deductions (contract, item, entry_no DESC) INCLUDE (occurred_at);
