import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreBusy, type Repositories, type Store } from '../ports.js';
import type { EventRecord } from '../records.js';
import type { PgContext } from './context.js';
import { coreRepositories, insertEvents } from './core-repo.js';
import { lockSql } from './locks.js';
import { maintainEventPartitions } from './partitions.js';
import { openSqlPool, type Sql, type SqlPool } from './sql.js';
import { busRepository } from './bus-repo.js';
import { deliveriesRepository } from './deliveries-repo.js';
import { digestKeysRepository } from './digest-keys-repo.js';
import { apiDestinationsRepository, eventConnectionsRepository, eventRulesRepository } from './eventbridge-repo.js';
import { trailsRepository } from './trails-repo.js';
import {
  accessKeysRepository, iamAttachmentsRepository, iamGroupsRepository, iamInlinePoliciesRepository, iamPoliciesRepository, iamRolesRepository, usersRepository,
} from './iam-repo.js';

/** Write transactions a node runs at once by default (CERTTRAIL_DATABASE_WRITERS). */
export const DEFAULT_WRITERS = 1;

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');


/** SQLSTATEs after which the whole transaction is run again: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
/** How long a write keeps trying through conflicts before it gives up (StoreBusy). */
const RETRY_BUDGET_MS = 10_000;

export interface PostgresStoreOptions {
  /** Pool size (connections to the server). */
  max?: number;
  /** A schema for every connection's search_path (tests isolate stores on one database so). */
  schema?: string;
  /** Write transactions this node runs at once (the others queue); see `serializable`. */
  writers?: number;
}

/**
 * PostgreSQL, for several certtrail nodes on one database. Each `write` is a SERIALIZABLE
 * transaction, run again from the start when PostgreSQL reports a serialization failure or a
 * deadlock, so that any interleaving of nodes behaves as the SQLite store's one-writer order
 * would: an idempotency token checked then stored, a tag count checked then raised, hold across
 * nodes. Event rows (and bus rows) take a transaction-scoped advisory lock before they insert, so
 * their `seq` is handed out in commit order.
 */
export class PostgresStore implements Store {
  private readonly reads: Repositories;

  private readonly writeSlots: Semaphore;

  private constructor(private readonly pool: SqlPool, private readonly ownsPool: boolean, writers: number) {
    this.writeSlots = new Semaphore(writers);
    this.reads = repositories({ sql: pool, appendLock: () => Promise.reject(new Error('events are appended in a write transaction')) });
  }

  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = await openSqlPool(url, opts);
    try {
      return await PostgresStore.on(pool, true, opts.writers);
    } catch (e) {
      await pool.close();
      throw e;
    }
  }

  /** A store on a pool the caller made; `close` closes the pool only when `owns`. */
  static async on(pool: SqlPool, owns = false, writers = DEFAULT_WRITERS): Promise<PostgresStore> {
    await migrate(pool);
    const store = new PostgresStore(pool, owns, writers);
    await store.maintain(new Date());
    return store;
  }

  async maintain(now: Date): Promise<void> {
    await maintainEventPartitions(this.pool, now);
  }

  async read<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return fn(this.reads);
  }

  write<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.serializable(fn);
  }

  /** Whether other nodes can share this store's database (a server; PGlite lives in this process). */
  get shared(): boolean {
    return this.pool.shared;
  }

  /**
   * A write whose transaction first runs `guard` on its connection (leadership's fence check):
   * reading the guard's rows inside the SERIALIZABLE transaction is what makes it a fence.
   *
   * A node runs a few write transactions at a time and queues the rest: calls that change the
   * same row (tags on one certificate) would otherwise mostly abort one another and run again.
   * Conflicts with other nodes' transactions are retried, with a growing, jittered back-off, for
   * up to RETRY_BUDGET_MS; past it the call fails with StoreBusy (a throttle to the client).
   */
  async serializable<T>(fn: (tx: Repositories) => Promise<T>, guard?: (sql: Sql) => Promise<void>): Promise<T> {
    const deadline = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeSlots.run(() =>
          this.pool.transaction('BEGIN ISOLATION LEVEL SERIALIZABLE', async (sql) => {
            await guard?.(sql);
            return fn(repositories(txContext(sql)));
          }),
        );
      } catch (e) {
        if (!RETRYABLE.has((e as { code?: string }).code ?? '')) throw e;
        if (Date.now() >= deadline) throw new StoreBusy(attempt);
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
      }
    }
  }

  async appendEvents(events: EventRecord[]): Promise<void> {
    if (events.length === 0) return;
    // READ COMMITTED: inserts only, nothing to serialize against but the append lock.
    await this.pool.transaction('BEGIN', async (sql) => {
      await sql.query(lockSql('pg_advisory_xact_lock', 'append'));
      await insertEvents(sql, events);
    });
  }

  /** Runs `fn` on a connection of its own (session-level advisory locks: leases, see leases.ts). */
  session<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.pool.session(fn);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.close();
  }
}

/** Runs at most `size` tasks at once, the others in arrival order. */
class Semaphore {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

function txContext(sql: Sql): PgContext {
  let locked: Promise<unknown> | undefined;
  return {
    sql,
    appendLock: async () => {
      locked ??= sql.query(lockSql('pg_advisory_xact_lock', 'append'));
      await locked;
    },
  };
}

function repositories(ctx: PgContext): Repositories {
  return {
    ...coreRepositories(ctx),
    users: usersRepository(ctx),
    accessKeys: accessKeysRepository(ctx),
    iamGroups: iamGroupsRepository(ctx),
    iamRoles: iamRolesRepository(ctx),
    iamPolicies: iamPoliciesRepository(ctx),
    iamInlinePolicies: iamInlinePoliciesRepository(ctx),
    iamAttachments: iamAttachmentsRepository(ctx),
    trails: trailsRepository(ctx),
    deliveries: deliveriesRepository(ctx),
    bus: busRepository(ctx),
    digestKeys: digestKeysRepository(ctx),
    eventRules: eventRulesRepository(ctx),
    eventConnections: eventConnectionsRepository(ctx),
    apiDestinations: apiDestinationsRepository(ctx),
  };
}

/** Every node runs this at startup; the advisory lock lets one apply what is missing while the others wait. */
async function migrate(pool: SqlPool): Promise<void> {
  await pool.session(async (sql) => {
    await sql.query(lockSql('pg_advisory_lock', 'migration'));
    try {
      await sql.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const done = new Set((await sql.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
      for (const f of readdirSync(MIGRATIONS).filter((n) => n.endsWith('.sql')).sort()) {
        if (done.has(f)) continue;
        await sql.query('BEGIN');
        try {
          await sql.exec(readFileSync(join(MIGRATIONS, f), 'utf8'));
          await sql.query('INSERT INTO schema_migrations VALUES ($1, $2)', [f, Date.now()]);
          await sql.query('COMMIT');
        } catch (e) {
          await sql.query('ROLLBACK');
          throw e;
        }
      }
    } finally {
      await sql.query(lockSql('pg_advisory_unlock', 'migration'));
    }
  });
}
