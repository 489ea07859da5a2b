import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { objectStoreContract } from './contract.js';
import { LocalObjectStore } from './local.js';

const dirs: string[] = [];
const stores: LocalObjectStore[] = [];
after(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'certtrail-objects-'));
  dirs.push(d);
  return d;
}

function open(dir: string, opts: ConstructorParameters<typeof LocalObjectStore>[1] = {}): LocalObjectStore {
  const s = new LocalObjectStore(dir, opts);
  stores.push(s);
  return s;
}

let shared: LocalObjectStore | undefined;
objectStoreContract('local buckets', async () => {
  shared ??= open(scratch());
  const store = shared;
  return { store, createBucket: async (name) => void (await store.createBucket(name, '000000000000', 'us-east-1')) };
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Every body file under blobs/ (name only). */
function bodyFiles(dir: string): string[] {
  const root = join(dir, 'blobs');
  return readdirSync(root).flatMap((shard) => readdirSync(join(root, shard)));
}

test('local buckets: names are global, owned, listed per account; only an empty bucket is deleted', async () => {
  const s = open(scratch());
  assert.deepEqual((await s.createBucket('logs', '111111111111', 'eu-west-1')).created, true);
  const again = await s.createBucket('logs', '222222222222', 'us-east-1');
  assert.equal(again.created, false);
  assert.equal(again.bucket.ownerAccountId, '111111111111');
  assert.equal(again.bucket.region, 'eu-west-1');
  await s.createBucket('alpha', '111111111111', 'us-east-1');
  await s.createBucket('beta', '222222222222', 'us-east-1');
  assert.deepEqual((await s.listBuckets('111111111111')).map((b) => b.name), ['alpha', 'logs']);
  assert.deepEqual((await s.listBuckets('222222222222')).map((b) => b.name), ['beta']);
  await s.put('logs', 'k', Buffer.from('x'));
  await assert.rejects(s.deleteBucket('logs'), { code: 'BucketNotEmpty' });
  await s.delete('logs', 'k');
  await s.deleteBucket('logs');
  await assert.rejects(s.deleteBucket('logs'), { code: 'NoSuchBucket' });
  assert.equal(await s.bucket('logs'), undefined);
});

test('local buckets: objects survive a reopen; keys are never paths; replaced and deleted bodies are removed', async () => {
  const dir = scratch();
  const s = open(dir);
  await s.createBucket('b', '000000000000', 'us-east-1');
  await s.put('b', '../../escape', Buffer.from('one'));
  await s.put('b', '../../escape', Buffer.from('two'), { contentType: 'text/plain', cacheControl: 'no-cache' });
  await s.put('b', 'gone', Buffer.from('soon'));
  await s.delete('b', 'gone');
  assert.equal(bodyFiles(dir).length, 1, 'one body file: the current one');
  assert.ok(!existsSync(join(dir, '..', 'escape')));
  await s.close();

  const again = open(dir);
  const o = await again.get('b', '../../escape');
  assert.equal(o?.body.toString(), 'two');
  assert.equal(o?.contentType, 'text/plain');
  assert.equal(o?.cacheControl, 'no-cache');
  const head = await again.head('b', '../../escape');
  assert.equal(head?.etag, md5(Buffer.from('two')));
  assert.equal((head as { body?: unknown }).body, undefined);
  await assert.rejects(again.put('b', 'k'.repeat(1025), Buffer.from('x')), { code: 'KeyTooLongError' });
});

test('local buckets: orphans a crash leaves (temp files, unreferenced bodies) are swept at open', async () => {
  const dir = scratch();
  const s = open(dir);
  await s.createBucket('b', '000000000000', 'us-east-1');
  await s.put('b', 'kept', Buffer.from('kept'));
  await s.close();
  writeFileSync(join(dir, 'tmp', 'deadbeef'), 'half a body');
  const orphanShard = join(dir, 'blobs', 'ff');
  mkdirSync(orphanShard, { recursive: true });
  writeFileSync(join(orphanShard, 'ff00000000000000000000000000orph'), 'never committed');

  // Young orphans are left alone (another writer may be about to commit them)…
  const young = open(dir);
  await young.close();
  assert.equal(readdirSync(join(dir, 'tmp')).length, 1);
  // …old ones go.
  const swept = open(dir, { sweepOlderThanMs: 0 });
  assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  assert.equal(bodyFiles(dir).length, 1);
  assert.equal((await swept.get('b', 'kept'))?.body.toString(), 'kept');
});

test('local buckets: a process killed mid-write (SIGKILL) leaves every acknowledged object whole and nothing half-written', async () => {
  const dir = scratch();
  const local = join(fileURLToPath(new URL('.', import.meta.url)), 'local.ts');
  // The child overwrites one key and adds new ones as fast as it can, printing each put it saw
  // acknowledged; it is killed at an arbitrary point.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `
      import { LocalObjectStore } from ${JSON.stringify(local)};
      const s = new LocalObjectStore(${JSON.stringify(dir)});
      await s.createBucket('b', '000000000000', 'us-east-1');
      for (let i = 0; ; i++) {
        const body = Buffer.alloc(64 * 1024 + i, i % 251);
        await s.put('b', 'overwritten', body, { metadata: { v: String(i) } });
        await s.put('b', 'new/' + String(i).padStart(6, '0'), body);
        process.stdout.write('ok ' + i + '\\n');
      }
    `],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let acked = -1;
  let errors = '';
  child.stderr.on('data', (c) => (errors += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      for (const m of c.toString().matchAll(/ok (\d+)/g)) acked = Math.max(acked, Number(m[1]));
      if (acked >= 15) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => (acked >= 15 ? resolve() : reject(new Error(`child exited early: ${errors}`))));
  });
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));

  const s = open(dir, { sweepOlderThanMs: 0 });
  const expected = (i: number) => Buffer.alloc(64 * 1024 + i, i % 251);
  const o = await s.get('b', 'overwritten');
  assert.ok(o);
  const v = Number(o.metadata.v);
  assert.ok(v >= acked, `the acknowledged version ${acked} or a later one, got ${v}`);
  assert.ok(o.body.equals(expected(v)), 'body whole and matching its metadata');
  assert.equal(o.etag, md5(o.body));
  const listed = await s.list('b', { prefix: 'new/', limit: 10_000 });
  assert.ok(listed.length >= acked + 1);
  for (const entry of listed) {
    const i = Number(entry.key.slice(4));
    const got = await s.get('b', entry.key);
    assert.ok(got?.body.equals(expected(i)), `${entry.key} whole`);
    assert.equal(entry.etag, md5(expected(i)));
  }
  // After the sweep only referenced bodies are left: one per object.
  assert.equal(bodyFiles(dir).length, listed.length + 1);
  assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
});
