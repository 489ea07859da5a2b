/**
 * Where the LookupEvents phase keeps its events: a data dir's SQLite file, or a schema on a
 * PostgreSQL server. The phase itself (bench/run.ts) is the same on both: seed, start a server on
 * the store, look up, stop it, drop the events of its own calls, seed further.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../test/helpers/server.js';
import { createSchema, isLocal, pgQuery, schemaBytes } from './pg.js';
import { growPostgres } from './seed-postgres.js';
import { ACCOUNT, REGION, type EventSeeder, type GrowResult } from './seed-events.js';

/** Starts a certtrail child on `dataDir` with `env` added. */
export type Launch = (env: Record<string, string>, tag: string, dataDir: string) => Promise<RunningServer>;

export interface EventStore {
  backend: 'SQLite' | 'PostgreSQL';
  /** The server's data dir (kept from stage to stage). */
  dataDir: string;
  /** Where the stored events are on disk, when this machine can tell (for its file system type). */
  diskDir?: string;
  start(tag: string): Promise<RunningServer>;
  grow(seeder: EventSeeder, target: number, now: number): Promise<GrowResult & { vacuumSeconds?: number }>;
  /** Stored events of the bench's account and region whose `column` is `value`. */
  matches(column: string, value: string): Promise<number>;
  total(): Promise<number>;
  /** Deletes the events of the lookups themselves, so that the next stage starts from the synthetic mix. */
  dropOwnEvents(): Promise<void>;
  bytes(): Promise<number>;
  dispose(): Promise<void>;
}

const OWN_EVENTS = "DELETE FROM events WHERE event_source = 'cloudtrail.amazonaws.com'";

export function sqliteEvents(launch: Launch, env: Record<string, string>): EventStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'certtrail-bench-lookup-'));
  const file = join(dataDir, 'certtrail.db');
  const get = (sql: string, ...args: unknown[]) => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare(sql).get(...args) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  return {
    backend: 'SQLite',
    dataDir,
    diskDir: dataDir,
    start: (tag) => launch(env, tag, dataDir),
    grow: (seeder, target, now) => seeder.grow(file, target, now),
    matches: async (column, value) => get(`SELECT count(*) AS n FROM events WHERE account_id = ? AND region = ? AND ${column} = ?`, ACCOUNT, REGION, value),
    total: async () => get('SELECT count(*) AS n FROM events'),
    async dropOwnEvents() {
      const db = new Database(file);
      try {
        db.prepare(OWN_EVENTS).run();
      } finally {
        db.close();
      }
    },
    bytes: async () => statSync(file).size,
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** A fresh schema on `base`; its servers share `masterKey`, as nodes on one database must. */
export async function postgresEvents(launch: Launch, env: Record<string, string>, base: string, masterKey: string): Promise<EventStore> {
  const schema = await createSchema(base);
  const dataDir = mkdtempSync(join(tmpdir(), 'certtrail-bench-pg-lookup-'));
  const count = async (sql: string, args: unknown[] = []) => Number((await pgQuery<{ n: string }>(schema.url, sql, args))[0].n);
  // Readable by a superuser only, and only meaningful when the server is on this machine.
  const diskDir = isLocal(base) ? await pgQuery<{ d: string }>(base, "SELECT current_setting('data_directory') AS d").then(([r]) => r.d, () => undefined) : undefined;
  return {
    backend: 'PostgreSQL',
    dataDir,
    diskDir,
    start: (tag) => launch({ ...env, CERTTRAIL_DATABASE_URL: schema.url, CERTTRAIL_MASTER_KEY: masterKey, CERTTRAIL_NODE_ID: `bench-${tag}` }, tag, dataDir),
    grow: (seeder, target, now) => growPostgres(seeder, schema.url, target, now),
    matches: (column, value) => count(`SELECT count(*) AS n FROM events WHERE account_id = $1 AND region = $2 AND ${column} = $3`, [ACCOUNT, REGION, value]),
    total: () => count('SELECT count(*) AS n FROM events'),
    dropOwnEvents: async () => void (await pgQuery(schema.url, OWN_EVENTS)),
    bytes: () => schemaBytes(schema.url),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await schema.drop();
    },
  };
}
