/**
 * The PostgreSQL server of the bench's `postgres` part: which one, and a schema of its own for
 * each phase (dropped afterwards), the way the tests keep stores apart on one database
 * (src/storage/postgres/testing.ts; not imported: it registers node:test hooks).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withSearchPath } from '../src/storage/postgres/sql.js';

const isServerUrl = (url: string | undefined) => Boolean(url && /^postgres(ql)?:\/\//.test(url));
/** The tests' URL may name embedded PGlite instead (no server to share or bench): then the default. */
export const BENCH_DATABASE_URL =
  process.env.CERTTRAIL_BENCH_DATABASE_URL ||
  (isServerUrl(process.env.CERTTRAIL_TEST_DATABASE_URL) ? process.env.CERTTRAIL_TEST_DATABASE_URL! : 'postgres://postgres@127.0.0.1:5432/test');

/** For the report and the log: the URL without its password. */
export const redact = (url: string) => url.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, '$1:…@');

/** Whether the server runs on this machine (so that its processes' CPU and its disk can be seen). */
export function isLocal(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.startsWith('%2F') || host.startsWith('/');
  } catch {
    return false;
  }
}

/** Opens a connection of its own (BIGINT as number); the caller ends it. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A server that goes away fails the query in flight; it must not also crash the bench.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** One statement on a connection of its own, so that the bench holds nothing a server waits for. */
export async function pgQuery<R = Record<string, any>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = await connect(url);
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server's version, or why there is none to bench on. */
export async function probe(url: string): Promise<{ version: string } | { error: string }> {
  if (!isServerUrl(url)) return { error: `${redact(url)} is not a postgres:// URL` };
  try {
    const [r] = await pgQuery<{ v: string }>(url, "SELECT current_setting('server_version') AS v");
    return { version: r.v };
  } catch (e) {
    return { error: `no PostgreSQL server answers at ${redact(url)}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export interface BenchSchema {
  name: string;
  /** The base URL with the schema as every connection's search_path. */
  url: string;
  drop(): Promise<void>;
}

export async function createSchema(base: string): Promise<BenchSchema> {
  const name = `ct_bench_${randomBytes(5).toString('hex')}`;
  await pgQuery(base, `CREATE SCHEMA ${name}`);
  const url = withSearchPath(base, name);
  return { name, url, drop: async () => void (await pgQuery(base, `DROP SCHEMA IF EXISTS ${name} CASCADE`)) };
}

/** Heap, TOAST and indexes of every table in the URL's schema: what the SQLite file size stands for. */
export async function schemaBytes(url: string): Promise<number> {
  const [r] = await pgQuery<{ n: string | null }>(
    url,
    "SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'",
  );
  return Number(r.n ?? 0);
}
