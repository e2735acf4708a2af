-- Service requests carry a grade (urgent, normal, low …) instead of a severity.
ALTER TABLE tickets ADD COLUMN grade text NULL;
