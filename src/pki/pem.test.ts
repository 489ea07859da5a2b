import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pemBlocks, toPem } from './pem.js';

test('toPem wraps at 64 columns and pemBlocks reads it back', () => {
  const der = Buffer.alloc(100, 0xab);
  const pem = toPem('CERTIFICATE', der);
  const lines = pem.trimEnd().split('\n');
  assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
  assert.equal(lines.at(-1), '-----END CERTIFICATE-----');
  assert.ok(lines.slice(1, -1).every((l) => l.length <= 64));
  assert.ok(pem.endsWith('\n'));
  const [block] = pemBlocks(pem);
  assert.equal(block.label, 'CERTIFICATE');
  assert.deepEqual(block.der, der);
});

test('text around blocks is ignored, CRLF is accepted, blocks keep their order', () => {
  const a = toPem('CERTIFICATE', Buffer.from([1, 2, 3]));
  const b = toPem('PRIVATE KEY', Buffer.from([4, 5, 6]));
  const text = `Bag Attributes\r\n    localKeyID: 01\r\n${a.replace(/\n/g, '\r\n')}junk\n${b}`;
  assert.deepEqual(pemBlocks(text).map((x) => [x.label, [...x.der]]), [['CERTIFICATE', [1, 2, 3]], ['PRIVATE KEY', [4, 5, 6]]]);
});

test('headers are parsed (legacy encrypted keys)', () => {
  const text = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233\n\nAQID\n-----END RSA PRIVATE KEY-----\n';
  const [block] = pemBlocks(text);
  assert.equal(block.headers['Proc-Type'], '4,ENCRYPTED');
  assert.equal(block.headers['DEK-Info'], 'AES-256-CBC,00112233');
  assert.deepEqual([...block.der], [1, 2, 3]);
});

test('a body that is not base64 yields empty DER instead of being skipped', () => {
  for (const body of ['not*base64', 'AQ=ID', 'AQI', '']) {
    const blocks = pemBlocks(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`);
    assert.equal(blocks.length, 1, body);
    assert.equal(blocks[0].der.length, 0, body);
  }
});

test('mismatched END labels and missing markers find nothing', () => {
  assert.deepEqual(pemBlocks('-----BEGIN CERTIFICATE-----\nAQID\n-----END PRIVATE KEY-----\n'), []);
  assert.deepEqual(pemBlocks('AQID'), []);
});
