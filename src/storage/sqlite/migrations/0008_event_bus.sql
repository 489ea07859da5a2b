-- The event bus: events put on it that are not CloudTrail events (PutEvents, ACM's own events),
-- the dispatcher's cursors, target invocations waiting for (another) attempt, and dead letters.
CREATE TABLE bus_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  envelope TEXT NOT NULL
);
CREATE TABLE bus_state (
  name TEXT PRIMARY KEY,
  doc TEXT NOT NULL
);
CREATE TABLE bus_invocations (
  id TEXT PRIMARY KEY,
  due_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX bus_invocations_due ON bus_invocations (due_at);
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,
  queue_arn TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX dead_letters_by_queue ON dead_letters (queue_arn, created_at);
