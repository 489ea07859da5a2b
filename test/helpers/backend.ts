/**
 * The database the test servers use. `CERTTRAIL_TEST_BACKEND=postgres` gives every data dir a
 * schema of its own on `CERTTRAIL_TEST_DATABASE_URL`, written to the dir's `database-url` file
 * (see src/config.ts): a restart on the dir, and the certtrail CLI given the dir, reach the same
 * data, as they do with the dir's SQLite file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { withSearchPath } from '../../src/storage/postgres/sql.ts';

export type TestBackend = 'sqlite' | 'postgres';

export function testBackend(): TestBackend {
  const b = process.env.CERTTRAIL_TEST_BACKEND || 'sqlite';
  if (b !== 'sqlite' && b !== 'postgres') throw new Error(`CERTTRAIL_TEST_BACKEND must be sqlite or postgres, got '${b}'`);
  return b;
}

/** The PostgreSQL URL a data dir names in its `database-url` file; undefined: its SQLite file. */
export function databaseUrlOf(dataDir: string): string | undefined {
  const file = join(dataDir, 'database-url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The schema whose name ensureDatabase wrote into a database URL. */
export function schemaOf(url: string): string | undefined {
  return /search_path=(ct_[0-9a-f]+)$/.exec(new URL(url).searchParams.get('options') ?? '')?.[1];
}

/** BIGINT as number (as SQLite gives it, and as certtrail's own PostgreSQL pool reads it). */
const types = { getTypeParser: (oid: number, format?: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) };

/** Runs `fn` on a connection of its own, so a test holds nothing the server waits for. */
async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types });
  // A server that goes away mid-query fails the query; it must not also crash the test process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One statement, on a connection of its own. */
export async function pgQuery<R = Record<string, any>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  return withPg(url, async (c) => (await c.query(text, params)).rows as R[]);
}

/**
 * One query on a data dir's database, with `?` parameters as SQLite writes them: the SQLite file
 * opened read-only (so the server's committed writes are seen, WAL included), or its schema.
 */
export async function queryDatabase<R = Record<string, any>>(dataDir: string, sql: string, args: unknown[] = []): Promise<R[]> {
  const url = databaseUrlOf(dataDir);
  if (url) {
    let n = 0;
    return pgQuery<R>(url, sql.replace(/\?/g, () => `$${++n}`), args);
  }
  const db = new Database(join(dataDir, 'certtrail.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...args) as R[];
  } finally {
    db.close();
  }
}

/**
 * What a data dir's database holds, to search for secrets in the clear: SQLite's files as they are
 * on disk (database, WAL), or on PostgreSQL each table of its schema as every value's text, each
 * BYTEA both as its bytes and as PostgreSQL shows it (`\x` and hex).
 */
export async function databaseContents(dataDir: string): Promise<{ name: string; bytes: Buffer }[]> {
  const url = databaseUrlOf(dataDir);
  if (!url) return readdirSync(dataDir).filter((f) => f.startsWith('certtrail.db')).map((f) => ({ name: f, bytes: readFileSync(join(dataDir, f)) }));
  return withPg(url, async (c) => {
    const tables = await c.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1", [schemaOf(url)]);
    const out: { name: string; bytes: Buffer }[] = [];
    for (const { name } of tables.rows) {
      const rows = (await c.query(`SELECT * FROM "${name}"`)).rows;
      const forms = rows.flatMap((r) => Object.values(r)).flatMap((v): Buffer[] => {
        if (v === null) return [];
        if (Buffer.isBuffer(v)) return [v, Buffer.from(`\\x${v.toString('hex')}`)];
        return [Buffer.from(typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : String(v))];
      });
      out.push({ name: `table ${name}`, bytes: Buffer.concat(forms.flatMap((b) => [b, Buffer.from('\0')])) });
    }
    return out;
  });
}

const created = new Set<string>();

/** With the postgres backend, gives a data dir that names no database yet a new, empty schema. */
export async function ensureDatabase(dataDir: string): Promise<void> {
  const file = join(dataDir, 'database-url');
  if (testBackend() !== 'postgres' || existsSync(file)) return;
  const base = process.env.CERTTRAIL_TEST_DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(base)) throw new Error('CERTTRAIL_TEST_BACKEND=postgres needs CERTTRAIL_TEST_DATABASE_URL=postgres://…');
  const schema = `ct_${randomBytes(6).toString('hex')}`;
  await pgQuery(base, `CREATE SCHEMA ${schema}`);
  created.add(schema);
  writeFileSync(file, `${withSearchPath(base, schema)}\n`);
}

/** Drops the schema a data dir names (its servers stopped). */
export async function dropDatabase(dataDir: string): Promise<void> {
  const url = databaseUrlOf(dataDir);
  const schema = url && schemaOf(url);
  if (!schema) return;
  await pgQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  created.delete(schema);
}

// Tests that never dispose their servers leave schemas behind: dropped when the test file is done.
// Not in an `after` hook: a helper's hooks run before the test file's own, which stop its servers.
process.on('beforeExit', () => {
  if (!created.size) return;
  const schemas = [...created];
  created.clear();
  const base = process.env.CERTTRAIL_TEST_DATABASE_URL!;
  void pgQuery(base, schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE`).join('; ')).catch(() => undefined);
});
