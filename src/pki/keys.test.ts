import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { after, test } from 'node:test';
import { KEY_ALGORITHMS, exportEncryptedPkcs8, generateKeyPair, keyAlgorithmOf } from './keys.js';
import { openssl, opensslRun, scratch } from './testing.js';

const dir = scratch();
after(() => dir.remove());

test('generateKeyPair makes every ACM algorithm as PKCS#8 / SPKI PEM, RSA with e=65537', async () => {
  const pairs = await Promise.all(KEY_ALGORITHMS.map((alg) => generateKeyPair(alg)));
  for (const kp of pairs) {
    assert.match(kp.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(kp.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(keyAlgorithmOf(kp.privateKeyPem), kp.algorithm);
    assert.equal(keyAlgorithmOf(kp.publicKeyPem), kp.algorithm);
    const pub = createPublicKey(kp.privateKeyPem).export({ type: 'spki', format: 'pem' });
    assert.equal(pub, kp.publicKeyPem, `${kp.algorithm}: the halves belong together`);
    if (kp.algorithm.startsWith('RSA')) {
      assert.equal(createPublicKey(kp.publicKeyPem).asymmetricKeyDetails?.publicExponent, 65537n);
    }
  }
  assert.deepEqual(pairs.map((p) => p.algorithm), [...KEY_ALGORITHMS]);
});

test('generation runs off the event loop', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  await generateKeyPair('RSA_3072');
  clearInterval(timer);
  assert.ok(ticks > 3, `the loop kept turning during generation (${ticks} ticks)`);
});

test('keyAlgorithmOf accepts key objects, key PEMs and certificate PEMs; anything else is undefined', async () => {
  const kp = await generateKeyPair('EC_secp384r1');
  assert.equal(keyAlgorithmOf(createPrivateKey(kp.privateKeyPem)), 'EC_secp384r1');
  assert.equal(keyAlgorithmOf(createPublicKey(kp.publicKeyPem)), 'EC_secp384r1');
  const keyFile = dir.write('k.pem', kp.privateKeyPem);
  const cert = openssl(['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=k', '-days', '1']);
  assert.equal(keyAlgorithmOf(cert), 'EC_secp384r1');
  const pkcs1 = createPrivateKey((await generateKeyPair('RSA_1024')).privateKeyPem).export({ type: 'pkcs1', format: 'pem' });
  assert.equal(keyAlgorithmOf(pkcs1), 'RSA_1024');

  const odd = [
    generateKeyPairSync('rsa', { modulusLength: 1536 }).privateKey,
    generateKeyPairSync('ec', { namedCurve: 'secp224r1' }).privateKey,
    generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
    generateKeyPairSync('ed25519').privateKey,
    generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey,
    generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey,
  ];
  for (const k of odd) assert.equal(keyAlgorithmOf(k), undefined, `${k.asymmetricKeyType} ${JSON.stringify(k.asymmetricKeyDetails, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  assert.equal(keyAlgorithmOf('not a key'), undefined);
  assert.equal(keyAlgorithmOf(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), undefined);
});

test('exportEncryptedPkcs8 is PBES2/AES-256-CBC and openssl decrypts it to the same key', async () => {
  for (const alg of ['RSA_2048', 'EC_prime256v1'] as const) {
    const kp = await generateKeyPair(alg);
    const passphrase = Buffer.from('correct horse battery');
    const enc = exportEncryptedPkcs8(kp.privateKeyPem, passphrase);
    assert.match(enc, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.ok(!enc.includes(kp.privateKeyPem.split('\n')[1]), 'no plaintext line survives');
    const file = dir.write(`${alg}.enc.pem`, enc);

    const structure = openssl(['asn1parse', '-in', file]);
    assert.match(structure, /:PBES2/);
    assert.match(structure, /:PBKDF2/);
    assert.match(structure, /:aes-256-cbc/);

    const decrypted = openssl(['pkcs8', '-in', file, '-passin', 'pass:correct horse battery']);
    assert.match(decrypted, /BEGIN PRIVATE KEY/);
    const pub = openssl(['pkey', '-pubout'], { input: decrypted });
    assert.equal(pub, kp.publicKeyPem);

    const wrong = opensslRun(['pkcs8', '-in', file, '-passin', 'pass:wrong horse']);
    assert.notEqual(wrong.status, 0, 'a wrong passphrase does not decrypt');
  }
});
