import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DerError, children, decodeOid, decodeString, encodeUnsignedInteger, readTlv } from './der.js';
import { readFileSync } from 'node:fs';
import { openssl, scratch } from './testing.js';

test('readTlv handles short and long lengths and stays inside its limit', () => {
  const short = Uint8Array.from([0x04, 0x02, 0xaa, 0xbb]);
  assert.deepEqual(readTlv(short, 0), { tag: 0x04, start: 0, contentStart: 2, end: 4 });
  const long = new Uint8Array(4 + 300);
  long.set([0x04, 0x82, 0x01, 0x2c]);
  assert.deepEqual(readTlv(long, 0), { tag: 0x04, start: 0, contentStart: 4, end: 304 });
  assert.throws(() => readTlv(Uint8Array.from([0x04, 0x05, 0x00]), 0), DerError);
  assert.throws(() => readTlv(Uint8Array.from([0x30, 0x80, 0x00, 0x00]), 0), DerError, 'indefinite length is BER');
  assert.throws(() => readTlv(short, 0, 3), DerError, 'a child may not run past its parent');
});

test('children lists the elements of a SEQUENCE', () => {
  const seq = Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x05, 0x05, 0x00, 0x01]);
  assert.throws(() => children(seq, readTlv(seq, 0)), DerError, 'a truncated last child is rejected');
  const ok = Uint8Array.from([0x30, 0x05, 0x02, 0x01, 0x05, 0x05, 0x00]);
  assert.deepEqual(children(ok, readTlv(ok, 0)).map((t) => t.tag), [0x02, 0x05]);
});

test('decodeOid matches openssl for small and large arcs', (t) => {
  const dir = scratch();
  t.after(() => dir.remove());
  for (const oid of ['1.2.840.113549.1.1.11', '2.5.29.37.0', '0.9.2342.19200300.100.1.25', '2.999.1', '1.3.6.1.4.1.311.60.2.1.3']) {
    const file = dir.path('oid.der');
    openssl(['asn1parse', '-genstr', `OID:${oid}`, '-out', file, '-noout']);
    const bytes = readFileSync(file);
    assert.equal(bytes[0], 0x06);
    assert.equal(decodeOid(bytes.subarray(2)), oid);
  }
});

test('encodeUnsignedInteger is minimal and positive', () => {
  const hex = (n: bigint) => Buffer.from(encodeUnsignedInteger(n)).toString('hex');
  assert.equal(hex(0n), '020100');
  assert.equal(hex(127n), '02017f');
  assert.equal(hex(128n), '02020080');
  assert.equal(hex(256n), '02020100');
  assert.equal(hex((1n << 159n) - 1n), '0214' + '7f' + 'ff'.repeat(19));
  assert.throws(() => encodeUnsignedInteger(-1n), RangeError);
});

test('decodeString reads the directory string types', () => {
  assert.equal(decodeString(0x0c, Buffer.from('Zürich', 'utf8')), 'Zürich');
  assert.equal(decodeString(0x13, Buffer.from('US')), 'US');
  assert.equal(decodeString(0x1e, Buffer.from([0x00, 0x41, 0x00, 0xe9])), 'Aé');
  assert.equal(decodeString(0x1c, Buffer.from([0, 0, 0, 0x41, 0, 1, 0xf6, 0x00])), 'A😀');
  assert.equal(decodeString(0x04, Buffer.from('x')), undefined, 'OCTET STRING is not text');
});
