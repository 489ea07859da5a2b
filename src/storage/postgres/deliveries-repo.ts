import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { DeliverySessionRecord } from '../records.js';
import type { PgContext } from './context.js';

type Doc = { doc: string };

export function deliveriesRepository(ctx: PgContext): Repositories['deliveries'] {
  const session = (r: Doc) => decodeDoc<DeliverySessionRecord>(r.doc);
  return {
    async get(id) {
      const [r] = await ctx.sql.query<Doc>('SELECT doc FROM delivery_sessions WHERE id = $1', [id]);
      return r && session(r);
    },
    async put(d) {
      await ctx.sql.query(
        `INSERT INTO delivery_sessions (id, trail_arn, started_at, finished, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET trail_arn = EXCLUDED.trail_arn, started_at = EXCLUDED.started_at, finished = EXCLUDED.finished, doc = EXCLUDED.doc`,
        [d.id, d.trailArn, d.startedAt.getTime(), d.finished, encodeDoc(d)],
      );
    },
    async listActive() {
      const rows = await ctx.sql.query<Doc>('SELECT doc FROM delivery_sessions WHERE NOT finished ORDER BY started_at, id COLLATE "C"');
      return rows.map(session);
    },
    async latest(trailArn) {
      const [r] = await ctx.sql.query<Doc>('SELECT doc FROM delivery_sessions WHERE trail_arn = $1 ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT 1', [trailArn]);
      return r && session(r);
    },
  };
}
