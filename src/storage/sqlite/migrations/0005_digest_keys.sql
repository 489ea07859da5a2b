-- CloudTrail digest signing keys, per region (ListPublicKeys). Rows are only ever inserted:
-- a digest signed with a key must stay verifiable, so a key is never replaced.
CREATE TABLE digest_keys (
  region TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  public_key BLOB NOT NULL,
  private_key_sealed BLOB NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (region, fingerprint),
  UNIQUE (region, valid_from)
);
