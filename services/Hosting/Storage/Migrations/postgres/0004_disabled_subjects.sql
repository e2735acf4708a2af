-- Users an administrator disabled, by their tokens' subject, replicated to every service: their tokens are refused.
CREATE TABLE disabled_subjects (
    subject text NOT NULL PRIMARY KEY,
    disabled_at timestamptz NOT NULL
);
