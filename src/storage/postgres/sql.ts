import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export type Row = Record<string, any>;

/** One connection's statements: `$1…` parameters, rows back with BIGINT as number and BYTEA as Buffer. */
export interface Sql {
  query<R = Row>(text: string, params?: unknown[]): Promise<R[]>;
  /** Several statements in one string, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

/**
 * The two ways certtrail reaches PostgreSQL behind one face: a `pg` pool on a real server, or
 * PGlite (PostgreSQL compiled to WebAssembly, one connection in this process) where none is
 * configured, so that the PostgreSQL SQL runs in every checkout.
 */
export interface SqlPool extends Sql {
  /** Whether other processes can share the database (a server, not PGlite). */
  readonly shared: boolean;
  /** Runs `fn` on one connection between BEGIN (with `begin`'s options) and COMMIT, ROLLBACK if it throws. */
  transaction<T>(begin: string, fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `fn` on one connection held for its whole duration (session-level locks). */
  session<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;

/**
 * `postgres://…` / `postgresql://…`: a pool on that server (`max` connections; `schema`, when
 * given, becomes every connection's search_path — the tests' way of isolating stores on one
 * database). `pglite:memory` or `pglite:<dir>`: embedded.
 */
export async function openSqlPool(url: string, opts: { max?: number; schema?: string } = {}): Promise<SqlPool> {
  if (url.startsWith('pglite:')) return pglitePool(url.slice('pglite:'.length), opts.schema);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`not a PostgreSQL URL: ${url.replace(/\/\/[^@/]*@/, '//…@')}`);
  return serverPool(url, opts);
}

/**
 * Statements are named, so each connection parses and plans one once and then reuses the plan
 * (for LookupEvents across a dozen partitions, planning cost more than running). Long texts
 * (multi-row inserts, whose text varies with the row count) and statements past the cap go
 * unnamed, so a connection never holds an unbounded set.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED = 500;
function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || text.length > 2000 || statementNames.size >= MAX_NAMED) return known;
  const name = `ct${statementNames.size}`;
  statementNames.set(text, name);
  return name;
}

/** `url` with server options added to its `options` parameter (sent at connection start-up). */
function withOptions(url: string, ...extra: (string | undefined)[]): string {
  const u = new URL(url);
  u.searchParams.set('options', [u.searchParams.get('options'), ...extra].filter(Boolean).join(' '));
  return u.toString();
}

/** `base` with every connection's search_path set to `schema`: how tests and benches give a store a schema of its own. */
export function withSearchPath(base: string, schema: string): string {
  return withOptions(base, `-c search_path=${schema}`);
}

function serverPool(url: string, opts: { max?: number; schema?: string }): SqlPool {
  const types = {
    getTypeParser(oid: number, format?: any) {
      if (oid === INT8) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  // Plans made once per statement and connection, never per call: the events' partitions make
  // planning a LookupEvents cost several times running it (1.5 ms against 0.1–0.3 ms at 1M
  // events), and every certtrail statement is an index lookup whatever its parameters. Set at
  // connection start-up, beside the URL's own options (a search_path, say).
  const connectionString = withOptions(url, '-c plan_cache_mode=force_generic_plan', opts.schema && `-c search_path=${opts.schema}`);
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
  // An idle client whose server went away must not crash the process: the next query fails instead.
  pool.on('error', () => undefined);
  const on = (c: pg.PoolClient | pg.Pool): Sql => ({
    async query<R>(text: string, params?: unknown[]) {
      const name = params?.length ? statementName(text) : undefined;
      return (await c.query(name ? { name, text, values: params as any[] } : { text, values: params as any[] })).rows as R[];
    },
    async exec(text: string) {
      await c.query(text);
    },
  });
  const direct = on(pool);
  return {
    shared: true,
    query: direct.query,
    exec: direct.exec,
    async transaction(begin, fn) {
      const c = await pool.connect();
      let broken = false;
      try {
        await c.query(begin);
        try {
          const out = await fn(on(c));
          await c.query('COMMIT');
          return out;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => (broken = true));
          throw e;
        }
      } finally {
        c.release(broken);
      }
    },
    async session(fn) {
      const c = await pool.connect();
      try {
        return await fn(on(c));
      } finally {
        // Session state (advisory locks) must not outlive the holder: the connection is closed.
        c.release(true);
      }
    },
    close: () => pool.end(),
  };
}

async function pglitePool(dir: string, schema?: string): Promise<SqlPool> {
  const db = new PGlite(dir === 'memory' || dir === '' ? undefined : dir, {
    parsers: { [INT8]: (v: string) => Number(v) },
  });
  await db.waitReady;
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const toBuffer = (rows: Row[]) => {
    for (const r of rows) for (const k in r) if (r[k] instanceof Uint8Array && !Buffer.isBuffer(r[k])) r[k] = Buffer.from(r[k].buffer, r[k].byteOffset, r[k].byteLength);
    return rows;
  };
  const sql: Sql = {
    async query<R>(text: string, params?: unknown[]) {
      return toBuffer((await db.query<Row>(text, params as any[])).rows) as R[];
    },
    async exec(text: string) {
      await db.exec(text);
    },
  };
  // One connection: a transaction (or a session) has it to itself; others wait their turn.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };
  let inside = 0;
  return {
    shared: false,
    // A statement outside a transaction waits for the one in flight, as another connection would.
    query: (text, params) => (inside ? exclusive(() => sql.query(text, params)) : sql.query(text, params)) as any,
    exec: (text) => (inside ? exclusive(() => sql.exec(text)) : sql.exec(text)),
    transaction(begin, fn) {
      return exclusive(async () => {
        inside++;
        try {
          await db.query(begin);
          try {
            const out = await fn(sql);
            await db.query('COMMIT');
            return out;
          } catch (e) {
            await db.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        } finally {
          inside--;
        }
      });
    },
    session: (fn) => exclusive(() => fn(sql)),
    close: () => exclusive(() => db.close()),
  };
}
