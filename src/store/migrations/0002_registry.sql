-- 0002_registry: what the daily clock (starcert tick), the deadline list
-- (starcert due) and the public registry search need to be fast on a
-- national registry of a million certificates.
--
-- DERIVED STATE, kept for speed only (see src/store/store_tick.c):
--   certificates.next_due   the first day on which `starcert tick` has
--                           something to do for the certificate (a
--                           suspension, withdrawal, expiry or the opening of
--                           the recertification period), computed from the
--                           timeline rules (src/core/timeline); '9999-12-31'
--                           when nothing is ever due (withdrawn, cancelled,
--                           expired); NULL when unknown ("stale"). tick and
--                           import write it exactly in the transaction that
--                           writes the certificate; the trigger below sets it
--                           to NULL in the same statement's transaction
--                           whenever another writer changes a date or the
--                           state without setting it, and tick recomputes
--                           every NULL. tick therefore touches only
--                           `next_due IS NULL OR next_due <= today`.
--   certificates.recert_opened_on  the day the recertification period of
--                           the current cycle was recorded as open (tick's
--                           "recertification_opened"); NULL until then, and
--                           reset to NULL when the cycle's expiry changes (a
--                           new cycle).
-- Organisation-name search (domain rule 6, Chinese substring match):
--   org_name_trigram  FTS5, trigram tokenizer, external content on
--                     organisations.name: substrings of 3+ characters.
--   org_name_grams    FTS5, contentless, detail=none: every 1- and
--                     2-character substring of the name as one token
--                     (trigram matches nothing shorter than 3 characters,
--                     and Chinese firms are searched by two: 海尔, 美的).
--                     The tokenizer keeps letters, digits, marks,
--                     punctuation and symbols as token characters so a gram
--                     is never split; space separates grams. Case-folded.
--   gram_positions    1..300, the character positions the gram trigger
--                     walks (names are capped well below 300 characters;
--                     characters beyond 300 are not in the 1-2 gram index).
-- Both indexes are maintained by triggers on organisations, so every writer
-- keeps them exact without knowing about them. The one exception is the
-- bulk import (src/store/store_import.c): inside its transaction it drops
-- the insert trigger, writes the same index entries itself (the gram text
-- built the same way) and creates the trigger again before it commits. `hashsize` lets FTS5 gather 64 MiB of
-- index entries in memory before writing a segment (fewer merges on bulk
-- loads). SQLite only: the PostgreSQL
-- engine will use pg_trgm (with its own short-query path) instead.

ALTER TABLE certificates ADD COLUMN next_due TEXT;
ALTER TABLE certificates ADD COLUMN recert_opened_on TEXT;
CREATE INDEX certificates_next_due ON certificates (next_due);

-- A new cycle (expiry changed): the recertification marker no longer holds.
CREATE TRIGGER certificates_cycle_changed
AFTER UPDATE OF expires ON certificates
WHEN NEW.expires IS NOT OLD.expires
BEGIN
    UPDATE certificates SET recert_opened_on = NULL, next_due = NULL
    WHERE id = NEW.id;
END;

-- Any other change of the dates or the state by a writer that did not set
-- next_due itself makes next_due stale.
CREATE TRIGGER certificates_dates_changed
AFTER UPDATE OF state, state_since, cycle_start, issued, anchor,
                surveillance_n, scheme_id, scheme_version ON certificates
WHEN NEW.next_due IS OLD.next_due
BEGIN
    UPDATE certificates SET next_due = NULL WHERE id = NEW.id;
END;

CREATE TABLE gram_positions (n INTEGER PRIMARY KEY);
WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 300)
INSERT INTO gram_positions (n) SELECT n FROM p;

CREATE VIRTUAL TABLE org_name_trigram USING fts5(
    name, content = 'organisations', content_rowid = 'id',
    tokenize = 'trigram');

CREATE VIRTUAL TABLE org_name_grams USING fts5(
    grams, content = '', detail = none,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'");

INSERT INTO org_name_trigram (org_name_trigram, rank) VALUES ('hashsize', 67108864);
INSERT INTO org_name_grams (org_name_grams, rank) VALUES ('hashsize', 67108864);

CREATE TRIGGER organisations_search_insert
AFTER INSERT ON organisations
BEGIN
    INSERT INTO org_name_trigram (rowid, name) VALUES (NEW.id, NEW.name);
    INSERT INTO org_name_grams (rowid, grams)
    SELECT NEW.id, group_concat(substr(NEW.name, n, 1) || ' ' ||
                                substr(NEW.name, n, 2), ' ')
    FROM gram_positions WHERE n <= length(NEW.name);
END;

CREATE TRIGGER organisations_search_delete
AFTER DELETE ON organisations
BEGIN
    INSERT INTO org_name_trigram (org_name_trigram, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO org_name_grams (org_name_grams, rowid, grams)
    SELECT 'delete', OLD.id, group_concat(substr(OLD.name, n, 1) || ' ' ||
                                          substr(OLD.name, n, 2), ' ')
    FROM gram_positions WHERE n <= length(OLD.name);
END;

CREATE TRIGGER organisations_search_update
AFTER UPDATE OF name ON organisations
BEGIN
    INSERT INTO org_name_trigram (org_name_trigram, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO org_name_grams (org_name_grams, rowid, grams)
    SELECT 'delete', OLD.id, group_concat(substr(OLD.name, n, 1) || ' ' ||
                                          substr(OLD.name, n, 2), ' ')
    FROM gram_positions WHERE n <= length(OLD.name);
    INSERT INTO org_name_trigram (rowid, name) VALUES (NEW.id, NEW.name);
    INSERT INTO org_name_grams (rowid, grams)
    SELECT NEW.id, group_concat(substr(NEW.name, n, 1) || ' ' ||
                                substr(NEW.name, n, 2), ' ')
    FROM gram_positions WHERE n <= length(NEW.name);
END;

-- Organisations that existed before this migration.
INSERT INTO org_name_trigram (org_name_trigram) VALUES ('rebuild');
INSERT INTO org_name_grams (rowid, grams)
SELECT o.id, (SELECT group_concat(substr(o.name, n, 1) || ' ' ||
                                  substr(o.name, n, 2), ' ')
              FROM gram_positions WHERE n <= length(o.name))
FROM organisations o;
