import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ObjectStoreError, type ObjectStore } from './ports.js';

export interface ContractSubject {
  store: ObjectStore;
  /** Makes an empty bucket the store can write to. */
  createBucket(name: string): Promise<void>;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Keys that need care on every path: URL escapes, '+', spaces, unicode beyond the BMP, slashes. */
export const TRICKY_KEYS = [
  'plain.txt',
  'with space/and+plus',
  'percent%20literal',
  'ünïcødé/日本語',
  'emoji/\u{1F600}',
  '//double//slash',
  'a/b/c/d/e.json.gz',
  "quote'\"&<>",
  'k'.repeat(1024),
];

/**
 * The behaviour every ObjectStore has (local buckets, an external S3-compatible store). Each
 * test makes its own bucket, so the suite runs against one shared store.
 */
export function objectStoreContract(name: string, subject: () => Promise<ContractSubject>): void {
  let n = 0;
  const fresh = async () => {
    const s = await subject();
    const bucket = `contract-${process.pid}-${Date.now().toString(36)}-${n++}`;
    await s.createBucket(bucket);
    return { ...s, bucket };
  };

  test(`${name}: put then get returns the body, its MD5 entity tag, options and metadata`, async () => {
    const { store, bucket } = await fresh();
    const body = Buffer.from('{"Records":[]}');
    await store.put(bucket, 'AWSLogs/1/CloudTrail/x.json.gz', body, {
      contentType: 'application/json',
      contentEncoding: 'gzip',
      metadata: { signature: 'abc123', 'signing-algorithm': 'SHA256withRSA' },
    });
    const got = await store.get(bucket, 'AWSLogs/1/CloudTrail/x.json.gz');
    assert.ok(got);
    assert.deepEqual(got.body, body);
    assert.equal(got.size, body.length);
    assert.equal(got.etag, md5(body));
    assert.equal(got.contentType, 'application/json');
    assert.equal(got.contentEncoding, 'gzip');
    assert.deepEqual(got.metadata, { signature: 'abc123', 'signing-algorithm': 'SHA256withRSA' });
    assert.equal(got.lastModified.getTime() % 1000, 0, 'whole seconds');
    assert.ok(Math.abs(got.lastModified.getTime() - Date.now()) < 60_000);
  });

  test(`${name}: a missing key is undefined and its delete a no-op; a missing bucket is NoSuchBucket`, async () => {
    const { store, bucket } = await fresh();
    assert.equal(await store.get(bucket, 'nothing-here'), undefined);
    await store.delete(bucket, 'nothing-here');
    const missing = `${bucket}-missing`;
    assert.equal(await store.bucketExists(missing), false);
    assert.equal(await store.bucketExists(bucket), true);
    const isNoSuchBucket = (e: unknown) => e instanceof ObjectStoreError && e.code === 'NoSuchBucket';
    await assert.rejects(store.put(missing, 'k', Buffer.from('x')), isNoSuchBucket);
    await assert.rejects(store.get(missing, 'k'), isNoSuchBucket);
    await assert.rejects(store.list(missing, { limit: 10 }), isNoSuchBucket);
    await assert.rejects(store.delete(missing, 'k'), isNoSuchBucket);
  });

  test(`${name}: tricky keys and an empty body round-trip`, async () => {
    const { store, bucket } = await fresh();
    for (const [i, key] of TRICKY_KEYS.entries()) await store.put(bucket, key, Buffer.from(`body ${i}`));
    await store.put(bucket, 'empty', Buffer.alloc(0));
    for (const [i, key] of TRICKY_KEYS.entries()) assert.equal((await store.get(bucket, key))?.body.toString(), `body ${i}`, key);
    const empty = await store.get(bucket, 'empty');
    assert.equal(empty?.size, 0);
    assert.equal(empty?.etag, md5(Buffer.alloc(0)));
    const listed = await store.list(bucket, { limit: 100 });
    assert.deepEqual(listed.map((o) => o.key), [...TRICKY_KEYS, 'empty'].sort(utf8Order));
  });

  test(`${name}: list is in UTF-8 byte order, strictly after 'after', within 'prefix', up to 'limit'`, async () => {
    const { store, bucket } = await fresh();
    // UTF-16 order would put U+1F600 (a surrogate pair) before U+FFFD; UTF-8 puts it after.
    const keys = ['a', 'a/1', 'a/2', 'a0', 'b', 'é', '\uFFFD', '\u{1F600}', 'z'];
    for (const k of [...keys].reverse()) await store.put(bucket, k, Buffer.from(k));
    const all = await store.list(bucket, { limit: 100 });
    assert.deepEqual(all.map((o) => o.key), ['a', 'a/1', 'a/2', 'a0', 'b', 'z', 'é', '\uFFFD', '\u{1F600}']);
    assert.deepEqual(all.map((o) => o.size), all.map((o) => Buffer.byteLength(o.key)));
    assert.equal(all[0].etag, md5(Buffer.from('a')));
    assert.deepEqual((await store.list(bucket, { prefix: 'a/', limit: 100 })).map((o) => o.key), ['a/1', 'a/2']);
    assert.deepEqual((await store.list(bucket, { after: 'a/1', limit: 3 })).map((o) => o.key), ['a/2', 'a0', 'b']);
    assert.deepEqual((await store.list(bucket, { prefix: 'a', after: 'a/1', limit: 100 })).map((o) => o.key), ['a/2', 'a0']);
    assert.deepEqual((await store.list(bucket, { after: 'z', limit: 100 })).map((o) => o.key), ['é', '\uFFFD', '\u{1F600}']);
    assert.deepEqual((await store.list(bucket, { after: '\u{1F600}', limit: 100 })).map((o) => o.key), []);
    assert.deepEqual((await store.list(bucket, { prefix: 'nope', limit: 100 })).map((o) => o.key), []);
    // Paging with 'after' visits every key once.
    const paged: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await store.list(bucket, { after, limit: 2 });
      if (!page.length) break;
      paged.push(...page.map((o) => o.key));
      after = page[page.length - 1].key;
    }
    assert.deepEqual(paged, all.map((o) => o.key));
  });

  test(`${name}: an overwrite replaces the object whole; readers meanwhile see the old or the new one, never a mix`, async () => {
    const { store, bucket } = await fresh();
    const versions = Array.from({ length: 6 }, (_, i) => Buffer.alloc(256 * 1024 + i, 0x41 + i));
    await store.put(bucket, 'digest.json.gz', versions[0], { metadata: { v: '0' } });
    const seen = new Set<string>();
    let writing = true;
    const readers = Array.from({ length: 3 }, async () => {
      while (writing) {
        const o = await store.get(bucket, 'digest.json.gz');
        assert.ok(o, 'the key never disappears during overwrites');
        const v = Number(o.metadata.v);
        assert.ok(o.body.equals(versions[v]), `body of version ${v} complete and unmixed`);
        assert.equal(o.etag, md5(versions[v]));
        seen.add(o.metadata.v);
      }
    });
    for (let i = 1; i < versions.length; i++) await store.put(bucket, 'digest.json.gz', versions[i], { metadata: { v: String(i) } });
    writing = false;
    await Promise.all(readers);
    const last = await store.get(bucket, 'digest.json.gz');
    assert.deepEqual(last?.body, versions[versions.length - 1]);
    assert.equal(last?.metadata.v, String(versions.length - 1));
    assert.ok(seen.size >= 1);
    assert.deepEqual((await store.list(bucket, { limit: 10 })).map((o) => [o.key, o.size]), [['digest.json.gz', versions[5].length]]);
  });

  test(`${name}: delete removes the object from get and list`, async () => {
    const { store, bucket } = await fresh();
    await store.put(bucket, 'k1', Buffer.from('1'));
    await store.put(bucket, 'k2', Buffer.from('2'));
    await store.delete(bucket, 'k1');
    assert.equal(await store.get(bucket, 'k1'), undefined);
    assert.deepEqual((await store.list(bucket, { limit: 10 })).map((o) => o.key), ['k2']);
  });

  test(`${name}: ifNoneMatch '*' writes only a new key; ifMatch only over the expected object`, async () => {
    const { store, bucket } = await fresh();
    const failed = (e: unknown) => e instanceof ObjectStoreError && e.code === 'PreconditionFailed';
    await store.put(bucket, 'once', Buffer.from('first'), { ifNoneMatch: '*' });
    await assert.rejects(store.put(bucket, 'once', Buffer.from('second'), { ifNoneMatch: '*' }), failed);
    assert.equal((await store.get(bucket, 'once'))?.body.toString(), 'first');
    await assert.rejects(store.put(bucket, 'once', Buffer.from('third'), { ifMatch: md5(Buffer.from('other')) }), failed);
    await store.put(bucket, 'once', Buffer.from('fourth'), { ifMatch: md5(Buffer.from('first')) });
    assert.equal((await store.get(bucket, 'once'))?.body.toString(), 'fourth');
  });
}

/** Byte order of the UTF-8 encodings, which is S3's listing order. */
export function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
