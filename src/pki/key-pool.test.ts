import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { KeyPool } from './key-pool.js';
import { scratch } from './testing.js';
import type { KeyAlgorithm, KeyPair } from './types.js';

/** A generator the test drives by hand: each call waits until released. */
function fakeGenerator() {
  const calls: { alg: KeyAlgorithm; resolve: () => void; reject: (e: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let made = 0;
  const generate = (alg: KeyAlgorithm) =>
    new Promise<KeyPair>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const n = ++made;
      calls.push({
        alg,
        resolve: () => {
          inFlight--;
          resolve({ algorithm: alg, privateKeyPem: `priv-${n}`, publicKeyPem: `pub-${n}` });
        },
        reject: (e) => {
          inFlight--;
          reject(e);
        },
      });
    });
  return {
    generate,
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Resolves every call made so far, then lets the pool react. */
    async releaseAll() {
      while (calls.length) calls.shift()!.resolve();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('start fills every target, never more than maxInFlight at once', async () => {
  const g = fakeGenerator();
  const pool = new KeyPool({ targets: { RSA_2048: 3, EC_prime256v1: 2 }, generate: g.generate, maxInFlight: 2 });
  pool.start();
  for (let i = 0; i < 10 && (pool.available('RSA_2048') < 3 || pool.available('EC_prime256v1') < 2); i++) {
    assert.ok(g.calls.length <= 2);
    await g.releaseAll();
  }
  assert.equal(pool.available('RSA_2048'), 3);
  assert.equal(pool.available('EC_prime256v1'), 2);
  assert.equal(g.maxInFlight, 2);
  assert.equal(g.calls.length, 0, 'full pool: nothing more is generated');
  pool.stop();
});

test('take hands out a pooled key at once and refills in the background', async () => {
  const g = fakeGenerator();
  const pool = new KeyPool({ targets: { RSA_2048: 2 }, generate: g.generate, maxInFlight: 1 });
  pool.start();
  await g.releaseAll();
  await g.releaseAll();
  assert.equal(pool.available('RSA_2048'), 2);
  const kp = await pool.take('RSA_2048');
  assert.equal(kp.privateKeyPem, 'priv-1');
  assert.equal(pool.available('RSA_2048'), 1);
  assert.equal(g.calls.length, 1, 'the take started one refill');
  await g.releaseAll();
  assert.equal(pool.available('RSA_2048'), 2);
  pool.stop();
});

test('an empty pool generates on demand; algorithms without a target are not pooled', async () => {
  const g = fakeGenerator();
  const pool = new KeyPool({ targets: { RSA_2048: 1 }, generate: g.generate, maxInFlight: 1 });
  const p = pool.take('EC_secp384r1');
  assert.equal(g.calls.length, 1);
  assert.equal(g.calls[0].alg, 'EC_secp384r1');
  await g.releaseAll();
  assert.equal((await p).algorithm, 'EC_secp384r1');
  assert.equal(pool.available('EC_secp384r1'), 0);
  assert.equal(g.calls.length, 0, 'not started: no background work');
});

test('a caller finding the pool empty waits for the key already being generated', async () => {
  const g = fakeGenerator();
  const pool = new KeyPool({ targets: { RSA_2048: 1 }, generate: g.generate, maxInFlight: 1 });
  pool.start();
  assert.equal(g.calls.length, 1);
  const p = pool.take('RSA_2048');
  assert.equal(g.calls.length, 1, 'no second generation for the same need');
  await g.releaseAll();
  assert.equal((await p).privateKeyPem, 'priv-1');
  assert.equal(g.calls.length, 1, 'and the pool refills itself');
  pool.stop();
  await g.releaseAll();
  assert.equal(pool.available('RSA_2048'), 0, 'keys finishing after stop are dropped');
});

test('background failures are reported, retried after the delay, and never reject anything', async () => {
  const errors: string[] = [];
  let attempts = 0;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const pool = new KeyPool({
    targets: { EC_prime256v1: 1 },
    maxInFlight: 1,
    retryDelayMs: 20,
    onError: (alg, e) => {
      errors.push(`${alg}: ${(e as Error).message}`);
      throw new Error('listener bug');
    },
    generate: async (alg) => {
      attempts++;
      if (attempts <= 2) throw new Error(`boom ${attempts}`);
      return { algorithm: alg, privateKeyPem: 'p', publicKeyPem: 'q' };
    },
  });
  pool.start();
  for (let i = 0; i < 50 && pool.available('EC_prime256v1') === 0; i++) await new Promise((r) => setTimeout(r, 10));
  process.off('unhandledRejection', onUnhandled);
  pool.stop();
  assert.deepEqual(errors, ['EC_prime256v1: boom 1', 'EC_prime256v1: boom 2']);
  assert.equal(attempts, 3);
  assert.equal(pool.available('EC_prime256v1'), 1);
  assert.deepEqual(unhandled, []);
});

test('a generator that throws synchronously is handled like a rejection', async () => {
  let calls = 0;
  const pool = new KeyPool({
    targets: { RSA_2048: 1 },
    retryDelayMs: 60_000,
    generate: () => {
      calls++;
      throw new Error('sync');
    },
  });
  pool.start();
  await tick();
  assert.equal(calls, 1);
  await assert.rejects(pool.take('RSA_2048'), /sync/, 'an on-demand failure is the caller’s');
  pool.stop();
  await pool.idle();
});

test('a stopped pool, or one waiting to retry, does not keep the process alive', (t) => {
  const dir = scratch();
  t.after(() => dir.remove());
  const poolUrl = new URL('./key-pool.ts', import.meta.url).href;
  const script = dir.write(
    'pool.mts',
    `import { KeyPool } from ${JSON.stringify(poolUrl)};
const failing = new KeyPool({ targets: { RSA_2048: 1 }, retryDelayMs: 3_600_000, generate: async () => { throw new Error('x'); } });
failing.start();
const real = new KeyPool({ targets: { EC_prime256v1: 2 } });
real.start();
await real.take('EC_prime256v1');
real.stop();
`,
  );
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', tsx, script], { timeout: 20_000, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - started < 15_000, 'exited on its own, long before the hour-long retry');
});
