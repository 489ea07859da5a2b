import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { isServiceError } from '../kernel/errors.js';
import { createIntermediateCa, createRootCa } from './ca.js';
import { IMPORT_MESSAGES, parseImport, type ImportInput } from './import.js';
import { issueLeaf } from './issue.js';
import { exportEncryptedPkcs8, generateKeyPair } from './keys.js';
import { pemBlocks } from './pem.js';
import { openssl, scratch, type Scratch } from './testing.js';
import type { CaMaterial, KeyPair } from './types.js';

const NOW = new Date('2026-03-01T10:11:12Z');
const SOON = new Date(NOW.getTime() + 86_400_000);
let dir: Scratch;
let root: CaMaterial;
let intermediate: CaMaterial;
let impostor: CaMaterial;
let leafKey: KeyPair;
let leafPem: string;
let selfSignedPem: string;
let selfSignedKey: string;

const buf = (s: string | Buffer) => Buffer.isBuffer(s) ? s : Buffer.from(s);
const input = (certificate: string | Buffer, privateKey: string | Buffer, chain?: string | Buffer): ImportInput => ({
  certificate: buf(certificate),
  privateKey: buf(privateKey),
  ...(chain === undefined ? {} : { chain: buf(chain) }),
});
const sslFile = (name: string, args: string[]) => dir.write(name, openssl(args));

before(async () => {
  dir = scratch();
  root = await createRootCa(NOW);
  intermediate = await createIntermediateCa(root, { crlUrl: 'http://t/r.crl', caIssuersUrl: 'http://t/r.cer' }, NOW);
  // Same subject as the intermediate, different key: names alone must not satisfy the chain check.
  impostor = await createIntermediateCa(root, { crlUrl: 'http://t/r.crl', caIssuersUrl: 'http://t/r.cer' }, NOW);
  leafKey = await generateKeyPair('RSA_2048');
  leafPem = (await issueLeaf({
    profile: 'amazon', commonName: 'imported.example', dnsNames: ['imported.example', 'www.imported.example'],
    publicKeyPem: leafKey.publicKeyPem, keyAlgorithm: 'RSA_2048',
    issuer: { ...intermediate, crlUrl: 'http://t/m.crl', caIssuersUrl: 'http://t/m.cer' }, now: NOW,
  })).certificatePem;
  selfSignedKey = readFileSync(sslFile('ss.key', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']), 'utf8');
  selfSignedPem = openssl([
    'req', '-x509', '-new', '-key', dir.path('ss.key'), '-days', '30',
    '-subj', '/C=AU/ST=Some-State/L=Some-Locality/O=LocalStack Org/OU=Testing/CN=localhost',
  ]);
});
after(() => dir.remove());

const messages = new Set<string>(Object.values(IMPORT_MESSAGES));

/** Throws exactly this ValidationException, and says nothing else. */
function throwsWith(fn: () => unknown, key: keyof typeof IMPORT_MESSAGES, secrets: string[] = []) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isServiceError(e), `not a ServiceError: ${String(e)}`);
    assert.equal(e.code, 'ValidationException');
    assert.equal(e.status, 400);
    assert.equal(e.message, IMPORT_MESSAGES[key]);
    assert.ok(messages.has(e.message));
    for (const s of secrets) {
      for (const line of s.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----'))) {
        assert.ok(!e.message.includes(line) && !JSON.stringify(e).includes(line), 'no key material in the error');
      }
    }
    return true;
  });
}

describe('accepted', () => {
  test('self-signed RSA certificate with a PKCS#8 key', async () => {
    const r = parseImport(input(selfSignedPem, selfSignedKey), new Date());
    assert.equal(r.keyAlgorithm, 'RSA_2048');
    assert.equal(r.facts.subject, 'C=AU,ST=Some-State,L=Some-Locality,O=LocalStack Org,OU=Testing,CN=localhost');
    assert.equal(r.facts.domainName, 'localhost');
    assert.equal(r.facts.issuer, 'LocalStack Org');
    assert.equal(r.facts.selfSigned, true);
    assert.equal(r.certificatePem, selfSignedPem, 'openssl and we agree on canonical PEM');
    assert.equal(r.chainPem, undefined);
    assert.match(r.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(createPublicKey(r.privateKeyPem).export({ type: 'spki', format: 'pem' }), createPublicKey(selfSignedPem).export({ type: 'spki', format: 'pem' }));
  });

  test('CA-signed certificate with its chain, in order (full or intermediate only)', async () => {
    const full = parseImport(input(leafPem, leafKey.privateKeyPem, intermediate.certificatePem + root.certificatePem), SOON);
    assert.equal(full.chainPem, intermediate.certificatePem + root.certificatePem);
    assert.equal(full.facts.domainName, 'imported.example');
    assert.deepEqual(full.facts.subjectAlternativeNames, ['imported.example', 'www.imported.example']);
    assert.equal(full.facts.selfSigned, false);
    const partial = parseImport(input(leafPem, leafKey.privateKeyPem, intermediate.certificatePem), SOON);
    assert.equal(partial.chainPem, intermediate.certificatePem);
    assert.equal(pemBlocks(full.chainPem!).length, 2);
  });

  test('an openssl-built chain mixing ECDSA and RSASSA-PSS signatures', () => {
    const caExt = dir.write('ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    const leafExt = dir.write('leaf.ext', 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:mixed.example\n');
    sslFile('r.key', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']);
    sslFile('i.key', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    const leafKeyPem = readFileSync(sslFile('l.key', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']), 'utf8');
    const rootCa = sslFile('r.pem', ['req', '-x509', '-new', '-key', dir.path('r.key'), '-subj', '/O=Mixed/CN=Mixed Root', '-days', '30', '-sha384']);
    sslFile('i.csr', ['req', '-new', '-key', dir.path('i.key'), '-subj', '/O=Mixed/CN=Mixed Issuing']);
    const inter = sslFile('i.pem', ['x509', '-req', '-in', dir.path('i.csr'), '-CA', rootCa, '-CAkey', dir.path('r.key'), '-days', '20', '-sha384', '-extfile', caExt]);
    sslFile('l.csr', ['req', '-new', '-key', dir.path('l.key'), '-subj', '/CN=mixed.example']);
    const leaf = openssl([
      'x509', '-req', '-in', dir.path('l.csr'), '-CA', inter, '-CAkey', dir.path('i.key'), '-days', '10', '-sha256',
      '-sigopt', 'rsa_padding_mode:pss', '-extfile', leafExt,
    ]);
    const chain = readFileSync(inter, 'utf8') + readFileSync(rootCa, 'utf8');
    const r = parseImport(input(leaf, leafKeyPem, chain), new Date());
    assert.equal(r.facts.signatureAlgorithm, 'SHA256WITHRSAANDMGF1');
    assert.equal(r.facts.issuer, 'Mixed');
    assert.equal(r.keyAlgorithm, 'EC_prime256v1');
    assert.equal(r.chainPem, chain);
  });

  test('CA-signed certificate without a chain (AWS accepts it; there is just no chain to serve)', async () => {
    const r = parseImport(input(leafPem, leafKey.privateKeyPem), SOON);
    assert.equal(r.chainPem, undefined);
    const empty = parseImport(input(leafPem, leafKey.privateKeyPem, ''), SOON);
    assert.equal(empty.chainPem, undefined, 'an empty chain blob is no chain');
  });

  test('EC P-521 with a SEC1 key preceded by EC PARAMETERS, normalised to PKCS#8', async () => {
    const key = openssl(['ecparam', '-name', 'secp521r1', '-genkey']);
    assert.match(key, /BEGIN EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/);
    dir.write('p521.key', key);
    const cert = openssl(['req', '-x509', '-new', '-key', dir.path('p521.key'), '-subj', '/CN=p521.example', '-days', '2', '-sha512']);
    const r = parseImport(input(cert, key), new Date());
    assert.equal(r.keyAlgorithm, 'EC_secp521r1');
    assert.equal(r.facts.keyAlgorithm, 'EC_secp521r1');
    assert.equal(r.facts.signatureAlgorithm, 'SHA512WITHECDSA');
    assert.match(r.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('RSA-1024 with a PKCS#1 key', async () => {
    const key = openssl(['genrsa', '-traditional', '1024']);
    assert.match(key, /BEGIN RSA PRIVATE KEY/);
    dir.write('rsa1024.key', key);
    const cert = openssl(['req', '-x509', '-new', '-key', dir.path('rsa1024.key'), '-subj', '/CN=old.example', '-days', '2']);
    const r = parseImport(input(cert, key), new Date());
    assert.equal(r.keyAlgorithm, 'RSA_1024');
    assert.match(r.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('text around the PEM blocks (openssl pkcs12 "Bag Attributes") is ignored', async () => {
    const bag = (pem: string) => `Bag Attributes\n    localKeyID: 01 02\nsubject=/CN=x\n${pem}`;
    const r = parseImport(input(bag(selfSignedPem), bag(selfSignedKey)), new Date());
    assert.equal(r.facts.domainName, 'localhost');
  });
});

describe('rejected', () => {
  test('two certificates in the certificate field', async () => {
    throwsWith(() => parseImport(input(leafPem + intermediate.certificatePem, leafKey.privateKeyPem), SOON), 'certificateMultiple');
  });

  test('DER, empty, junk and corrupted certificates', async () => {
    const der = Buffer.from(pemBlocks(selfSignedPem)[0].der);
    const cases = [
      der,
      Buffer.alloc(0),
      Buffer.from('hello world'),
      Buffer.from('-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n'),
      Buffer.from(`-----BEGIN CERTIFICATE-----\n${Buffer.concat([der, Buffer.from([0])]).toString('base64')}\n-----END CERTIFICATE-----\n`),
      Buffer.from(`-----BEGIN CERTIFICATE-----\n${der.subarray(0, 200).toString('base64')}\n-----END CERTIFICATE-----\n`),
      Buffer.from(selfSignedKey),
    ];
    for (const c of cases) throwsWith(() => parseImport(input(c, selfSignedKey), new Date()), 'certificateUnparsable');
  });

  test('X.509 v1 certificate', async () => {
    dir.write('v1.csr', openssl(['req', '-new', '-key', dir.path('ss.key'), '-subj', '/CN=v1.example']));
    const v1 = openssl(['x509', '-req', '-in', dir.path('v1.csr'), '-signkey', dir.path('ss.key'), '-days', '2']);
    assert.match(openssl(['x509', '-noout', '-text'], { input: v1 }), /Version: 1 \(0x0\)/);
    throwsWith(() => parseImport(input(v1, selfSignedKey), new Date()), 'certificateNotV3');
  });

  test('an empty issuer', () => {
    const pem = openssl(['req', '-x509', '-new', '-key', dir.path('ss.key'), '-subj', '/', '-days', '2', '-addext', 'subjectAltName=DNS:x.example']);
    throwsWith(() => parseImport(input(pem, selfSignedKey), new Date()), 'certificateNoIssuer');
  });

  test('no domain name anywhere', async () => {
    const pem = openssl(['req', '-x509', '-new', '-key', dir.path('ss.key'), '-subj', '/O=Nameless', '-days', '2']);
    throwsWith(() => parseImport(input(pem, selfSignedKey), new Date()), 'certificateNoDomain');
  });

  test('expired and not-yet-valid certificates', async () => {
    const notAfter = new Date(NOW.getTime() + 198 * 86_400_000);
    throwsWith(() => parseImport(input(leafPem, leafKey.privateKeyPem), new Date(notAfter.getTime() + 1000)), 'certificateExpired');
    throwsWith(() => parseImport(input(leafPem, leafKey.privateKeyPem), new Date(NOW.getTime() - 1000)), 'certificateNotYetValid');
    parseImport(input(leafPem, leafKey.privateKeyPem), notAfter);
    parseImport(input(leafPem, leafKey.privateKeyPem), NOW);
  });

  test('a key that does not match the certificate', async () => {
    const other = await generateKeyPair('RSA_2048');
    throwsWith(() => parseImport(input(leafPem, other.privateKeyPem), SOON), 'keyMismatch', [other.privateKeyPem]);
    const ec = await generateKeyPair('EC_prime256v1');
    throwsWith(() => parseImport(input(leafPem, ec.privateKeyPem), SOON), 'keyMismatch', [ec.privateKeyPem]);
  });

  test('encrypted keys: PKCS#8 and legacy Proc-Type', async () => {
    const pkcs8 = exportEncryptedPkcs8(selfSignedKey, Buffer.from('secret'));
    throwsWith(() => parseImport(input(selfSignedPem, pkcs8), new Date()), 'keyEncrypted', [pkcs8]);
    const legacy = openssl(['rsa', '-in', dir.path('ss.key'), '-aes256', '-traditional', '-passout', 'pass:secret']);
    assert.match(legacy, /Proc-Type: 4,ENCRYPTED/);
    throwsWith(() => parseImport(input(selfSignedPem, legacy), new Date()), 'keyEncrypted', [legacy]);
  });

  test('DER, empty, junk, corrupted keys and two keys', async () => {
    const der = Buffer.from(pemBlocks(selfSignedKey)[0].der);
    const corrupted = selfSignedKey.replace(/\n(.{10})/, '\nAAAAAAAAAA');
    for (const k of [der, Buffer.alloc(0), Buffer.from('junk'), Buffer.from(corrupted), Buffer.from(selfSignedPem)]) {
      throwsWith(() => parseImport(input(selfSignedPem, k), new Date()), 'keyUnparsable', [selfSignedKey]);
    }
    throwsWith(() => parseImport(input(selfSignedPem, selfSignedKey + selfSignedKey), new Date()), 'keyMultiple', [selfSignedKey]);
  });

  test('key algorithms ACM does not support: RSA-512, Ed25519, P-224', async () => {
    const specs: [string, string[]][] = [
      ['rsa512.key', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512']],
      ['ed25519.key', ['genpkey', '-algorithm', 'ED25519']],
      ['p224.key', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-224']],
    ];
    for (const [name, args] of specs) {
      const key = readFileSync(sslFile(name, args), 'utf8');
      const cert = openssl(['req', '-x509', '-new', '-key', dir.path(name), '-subj', '/CN=odd.example', '-days', '2']);
      throwsWith(() => parseImport(input(cert, key), new Date()), 'keyUnsupported', [key]);
    }
  });

  test('chains that do not sign the certificate in order', async () => {
    const key = leafKey.privateKeyPem;
    const chains = [
      root.certificatePem + intermediate.certificatePem, // out of order
      root.certificatePem, // skips the issuer
      impostor.certificatePem, // right name, wrong key
      leafPem + intermediate.certificatePem, // the leaf itself first
      selfSignedPem, // unrelated
      intermediate.certificatePem + selfSignedPem, // breaks after the first link
    ];
    for (const chain of chains) throwsWith(() => parseImport(input(leafPem, key, chain), SOON), 'chainInvalid');
  });

  test('chains that are not PEM certificates', async () => {
    const der = pemBlocks(intermediate.certificatePem)[0].der;
    for (const chain of [der, Buffer.from('junk'), Buffer.from(intermediate.certificatePem + leafKey.privateKeyPem)]) {
      throwsWith(() => parseImport(input(leafPem, leafKey.privateKeyPem, chain), SOON), 'chainUnparsable', [leafKey.privateKeyPem]);
    }
  });
});
