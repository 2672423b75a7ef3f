-- 0001_lifecycle: the whole certification lifecycle (domain rules 1-7).
-- Portable SQL: dates are TEXT 'YYYY-MM-DD', instants TEXT
-- 'YYYY-MM-DDTHH:MM:SSZ', booleans INTEGER 0/1, money INTEGER cents, scores
-- INTEGER tenths, man-days INTEGER half days. The PostgreSQL engine reads
-- "INTEGER PRIMARY KEY" as an identity column and BLOB as BYTEA.

CREATE TABLE schemes (
    id          TEXT NOT NULL,
    version     TEXT NOT NULL,
    body        TEXT NOT NULL,           -- the scheme file, as loaded
    sha256      TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    uscc        TEXT NOT NULL UNIQUE,    -- checked by the core before insert
    name        TEXT NOT NULL,
    name_en     TEXT,
    address     TEXT NOT NULL,
    employees   INTEGER NOT NULL CHECK (employees >= 1),
    created_at  TEXT NOT NULL
);

CREATE TABLE outlets (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    address         TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN
                    ('admin', 'market', 'review', 'auditor', 'committee', 'enterprise')),
    organisation_id INTEGER REFERENCES organisations (id),
    password_hash   TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    CHECK ((role = 'enterprise') = (organisation_id IS NOT NULL))
);

-- Auditor qualifications with their validity (rule 5).
CREATE TABLE qualifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN ('auditor', 'lead_auditor')),
    number      TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    CHECK (valid_from <= valid_to)
);

-- The impartiality register: declared links of staff with organisations.
CREATE TABLE impartiality_links (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('consulted', 'employed')),
    date_from       TEXT NOT NULL,
    date_to         TEXT,                -- NULL: ongoing
    declared_at     TEXT NOT NULL
);

CREATE TABLE certificates (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    state           TEXT NOT NULL CHECK (state IN
                    ('active', 'suspended', 'withdrawn', 'cancelled', 'expired')),
    state_since     TEXT NOT NULL,
    state_reason    TEXT,
    revision        INTEGER NOT NULL DEFAULT 1,
    level           TEXT NOT NULL,
    score_tenths    INTEGER NOT NULL,
    scope           TEXT NOT NULL,
    outlets_covered TEXT NOT NULL DEFAULT '',
    initial_issued  TEXT NOT NULL,       -- first certificate of this holder
    cycle_start     TEXT NOT NULL,       -- start of the current 3-year cycle
    issued          TEXT NOT NULL,       -- this revision's issue date
    expires         TEXT NOT NULL,
    anchor          TEXT NOT NULL,       -- anchor of the next surveillance window
    surveillance_n  INTEGER NOT NULL DEFAULT 0, -- surveillances done this cycle
    confidential    INTEGER NOT NULL DEFAULT 0,
    scheme_id       TEXT NOT NULL,
    scheme_version  TEXT NOT NULL,
    signatory       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_org ON certificates (organisation_id);
CREATE INDEX certificates_state ON certificates (state, expires);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN
                    ('initial', 'recertification', 'upgrade', 'scope_change')),
    state           TEXT NOT NULL,
    certificate_id  INTEGER REFERENCES certificates (id), -- for non-initial kinds
    scheme_id       TEXT NOT NULL,
    scheme_version  TEXT NOT NULL,
    scope           TEXT NOT NULL,
    delivery_mode   TEXT,                -- direct / outsourced / mixed
    excluded_note   TEXT,                -- indicators that do not apply, why
    created_on      TEXT NOT NULL,
    submitted_on    TEXT,
    decided_on      TEXT,
    state_reason    TEXT,
    FOREIGN KEY (scheme_id, scheme_version) REFERENCES schemes (id, version)
);
CREATE INDEX applications_org ON applications (organisation_id);

-- Preparation checklist (rule 1, items 1-5) with evidence.
CREATE TABLE preparation_items (
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    item            INTEGER NOT NULL CHECK (item BETWEEN 1 AND 5),
    done            INTEGER NOT NULL DEFAULT 0,
    evidence        TEXT,
    PRIMARY KEY (application_id, item)
);

-- Trained after-sales service managers (preparation item 1).
CREATE TABLE service_managers (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    name            TEXT NOT NULL,
    certificate_no  TEXT NOT NULL,
    UNIQUE (application_id, certificate_no)
);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    media_type      TEXT NOT NULL,       -- detected from the bytes
    content         BLOB NOT NULL,
    uploaded_by     INTEGER NOT NULL REFERENCES users (id),
    uploaded_at     TEXT NOT NULL
);
CREATE INDEX documents_app ON documents (application_id, kind);

CREATE TABLE contracts (
    id                  INTEGER PRIMARY KEY,
    application_id      INTEGER NOT NULL UNIQUE REFERENCES applications (id),
    number              TEXT NOT NULL UNIQUE,
    fee_cents           INTEGER NOT NULL CHECK (fee_cents >= 0),
    mandays_halves      INTEGER NOT NULL,
    preliminary_audit   TEXT NOT NULL,
    signed_on           TEXT NOT NULL,
    signed_by           INTEGER NOT NULL REFERENCES users (id)
);

CREATE TABLE document_reviews (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    reviewer_id     INTEGER NOT NULL REFERENCES users (id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('revise', 'approved')),
    reviewed_on     TEXT NOT NULL,
    note            TEXT
);

-- Every issued revision, kept for ever.
CREATE TABLE certificate_revisions (
    certificate_id  INTEGER NOT NULL REFERENCES certificates (id),
    revision        INTEGER NOT NULL,
    level           TEXT NOT NULL,
    score_tenths    INTEGER NOT NULL,
    scope           TEXT NOT NULL,
    issued          TEXT NOT NULL,
    expires         TEXT NOT NULL,
    decision_id     INTEGER,
    PRIMARY KEY (certificate_id, revision)
);

CREATE TABLE certificate_status_changes (
    id              INTEGER PRIMARY KEY,
    certificate_id  INTEGER NOT NULL REFERENCES certificates (id),
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    action          TEXT NOT NULL,
    reason_code     TEXT NOT NULL,
    reason_text     TEXT,
    on_date         TEXT NOT NULL,
    by_user         INTEGER REFERENCES users (id) -- NULL: the daily clock
);
CREATE INDEX status_changes_cert ON certificate_status_changes (certificate_id);

-- On-site audits: of an application (initial, recertification, upgrade,
-- scope change) or of a certificate (surveillance, restore).
CREATE TABLE audits (
    id                  INTEGER PRIMARY KEY,
    application_id      INTEGER REFERENCES applications (id),
    certificate_id      INTEGER REFERENCES certificates (id),
    kind                TEXT NOT NULL CHECK (kind IN
                        ('initial', 'surveillance', 'recertification', 'restore')),
    state               TEXT NOT NULL CHECK (state IN
                        ('planned', 'confirmed', 'in_audit', 'reported', 'decided')),
    scheme_id           TEXT NOT NULL,
    scheme_version      TEXT NOT NULL,
    date_from           TEXT NOT NULL,
    date_to             TEXT NOT NULL,
    mandays_halves      INTEGER NOT NULL,
    mandays_reduction   INTEGER NOT NULL DEFAULT 0,
    mandays_reason      TEXT,
    arrangements        TEXT,            -- people, transport, office space
    sheet               TEXT,            -- the calculation sheet (JSON)
    score_tenths        INTEGER,
    level               TEXT,
    reported_on         TEXT,
    CHECK ((application_id IS NULL) <> (certificate_id IS NULL)),
    CHECK (date_from <= date_to)
);
CREATE INDEX audits_app ON audits (application_id);
CREATE INDEX audits_cert ON audits (certificate_id);

CREATE TABLE audit_team (
    audit_id    INTEGER NOT NULL REFERENCES audits (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    lead        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (audit_id, user_id)
);

CREATE TABLE audit_results (
    audit_id        INTEGER NOT NULL REFERENCES audits (id),
    indicator       TEXT NOT NULL,
    result          TEXT NOT NULL CHECK (result IN
                    ('conform', 'nonconform', 'sampled', 'excluded')),
    samples         INTEGER,
    nonconforming   INTEGER,
    reason          TEXT,
    PRIMARY KEY (audit_id, indicator)
);

CREATE TABLE special_items (
    id          INTEGER PRIMARY KEY,
    audit_id    INTEGER NOT NULL REFERENCES audits (id),
    kind        TEXT NOT NULL CHECK (kind IN ('bonus', 'deduction')),
    reason      TEXT NOT NULL
);

-- Findings of a document review or an audit, with the corrective action
-- and its verification.
CREATE TABLE findings (
    id                  INTEGER PRIMARY KEY,
    application_id      INTEGER REFERENCES applications (id),
    audit_id            INTEGER REFERENCES audits (id),
    source              TEXT NOT NULL CHECK (source IN ('document_review', 'audit')),
    severity            TEXT NOT NULL CHECK (severity IN ('minor', 'major')),
    indicator           TEXT,
    text                TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('open', 'corrected', 'verified')),
    corrective_action   TEXT,
    verified_by         INTEGER REFERENCES users (id),
    verified_on         TEXT,
    raised_by           INTEGER NOT NULL REFERENCES users (id),
    raised_on           TEXT NOT NULL
);

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY,
    audit_id        INTEGER NOT NULL UNIQUE REFERENCES audits (id),
    outcome         TEXT NOT NULL,       -- certified / refused / maintained / ...
    level           TEXT NOT NULL,
    score_tenths    INTEGER NOT NULL,
    decided_on      TEXT NOT NULL,
    certificate_id  INTEGER REFERENCES certificates (id)
);

CREATE TABLE votes (
    audit_id    INTEGER NOT NULL REFERENCES audits (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    approve     INTEGER NOT NULL,
    level       TEXT,                    -- the level the member votes for
    comment     TEXT,
    voted_on    TEXT NOT NULL,
    PRIMARY KEY (audit_id, user_id)
);

CREATE TABLE certificate_sequences (
    year        INTEGER PRIMARY KEY,
    next_seq    INTEGER NOT NULL
);

-- Append-only event log. Each row's hash is SHA-256 over the previous row's
-- hash and this row's canonical text (see src/store/events.c).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,                 -- NULL: the daily clock or the system
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    detail      TEXT NOT NULL,           -- JSON: before/after, reason
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
