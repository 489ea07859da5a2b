import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { TrailRecord } from '../records.js';
import type { PgContext } from './context.js';

type Doc = { doc: string };

export function trailsRepository(ctx: PgContext): Repositories['trails'] {
  const trail = (r: Doc) => decodeDoc<TrailRecord>(r.doc);
  return {
    async get(accountId, homeRegion, name) {
      const [r] = await ctx.sql.query<Doc>('SELECT doc FROM trails WHERE account_id = $1 AND home_region = $2 AND name = $3', [accountId, homeRegion, name]);
      return r && trail(r);
    },
    async put(t) {
      await ctx.sql.query(
        `INSERT INTO trails (account_id, home_region, name, arn, is_multi_region, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, home_region, name) DO UPDATE SET arn = EXCLUDED.arn, is_multi_region = EXCLUDED.is_multi_region, doc = EXCLUDED.doc`,
        [t.accountId, t.homeRegion, t.name, t.arn, t.isMultiRegionTrail, encodeDoc(t)],
      );
    },
    async delete(accountId, homeRegion, name) {
      await ctx.sql.query('DELETE FROM trails WHERE account_id = $1 AND home_region = $2 AND name = $3', [accountId, homeRegion, name]);
    },
    async list(accountId) {
      const rows = await ctx.sql.query<Doc>('SELECT doc FROM trails WHERE account_id = $1 ORDER BY name COLLATE "C", home_region COLLATE "C"', [accountId]);
      return rows.map(trail);
    },
  };
}
