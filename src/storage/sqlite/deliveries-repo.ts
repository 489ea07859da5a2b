import type Database from 'better-sqlite3';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { DeliverySessionRecord } from '../records.js';

/** Trail delivery sessions on one SQLite connection (table `delivery_sessions`, migration 0006). */
export function deliveriesRepository(db: Database.Database): Repositories['deliveries'] {
  const get = db.prepare<[string]>('SELECT doc FROM delivery_sessions WHERE id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO delivery_sessions (id, trail_arn, started_at, finished, doc) VALUES (?, ?, ?, ?, ?)');
  const active = db.prepare('SELECT doc FROM delivery_sessions WHERE finished = 0 ORDER BY started_at, id');
  const latest = db.prepare<[string]>('SELECT doc FROM delivery_sessions WHERE trail_arn = ? ORDER BY started_at DESC, id DESC LIMIT 1');
  const one = (r: unknown) => (r ? decodeDoc<DeliverySessionRecord>((r as { doc: string }).doc) : undefined);
  return {
    async get(id) {
      return one(get.get(id));
    },
    async put(d) {
      put.run(d.id, d.trailArn, d.startedAt.getTime(), d.finished ? 1 : 0, encodeDoc(d));
    },
    async listActive() {
      return active.all().map((r) => one(r)!);
    },
    async latest(trailArn) {
      return one(latest.get(trailArn));
    },
  };
}
