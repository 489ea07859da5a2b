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
/** Every batch given, in one transaction. */
const appendAll = db.transaction((batches) => {
  for (const batch of batches) insertBatch(batch);
});

/** Reads store.ts's packEvents format: columns as `<length>:<text>` or `~` (null), read-only as one digit. */
function insertBatch(batch) {
  let i = 0;
  const text = () => {
    if (batch[i] === '~') {
      i++;
      return null;
    }
    const colon = batch.indexOf(':', i);
    if (colon < 0) throw new Error('malformed event batch');
    const end = colon + 1 + Number(batch.slice(i, colon));
    const v = batch.slice(colon + 1, end);
    i = end;
    return v;
  };
  while (i < batch.length) {
    const eventId = text(), accountId = text(), region = text(), eventTime = Number(text()), eventSource = text(), eventName = text();
    const readOnly = batch[i++] === '1' ? 1 : 0;
    const username = text(), accessKeyId = text(), resourceType = text(), resourceName = text(), record = text();
    insert.run(eventId, accountId, region, eventTime, eventSource, eventName, readOnly, username, accessKeyId, resourceType, resourceName, record);
  }
}

// Group commit: the batches that arrived while the last transaction ran (they wait in the port,
// then come in one turn) go into the next transaction together, one fsync for all of them; each is
// acknowledged once that transaction has committed, or failed with it.
let pending = [];

function commitPending() {
  const msgs = pending;
  pending = [];
  if (msgs.length === 0) return;
  const ids = msgs.map((m) => m.id);
  try {
    appendAll.immediate(msgs.map((m) => m.batch));
    parentPort.postMessage({ ids, ok: true });
  } catch (e) {
    parentPort.postMessage({ ids, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    commitPending();
    db.close();
    parentPort.close();
    return;
  }
  pending.push(msg);
  if (pending.length === 1) setImmediate(commitPending);
});
