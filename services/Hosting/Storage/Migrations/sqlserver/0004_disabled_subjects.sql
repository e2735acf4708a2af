-- Users an administrator disabled, by their tokens' subject, replicated to every service: their tokens are refused.
CREATE TABLE dbo.disabled_subjects (
    subject nvarchar(200) NOT NULL CONSTRAINT PK_disabled_subjects PRIMARY KEY,
    disabled_at datetime2 NOT NULL
);
