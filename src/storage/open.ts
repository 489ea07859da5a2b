import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Store } from './ports.js';
import { SqliteStore } from './sqlite/store.js';

/**
 * The store the config names: PostgreSQL at `databaseUrl`, else SQLite in the data dir. Apart from
 * app.ts so that `certtrail events` reaches the store without loading the whole server (about a
 * second), and PostgreSQL's client is loaded only when it is used.
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open(config.databaseUrl, { max: config.databasePoolSize, writers: config.databaseWriters });
  }
  return new SqliteStore(join(config.dataDir, 'certtrail.db'), config.sqliteSynchronous);
}
