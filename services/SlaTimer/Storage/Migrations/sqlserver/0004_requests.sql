-- Service requests: their clocks carry the request's grade, and count continuous or working time.
ALTER TABLE dbo.clocks ADD
    grade nvarchar(32) NULL,
    calendar varchar(16) NOT NULL CONSTRAINT DF_clocks_calendar DEFAULT 'continuous';
