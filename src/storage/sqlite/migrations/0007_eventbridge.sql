-- EventBridge: rules (their targets inside the document), connections (secrets sealed in
-- their own column, never in the document) and API destinations, per account and region.
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
-- What a dispatcher reads: the enabled rules of an account and region.
CREATE INDEX event_rules_by_state ON event_rules (account_id, region, state);

CREATE TABLE event_connections (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  auth_sealed BLOB NOT NULL,
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
