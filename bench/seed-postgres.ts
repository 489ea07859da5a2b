/**
 * The PostgreSQL writer for bench/seed-events.ts's rows: one COPY FROM STDIN into the `events`
 * table of a schema certtrail has created (and made its weekly partitions in: the rows span the
 * last 80 days). `seq` is left to its default, nextval('events_seq'), as the server's own inserts
 * take it. The generator runs here while the PostgreSQL backend inserts in its own process.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { from as copyFrom } from 'pg-copy-streams';
import { connect } from './pg.js';
import type { EventSeeder, GrowResult } from './seed-events.js';

const FIELDS = 'event_id, account_id, region, event_time, event_source, event_name, read_only, username, access_key_id, resource_type, resource_name, record';

/** COPY's text format: \N is NULL, and a backslash starts an escape (JSON records have them). */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

function* copyText(batches: Iterable<unknown[][]>): Generator<string> {
  for (const batch of batches) {
    let out = '';
    for (const row of batch) out += row.map(field).join('\t') + '\n';
    yield out;
  }
}

export interface PgGrowResult extends GrowResult {
  /** VACUUM (ANALYZE) events afterwards. */
  vacuumSeconds: number;
}

/**
 * Adds events to the `events` table at `url` until it holds `target`, then VACUUM (ANALYZE)s it:
 * the planner sees the real row counts, and autovacuum, which large inserts set off, does not
 * start on the new rows in the middle of a measurement instead.
 */
export async function growPostgres(seeder: EventSeeder, url: string, target: number, now: number): Promise<PgGrowResult> {
  const client = await connect(url);
  try {
    const count = async () => Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const have = await count();
    const t0 = performance.now();
    await pipeline(Readable.from(copyText(seeder.batches(have, target, now))), client.query(copyFrom(`COPY events (${FIELDS}) FROM STDIN`)));
    const seconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await client.query('VACUUM (ANALYZE) events');
    const vacuumSeconds = (performance.now() - t1) / 1000;
    const total = await count();
    return { inserted: total - have, seconds, vacuumSeconds, total };
  } finally {
    await client.end().catch(() => undefined);
  }
}
