// The insert side of bench/seed-events.ts, on its own thread so that generating the next batch
// of synthetic events (JSON records) overlaps inserting this one. Plain JavaScript: it runs
// without the TypeScript loader. Messages: { rows } → { inserted }, { close } → { closed }.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
// The server is stopped and the data is synthetic: no fsync per transaction (the file is
// flushed once at the end, see seed-events.ts).
db.pragma('synchronous = OFF');
db.pragma('cache_size = -262144');
const insert = db.prepare(
  'INSERT INTO events (event_id, account_id, region, event_time, event_source, event_name, read_only, username, access_key_id, resource_type, resource_name, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const many = db.transaction((rows) => {
  for (const r of rows) insert.run(r);
});

parentPort.on('message', (msg) => {
  try {
    if (msg.close) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      parentPort.postMessage({ closed: true });
      parentPort.close();
      return;
    }
    many(msg.rows);
    parentPort.postMessage({ inserted: msg.rows.length });
  } catch (e) {
    parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
