import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, addYears, keyIdentifier, randomSerialHex, spkiDer, wholeSecond } from './signer.js';
import { openssl, scratch } from './testing.js';

test('serials are 16 bytes, positive and minimally encoded whatever the random bytes', () => {
  assert.equal(randomSerialHex(() => Buffer.alloc(16, 0xff)), '7f' + 'ff'.repeat(15));
  assert.equal(randomSerialHex(() => Buffer.alloc(16, 0x00)), '01' + '00'.repeat(15));
  assert.equal(randomSerialHex(() => Buffer.alloc(16, 0x80)), '01' + '80'.repeat(15));
  const seen = new Set(Array.from({ length: 100 }, () => randomSerialHex()));
  assert.equal(seen.size, 100);
  for (const s of seen) assert.match(s, /^(0[1-9a-f]|[1-7][0-9a-f])[0-9a-f]{30}$/);
});

test('time helpers work in whole seconds and UTC', () => {
  assert.equal(wholeSecond(new Date('2026-01-01T00:00:00.999Z')).toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(addDays(new Date('2026-03-28T12:00:00Z'), 198).toISOString(), '2026-10-12T12:00:00.000Z');
  assert.equal(addYears(new Date('2026-06-30T23:59:59Z'), 20).toISOString(), '2046-06-30T23:59:59.000Z');
});

test('keyIdentifier matches openssl subjectKeyIdentifier=hash', (t) => {
  const dir = scratch();
  t.after(() => dir.remove());
  const keyFile = dir.write('k.pem', openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']));
  const pub = openssl(['pkey', '-pubout', '-in', keyFile]);
  const cert = openssl(['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=k', '-days', '1', '-addext', 'subjectKeyIdentifier=hash']);
  const text = openssl(['x509', '-noout', '-ext', 'subjectKeyIdentifier'], { input: cert });
  const expected = /\n\s+([0-9A-F:]+)/.exec(text)![1].replace(/:/g, '').toLowerCase();
  assert.equal(keyIdentifier(spkiDer(pub)), expected);
});
