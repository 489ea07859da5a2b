-- certtrail's schema on PostgreSQL: the same tables as the SQLite store (its migrations 0001-0011
-- in one step), times in epoch milliseconds, documents as text (doc-codec.ts), secrets as bytea.
-- Names IAM compares regardless of case keep their case in the column and are unique by lower().

CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  account_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  user_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX users_name ON users (account_id, lower(user_name));
CREATE INDEX users_boundary ON users (permissions_boundary) WHERE permissions_boundary IS NOT NULL;

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  secret_sealed BYTEA NOT NULL,
  account_id TEXT NOT NULL,
  user_name TEXT,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);
CREATE INDEX access_keys_user ON access_keys (account_id, lower(user_name));

-- The certificate document holds the domain record; the columns beside it serve the queries.
CREATE TABLE certificates (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  id TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  issuer_ca_id TEXT,
  doc TEXT NOT NULL,
  private_key_sealed BYTEA,
  certificate_pem TEXT,
  chain_pem TEXT,
  renewal_status TEXT,
  not_after BIGINT,
  serial TEXT,
  update_status TEXT,
  PRIMARY KEY (account_id, region, id)
);
CREATE INDEX certificates_status ON certificates (status, created_at);
CREATE INDEX certificates_issuer ON certificates (issuer_ca_id, status);
CREATE INDEX certificates_renewal ON certificates (status, renewal_status);
CREATE INDEX certificates_not_after ON certificates (status, not_after);
CREATE INDEX certificates_list ON certificates (account_id, region, created_at, id);

-- Rows outlive deletion for the yearly request quota.
CREATE TABLE certificate_requests (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX certificate_requests_by_time ON certificate_requests (account_id, region, kind, created_at);

-- Every serial each certificate has had (OCSP answers for one a renewal replaced).
CREATE TABLE certificate_serials (
  issuer_ca_id TEXT NOT NULL,
  serial TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (issuer_ca_id, serial)
);

CREATE TABLE certificate_authorities (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  account_id TEXT,
  region TEXT,
  doc TEXT NOT NULL,
  private_key_sealed BYTEA NOT NULL
);
CREATE UNIQUE INDEX cas_private ON certificate_authorities (account_id, region) WHERE kind = 'private';
CREATE INDEX cas_kind ON certificate_authorities (kind, id);

CREATE TABLE idempotency_tokens (
  scope TEXT NOT NULL,
  token TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, token)
);
CREATE INDEX idempotency_tokens_expiry ON idempotency_tokens (expires_at);

CREATE TABLE account_configurations (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  days_before_expiry INTEGER NOT NULL,
  PRIMARY KEY (account_id, region)
);

-- CloudTrail events. `seq` orders the outbox for delivery and is handed out in commit order
-- (see store.ts: appends hold an advisory lock until COMMIT), so a follower reading "after seq"
-- never skips a row that commits later with a smaller number. Partitioned by week of
-- event_time, so that the 90-day window expires by dropping whole partitions (partitions.ts);
-- rows of weeks without a partition (far from the clock) land in the default one.
CREATE SEQUENCE events_seq;
CREATE TABLE events (
  seq BIGINT NOT NULL DEFAULT nextval('events_seq'),
  event_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_time BIGINT NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only BOOLEAN NOT NULL,
  username TEXT,
  access_key_id TEXT,
  resource_type TEXT,
  resource_name TEXT,
  record TEXT NOT NULL,
  PRIMARY KEY (seq, event_time)
) PARTITION BY RANGE (event_time);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_by_time ON events (account_id, region, event_time, seq);
CREATE INDEX events_by_id ON events (account_id, region, event_id, event_time, seq);
CREATE INDEX events_by_name ON events (account_id, region, event_name, event_time, seq);
CREATE INDEX events_by_source ON events (account_id, region, event_source, event_time, seq);
CREATE INDEX events_by_user ON events (account_id, region, username, event_time, seq);
CREATE INDEX events_by_key ON events (account_id, region, access_key_id, event_time, seq);
CREATE INDEX events_by_resource_name ON events (account_id, region, resource_name, event_time, seq);
CREATE INDEX events_by_resource_type ON events (account_id, region, resource_type, event_time, seq);
CREATE INDEX events_by_read_only ON events (account_id, region, read_only, event_time, seq);

CREATE TABLE trails (
  account_id TEXT NOT NULL,
  home_region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  is_multi_region BOOLEAN NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, home_region, name)
);

CREATE TABLE digest_keys (
  region TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  public_key BYTEA NOT NULL,
  private_key_sealed BYTEA NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_to BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (region, fingerprint),
  UNIQUE (region, valid_from)
);

CREATE TABLE delivery_sessions (
  id TEXT PRIMARY KEY,
  trail_arn TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished BOOLEAN NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX delivery_sessions_by_trail ON delivery_sessions (trail_arn, started_at);
CREATE INDEX delivery_sessions_active ON delivery_sessions (finished, started_at);

CREATE TABLE event_rules (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_bus_name TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, region, event_bus_name, name)
);
CREATE INDEX event_rules_by_state ON event_rules (account_id, region, state);

CREATE TABLE event_connections (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  auth_sealed BYTEA NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

CREATE TABLE api_destinations (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  connection_arn TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

-- The event bus; `seq` is handed out in commit order like the events'.
CREATE TABLE bus_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  envelope TEXT NOT NULL
);
CREATE TABLE bus_state (
  name TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
CREATE TABLE bus_invocations (
  id TEXT PRIMARY KEY,
  due_at BIGINT NOT NULL,
  -- Insertion order among invocations due at the same moment.
  pos BIGINT GENERATED ALWAYS AS IDENTITY,
  doc TEXT NOT NULL
);
CREATE INDEX bus_invocations_due ON bus_invocations (due_at, pos);
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,
  queue_arn TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX dead_letters_by_queue ON dead_letters (queue_arn, created_at);

-- IAM (the SQLite store's migration 0011).
CREATE TABLE iam_groups (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  group_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_groups_name ON iam_groups (account_id, lower(group_name));

CREATE TABLE iam_group_members (
  account_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  added_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX iam_group_members_key ON iam_group_members (account_id, lower(group_name), lower(user_name));
CREATE INDEX iam_group_members_user ON iam_group_members (account_id, lower(user_name));

CREATE TABLE iam_roles (
  account_id TEXT NOT NULL,
  role_name TEXT NOT NULL,
  role_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  assume_role_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL,
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX iam_roles_name ON iam_roles (account_id, lower(role_name));
CREATE INDEX iam_roles_boundary ON iam_roles (permissions_boundary) WHERE permissions_boundary IS NOT NULL;

CREATE TABLE iam_policies (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  policy_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  description TEXT,
  default_version_id TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX iam_policies_name ON iam_policies (account_id, lower(policy_name));

CREATE TABLE iam_policy_versions (
  policy_arn TEXT NOT NULL,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);

CREATE TABLE iam_inline_policies (
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  principal_name TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE UNIQUE INDEX iam_inline_policies_key ON iam_inline_policies (account_id, kind, lower(principal_name), lower(policy_name));

CREATE TABLE iam_attachments (
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  principal_name TEXT NOT NULL,
  policy_arn TEXT NOT NULL,
  attached_at BIGINT NOT NULL,
  -- Attachment order (the SQLite store's rowid).
  pos BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE UNIQUE INDEX iam_attachments_key ON iam_attachments (account_id, kind, lower(principal_name), policy_arn);
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

-- Background work that must run on one node at a time (validation, renewal, delivery, the bus):
-- the holder renews its lease; `fence` grows with every new holder.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  fence BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
