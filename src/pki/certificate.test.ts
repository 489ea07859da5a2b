import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseCertificateDer, parseCertificatePem } from './certificate.js';
import { pemBlocks } from './pem.js';
import { openssl, scratch, type Scratch } from './testing.js';

let dir: Scratch;
let v3: string;
before(() => {
  dir = scratch();
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', dir.path('k.pem')]);
  v3 = openssl(['req', '-x509', '-new', '-key', dir.path('k.pem'), '-subj', '/O=Org/CN=name', '-days', '1']);
});
after(() => dir.remove());

test('one parse gives the DER fields, both library views and canonical PEM', () => {
  const p = parseCertificatePem(v3);
  assert.equal(p.version, 3);
  assert.equal(p.pem, v3);
  assert.deepEqual(p.subjectDer, p.issuerDer);
  assert.equal(p.cert.subject, 'O=Org, CN=name');
  assert.equal(p.node.subject, 'O=Org\nCN=name');
  assert.match(openssl(['asn1parse', '-inform', 'DER'], { input: p.signatureAlgorithmDer }), /ecdsa-with-SHA256/);
});

test('v1 certificates are read with version 1', () => {
  dir.write('r.csr', openssl(['req', '-new', '-key', dir.path('k.pem'), '-subj', '/CN=v1']));
  const v1 = openssl(['x509', '-req', '-in', dir.path('r.csr'), '-signkey', dir.path('k.pem'), '-days', '1']);
  assert.equal(parseCertificatePem(v1).version, 1);
});

test('trailing bytes, truncation and non-certificates are rejected', () => {
  const der = pemBlocks(v3)[0].der;
  assert.throws(() => parseCertificateDer(Buffer.concat([der, Buffer.from([0x00])])));
  assert.throws(() => parseCertificateDer(der.subarray(0, der.length - 1)));
  assert.throws(() => parseCertificateDer(Buffer.from([0x30, 0x00])));
  assert.throws(() => parseCertificatePem('no pem here'));
});
