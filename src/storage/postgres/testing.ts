import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { openSqlPool, withSearchPath, type SqlPool } from './sql.js';
import { PostgresStore } from './store.js';

/**
 * Where the PostgreSQL tests run: `CERTTRAIL_TEST_DATABASE_URL` (CI: the machine's server), or
 * else embedded PGlite, so that a fresh clone still runs the PostgreSQL SQL rather than skipping it.
 */
export const TEST_DATABASE_URL = process.env.CERTTRAIL_TEST_DATABASE_URL || 'pglite:memory';
export const onServer = !TEST_DATABASE_URL.startsWith('pglite:');

/** A new, empty schema on the test server, dropped when the test file ends. */
export async function freshSchema(): Promise<{ name: string; url: string }> {
  const name = `ct_${randomBytes(6).toString('hex')}`;
  const admin = await adminPool();
  await admin.query(`CREATE SCHEMA ${name}`);
  schemas.push(name);
  return { name, url: withSearchPath(TEST_DATABASE_URL, name) };
}

let admin: Promise<SqlPool> | undefined;
const schemas: string[] = [];
const adminPool = () => (admin ??= openSqlPool(TEST_DATABASE_URL, { max: 2 }));
after(async () => {
  if (!admin) return;
  const pool = await admin;
  for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
  await pool.close();
});

/**
 * Opens empty PostgreSQL stores for tests, and reopens them on the same data. On a server each
 * store has a schema of its own; with PGlite (whose start costs seconds) one instance serves the
 * whole test file and each new store starts from an emptied schema.
 */
export function postgresTestStores(): { open(): Promise<PostgresStore>; reopen(s: PostgresStore): Promise<PostgresStore> } {
  const urls = new WeakMap<PostgresStore, string>();
  let shared: Promise<SqlPool> | undefined;
  if (!onServer) after(async () => (await shared)?.close());
  return {
    async open() {
      if (!onServer) {
        const pool = await (shared ??= openSqlPool(TEST_DATABASE_URL));
        await pool.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
        return PostgresStore.on(pool);
      }
      const { url } = await freshSchema();
      const s = await PostgresStore.open(url, { max: 4 });
      urls.set(s, url);
      return s;
    },
    async reopen(s) {
      await s.close();
      if (!onServer) return PostgresStore.on(await shared!);
      return PostgresStore.open(urls.get(s)!, { max: 4 });
    },
  };
}
