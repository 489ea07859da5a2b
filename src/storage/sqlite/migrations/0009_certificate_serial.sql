-- The serial beside the document, so the OCSP responder finds a certificate by (issuer, serial)
-- with an index rather than reading every certificate the CA issued.
ALTER TABLE certificates ADD COLUMN serial TEXT;
UPDATE certificates SET serial = json_extract(doc, '$.facts.serial');
CREATE INDEX certificates_serial ON certificates(issuer_ca_id, serial);
