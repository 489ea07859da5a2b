-- Every serial each certificate has had, so the OCSP responder still knows a certificate that
-- managed renewal replaced under the same ARN (it stays valid until its own NotAfter).
CREATE TABLE certificate_serials (
  issuer_ca_id TEXT NOT NULL,
  serial TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (issuer_ca_id, serial)
) WITHOUT ROWID;
INSERT OR IGNORE INTO certificate_serials
  SELECT issuer_ca_id, serial, account_id, region, id FROM certificates WHERE issuer_ca_id IS NOT NULL AND serial IS NOT NULL;
DROP INDEX certificates_serial;
-- Certificates whose validation method is being changed, for the lifecycle's due list.
ALTER TABLE certificates ADD COLUMN update_status TEXT;
