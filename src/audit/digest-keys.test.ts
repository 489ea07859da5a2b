import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DAY_MS, ManualClock } from '../kernel/clock.js';
import { SecretBox } from '../kernel/secret-box.js';
import { SqliteStore } from '../storage/sqlite/store.js';
import { DIGEST_KEY_ROTATION_MS, DIGEST_KEY_VALIDITY_MS, DigestKeys, keyWindow } from './digest-keys.js';
import { buildDigest, publicKeyFingerprint, verifyDigest } from './digest.js';

/** RSA-2048 generation takes a while: a few made once, handed out in turn. */
const POOL = Array.from({ length: 4 }, () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);

function setup() {
  const store = new SqliteStore(':memory:');
  const box = new SecretBox(randomBytes(32));
  const clock = new ManualClock(Date.UTC(2026, 0, 10));
  let made = 0;
  const generate = async () => POOL[made++ % POOL.length]!;
  const keys = new DigestKeys({ store, box, clock, generate });
  return { store, box, clock, keys, made: () => made, generate };
}

const data = Buffer.from('2026-01-10T00:00:00Z\nbucket/key\nabc\nnull');

test('keyWindow: 30-day validity, a new key every 25 days, so consecutive windows overlap by 5 days', () => {
  const at = new Date(Date.UTC(2026, 0, 10));
  const w = keyWindow(at);
  assert.ok(w.validFrom <= at && at < w.validTo);
  assert.equal(w.validTo.getTime() - w.validFrom.getTime(), DIGEST_KEY_VALIDITY_MS);
  const next = keyWindow(new Date(w.validFrom.getTime() + DIGEST_KEY_ROTATION_MS));
  assert.equal(next.validFrom.getTime() - w.validFrom.getTime(), 25 * DAY_MS);
  assert.ok(next.validFrom < w.validTo, 'the next key starts before this one ends');
  assert.deepEqual(keyWindow(new Date(w.validFrom.getTime() + DIGEST_KEY_ROTATION_MS - 1)), w);
});

test('signerFor: made on first use, then the same key and byte-identical signatures for the same (region, at), also after a restart', async () => {
  const { store, box, clock, keys, made, generate } = setup();
  const at = new Date(Date.UTC(2026, 0, 10, 15, 1, 31));
  assert.deepEqual(await store.read((tx) => tx.digestKeys.list('us-east-1')), []);
  const s1 = await keys.signerFor('us-east-1', at);
  assert.equal(made(), 1);
  assert.match(s1.fingerprint, /^[0-9a-f]{32}$/);
  const sig = s1.sign(data);
  assert.match(sig, /^[0-9a-f]{512}$/);
  const s2 = await keys.signerFor('us-east-1', new Date(at.getTime() + 3600_000));
  assert.equal(s2.fingerprint, s1.fingerprint);
  assert.equal(s2.sign(data), sig);
  assert.equal(made(), 1);
  // A new process over the same store (the delivery engine re-signing after a crash).
  const again = new DigestKeys({ store, box, clock, generate });
  assert.equal((await again.signerFor('us-east-1', at)).sign(data), sig);
  assert.equal(made(), 1);
  // Regions have their own keys.
  const eu = await keys.signerFor('eu-west-1', at);
  assert.notEqual(eu.fingerprint, s1.fingerprint);
  assert.equal(made(), 2);
  await store.close();
});

test('rotation: the next slot gets a new key whose window overlaps the old one; the old one still signs for its own times', async () => {
  const { store, keys } = setup();
  const t0 = new Date(Date.UTC(2026, 0, 10));
  const a = await keys.signerFor('us-east-1', t0);
  const b = await keys.signerFor('us-east-1', new Date(a.validFrom.getTime() + DIGEST_KEY_ROTATION_MS));
  assert.notEqual(a.fingerprint, b.fingerprint);
  assert.ok(b.validFrom < a.validTo && b.validFrom > a.validFrom);
  assert.equal((await keys.signerFor('us-east-1', t0)).fingerprint, a.fingerprint, 'signing for an earlier time picks the earlier key');
  const listed = await keys.allPublicKeys('us-east-1');
  assert.deepEqual(listed.map((k) => k.fingerprint), [a.fingerprint, b.fingerprint]);
  // Overlap queries: only A before B starts, both in the overlap, only B after A ends.
  assert.deepEqual((await keys.publicKeys('us-east-1', t0, t0)).map((k) => k.fingerprint), [a.fingerprint]);
  assert.deepEqual((await keys.publicKeys('us-east-1', b.validFrom, b.validFrom)).map((k) => k.fingerprint), [a.fingerprint, b.fingerprint]);
  assert.deepEqual((await keys.publicKeys('us-east-1', a.validTo, a.validTo)).map((k) => k.fingerprint), [b.fingerprint]);
  assert.deepEqual(await keys.publicKeys('us-east-1', new Date(0), new Date(1)), []);
  await store.close();
});

test('stored key: DER PKCS#1 public key, MD5 fingerprint, private key sealed and bound to its name', async () => {
  const { store, box, keys } = setup();
  const at = new Date(Date.UTC(2026, 0, 10));
  const signer = await keys.signerFor('us-east-1', at);
  const [k] = await store.read((tx) => tx.digestKeys.list('us-east-1'));
  assert.ok(k);
  assert.equal(k.fingerprint, publicKeyFingerprint(k.publicKey));
  assert.equal(k.publicKey.length, 270);
  assert.equal(createPublicKey({ key: k.publicKey, format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(!k.privateKeySealed.toString('latin1').includes('PRIVATE KEY'), 'never stored in the clear');
  assert.match(box.open(k.privateKeySealed, `digest-key:us-east-1:${k.fingerprint}`).toString(), /BEGIN PRIVATE KEY/);
  assert.throws(() => box.open(k.privateKeySealed, `digest-key:eu-west-1:${k.fingerprint}`), 'the aad names region and fingerprint');
  assert.deepEqual([k.validFrom, k.validTo], [signer.validFrom, signer.validTo]);
  // A digest it signs verifies with the public key ListPublicKeys serves.
  const built = buildDigest({
    awsAccountId: '111122223333', digestStartTime: new Date(at.getTime() - 3600_000), digestEndTime: at, digestS3Bucket: 'b', digestS3Object: 'k',
    digestPublicKeyFingerprint: signer.fingerprint, logFiles: [],
  });
  const sig = signer.sign(built.stringToSign);
  assert.equal(verifyDigest(built.body, JSON.parse(built.body.toString()), sig, k.publicKey), true);
  await store.close();
});

test('concurrent first uses of a slot make one key', async () => {
  const { store, keys, made } = setup();
  const at = new Date(Date.UTC(2026, 0, 10));
  const signers = await Promise.all(Array.from({ length: 5 }, (_, i) => keys.signerFor('us-east-1', new Date(at.getTime() + i))));
  assert.equal(new Set(signers.map((s) => s.fingerprint)).size, 1);
  assert.equal(made(), 1);
  assert.equal((await store.read((tx) => tx.digestKeys.list('us-east-1'))).length, 1);
  await store.close();
});

test('two instances racing for a slot keep the first stored key', async () => {
  const { store, box, clock, generate } = setup();
  const at = new Date(Date.UTC(2026, 0, 10));
  const [x, y] = await Promise.all([new DigestKeys({ store, box, clock, generate }), new DigestKeys({ store, box, clock, generate })].map((k) => k.signerFor('us-east-1', at)));
  assert.equal(x!.fingerprint, y!.fingerprint);
  assert.equal(x!.sign(data), y!.sign(data));
  assert.equal((await store.read((tx) => tx.digestKeys.list('us-east-1'))).length, 1);
  await store.close();
});
