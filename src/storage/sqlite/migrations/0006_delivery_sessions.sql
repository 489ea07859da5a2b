-- Trail delivery: one row per logging session (StartLogging … StopLogging/DeleteTrail).
-- The document holds the cursor into events, the pending log files and the digest chains.
CREATE TABLE delivery_sessions (
  id TEXT PRIMARY KEY,
  trail_arn TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX delivery_sessions_by_trail ON delivery_sessions (trail_arn, started_at);
CREATE INDEX delivery_sessions_active ON delivery_sessions (finished, started_at);
