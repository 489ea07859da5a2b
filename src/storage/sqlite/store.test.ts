import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../contract.js';
import { SqliteStore } from './store.js';

storeContract('sqlite in memory', async () => new SqliteStore(':memory:'));

const files = new WeakMap<object, string>();
storeContract(
  'sqlite file',
  async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'certtrail-store-')), 'db.sqlite');
    const s = new SqliteStore(f);
    files.set(s, f);
    return s;
  },
  async (s) => {
    const f = files.get(s)!;
    await s.close();
    return new SqliteStore(f);
  },
);
