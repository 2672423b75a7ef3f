-- 0006_sessions: who is logged in (issue 4, accounts). Sessions of the
-- browser UI, bearer API tokens of programs, and the counters of log-in and
-- self-registration attempts, all in the database so that any number of
-- servers can share it. Secrets are never stored: a token's row holds the
-- SHA-256 (hex) of its 32 random bytes only; passwords are Argon2id strings
-- in users.password_hash (0001). Instants are TEXT 'YYYY-MM-DDTHH:MM:SSZ'
-- (UTC), so that they compare as text.
-- Portable SQL: CREATE TABLE, CREATE INDEX, ADD COLUMN only.

-- One log-in of one user in one browser. Valid while now < expires_at
-- (absolute end) and now < last_seen_at + the idle limit (server setting).
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    csrf_token      TEXT NOT NULL,       -- echoed in X-CSRF-Token on writes
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,       -- refreshed at most once a minute
    expires_at      TEXT NOT NULL,
    client_ip       TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A bearer token for a program acting as `user_id`, created by an admin.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    label           TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id), -- NULL: the command line
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    last_used_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Attempts counted by the rate limits: failed (or in-flight) log-ins per
-- account ('account', the login as typed) and per client address
-- ('address'), and self-registrations per address ('registration').
CREATE TABLE login_attempts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN
                    ('account', 'address', 'registration')),
    subject         TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX login_attempts_subject ON login_attempts (kind, subject, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

ALTER TABLE users ADD COLUMN password_changed_at TEXT;
