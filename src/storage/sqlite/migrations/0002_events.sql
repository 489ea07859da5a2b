-- CloudTrail events. `seq` orders the outbox for delivery; the lookup columns mirror
-- LookupEvents' attributes, each indexed with time so a lookup is a range scan whatever the size.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only INTEGER NOT NULL,
  username TEXT,
  access_key_id TEXT,
  resource_type TEXT,
  resource_name TEXT,
  record TEXT NOT NULL
);
CREATE INDEX events_by_time ON events(account_id, region, event_time, seq);
CREATE INDEX events_by_name ON events(account_id, region, event_name, event_time, seq);
CREATE INDEX events_by_source ON events(account_id, region, event_source, event_time, seq);
CREATE INDEX events_by_user ON events(account_id, region, username, event_time, seq);
CREATE INDEX events_by_key ON events(account_id, region, access_key_id, event_time, seq);
CREATE INDEX events_by_resource_name ON events(account_id, region, resource_name, event_time, seq);
CREATE INDEX events_by_resource_type ON events(account_id, region, resource_type, event_time, seq);
CREATE INDEX events_by_read_only ON events(account_id, region, read_only, event_time, seq);
