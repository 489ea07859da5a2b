import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { BusEventRecord, BusInvocationRecord, DeadLetterRecord } from '../records.js';
import type { PgContext } from './context.js';

type Row = { seq: number; account_id: string; region: string; created_at: number; envelope: string };

export function busRepository(ctx: PgContext): Repositories['bus'] {
  const row = (r: Row): BusEventRecord => ({ seq: r.seq, accountId: r.account_id, region: r.region, createdAt: new Date(r.created_at), envelope: r.envelope });
  const docs = <T>(rows: { doc: string }[]) => rows.map((r) => decodeDoc<T>(r.doc));
  return {
    async publish(events) {
      if (!events.length) return;
      // Followers read "after seq": numbers must be handed out in commit order.
      await ctx.appendLock();
      for (const e of events) {
        await ctx.sql.query('INSERT INTO bus_events (account_id, region, created_at, envelope) VALUES ($1, $2, $3, $4)', [e.accountId, e.region, e.createdAt.getTime(), e.envelope]);
      }
    },
    async after(seq, limit) {
      return (await ctx.sql.query<Row>('SELECT * FROM bus_events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit])).map(row);
    },
    async lastSeq() {
      const [r] = await ctx.sql.query<{ n: number }>('SELECT coalesce(max(seq), 0) AS n FROM bus_events');
      return r.n;
    },
    async getState<T>(name: string) {
      const [r] = await ctx.sql.query<{ doc: string }>('SELECT doc FROM bus_state WHERE name = $1', [name]);
      return r ? decodeDoc<T>(r.doc) : undefined;
    },
    async putState(name, value) {
      await ctx.sql.query('INSERT INTO bus_state (name, doc) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc', [name, encodeDoc(value)]);
    },
    async enqueue(i: BusInvocationRecord) {
      await ctx.sql.query('INSERT INTO bus_invocations (id, due_at, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [i.id, i.dueAt.getTime(), encodeDoc(i)]);
    },
    async putInvocation(i) {
      // A new position, as SQLite's REPLACE gives a new rowid: a rescheduled invocation goes behind
      // those already waiting for the same moment.
      await ctx.sql.query(
        'INSERT INTO bus_invocations (id, due_at, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET due_at = EXCLUDED.due_at, pos = DEFAULT, doc = EXCLUDED.doc',
        [i.id, i.dueAt.getTime(), encodeDoc(i)],
      );
    },
    async deleteInvocation(id) {
      await ctx.sql.query('DELETE FROM bus_invocations WHERE id = $1', [id]);
    },
    async due(now, limit) {
      return docs<BusInvocationRecord>(await ctx.sql.query('SELECT doc FROM bus_invocations WHERE due_at <= $1 ORDER BY due_at, pos LIMIT $2', [now.getTime(), limit]));
    },
    async putDeadLetter(d: DeadLetterRecord) {
      await ctx.sql.query(
        `INSERT INTO dead_letters (id, queue_arn, created_at, doc) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET queue_arn = EXCLUDED.queue_arn, created_at = EXCLUDED.created_at, doc = EXCLUDED.doc`,
        [d.id, d.queueArn, d.createdAt.getTime(), encodeDoc(d)],
      );
    },
    async listDeadLetters(queueArn) {
      const rows = queueArn
        ? await ctx.sql.query<{ doc: string }>('SELECT doc FROM dead_letters WHERE queue_arn = $1 ORDER BY created_at, id COLLATE "C"', [queueArn])
        : await ctx.sql.query<{ doc: string }>('SELECT doc FROM dead_letters ORDER BY created_at, id COLLATE "C"');
      return docs<DeadLetterRecord>(rows);
    },
  };
}
