import type { Sql } from './sql.js';

/** What a PostgreSQL repository runs on: a transaction's connection, or the pool for reads. */
export interface PgContext {
  sql: Sql;
  /**
   * To be awaited before inserting into a table whose `seq` followers read "after" (events,
   * bus_events): it takes the append lock for the rest of the transaction, so numbers are handed
   * out in commit order. Outside a write transaction it throws.
   */
  appendLock(): Promise<void>;
}
