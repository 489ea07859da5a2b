CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  account_id TEXT NOT NULL,
  user_name TEXT NOT NULL COLLATE NOCASE,
  user_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_name)
);

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  secret_sealed BLOB NOT NULL,
  account_id TEXT NOT NULL,
  user_name TEXT,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_keys_account ON access_keys(account_id);

-- The certificate document holds the domain record; indexed columns serve the queries.
CREATE TABLE certificates (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  id TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  issuer_ca_id TEXT,
  doc TEXT NOT NULL,
  private_key_sealed BLOB,
  PRIMARY KEY (account_id, region, id)
);
CREATE INDEX certificates_status ON certificates(status);
CREATE INDEX certificates_issuer ON certificates(issuer_ca_id, status);

-- Rows outlive deletion for the yearly request quota.
CREATE TABLE certificate_requests (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX certificate_requests_by_time ON certificate_requests(account_id, region, kind, created_at);

CREATE TABLE certificate_authorities (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  account_id TEXT,
  region TEXT,
  doc TEXT NOT NULL,
  private_key_sealed BLOB NOT NULL
);
CREATE UNIQUE INDEX cas_private ON certificate_authorities(account_id, region) WHERE kind = 'private';

CREATE TABLE idempotency_tokens (
  scope TEXT NOT NULL,
  token TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, token)
);

CREATE TABLE account_configurations (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  days_before_expiry INTEGER NOT NULL,
  PRIMARY KEY (account_id, region)
);
