// Appends CloudTrail events on its own thread and connection, so the commits (and the WAL's
// fsyncs and checkpoints) of the events of read-only and failed calls never block the event
// loop that serves requests. Plain JavaScript: it runs without the TypeScript loader.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.file);
// busy_timeout first: the main connection may hold the write lock at this moment.
db.pragma('busy_timeout = 10000');
db.pragma(`synchronous = ${workerData.synchronous}`);
const insert = db.prepare(
  'INSERT INTO events (event_id, account_id, region, event_time, event_source, event_name, read_only, username, access_key_id, resource_type, resource_name, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const appendAll = db.transaction((events) => {
  for (const e of events)
    insert.run(e.eventId, e.accountId, e.region, e.eventTime, e.eventSource, e.eventName, e.readOnly ? 1 : 0, e.username ?? null, e.accessKeyId ?? null, e.resourceType ?? null, e.resourceName ?? null, e.record);
});

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    appendAll.immediate(msg.events);
    parentPort.postMessage({ id: msg.id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
