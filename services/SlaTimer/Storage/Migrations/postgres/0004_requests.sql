-- Service requests: their clocks carry the request's grade, and count continuous or working time.
ALTER TABLE clocks
    ADD COLUMN grade text NULL,
    ADD COLUMN calendar text NOT NULL DEFAULT 'continuous';
