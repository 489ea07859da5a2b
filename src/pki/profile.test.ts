import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isServiceError } from '../kernel/errors.js';
import { generateKeyPair } from './keys.js';
import { PROFILES, capToIssuer, issuerExtensions, leafExtensions, leafNames, leafTemplate, validateLeafRequest, type IssuerInfo } from './profile.js';
import { keyIdentifier, spkiDer } from './signer.js';
import type { LeafRequest } from './types.js';
import { x509 } from './x509.js';

const DAY = 86_400_000;
const base = (over: Partial<LeafRequest> = {}): LeafRequest => ({
  profile: 'amazon',
  commonName: 'example.com',
  dnsNames: ['example.com'],
  publicKeyPem: '',
  keyAlgorithm: 'EC_prime256v1',
  issuer: { certificatePem: '', privateKeyPem: '', keyAlgorithm: 'RSA_2048', crlUrl: 'http://c', caIssuersUrl: 'http://a' },
  now: new Date('2026-05-05T05:05:05.555Z'),
  ...over,
});
const issuerInfo = (notAfter: Date): IssuerInfo => ({
  name: new x509.Name([{ CN: ['Issuer'] }]),
  notAfter,
  extensions: issuerExtensions('00112233445566778899aabbccddeeff00112233', { crlUrl: 'http://c', caIssuersUrl: 'http://a' }),
});

test('profiles: 198 days ServerAuth (public), 395 days ServerAuth+ClientAuth (private)', () => {
  assert.equal(PROFILES.amazon.validityDays, 198);
  assert.deepEqual(PROFILES.amazon.extendedKeyUsages, ['1.3.6.1.5.5.7.3.1']);
  assert.equal(PROFILES.private.validityDays, 395);
  assert.deepEqual(PROFILES.private.extendedKeyUsages, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
});

test('template: CN-only subject, notBefore at the request second, exact validity', () => {
  const t = leafTemplate(base({ dnsNames: ['www.example.com'] }), PROFILES.amazon, '01', new Uint8Array(0));
  assert.deepEqual(t.subject, [{ CN: ['example.com'] }]);
  assert.deepEqual(t.dnsNames, ['example.com', 'www.example.com']);
  assert.equal(t.notBefore.toISOString(), '2026-05-05T05:05:05.000Z');
  assert.equal(t.notAfter.getTime() - t.notBefore.getTime(), 198 * DAY);
});

test('leafNames keeps first spellings and order', () => {
  assert.deepEqual(leafNames({ commonName: 'A.example', dnsNames: ['a.example', 'b.example', 'B.EXAMPLE', 'c.example'] }), [
    'A.example', 'b.example', 'c.example',
  ]);
});

test('capToIssuer trims NotAfter to the issuer and refuses an expired issuer', () => {
  const t = leafTemplate(base(), PROFILES.amazon, '01', new Uint8Array(0));
  assert.equal(capToIssuer(t, issuerInfo(new Date('2030-01-01'))), t);
  const capped = capToIssuer(t, issuerInfo(new Date('2026-06-01T00:00:00Z')));
  assert.equal(capped.notAfter.toISOString(), '2026-06-01T00:00:00.000Z');
  assert.throws(() => capToIssuer(t, issuerInfo(new Date('2026-01-01'))), /expired/);
});

test('validateLeafRequest: 64-character CN limit, ASCII names, known profile', () => {
  const isValidation = (e: unknown) => isServiceError(e) && e.code === 'ValidationException';
  validateLeafRequest(base({ commonName: 'a'.repeat(60) + '.com' }));
  assert.throws(() => validateLeafRequest(base({ commonName: 'a'.repeat(61) + '.com' })), isValidation);
  assert.throws(() => validateLeafRequest(base({ dnsNames: ['x'.repeat(254)] })), isValidation);
  assert.throws(() => validateLeafRequest(base({ dnsNames: ['ä.example'] })), isValidation);
  assert.throws(() => validateLeafRequest(base({ profile: 'other' as 'amazon' })), isValidation);
});

test('extensions: order, criticality, key usage by key type, SKI by RFC 5280 method 1', async () => {
  for (const alg of ['RSA_2048', 'EC_secp384r1'] as const) {
    const kp = await generateKeyPair(alg);
    const spki = spkiDer(kp.publicKeyPem);
    const t = leafTemplate(base({ keyAlgorithm: alg }), PROFILES.private, '01', spki);
    const exts = leafExtensions(t, issuerInfo(new Date('2030-01-01')), PROFILES.private);
    assert.deepEqual(exts.map((e) => [e.type, e.critical]), [
      ['2.5.29.35', false], ['2.5.29.14', false], ['2.5.29.17', false], ['2.5.29.15', true],
      ['2.5.29.37', false], ['2.5.29.31', false], ['1.3.6.1.5.5.7.1.1', false], ['2.5.29.19', true],
    ]);
    const ku = new x509.KeyUsagesExtension(exts[3].rawData);
    assert.equal(ku.usages, alg === 'RSA_2048' ? 1 | 4 : 1);
    const viaLibrary = Buffer.from(await new x509.PublicKey(spki).getKeyIdentifier()).toString('hex');
    assert.equal(keyIdentifier(spki), viaLibrary);
    assert.equal(new x509.SubjectKeyIdentifierExtension(exts[1].rawData).keyId, viaLibrary);
    assert.equal(new x509.BasicConstraintsExtension(exts[7].rawData).ca, false);
  }
});
