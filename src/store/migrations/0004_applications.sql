-- 0004_applications: what applications, documents and document reviews
-- record beyond 0001 (domain rules 1 and 1.1, up to documents_approved).
-- Portable SQL: ADD COLUMN and CREATE INDEX only.

-- The day an application reached a final state other than a committee
-- decision (rejected, withdrawn): the end of its time-to-certify clock.
ALTER TABLE applications ADD COLUMN closed_on TEXT;

-- The service manual a document review looked at. After a review asks for
-- revisions, documents cannot be approved until a newer service manual has
-- been uploaded.
ALTER TABLE document_reviews ADD COLUMN manual_id INTEGER REFERENCES documents (id);

CREATE INDEX findings_application ON findings (application_id, source, state);
CREATE INDEX document_reviews_app ON document_reviews (application_id);
