import type { Logger } from '../../kernel/logger.js';
import type { Leadership, Repositories, Store } from '../ports.js';
import type { EventRecord } from '../records.js';
import { lockSql } from './locks.js';
import type { Sql } from './sql.js';
import type { PostgresStore } from './store.js';


export class LostLeadership extends Error {
  constructor() {
    super('this node no longer leads the background work');
  }
}

export interface PgLeadershipOptions {
  /** This node's name in the leases table (and the metrics). */
  nodeId: string;
  /** How often a follower tries to take over, and the leader checks its connection. */
  checkMs: number;
  logger: Logger;
  /** Told when this node starts or stops leading (metrics). */
  onChange?: (leading: boolean) => void;
}

/**
 * Leadership on PostgreSQL: the leader is the node holding a session-level advisory lock. A
 * node that dies loses its connection and with it the lock, so a follower takes over within a
 * check interval. Each new leader raises the `fence` of the `background` lease row; the leader's
 * writes check it inside their transaction, so a deposed leader still finishing a round cannot
 * commit over its successor.
 */
export class PgLeadership implements Leadership {
  readonly store: Store;
  private fence?: number;
  private handlers?: { lead(): void; follow(): Promise<void> };
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly pg: PostgresStore, private readonly o: PgLeadershipOptions) {
    const checkFence = async (sql: Sql) => {
      const fence = this.fence;
      if (fence === undefined) throw new LostLeadership();
      const [row] = await sql.query<{ fence: number; holder: string }>("SELECT fence, holder FROM leases WHERE name = 'background'");
      if (!row || row.fence !== fence || row.holder !== o.nodeId) throw new LostLeadership();
    };
    this.store = {
      read: <T>(fn: (tx: Repositories) => Promise<T>) => pg.read(fn),
      write: <T>(fn: (tx: Repositories) => Promise<T>) => pg.serializable(fn, checkFence),
      appendEvents: (events: EventRecord[]) => pg.appendEvents(events),
      maintain: (now: Date) => pg.maintain(now),
      close: async () => undefined,
    };
  }

  leading(): boolean {
    return this.fence !== undefined;
  }

  start(handlers: { lead(): void; follow(): Promise<void> }): void {
    this.handlers = handlers;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        // The connection is held for the whole tenure and closed after it, which frees the lock.
        await this.pg.session(async (sql) => {
          const [{ ok }] = await sql.query<{ ok: boolean }>(lockSql('pg_try_advisory_lock', 'leader'));
          if (!ok) return;
          const [{ fence }] = await sql.query<{ fence: number }>(
            `INSERT INTO leases (name, holder, fence, expires_at) VALUES ('background', $1, 1, 0)
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, fence = leases.fence + 1 RETURNING fence`,
            [this.o.nodeId],
          );
          await this.lead(fence, sql);
        });
      } catch (e) {
        this.o.logger.warn('leadership check failed', { error: e instanceof Error ? e.message : String(e) });
      }
      if (!this.stopped) await this.sleep(this.o.checkMs);
    }
  }

  /** Leads until the connection fails or the node stops; then follows again. */
  private async lead(fence: number, sql: Sql): Promise<void> {
    this.fence = fence;
    this.o.logger.info('leading background work', { node: this.o.nodeId, fence });
    this.o.onChange?.(true);
    this.handlers?.lead();
    try {
      while (!this.stopped) {
        await this.sleep(this.o.checkMs);
        await sql.query('SELECT 1');
      }
    } finally {
      // The rounds in flight finish first: on a clean stop their writes still pass the fence.
      await this.handlers?.follow();
      this.fence = undefined;
      this.o.onChange?.(false);
      this.o.logger.info('stopped leading background work', { node: this.o.nodeId });
    }
  }
}
