import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isServiceError } from '../kernel/errors.js';
import { createIntermediateCa, createRootCa } from './ca.js';
import { buildCrl, crlReasonCode } from './crl.js';
import { issueLeaf } from './issue.js';
import { generateKeyPair } from './keys.js';
import { toPem } from './pem.js';
import { epochSeconds, openssl, opensslRun, scratch, type Scratch } from './testing.js';
import type { CaMaterial, IssuedLeaf, SigningCa } from './types.js';

const NOW = new Date('2026-03-01T10:11:12Z');
const LATER = new Date(NOW.getTime() + 3600_000);
const NEXT = new Date(NOW.getTime() + 7 * 86_400_000);
let dir: Scratch;
let root: CaMaterial;
let ca: SigningCa;
let revokedLeaf: IssuedLeaf;
let goodLeaf: IssuedLeaf;

before(async () => {
  dir = scratch();
  root = await createRootCa(NOW);
  const intermediate = await createIntermediateCa(root, { crlUrl: 'http://t/root.crl', caIssuersUrl: 'http://t/root.cer' }, NOW);
  ca = { ...intermediate, crlUrl: 'http://t/m01.crl', caIssuersUrl: 'http://t/m01.cer' };
  const kp = await generateKeyPair('EC_prime256v1');
  const req = { profile: 'amazon' as const, commonName: 'r.example', dnsNames: ['r.example'], publicKeyPem: kp.publicKeyPem, keyAlgorithm: kp.algorithm, issuer: ca, now: NOW };
  revokedLeaf = await issueLeaf(req);
  goodLeaf = await issueLeaf(req);
  dir.write('root.pem', root.certificatePem);
  dir.write('int.pem', intermediate.certificatePem);
  dir.write('revoked.pem', revokedLeaf.certificatePem);
  dir.write('good.pem', goodLeaf.certificatePem);
});
after(() => dir.remove());

test('DER v2 CRL with AKI, CRL number, the revoked serials and their reasons', async () => {
  const der = await buildCrl(
    ca,
    [
      { serial: revokedLeaf.facts.serial, revokedAt: LATER, reason: 'KEY_COMPROMISE' },
      { serial: 'c6:01', revokedAt: LATER, reason: 'SUPERCEDED' },
      { serial: '03:e9', revokedAt: LATER, reason: 'UNSPECIFIED' },
      { serial: '04:00', revokedAt: LATER, reason: 'A_A_COMPROMISE' },
    ],
    NOW,
    NEXT,
    42n,
  );
  assert.equal(der[0], 0x30, 'DER, not PEM');
  const file = dir.write('m01.crl', der);
  const t = openssl(['crl', '-inform', 'DER', '-in', file, '-noout', '-text']);
  assert.match(t, /Version 2 \(0x1\)/);
  assert.match(t, /Issuer: C ?= ?US, O ?= ?certtrail, CN ?= ?certtrail RSA 2048 M01/);
  assert.match(t, /Last Update: Mar  1 10:11:12 2026 GMT/);
  assert.match(t, /Next Update: Mar  8 10:11:12 2026 GMT/);
  assert.match(t, /X509v3 CRL Number:\s+42\n/);
  assert.match(t, /X509v3 Authority Key Identifier/);
  const serialHex = revokedLeaf.facts.serial.replace(/:/g, '').toUpperCase();
  assert.match(t, new RegExp(`Serial Number: ${serialHex}\\s+Revocation Date: Mar  1 11:11:12 2026 GMT\\s+CRL entry extensions:\\s+X509v3 CRL Reason Code:\\s+Key Compromise`));
  assert.match(t, /Serial Number: C601\s+Revocation Date: [^\n]+\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+Superseded/);
  assert.match(t, /Serial Number: 03E9\s+Revocation Date: [^\n]+\n\s+Serial Number: 0400/, 'UNSPECIFIED: no reason extension');
  assert.match(t, /AA Compromise/);
  assert.match(t, /Signature Algorithm: sha256WithRSAEncryption/);

  // The CA's key really signed it (AKI = the CA's SKI is checked by openssl during -crl_check too).
  const verified = opensslRun(['crl', '-inform', 'DER', '-in', file, '-noout', '-CAfile', dir.path('int.pem')]);
  assert.match(verified.stdout + verified.stderr, /verify OK/);
});

test('openssl -crl_check: the revoked leaf fails with "certificate revoked", the other passes', async () => {
  const der = await buildCrl(ca, [{ serial: revokedLeaf.facts.serial, revokedAt: LATER, reason: 'CESSATION_OF_OPERATION' }], NOW, NEXT, 1);
  dir.write('m01.crl.pem', toPem('X509 CRL', der));
  const verify = (leaf: string) =>
    opensslRun([
      'verify', '-attime', epochSeconds(new Date(NOW.getTime() + 7200_000)), '-crl_check', '-CAfile', dir.path('root.pem'),
      '-untrusted', dir.path('int.pem'), '-CRLfile', dir.path('m01.crl.pem'), dir.path(leaf),
    ]);
  const bad = verify('revoked.pem');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /certificate revoked/);
  const good = verify('good.pem');
  assert.equal(good.status, 0, good.stdout + good.stderr);
});

test('an empty CRL is valid too', async () => {
  const der = await buildCrl(ca, [], NOW, NEXT, 0);
  const t = openssl(['crl', '-inform', 'DER', '-noout', '-text'], { input: der });
  assert.match(t, /No Revoked Certificates/);
  assert.match(t, /CRL Number:\s+0\n/);
});

test('reason codes follow RFC 5280; unknown reasons and bad numbers are rejected', async () => {
  const codes: Record<string, number> = {
    UNSPECIFIED: 0, KEY_COMPROMISE: 1, CA_COMPROMISE: 2, AFFILIATION_CHANGED: 3, SUPERCEDED: 4, SUPERSEDED: 4,
    CESSATION_OF_OPERATION: 5, CERTIFICATE_HOLD: 6, REMOVE_FROM_CRL: 8, PRIVILEGE_WITHDRAWN: 9, A_A_COMPROMISE: 10,
  };
  for (const [reason, code] of Object.entries(codes)) assert.equal(crlReasonCode(reason), code, reason);
  assert.throws(() => crlReasonCode('BECAUSE'), (e) => isServiceError(e) && e.code === 'ValidationException');
  await assert.rejects(buildCrl(ca, [], NOW, NEXT, -1), RangeError);
  await assert.rejects(buildCrl(ca, [], NOW, NOW, 1), RangeError);
  const big = await buildCrl(ca, [], NOW, NEXT, (1n << 159n) - 1n);
  assert.match(openssl(['crl', '-inform', 'DER', '-noout', '-text'], { input: big }), /CRL Number:\s+0x7FFF/);
});
