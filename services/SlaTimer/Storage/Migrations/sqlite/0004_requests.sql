-- Service requests: their clocks carry the request's grade, and count continuous or working time.
ALTER TABLE clocks ADD COLUMN grade TEXT NULL;
ALTER TABLE clocks ADD COLUMN calendar TEXT NOT NULL DEFAULT 'continuous';
