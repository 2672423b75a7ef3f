-- 0007_pending_audits: the daily clock asks, for each certificate it
-- plans, for the audits that are carried out and await the committee,
-- including the recertification audit of an application about that
-- certificate (docs/decisions.md, "A surveillance awaiting its decision").
-- This index finds a certificate's applications without a scan.
-- Portable SQL: CREATE INDEX only.
CREATE INDEX applications_certificate ON applications (certificate_id);
