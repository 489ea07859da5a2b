/**
 * No private key bytes ever appear in server logs or in responses, except (encrypted) in
 * ExportCertificate's PrivateKey; nor in the database in the clear (SQLite's files, or every value
 * of every table of the PostgreSQL schema with CERTTRAIL_TEST_BACKEND=postgres).
 *
 * The server runs at debug log level while every ACM operation is exercised, including failing
 * calls that carry key material (mismatched key, key in the wrong member, oversized or
 * non-base64 key, key bytes as a passphrase). Then every response body and header, the whole
 * server output and the database files are searched for each key the test knows: the ones it
 * sent and the ones it got back from ExportCertificate (decrypted here with the passphrase).
 *
 * Assertion messages name the key and the place, never the material.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { b64, newKeyPem, selfSigned, type KeyAndCert } from '../helpers/pki.js';
import { rawClient, type RawCall } from '../helpers/raw.js';
import { databaseContents } from '../helpers/backend.js';
import { startServer, testBackend, waitFor, type RunningServer } from '../helpers/server.js';

const REGION = 'us-east-1';
const PASSPHRASE = 'Tr0ub4dor&3-correct-horse';
const PASSPHRASE_2 = 'another passphrase!';
const T = (op: string) => `CertificateManager.${op}`;

// ---------------------------------------------------------------- what counts as key material

interface Secret {
  name: string;
  key: KeyObject;
  /** PKCS#8 DER. */
  der: Buffer;
  pem: string;
}

function secret(name: string, key: KeyObject | string): Secret {
  const k = typeof key === 'string' ? createPrivateKey(key) : key;
  return { name, key: k, der: k.export({ type: 'pkcs8', format: 'der' }), pem: k.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/**
 * The base64 text of `buf` as it would appear inside ANY larger base64 string, whatever the
 * alignment: one candidate per byte offset mod 3, without the edge groups that depend on the
 * neighbouring bytes.
 */
function base64Middles(buf: Buffer, enc: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((shift) => {
    const t = buf.subarray(shift).toString(enc).replace(/=+$/, '');
    return t.slice(0, t.length - 4);
  });
}

interface Needle {
  label: string;
  /** Searched in the normalised text (whitespace and JSON escapes removed). */
  text?: string;
  /** Searched case-insensitively in the normalised text with ':' also removed. */
  hex?: string;
  /** Searched in raw bytes (database files). */
  bytes?: Buffer;
}

/** The private scalars: RSA d, p, q, dp, dq, qi; EC d. */
function scalars(k: KeyObject): [string, Buffer][] {
  const jwk = k.export({ format: 'jwk' }) as Record<string, string | undefined>;
  return ['d', 'p', 'q', 'dp', 'dq', 'qi'].filter((n) => jwk[n]).map((n) => [n, Buffer.from(jwk[n]!, 'base64url')]);
}

function needlesOf(s: Secret): Needle[] {
  const body = s.pem.replace(/-----[^-]+-----|\s/g, '');
  const out: Needle[] = [
    { label: `${s.name}: PEM base64 body`, text: body },
    { label: `${s.name}: DER as hex`, hex: s.der.toString('hex') },
    { label: `${s.name}: DER bytes`, bytes: s.der },
    { label: `${s.name}: PEM as sent on the wire (base64 of the PEM)`, text: b64(s.pem) },
  ];
  for (const [n, v] of scalars(s.key)) {
    out.push({ label: `${s.name}: private component ${n} bytes`, bytes: v });
    out.push({ label: `${s.name}: private component ${n} as hex`, hex: v.toString('hex') });
    for (const enc of ['base64', 'base64url'] as const)
      for (const m of base64Middles(v, enc)) out.push({ label: `${s.name}: private component ${n} in ${enc}`, text: m });
  }
  return out;
}

const normalise = (s: string) => s.replace(/\\[nrt]|\\\/|\s/g, (m) => (m === '\\/' ? '/' : ''));

function findings(haystack: string | Buffer, needles: Needle[]): string[] {
  const text = normalise(typeof haystack === 'string' ? haystack : haystack.toString('latin1'));
  const hexText = text.replaceAll(':', '').toLowerCase();
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return needles
    .filter((n) => (n.text !== undefined && text.includes(n.text)) || (n.hex !== undefined && hexText.includes(n.hex)) || (n.bytes !== undefined && bytes.includes(n.bytes)))
    .map((n) => n.label);
}

/** Private-key PEM headers, in the clear or base64-encoded (as in a request body), in any alignment. */
const MARKERS = ['PRIVATE KEY-----'];
const markerNeedles: Needle[] = [
  { label: 'a "PRIVATE KEY-----" PEM marker', text: 'PRIVATEKEY-----' },
  ...['-----BEGIN PRIVATE KEY', '-----BEGIN RSA PRIVATE KEY', '-----BEGIN EC PRIVATE KEY', '-----BEGIN ENCRYPTED PRIVATE KEY'].flatMap((m) =>
    base64Middles(Buffer.from(m), 'base64').map((t) => ({ label: `a base64-encoded "${m}" marker`, text: t }))),
];

// ---------------------------------------------------------------- the run

interface Exchange {
  label: string;
  status: number;
  headers: string;
  text: string;
}

let server: RunningServer;
let call: RawCall;
const exchanges: Exchange[] = [];
/** Keys the test generated and sent. */
const sent: Secret[] = [];
/** Keys ExportCertificate returned, decrypted here. */
const exported: { secret: Secret; encryptedPem: string; certPem: string; passphrase: string }[] = [];
let pcaResponse = '';

async function send(op: string, input: unknown, opts: { raw?: string | Uint8Array; label?: string } = {}) {
  const r = await call(T(op), opts.raw ?? JSON.stringify(input));
  assert.equal(r.error, undefined, `${op}: no response (${r.error})`);
  exchanges.push({ label: `${op}${opts.label ? ` (${opts.label})` : ''}`, status: r.status, headers: JSON.stringify([...r.headers]), text: r.text });
  return { status: r.status, body: r.text ? (JSON.parse(r.text) as any) : {} };
}

async function must(op: string, input: unknown, label?: string) {
  const r = await send(op, input, { label });
  // Only the code and status: error texts could (in a bug) quote the input.
  assert.equal(r.status, 200, `${op}${label ? ` (${label})` : ''} answered ${r.status} ${r.body.__type ?? ''}`);
  return r.body;
}

async function fails(op: string, input: unknown, label: string, raw?: string) {
  const r = await send(op, input, { raw, label });
  assert.ok(r.status >= 400, `${op} (${label}) should have failed but answered ${r.status}`);
  return r;
}

const status = async (arn: string) => (await must('DescribeCertificate', { CertificateArn: arn })).Certificate;
const waitStatus = (arn: string, want: (c: any) => boolean) => waitFor(async () => ((c) => (want(c) ? c : undefined))(await status(arn)), 30_000, 200);

async function exportKey(arn: string, passphrase: string) {
  const out = await must('ExportCertificate', { CertificateArn: arn, Passphrase: b64(passphrase) });
  const key = createPrivateKey({ key: out.PrivateKey, format: 'pem', passphrase });
  exported.push({ secret: secret(`key exported from ${arn.split('/').pop()}`, key), encryptedPem: out.PrivateKey, certPem: out.Certificate, passphrase });
}

before(async () => {
  server = await startServer({ CERTTRAIL_LOG_LEVEL: 'debug', CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '2' });
  call = rawClient(server.url);

  const pca = new ACMPCAClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const list = await pca.send(new ListCertificateAuthoritiesCommand({}));
  pca.destroy();
  pcaResponse = JSON.stringify(list);
  const ca = list.CertificateAuthorities![0];
  const caRsa = ca.CertificateAuthorityConfiguration!.KeyAlgorithm!.startsWith('RSA');

  // Keys the test owns.
  const rsa: KeyAndCert = selfSigned('imported-rsa.example.com', { kind: 'rsa' });
  const ec: KeyAndCert = selfSigned('imported-ec.example.com', { kind: 'ec' });
  const stray = newKeyPem('rsa');
  const strayEc = newKeyPem('ec');
  sent.push(secret('imported RSA key', rsa.keyPem), secret('imported EC key', ec.keyPem), secret('mismatched RSA key', stray), secret('mismatched EC key', strayEc));
  const pkcs1 = createPrivateKey(stray).export({ type: 'pkcs1', format: 'pem' }) as string;
  const sec1 = createPrivateKey(strayEc).export({ type: 'sec1', format: 'pem' }) as string;
  const encrypted = createPrivateKey(stray).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x-secret' }) as string;

  // Requested certificates: public RSA (exportable) and EC, email-validated, private.
  const publicRsa = (await must('RequestCertificate', { DomainName: 'rsa.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } })).CertificateArn;
  const publicEc = (await must('RequestCertificate', { DomainName: 'ec.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', Options: { Export: 'ENABLED' } })).CertificateArn;
  const email = (await must('RequestCertificate', { DomainName: 'mail.example.org', ValidationMethod: 'EMAIL', KeyAlgorithm: 'EC_secp384r1', IdempotencyToken: 'secrets1' })).CertificateArn;
  await must('ResendValidationEmail', { CertificateArn: email, Domain: 'mail.example.org', ValidationDomain: 'mail.example.org' });
  const priv = (await must('RequestCertificate', { DomainName: 'svc.internal.example', CertificateAuthorityArn: ca.Arn, KeyAlgorithm: caRsa ? 'RSA_2048' : 'EC_prime256v1', Tags: [{ Key: 'k', Value: 'v' }] })).CertificateArn;
  const privOther = (await must('RequestCertificate', { DomainName: 'other.internal.example', CertificateAuthorityArn: ca.Arn, KeyAlgorithm: caRsa ? 'EC_prime256v1' : 'RSA_2048' })).CertificateArn;
  for (const arn of [publicRsa, publicEc, priv]) await waitStatus(arn, (c) => c.Status === 'ISSUED');
  await waitStatus(privOther, (c) => c.Status !== 'PENDING_VALIDATION');

  // Imports, including a re-import of the same material.
  const imported = (await must('ImportCertificate', { Certificate: b64(rsa.certPem), PrivateKey: b64(rsa.keyPem), Tags: [{ Key: 'team', Value: 'a' }] })).CertificateArn;
  const importedEc = (await must('ImportCertificate', { Certificate: b64(ec.certPem), PrivateKey: b64(ec.keyPem) })).CertificateArn;
  await must('ImportCertificate', { CertificateArn: imported, Certificate: b64(rsa.certPem), PrivateKey: b64(rsa.keyPem) }, 're-import');

  // Failing imports and other failing calls that carry key material.
  const imp = (c: string, k: string | Buffer, extra: Record<string, unknown> = {}) => ({ Certificate: b64(c), PrivateKey: b64(k), ...extra });
  await fails('ImportCertificate', imp(rsa.certPem, stray), 'mismatched RSA key');
  await fails('ImportCertificate', imp(ec.certPem, strayEc), 'mismatched EC key');
  await fails('ImportCertificate', imp(rsa.certPem, pkcs1), 'mismatched PKCS#1 key');
  await fails('ImportCertificate', imp(ec.certPem, sec1), 'mismatched SEC1 key');
  await fails('ImportCertificate', imp(rsa.certPem, ec.keyPem), 'key of the wrong algorithm');
  await fails('ImportCertificate', imp(rsa.certPem, encrypted), 'encrypted key');
  await fails('ImportCertificate', imp(rsa.keyPem, rsa.certPem), 'key in Certificate, certificate in PrivateKey');
  await fails('ImportCertificate', imp(rsa.keyPem, rsa.keyPem), 'key in Certificate');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem, { CertificateChain: b64(stray) }), 'key in CertificateChain');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem, { CertificateChain: b64(rsa.certPem + stray) }), 'key appended to the chain');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem + stray), 'two keys');
  await fails('ImportCertificate', imp(rsa.certPem, createPrivateKey(rsa.keyPem).export({ type: 'pkcs8', format: 'der' })), 'DER key');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem.repeat(4)), 'key over 5120 bytes');
  await fails('ImportCertificate', imp(rsa.keyPem.repeat(30), rsa.keyPem), 'key repeated over the certificate limit');
  await fails('ImportCertificate', imp('not a certificate', rsa.keyPem), 'junk certificate');
  await fails('ImportCertificate', { Certificate: b64(rsa.certPem), PrivateKey: rsa.keyPem }, 'key not base64-encoded');
  await fails('ImportCertificate', { Certificate: b64(rsa.certPem), PrivateKey: { key: rsa.keyPem } }, 'key as an object');
  await fails('ImportCertificate', { Certificate: b64(rsa.certPem), PrivateKey: [b64(rsa.keyPem)] }, 'key as a list');
  await fails('ImportCertificate', { PrivateKey: b64(rsa.keyPem) }, 'no certificate');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem, { Tags: [{ Key: 'aws:x', Value: 'y' }] }), 'reserved tag');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem, { CertificateArn: `arn:aws:acm:${REGION}:000000000000:certificate/00000000-0000-4000-8000-000000000000` }), 'unknown ARN');
  await fails('ImportCertificate', imp(ec.certPem, ec.keyPem, { CertificateArn: imported }), 're-import with another key algorithm');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem, { CertificateArn: priv }), 're-import over a private certificate');
  await fails('ImportCertificate', imp(rsa.certPem, rsa.keyPem), 'truncated JSON', JSON.stringify(imp(rsa.certPem, rsa.keyPem)).slice(0, -2));
  await fails('ExportCertificate', { CertificateArn: priv, Passphrase: b64(createPrivateKey(stray).export({ type: 'pkcs8', format: 'der' })) }, 'key bytes as the passphrase');
  await fails('ExportCertificate', { CertificateArn: priv, Passphrase: b64(scalars(createPrivateKey(strayEc))[0][1].subarray(0, 24)) }, 'key scalar as the passphrase');
  await fails('ExportCertificate', { CertificateArn: imported, Passphrase: b64(PASSPHRASE) }, 'imported certificate');
  await fails('ExportCertificate', { CertificateArn: priv, Passphrase: b64('has#hash') }, 'bad passphrase');
  await fails('ListCertificates', { NextToken: stray.slice(0, 2000) }, 'key as NextToken');
  await fails('SearchCertificates', { NextToken: stray.slice(0, 2000) }, 'key as NextToken');
  // Inputs that currently crash the validator (500; see property-malformed.test.ts): the error log must not quote them.
  await fails('AddTagsToCertificate', { CertificateArn: imported, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: i ? 'v' : { toString: b64(stray) } })) }, 'internal failure with a key in the body');
  let deep: unknown = { Filter: { X509AttributeFilter: { Subject: { CommonName: { Value: b64(strayEc).slice(0, 200), ComparisonOperator: 'EQUALS' } } } } };
  for (let i = 0; i < 3000; i++) deep = { Not: deep };
  await fails('SearchCertificates', { FilterStatement: deep }, 'deep filter with key bytes');

  // Exports with a passphrase (decrypted here), renewal and a second export.
  await exportKey(priv, PASSPHRASE);
  await exportKey(publicRsa, PASSPHRASE);
  await exportKey(publicEc, PASSPHRASE_2);
  await must('RenewCertificate', { CertificateArn: priv });
  await waitStatus(priv, (c) => c.RenewalSummary?.RenewalStatus === 'SUCCESS');
  await exportKey(priv, PASSPHRASE_2);

  // Everything else, on every kind of certificate.
  for (const arn of [publicRsa, publicEc, email, priv, privOther, imported, importedEc]) {
    await send('DescribeCertificate', { CertificateArn: arn });
    await send('GetCertificate', { CertificateArn: arn });
    await send('ListTagsForCertificate', { CertificateArn: arn });
  }
  await must('AddTagsToCertificate', { CertificateArn: imported, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'flag' }] });
  await must('RemoveTagsFromCertificate', { CertificateArn: imported, Tags: [{ Key: 'flag' }] });
  await must('UpdateCertificateOptions', { CertificateArn: publicRsa, Options: { CertificateTransparencyLoggingPreference: 'DISABLED' } });
  await must('RevokeCertificate', { CertificateArn: publicRsa, RevocationReason: 'SUPERSEDED' });
  await must('ListCertificates', { Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } });
  await must('ListCertificates', { MaxItems: 1 });
  await must('SearchCertificates', {});
  await must('SearchCertificates', { FilterStatement: { Filter: { AcmCertificateMetadataFilter: { Type: 'IMPORTED' } } } });
  await must('PutAccountConfiguration', { ExpiryEvents: { DaysBeforeExpiry: 20 }, IdempotencyToken: 'secrets' });
  await must('GetAccountConfiguration', {});
  await must('DeleteCertificate', { CertificateArn: importedEc });
  await fails('DescribeCertificate', { CertificateArn: importedEc }, 'deleted');
  // A moment for anything logged asynchronously (lifecycle rounds).
  await new Promise((r) => setTimeout(r, 500));
});

after(async () => {
  await server?.dispose();
});

const allNeedles = () => [...sent, ...exported.map((e) => e.secret)].flatMap(needlesOf);
const encryptedNeedles = () => exported.map((e, i): Needle => ({ label: `encrypted key of export #${i + 1}`, text: e.encryptedPem.replace(/-----[^-]+-----|\s/g, '') }));
const passphraseNeedles = () => [PASSPHRASE, PASSPHRASE_2, 'x-secret'].flatMap((p, i): Needle[] => [
  { label: `passphrase #${i + 1}`, text: normalise(p) },
  { label: `passphrase #${i + 1} in base64`, text: b64(p) },
]);

test('the detector finds planted key material (PEM in JSON, base64 at any offset, hex with colons, raw DER)', () => {
  for (const s of [...sent, ...exported.map((e) => e.secret)]) {
    const needles = needlesOf(s);
    const d = scalars(s.key)[0][1];
    const planted = [
      JSON.stringify({ msg: 'x', key: s.pem }),
      ...[0, 1, 2].map((n) => b64(Buffer.concat([Buffer.alloc(n, 7), s.der, Buffer.alloc(5, 9)]))),
      ...[1, 2].map((n) => Buffer.concat([Buffer.alloc(n, 1), d]).toString('base64url')),
      d.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:'),
    ];
    for (const [i, h] of planted.entries()) assert.ok(findings(h, needles).length > 0, `${s.name}: planted copy #${i + 1} not found`);
    assert.ok(findings(Buffer.concat([Buffer.from('SQLite format 3'), s.der]), needles).length > 0, `${s.name}: raw DER not found`);
  }
  assert.ok(findings('x -----BEGIN PRIVATE KEY----- y', markerNeedles).length > 0);
  assert.ok(findings(b64('{"PrivateKey":"-----BEGIN EC PRIVATE KEY-----'), markerNeedles).length > 0);
});

test('every ACM operation was exercised', (t) => {
  for (const x of exchanges.filter((e) => e.status !== 200)) t.diagnostic(`${x.label} → ${x.status} ${JSON.parse(x.text).__type}`);
  const ops = new Set(exchanges.map((e) => e.label.split(' ')[0]));
  const all = ['AddTagsToCertificate', 'DeleteCertificate', 'DescribeCertificate', 'ExportCertificate', 'GetAccountConfiguration', 'GetCertificate', 'ImportCertificate', 'ListCertificates', 'ListTagsForCertificate', 'PutAccountConfiguration', 'RemoveTagsFromCertificate', 'RenewCertificate', 'RequestCertificate', 'ResendValidationEmail', 'RevokeCertificate', 'SearchCertificates', 'UpdateCertificateOptions'];
  assert.deepEqual(all.filter((o) => !ops.has(o)), []);
  assert.equal(exported.length, 4);
});

test('ExportCertificate returns the key encrypted: ENCRYPTED PRIVATE KEY, opened only by the passphrase, matching the certificate', () => {
  for (const [i, e] of exported.entries()) {
    const labels = [...e.encryptedPem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['ENCRYPTED PRIVATE KEY'], `export #${i + 1}: PrivateKey is not one ENCRYPTED PRIVATE KEY block`);
    assert.ok(findings(e.encryptedPem, needlesOf(e.secret)).length === 0, `export #${i + 1}: the encrypted PEM contains the plaintext key`);
    assert.throws(() => createPrivateKey({ key: e.encryptedPem, format: 'pem', passphrase: 'wrong passphrase' }), Error, `export #${i + 1}: opens with a wrong passphrase`);
    assert.ok(new X509Certificate(e.certPem).checkPrivateKey(e.secret.key), `export #${i + 1}: decrypted key does not match the certificate`);
  }
});

test('no response carries private key material (ExportCertificate only its encrypted PrivateKey)', () => {
  const needles = [...allNeedles(), ...passphraseNeedles()];
  const problems: string[] = [];
  const check = (where: string, text: string, extra: Needle[]) => {
    for (const label of findings(text, [...needles, ...extra])) problems.push(`${label} in ${where}`);
  };
  check('ListCertificateAuthorities (acm-pca)', pcaResponse, [...markerNeedles, ...encryptedNeedles()]);
  for (const [i, x] of exchanges.entries()) {
    const where = `response #${i + 1}: ${x.label} → ${x.status}`;
    check(`${where} (headers)`, x.headers, [...markerNeedles, ...encryptedNeedles()]);
    if (x.label.startsWith('ExportCertificate') && x.status === 200) {
      const { PrivateKey, ...rest } = JSON.parse(x.text);
      const own = exported.find((e) => e.encryptedPem === PrivateKey);
      if (!own) problems.push(`${where}: PrivateKey is not the one the test decrypted`);
      check(`${where} (PrivateKey)`, String(PrivateKey), []);
      check(`${where} (other members)`, JSON.stringify(rest), [...markerNeedles, ...encryptedNeedles()]);
    } else {
      check(where, x.text, [...markerNeedles, ...encryptedNeedles()]);
    }
  }
  assert.ok(problems.length === 0, `key material in responses:\n${problems.join('\n')}`);
});

test('the database holds no key in the clear', async () => {
  const problems = await dbFindings();
  assert.ok(problems.length === 0, `key material in the database:\n${problems.join('\n')}`);
});

async function dbFindings(): Promise<string[]> {
  const parts = await databaseContents(server.dataDir);
  if (testBackend() === 'sqlite') assert.ok(parts.some((p) => p.name === 'certtrail.db'), 'no certtrail.db in the data dir');
  else assert.ok(parts.some((p) => p.name === 'table certificates'), `no certificates table: ${parts.map((p) => p.name)}`);
  const needles = [...allNeedles(), ...passphraseNeedles(), { label: 'an unencrypted private key PEM header', text: '-----BEGINPRIVATEKEY-----' }];
  return parts.flatMap((p) => findings(p.bytes, needles).map((l) => `${l} in ${p.name}`));
}

test('a key pasted into a non-sensitive string member is not quoted back', async () => {
  const pasted = secret('key pasted into string members', newKeyPem('ec'));
  sent.push(pasted);
  const arn = `arn:aws:acm:${REGION}:000000000000:certificate/00000000-0000-4000-8000-000000000000`;
  const cases: [string, unknown][] = [
    ['RequestCertificate', { DomainName: pasted.pem }],
    ['DescribeCertificate', { CertificateArn: pasted.pem }],
    ['AddTagsToCertificate', { CertificateArn: arn, Tags: [{ Key: pasted.pem, Value: 'v' }] }],
  ];
  const problems: string[] = [];
  for (const [op, input] of cases) {
    const r = await call(T(op), JSON.stringify(input));
    assert.ok(r.status >= 400 && r.status < 500, `${op}: expected a 4xx, got ${r.status}`);
    if (findings(r.text, [...needlesOf(pasted), ...markerNeedles]).length) problems.push(`${op}: the pasted key is quoted in the error message`);
  }
  assert.ok(problems.length === 0, problems.join('\n'));
});

test('the server output (debug level, through shutdown) holds no key material; the database neither after shutdown', async () => {
  assert.equal(await server.stop(), 0, 'server did not shut down cleanly');
  const out = server.output();
  assert.ok(out.includes('listening'), 'no server output captured');
  const problems = findings(out, [...allNeedles(), ...markerNeedles, ...encryptedNeedles(), ...passphraseNeedles()]).map((l) => `${l} in the server output`);
  for (const m of MARKERS) if (out.includes(m)) problems.push(`"${m}" in the server output`);
  problems.push(...(await dbFindings()));
  assert.ok(problems.length === 0, `key material leaked:\n${problems.join('\n')}`);
});
