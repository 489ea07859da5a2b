import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { isServiceError } from '../kernel/errors.js';
import { createIntermediateCa, createPrivateCa, createRootCa } from './ca.js';
import { certificateFacts } from './facts.js';
import { issueLeaf } from './issue.js';
import { generateKeyPair } from './keys.js';
import { epochSeconds, openssl, opensslRun, scratch, type Scratch } from './testing.js';
import type { KeyAlgorithm, KeyPair, LeafRequest, SigningCa } from './types.js';

const NOW = new Date('2026-03-01T10:11:12.789Z');
const DAY = 86_400_000;
let dir: Scratch;
let issuer: SigningCa;
let privateCa: SigningCa;
const keys = new Map<KeyAlgorithm, KeyPair>();

before(async () => {
  dir = scratch();
  const root = await createRootCa(NOW);
  const intermediate = await createIntermediateCa(root, { crlUrl: 'http://pki.test/root.crl', caIssuersUrl: 'http://pki.test/root.cer' }, NOW);
  issuer = { ...intermediate, crlUrl: 'http://pki.test/m01.crl', caIssuersUrl: 'http://pki.test/m01.cer' };
  const pca = await createPrivateCa('123456789012', 'us-east-1', NOW);
  privateCa = { ...pca, crlUrl: 'http://pki.test/pca.crl', caIssuersUrl: 'http://pki.test/pca.cer' };
  dir.write('root.pem', root.certificatePem);
  dir.write('intermediate.pem', intermediate.certificatePem);
  dir.write('pca.pem', pca.certificatePem);
  for (const alg of ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const) keys.set(alg, await generateKeyPair(alg));
});
after(() => dir.remove());

function request(alg: KeyAlgorithm, over: Partial<LeafRequest> = {}): LeafRequest {
  const kp = keys.get(alg)!;
  return {
    profile: 'amazon',
    commonName: 'example.com',
    dnsNames: ['example.com', 'www.example.com', '*.api.example.com'],
    publicKeyPem: kp.publicKeyPem,
    keyAlgorithm: alg,
    issuer,
    now: NOW,
    ...over,
  };
}

const verifyAt = (when: Date, leafFile: string, caFile: string, untrusted?: string) =>
  opensslRun([
    'verify', '-attime', epochSeconds(when), '-purpose', 'sslserver', '-CAfile', dir.path(caFile),
    ...(untrusted ? ['-untrusted', dir.path(untrusted)] : []), leafFile,
  ]);

describe('amazon profile', () => {
  for (const alg of ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const) {
    test(`${alg} leaf from root → intermediate verifies with openssl and carries ACM's extensions`, async () => {
      const leaf = await issueLeaf(request(alg));
      const file = dir.write(`leaf-${alg}.pem`, leaf.certificatePem);
      const ok = verifyAt(new Date(NOW.getTime() + DAY), file, 'root.pem', 'intermediate.pem');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /: OK\n/);

      const t = openssl(['x509', '-noout', '-text', '-in', file]);
      for (const s of [
        'Subject Alternative Name', 'X509v3 Key Usage: critical', 'TLS Web Server Authentication', 'CRL Distribution Points',
        'Authority Information Access', 'X509v3 Authority Key Identifier', 'X509v3 Subject Key Identifier', 'CA:FALSE',
        'Version: 3 (0x2)', 'X509v3 Basic Constraints: critical', 'URI:http://pki.test/m01.crl', 'CA Issuers - URI:http://pki.test/m01.cer',
        'DNS:example.com, DNS:www.example.com, DNS:*.api.example.com', 'Signature Algorithm: sha256WithRSAEncryption',
      ]) {
        assert.ok(t.includes(s), `${alg}: missing "${s}"`);
      }
      assert.ok(!t.includes('TLS Web Client Authentication'), 'public certificates are ServerAuth only');
      assert.match(t, /Subject: CN ?= ?example\.com\n/);
      if (alg === 'RSA_2048') assert.match(t, /Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
      else assert.match(t, /Key Usage: critical\s+Digital Signature\n/);

      const f = leaf.facts;
      assert.deepEqual(f, certificateFacts(leaf.certificatePem), 'facts are those of the returned PEM');
      assert.equal(f.subject, 'CN=example.com');
      assert.equal(f.domainName, 'example.com');
      assert.deepEqual(f.subjectAlternativeNames, ['example.com', 'www.example.com', '*.api.example.com']);
      assert.equal(f.issuer, 'certtrail');
      assert.equal(f.keyAlgorithm, alg);
      assert.equal(f.signatureAlgorithm, 'SHA256WITHRSA');
      assert.deepEqual(f.extendedKeyUsages, [{ name: 'TLS_WEB_SERVER_AUTHENTICATION', oid: '1.3.6.1.5.5.7.3.1' }]);
      assert.deepEqual(f.keyUsages, alg === 'RSA_2048' ? ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'] : ['DIGITAL_SIGNATURE']);
      assert.equal(f.isCa, false);
      assert.equal(f.notBefore.toISOString(), '2026-03-01T10:11:12.000Z', 'the request second');
      assert.equal(f.notAfter.getTime() - f.notBefore.getTime(), 198 * DAY);
      assert.match(f.serial, /^[0-7][0-9a-f](:[0-9a-f]{2}){15}$/);

      const expired = verifyAt(new Date(f.notAfter.getTime() + 1000), file, 'root.pem', 'intermediate.pem');
      assert.notEqual(expired.status, 0);
      assert.match(expired.stdout + expired.stderr, /certificate has expired/);
    });
  }

  test('the chain needs the intermediate: the root alone does not verify a leaf', async () => {
    const file = dir.write('lonely.pem', (await issueLeaf(request('RSA_2048'))).certificatePem);
    assert.notEqual(verifyAt(NOW, file, 'root.pem').status, 0);
  });

  test('the CN leads the SAN list and names are not repeated', async () => {
    const leaf = await issueLeaf(request('EC_prime256v1', { commonName: 'a.example', dnsNames: ['b.example', 'A.EXAMPLE', 'b.example'] }));
    assert.deepEqual(leaf.facts.subjectAlternativeNames, ['a.example', 'b.example']);
  });

  // Speed is measured by `npm run bench` (issuance bursts), not here: timed unit tests flake.
  test('serials differ between leaves', async () => {
    const req = request('EC_prime256v1');
    const serials = new Set<string>();
    for (let i = 0; i < 30; i++) serials.add((await issueLeaf(req)).facts.serial);
    assert.equal(serials.size, 30);
  });

  test('a leaf never outlives its issuer', async () => {
    const issuerNotAfter = certificateFacts(issuer.certificatePem).notAfter;
    const leaf = await issueLeaf(request('RSA_2048', { now: new Date(issuerNotAfter.getTime() - 10 * DAY) }));
    assert.equal(leaf.facts.notAfter.getTime(), issuerNotAfter.getTime());
  });

  test('bad names are client errors', async () => {
    const bad: Partial<LeafRequest>[] = [
      { commonName: 'x'.repeat(60) + '.com' + 'x' },
      { commonName: '' },
      { dnsNames: ['bücher.example'] },
      { dnsNames: ['has space.example'] },
    ];
    for (const over of bad) {
      await assert.rejects(issueLeaf(request('RSA_2048', over)), (e) => isServiceError(e) && e.code === 'ValidationException');
    }
  });

  test('a public key that does not match keyAlgorithm is an internal error, not a client one', async () => {
    await assert.rejects(issueLeaf(request('RSA_2048', { keyAlgorithm: 'EC_prime256v1' })), (e) => !isServiceError(e));
  });
});

test('an EC issuer signs with SHA256WITHECDSA', async () => {
  const key = dir.write('ec-ca.key', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
  const caPem = openssl([
    'req', '-x509', '-new', '-key', key, '-subj', '/O=EC Test/CN=EC CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  dir.write('ec-ca.pem', caPem);
  const ecIssuer: SigningCa = {
    certificatePem: caPem, privateKeyPem: readFileSync(key, 'utf8'), keyAlgorithm: 'EC_prime256v1', crlUrl: 'http://e/c.crl', caIssuersUrl: 'http://e/c.cer',
  };
  const leaf = await issueLeaf(request('RSA_2048', { issuer: ecIssuer, now: new Date() }));
  assert.equal(leaf.facts.signatureAlgorithm, 'SHA256WITHECDSA');
  assert.equal(leaf.facts.issuer, 'EC Test');
  const file = dir.write('ec-leaf.pem', leaf.certificatePem);
  const r = opensslRun(['verify', '-CAfile', dir.path('ec-ca.pem'), file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('a SigningCa changed in place is not served from a stale cache', async () => {
  const ca: SigningCa = { ...issuer };
  const first = await issueLeaf(request('EC_prime256v1', { issuer: ca }));
  ca.crlUrl = 'http://pki.test/rotated.crl';
  const second = await issueLeaf(request('EC_prime256v1', { issuer: ca }));
  assert.match(openssl(['x509', '-noout', '-text'], { input: first.certificatePem }), /m01\.crl/);
  assert.match(openssl(['x509', '-noout', '-text'], { input: second.certificatePem }), /rotated\.crl/);
});

describe('private profile', () => {
  test('leaf from the per-account private CA: ServerAuth+ClientAuth, 395 days, verifies with openssl', async () => {
    const leaf = await issueLeaf(request('RSA_2048', { profile: 'private', issuer: privateCa, commonName: 'svc.internal', dnsNames: ['svc.internal'] }));
    const file = dir.write('private-leaf.pem', leaf.certificatePem);
    const ok = verifyAt(NOW, file, 'pca.pem');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const client = opensslRun(['verify', '-attime', epochSeconds(NOW), '-purpose', 'sslclient', '-CAfile', dir.path('pca.pem'), file]);
    assert.equal(client.status, 0, client.stdout + client.stderr);
    assert.match(openssl(['x509', '-noout', '-text', '-in', file]), /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.deepEqual(leaf.facts.extendedKeyUsages.map((e) => e.name), ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION']);
    assert.equal(leaf.facts.notAfter.getTime() - leaf.facts.notBefore.getTime(), 395 * DAY);
    assert.equal(leaf.facts.issuer, 'certtrail private CA');
    assert.match(openssl(['x509', '-noout', '-text', '-in', file]), /URI:http:\/\/pki\.test\/pca\.crl/);
  });

  test('a public leaf does not verify against the private CA', async () => {
    const file = dir.write('cross.pem', (await issueLeaf(request('RSA_2048'))).certificatePem);
    assert.notEqual(verifyAt(NOW, file, 'pca.pem').status, 0);
  });
});
