-- 0005_audits: what the audit, decision and certificate actions record
-- beyond 0001 (domain rules 1.1 from plan_audit on, 1.2, 2, 4, 5, 6).
-- Portable SQL: ADD COLUMN and CREATE INDEX only.

-- The audit's plan inputs (man-days are recomputable from them) and the
-- day of each step.
ALTER TABLE audits ADD COLUMN employees INTEGER;
ALTER TABLE audits ADD COLUMN outlets INTEGER;
ALTER TABLE audits ADD COLUMN planned_on TEXT;
ALTER TABLE audits ADD COLUMN confirmed_on TEXT;
ALTER TABLE audits ADD COLUMN started_on TEXT;

-- Who closed the committee's vote (the certificate's signatory).
ALTER TABLE decisions ADD COLUMN closed_by INTEGER REFERENCES users (id);

-- Each revision's outlets and why it was issued.
ALTER TABLE certificate_revisions ADD COLUMN outlets_covered TEXT;
ALTER TABLE certificate_revisions ADD COLUMN reason_code TEXT;

CREATE INDEX findings_audit ON findings (audit_id);
CREATE INDEX special_items_audit ON special_items (audit_id);
CREATE INDEX audit_team_user ON audit_team (user_id);
CREATE INDEX decisions_certificate ON decisions (certificate_id);
