import type Database from 'better-sqlite3';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { TrailRecord } from '../records.js';

/** The trails repository on one SQLite connection (table `trails`, migration 0003). */
export function trailsRepository(db: Database.Database): Repositories['trails'] {
  const get = db.prepare<[string, string, string]>('SELECT doc FROM trails WHERE account_id = ? AND home_region = ? AND name = ?');
  const put = db.prepare('INSERT OR REPLACE INTO trails (account_id, home_region, name, arn, is_multi_region, doc) VALUES (?, ?, ?, ?, ?, ?)');
  const del = db.prepare<[string, string, string]>('DELETE FROM trails WHERE account_id = ? AND home_region = ? AND name = ?');
  const list = db.prepare<[string]>('SELECT doc FROM trails WHERE account_id = ? ORDER BY name, home_region');
  const trail = (r: { doc: string } | undefined) => (r ? decodeDoc<TrailRecord>(r.doc) : undefined);
  return {
    async get(accountId, homeRegion, name) {
      return trail(get.get(accountId, homeRegion, name) as { doc: string } | undefined);
    },
    async put(t) {
      put.run(t.accountId, t.homeRegion, t.name, t.arn, t.isMultiRegionTrail ? 1 : 0, encodeDoc(t));
    },
    async delete(accountId, homeRegion, name) {
      del.run(accountId, homeRegion, name);
    },
    async list(accountId) {
      return (list.all(accountId) as { doc: string }[]).map((r) => trail(r)!);
    },
  };
}
