import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createIntermediateCa, createPrivateCa, createRootCa } from './ca.js';
import { certificateFacts } from './facts.js';
import { keyAlgorithmOf } from './keys.js';
import { epochSeconds, openssl, opensslRun, scratch, type Scratch } from './testing.js';
import type { CaMaterial } from './types.js';

const NOW = new Date('2026-03-01T10:11:12.345Z');
const URLS = { crlUrl: 'http://127.0.0.1:8443/pki/root-1.crl', caIssuersUrl: 'http://127.0.0.1:8443/pki/root-1.cer' };
let dir: Scratch;
let root: CaMaterial;
let intermediate: CaMaterial;

before(async () => {
  dir = scratch();
  root = await createRootCa(NOW);
  intermediate = await createIntermediateCa(root, URLS, NOW);
  dir.write('root.pem', root.certificatePem);
  dir.write('int.pem', intermediate.certificatePem);
});
after(() => dir.remove());

const text = (pem: string) => openssl(['x509', '-noout', '-text'], { input: pem });

test('root: self-signed RSA-2048, 20 years, CA critical, keyCertSign+cRLSign critical, SKI', () => {
  const f = certificateFacts(root.certificatePem);
  assert.equal(f.subject, 'C=US,O=certtrail,CN=certtrail Root CA 1');
  assert.equal(f.selfSigned, true);
  assert.equal(f.isCa, true);
  assert.equal(f.keyAlgorithm, 'RSA_2048');
  assert.equal(root.keyAlgorithm, 'RSA_2048');
  assert.equal(keyAlgorithmOf(root.privateKeyPem), 'RSA_2048');
  assert.deepEqual(f.keyUsages, ['CERTIFICATE_SIGNING', 'CRL_SIGNING']);
  assert.equal(root.notBefore.toISOString(), '2026-03-01T10:11:12.000Z');
  assert.equal(root.notAfter.toISOString(), '2046-03-01T10:11:12.000Z');
  const t = text(root.certificatePem);
  assert.match(t, /X509v3 Basic Constraints: critical\s+CA:TRUE\n/);
  assert.match(t, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
  assert.match(t, /X509v3 Subject Key Identifier/);
  assert.match(t, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.equal(opensslRun(['verify', '-attime', epochSeconds(NOW), '-CAfile', dir.path('root.pem'), dir.path('root.pem')]).status, 0);
});

test('serials: 16 bytes, positive, random, reported in plain hex', () => {
  for (const ca of [root, intermediate]) {
    assert.match(ca.serialHex, /^[0-7][0-9a-f]{31}$/);
    assert.notEqual(ca.serialHex.slice(0, 2), '00');
    assert.equal(certificateFacts(ca.certificatePem).serial.replace(/:/g, ''), ca.serialHex);
  }
  assert.notEqual(root.serialHex, intermediate.serialHex);
});

test('intermediate: chains to the root, pathlen 0, AKI = root SKI, CRL DP and AIA at the root URLs', () => {
  const r = opensslRun(['verify', '-attime', epochSeconds(NOW), '-CAfile', dir.path('root.pem'), dir.path('int.pem')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /int\.pem: OK/);
  const f = certificateFacts(intermediate.certificatePem);
  assert.equal(f.subject, 'C=US,O=certtrail,CN=certtrail RSA 2048 M01');
  assert.equal(f.issuer, 'certtrail');
  assert.equal(f.isCa, true);
  assert.equal(f.selfSigned, false);
  assert.equal(intermediate.notAfter.toISOString(), '2036-03-01T10:11:12.000Z');
  const t = text(intermediate.certificatePem);
  assert.match(t, /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
  assert.match(t, /X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
  assert.match(t, new RegExp(`CRL Distribution Points:\\s+Full Name:\\s+URI:${URLS.crlUrl.replace(/\./g, '\\.')}`));
  assert.match(t, new RegExp(`CA Issuers - URI:${URLS.caIssuersUrl.replace(/\./g, '\\.')}`));
  const rootSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(text(root.certificatePem))![1];
  const aki = /Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(t)![1];
  assert.equal(aki, rootSki);
});

test('an intermediate never outlives its root', async () => {
  const late = new Date(root.notAfter.getTime() - 3 * 365 * 86_400_000);
  const capped = await createIntermediateCa(root, URLS, late);
  assert.equal(capped.notAfter.getTime(), root.notAfter.getTime());
});

test('private CA: per-account subject, self-signed, 10 years; names cannot inject RDNs', async () => {
  const pca = await createPrivateCa('123456789012', 'eu-west-3', NOW);
  const f = certificateFacts(pca.certificatePem);
  assert.equal(f.subject, 'C=US,O=certtrail private CA,OU=123456789012,CN=certtrail Private CA eu-west-3');
  assert.equal(f.issuer, 'certtrail private CA');
  assert.equal(f.selfSigned, true);
  assert.equal(f.isCa, true);
  assert.equal(pca.keyAlgorithm, 'RSA_2048');
  assert.equal(pca.notAfter.toISOString(), '2036-03-01T10:11:12.000Z');
  assert.match(text(pca.certificatePem), /CA:TRUE/);

  const odd = await createPrivateCa('1,O=evil', 'r+1', NOW);
  assert.equal(certificateFacts(odd.certificatePem).subject, 'C=US,O=certtrail private CA,OU=1\\,O\\=evil,CN=certtrail Private CA r\\+1');
});

test('validity past 2049 is encoded as GeneralizedTime and read back exactly', async () => {
  const ca = await createPrivateCa('123456789012', 'us-east-1', new Date('2045-06-30T23:59:59Z'));
  assert.equal(ca.notAfter.toISOString(), '2055-06-30T23:59:59.000Z');
  assert.match(openssl(['asn1parse'], { input: ca.certificatePem }), /GENERALIZEDTIME\s+:20550630235959Z/);
  assert.match(openssl(['x509', '-noout', '-enddate'], { input: ca.certificatePem }), /Jun 30 23:59:59 2055 GMT/);
});
