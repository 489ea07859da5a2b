import { openDataDir } from '../app.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../kernel/clock.js';
import { systemIds } from '../kernel/ids.js';
import { ensureDefaultAccount, type AdminDeps } from '../services/identity/admin.js';

/** CLI commands work on the same data dir as the server (SQLite WAL allows both at once). */
export async function openAdmin(): Promise<AdminDeps & { close(): Promise<void>; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const { store, box } = await openDataDir(config);
  const d = { store, box, clock: systemClock, ids: systemIds };
  await ensureDefaultAccount(d);
  return { ...d, config, close: () => store.close() };
}

export function print(v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n');
}
