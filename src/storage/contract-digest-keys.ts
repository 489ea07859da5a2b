import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './ports.js';
import type { DigestKeyRecord } from './records.js';

/** The storage contract for digest signing keys (digestKeys). Part of storeContract (contract.ts). */
export function digestKeysContract(name: string, open: () => Promise<Store>, reopen?: (s: Store) => Promise<Store>): void {
  const DAY = 86_400_000;
  const key = (region: string, n: number, extra: Partial<DigestKeyRecord> = {}): DigestKeyRecord => ({
    region,
    fingerprint: `${String(n).padStart(2, '0')}${'f'.repeat(30)}`,
    publicKey: Buffer.from([0x30, 0x82, 0x01, 0x0a, n]),
    privateKeySealed: Buffer.from([1, 2, 3, n]),
    validFrom: new Date(Date.UTC(2026, 0, 1) + n * 25 * DAY),
    validTo: new Date(Date.UTC(2026, 0, 1) + n * 25 * DAY + 30 * DAY),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    ...extra,
  });

  test(`${name}: digestKeys round-trip by region and fingerprint, listed by validFrom`, async () => {
    let s = await open();
    const [a, b, c] = [key('us-east-1', 2), key('us-east-1', 1), key('eu-west-1', 1)];
    await s.write(async (tx) => {
      for (const k of [a, b, c]) await tx.digestKeys.put(k);
    });
    if (reopen) s = await reopen(s);
    assert.deepEqual(await s.read((tx) => tx.digestKeys.get('us-east-1', a.fingerprint)), a);
    assert.equal(await s.read((tx) => tx.digestKeys.get('eu-west-1', a.fingerprint)), undefined, 'keys belong to their region');
    assert.deepEqual(await s.read((tx) => tx.digestKeys.list('us-east-1')), [b, a]);
    assert.deepEqual(await s.read((tx) => tx.digestKeys.list('eu-west-1')), [c]);
    assert.deepEqual(await s.read((tx) => tx.digestKeys.list('ap-south-1')), []);
    await s.close();
  });

  test(`${name}: digestKeys are never replaced: a second key with the same fingerprint or validFrom is refused`, async () => {
    const s = await open();
    const k = key('us-east-1', 1);
    await s.write(async (tx) => tx.digestKeys.put(k));
    await assert.rejects(s.write(async (tx) => tx.digestKeys.put({ ...k, privateKeySealed: Buffer.from([9]) })));
    await assert.rejects(s.write(async (tx) => tx.digestKeys.put({ ...key('us-east-1', 1), fingerprint: 'e'.repeat(32) })));
    assert.deepEqual(await s.read((tx) => tx.digestKeys.list('us-east-1')), [k]);
    await s.close();
  });
}
