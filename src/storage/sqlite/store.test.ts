import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../contract.js';
import type { CertificateRecord, EventRecord } from '../records.js';
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

test('sqlite file: cached certificates follow every commit and rollback, never an open transaction', async () => {
  const s = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'certtrail-store-')), 'db.sqlite'));
  const cert = (id: string, tag: string, extra: Partial<CertificateRecord> = {}): CertificateRecord => ({
    id, arn: `arn:aws:acm:us-east-1:000000000000:certificate/${id}`, accountId: '000000000000', region: 'us-east-1', type: 'AMAZON_ISSUED',
    status: 'ISSUED', domainName: `${id}.example.com`, subjectAlternativeNames: [`${id}.example.com`], domainValidations: [], keyAlgorithm: 'RSA_2048',
    options: { certificateTransparencyLoggingPreference: 'ENABLED', export: 'DISABLED' }, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(id.slice(1)))),
    tags: [{ key: 'k', value: tag }], exported: false, inUseBy: [], certificatePem: `pem-${id}`, privateKeySealed: Buffer.from([1, 2, 3]), ...extra,
  });
  const get = (id: string) => s.read((tx) => tx.certificates.get('000000000000', 'us-east-1', id));
  const list = () => s.read((tx) => tx.certificates.list('000000000000', 'us-east-1'));
  const tags = async (id: string) => (await get(id))?.tags[0].value;
  const listed = async () => (await list()).map((c) => `${c.id}=${c.tags[0].value}`).join(',');

  await s.write(async (tx) => {
    await tx.certificates.put(cert('c1', 'a'));
    await tx.certificates.put(cert('c2', 'a'));
  });
  const first = await get('c1');
  assert.equal(first?.certificatePem, 'pem-c1');
  assert.equal(await get('c1'), first, 'an unchanged row is the same (frozen) object');
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first!.tags[0]));
  assert.equal(await list(), await list());
  assert.equal(await listed(), 'c1=a,c2=a');

  // A read while a write is open sees (and may cache) the committed row; the commit moves it on.
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  const writing = s.write(async (tx) => {
    await tx.certificates.put(cert('c1', 'b'));
    await tx.certificates.delete('000000000000', 'us-east-1', 'c2');
    await open;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(await tags('c1'), 'a');
  assert.equal(await listed(), 'c1=a,c2=a');
  release();
  await writing;
  assert.equal(await tags('c1'), 'b');
  assert.equal(await get('c2'), undefined);
  assert.equal(await listed(), 'c1=b');

  // A rolled-back write leaves the committed row, cached or not.
  let release2!: () => void;
  const open2 = new Promise<void>((r) => (release2 = r));
  const failing = s.write(async (tx) => {
    await tx.certificates.put(cert('c1', 'lost'));
    await tx.certificates.put(cert('c3', 'lost'));
    await open2;
    throw new Error('boom');
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(await tags('c1'), 'b');
  release2();
  await assert.rejects(failing, /boom/);
  assert.equal(await tags('c1'), 'b');
  assert.equal(await get('c3'), undefined);
  assert.equal(await listed(), 'c1=b');

  // Inside a write, the write connection sees its own uncommitted change, and caches nothing.
  await s.write(async (tx) => {
    await tx.certificates.put(cert('c1', 'c'));
    assert.equal((await tx.certificates.get('000000000000', 'us-east-1', 'c1'))?.tags[0].value, 'c');
    assert.equal(await tags('c1'), 'b');
  });
  assert.equal(await tags('c1'), 'c');
  await s.close();
});
