-- Service requests carry a grade (urgent, normal, low …) instead of a severity.
ALTER TABLE dbo.tickets ADD grade nvarchar(32) NULL;
