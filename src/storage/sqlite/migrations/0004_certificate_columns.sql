-- PEMs live beside the document so listing never parses them; the lifecycle finds its work
-- (renewals, expiries) by index instead of reading every issued certificate.
ALTER TABLE certificates ADD COLUMN certificate_pem TEXT;
ALTER TABLE certificates ADD COLUMN chain_pem TEXT;
ALTER TABLE certificates ADD COLUMN renewal_status TEXT;
ALTER TABLE certificates ADD COLUMN not_after INTEGER;
CREATE INDEX certificates_renewal ON certificates(status, renewal_status);
CREATE INDEX certificates_not_after ON certificates(status, not_after);
CREATE INDEX certificates_kind ON certificates(account_id, region, type);
UPDATE certificates SET
  not_after = json_extract(doc, '$.facts.notAfter."$d"'),
  renewal_status = json_extract(doc, '$.renewal.status');
