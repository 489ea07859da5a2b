import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../contract.js';
import type { EventRecord } from '../records.js';
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

test('sqlite file: events appended through the writer thread come back exactly (packed batch format)', async () => {
  const s = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'certtrail-store-')), 'db.sqlite'));
  const tricky = ['', '~', '12:', ':3:abc', '~~1:~', 'ünïcødé \u2028 \u0000 "q"', '𝄞 surrogate pair', '0'.repeat(5000)];
  const events: EventRecord[] = tricky.map((t, i) => ({
    eventId: `e${i}${t}`,
    accountId: '000000000000',
    region: t,
    eventTime: new Date(1_700_000_000_123 + i),
    eventSource: 'acm.amazonaws.com',
    eventName: t || 'X',
    readOnly: i % 2 === 0,
    ...(i % 3 === 0 ? {} : { username: t, accessKeyId: `AKID${t}`, resourceType: t, resourceName: `arn:${t}` }),
    record: JSON.stringify({ t }),
  }));
  await s.appendEvents(events.slice(0, 3));
  await s.appendEvents(events.slice(3));
  const back = await s.read((tx) => tx.events.after(0, 100));
  assert.deepEqual(back.map(({ seq: _seq, ...e }) => e), events.map((e) => ({ username: undefined, accessKeyId: undefined, resourceType: undefined, resourceName: undefined, ...e })));
  await s.close();
});
