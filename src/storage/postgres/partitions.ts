import { DAY_MS } from '../../kernel/clock.js';
import { lockSql } from './locks.js';
import type { Sql, SqlPool } from './sql.js';

/** Weeks counted from the epoch (a Thursday): the events table's partitions. */
const WEEK_MS = 7 * DAY_MS;
/** CloudTrail's event history keeps 90 days (cloudtrail.md §6); a week whose end is older goes whole. */
export const EVENT_RETENTION_MS = 90 * DAY_MS;
/** Partitions made ahead of the clock, so that inserts never wait for DDL. */
const WEEKS_AHEAD = 2;

const partitionName = (week: number) => `events_w${week}`;

/**
 * Keeps the events table's weekly partitions: makes those from the retention window's start to
 * a little past `now`, and drops those wholly older than the window (a DROP, not a DELETE of
 * millions of rows). A week whose rows already sit in the default partition (a clock moved far)
 * keeps them there. Under an advisory lock, so nodes running it together do not collide.
 */
export async function maintainEventPartitions(pool: SqlPool, now: Date): Promise<{ created: string[]; dropped: string[] }> {
  const created: string[] = [];
  const dropped: string[] = [];
  await pool.session(async (sql) => {
    await sql.query(lockSql('pg_advisory_lock', 'maintenance'));
    try {
      const existing = await partitions(sql);
      const first = Math.floor((now.getTime() - EVENT_RETENTION_MS) / WEEK_MS);
      const last = Math.floor(now.getTime() / WEEK_MS) + WEEKS_AHEAD;
      for (let week = first; week <= last; week++) {
        if (existing.has(week)) continue;
        const from = week * WEEK_MS;
        const to = from + WEEK_MS;
        const [{ n }] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM events_default WHERE event_time >= $1 AND event_time < $2', [from, to]);
        if (n > 0) continue;
        await sql.query(`CREATE TABLE IF NOT EXISTS ${partitionName(week)} PARTITION OF events FOR VALUES FROM (${from}) TO (${to})`);
        created.push(partitionName(week));
      }
      for (const week of existing) {
        if ((week + 1) * WEEK_MS > now.getTime() - EVENT_RETENTION_MS) continue;
        await sql.query(`DROP TABLE IF EXISTS ${partitionName(week)}`);
        dropped.push(partitionName(week));
      }
      await sql.query('DELETE FROM events_default WHERE event_time < $1', [now.getTime() - EVENT_RETENTION_MS]);
    } finally {
      await sql.query(lockSql('pg_advisory_unlock', 'maintenance'));
    }
  });
  return { created, dropped };
}

/** The weeks that have a partition. */
async function partitions(sql: Sql): Promise<Set<number>> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'events' AND p.relnamespace = current_schema()::regnamespace AND c.relname ~ '^events_w[0-9]+$'`,
  );
  return new Set(rows.map((r) => Number(r.name.slice('events_w'.length))));
}
