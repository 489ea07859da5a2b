/**
 * The real AWS CLI v2 (/usr/bin/aws, awscli 2.9.19), second half (see cli-acm.test.ts):
 * import-certificate with fileb://, the account's private CA through `aws acm-pca`, private
 * certificates, export-certificate with every way the CLI can send the passphrase blob,
 * renew-certificate and the account configuration.
 *
 * 2.9.19 predates `Options.Export`, so exporting is exercised on a PRIVATE certificate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeCertificateCommand, GetCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RequestCertificateCommand, type ACMClient,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';

let server: RunningServer;
let aws: AwsCli;
let sdk: ACMClient;

before(async () => {
  server = await startServer();
  aws = awsCli(server.url);
  sdk = acmClient(server.url);
  writeFileSync(join(aws.dir, 'pass.txt'), 'testpass');
});
after(async () => {
  sdk?.destroy();
  await server?.dispose();
});

const ARN_RE = /^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sdkDescribe = async (arn: string) => (await sdk.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
const fingerprint = (pem: string | Buffer) => new X509Certificate(pem).fingerprint256;

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: aws.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('get-account-configuration / put-account-configuration', async () => {
  assert.deepEqual(await aws.json('acm', 'get-account-configuration'), { ExpiryEvents: { DaysBeforeExpiry: 45 } });
  const [put, noToken] = await Promise.all([
    aws.run('acm', 'put-account-configuration', '--expiry-events', 'DaysBeforeExpiry=30', '--idempotency-token', 'cliTest1'),
    // The CLI itself insists on the (required) idempotency token.
    aws.run('acm', 'put-account-configuration', '--expiry-events', 'DaysBeforeExpiry=20'),
  ]);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(put.stdout.trim(), '');
  assert.equal(noToken.code, 252);
  assert.match(noToken.stderr, /--idempotency-token/);
  assert.deepEqual(await aws.json('acm', 'get-account-configuration'), { ExpiryEvents: { DaysBeforeExpiry: 30 } });
});

let importedArn: string;

test('import-certificate with fileb://, re-import into the same ARN, get-certificate', async () => {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=imported.example.com', '-days', '30', '-keyout', 'imp-key.pem', '-out', 'imp-cert.pem');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=imported.example.com', '-days', '60', '-keyout', 'imp-key2.pem', '-out', 'imp-cert2.pem');
  const imported = await aws.json(
    'acm', 'import-certificate', '--certificate', 'fileb://imp-cert.pem', '--private-key', 'fileb://imp-key.pem', '--tags', 'Key=source,Value=openssl',
  );
  assert.match(imported.CertificateArn, ARN_RE);
  importedArn = imported.CertificateArn;

  const [{ Certificate: c }, got, mismatch] = await Promise.all([
    aws.json('acm', 'describe-certificate', '--certificate-arn', importedArn),
    aws.json('acm', 'get-certificate', '--certificate-arn', importedArn),
    // A key that does not belong to the certificate is refused.
    aws.run('acm', 'import-certificate', '--certificate', 'fileb://imp-cert.pem', '--private-key', 'fileb://imp-key2.pem'),
  ]);
  assert.equal(c.Type, 'IMPORTED');
  assert.equal(c.Status, 'ISSUED');
  assert.equal(c.DomainName, 'imported.example.com');
  assert.equal(c.KeyAlgorithm, 'RSA-2048');
  assert.equal(c.Subject, 'CN=imported.example.com');
  assert.ok(c.ImportedAt && c.NotAfter);
  assert.equal(fingerprint(got.Certificate), fingerprint(readFileSync(join(aws.dir, 'imp-cert.pem'))));
  assert.equal(mismatch.code, 254, mismatch.stderr);
  assert.match(mismatch.stderr, /An error occurred \(\w+\) when calling the ImportCertificate operation: /);
  const tags = await sdk.send(new ListTagsForCertificateCommand({ CertificateArn: importedArn }));
  assert.deepEqual(tags.Tags, [{ Key: 'source', Value: 'openssl' }]);

  // Re-import: a new certificate into the same ARN.
  const re = await aws.json(
    'acm', 'import-certificate', '--certificate-arn', importedArn, '--certificate', 'fileb://imp-cert2.pem', '--private-key', 'fileb://imp-key2.pem',
  );
  assert.equal(re.CertificateArn, importedArn);
  const got2 = await sdk.send(new GetCertificateCommand({ CertificateArn: importedArn }));
  assert.equal(fingerprint(got2.Certificate!), fingerprint(readFileSync(join(aws.dir, 'imp-cert2.pem'))));
});

let caArn: string;

test('acm-pca: list-certificate-authorities, describe-certificate-authority, get-certificate-authority-certificate', async () => {
  const list = await aws.json('acm-pca', 'list-certificate-authorities');
  assert.equal(list.CertificateAuthorities.length, 1);
  caArn = list.CertificateAuthorities[0].Arn;
  assert.match(caArn, /^arn:aws:acm-pca:us-east-1:000000000000:certificate-authority\/[0-9a-f-]{36}$/);
  const unknown = caArn.replace(/[0-9a-f]{12}$/, '000000000000');
  const [{ CertificateAuthority: ca }, { Certificate }, missing] = await Promise.all([
    aws.json('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', caArn),
    aws.json('acm-pca', 'get-certificate-authority-certificate', '--certificate-authority-arn', caArn),
    aws.run('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', unknown),
  ]);
  assert.equal(ca.Arn, caArn);
  assert.equal(ca.Status, 'ACTIVE');
  assert.equal(ca.Type, 'ROOT');
  assert.equal(ca.OwnerAccount, '000000000000');
  assert.ok(ca.CertificateAuthorityConfiguration.KeyAlgorithm);
  const x = new X509Certificate(Certificate);
  assert.ok(x.ca);
  assert.equal(BigInt('0x' + x.serialNumber), BigInt('0x' + ca.Serial.replace(/:/g, '')));
  writeFileSync(join(aws.dir, 'pca.pem'), Certificate + '\n');
  assertCliError(missing, 'ResourceNotFoundException', 'DescribeCertificateAuthority');
});

let privateArn: string;

test('export-certificate of a PRIVATE certificate: fileb:// passphrase, inline base64, --cli-binary-format raw-in-base64-out', async () => {
  const [reqPrivate, exportOpt] = await Promise.all([
    aws.json('acm', 'request-certificate', '--domain-name', 'internal.example.com', '--certificate-authority-arn', caArn),
    // 2.9.19's model has no Options.Export: the CLI refuses the flag before sending anything.
    aws.run('acm', 'request-certificate', '--domain-name', 'exp.example.com', '--options', 'Export=ENABLED'),
  ]);
  assert.equal(exportOpt.code, 252);
  assert.match(exportOpt.stderr, /Unknown parameter in Options: "Export"/);
  privateArn = reqPrivate.CertificateArn;
  const c = await waitFor(async () => {
    const d = await sdkDescribe(privateArn);
    return d.Status === 'ISSUED' ? d : undefined;
  });
  assert.equal(c.Type, 'PRIVATE');
  assert.equal(c.CertificateAuthorityArn, caArn);
  assert.equal(c.RenewalEligibility, 'INELIGIBLE');

  // The private chain ends at the account's private CA.
  const got = await sdk.send(new GetCertificateCommand({ CertificateArn: privateArn }));
  writeFileSync(join(aws.dir, 'priv-cert.pem'), got.Certificate!);
  writeFileSync(join(aws.dir, 'priv-chain.pem'), got.CertificateChain!);
  assert.equal(openssl('verify', '-CAfile', 'pca.pem', '-untrusted', 'priv-chain.pem', 'priv-cert.pem').trim(), 'priv-cert.pem: OK');

  const leafKey = new X509Certificate(got.Certificate!).publicKey.export({ type: 'spki', format: 'der' });
  const checkExport = (out: any, pass: string) => {
    assert.match(out.PrivateKey, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.equal(fingerprint(out.Certificate), fingerprint(got.Certificate!));
    assert.match(out.CertificateChain, /^-----BEGIN CERTIFICATE-----/);
    const key = createPrivateKey({ key: out.PrivateKey, format: 'pem', passphrase: pass });
    assert.deepEqual(createPublicKey(key).export({ type: 'spki', format: 'der' }), leafKey);
    assert.throws(() => createPrivateKey({ key: out.PrivateKey, format: 'pem', passphrase: 'wrongpass' }));
  };

  const [viaFile, inlineB64, raw, inlinePlain, importedCert, unknownCert] = await Promise.all([
    // fileb:// sends the file's bytes, base64-encoded.
    aws.json('acm', 'export-certificate', '--certificate-arn', privateArn, '--passphrase', 'fileb://pass.txt'),
    // CLI v2 sends an inline blob as already-base64 (cli_binary_format=base64).
    aws.json('acm', 'export-certificate', '--certificate-arn', privateArn, '--passphrase', Buffer.from('inline-pass').toString('base64')),
    // …unless told the inline value is raw.
    aws.json('acm', 'export-certificate', '--certificate-arn', privateArn, '--passphrase', 'rawpass1', '--cli-binary-format', 'raw-in-base64-out'),
    // So a plain inline "testpass" goes out verbatim and the server base64-decodes it into bytes
    // that are not printable ASCII: refused rather than used as some other passphrase.
    aws.run('acm', 'export-certificate', '--certificate-arn', privateArn, '--passphrase', 'testpass'),
    aws.run('acm', 'export-certificate', '--certificate-arn', importedArn, '--passphrase', 'fileb://pass.txt'),
    aws.run('acm', 'export-certificate', '--certificate-arn', 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000', '--passphrase', 'fileb://pass.txt'),
  ]);
  checkExport(viaFile, 'testpass');
  writeFileSync(join(aws.dir, 'exported.key'), viaFile.PrivateKey);
  openssl('pkey', '-in', 'exported.key', '-passin', 'pass:testpass', '-noout');
  checkExport(inlineB64, 'inline-pass');
  checkExport(raw, 'rawpass1');
  assertCliError(inlinePlain, 'ValidationException', 'ExportCertificate');
  // Imported certificates are not exportable; unknown ones are not found.
  assertCliError(importedCert, 'ValidationException', 'ExportCertificate');
  assertCliError(unknownCert, 'ResourceNotFoundException', 'ExportCertificate');

  // Exporting marks the certificate Exported and makes it eligible for renewal.
  assert.equal((await sdkDescribe(privateArn)).RenewalEligibility, 'ELIGIBLE');
  const list = await sdk.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048'] } }));
  const summary = list.CertificateSummaryList!.find((s) => s.CertificateArn === privateArn)!;
  assert.equal(summary.Exported, true);
  assert.equal(summary.Type, 'PRIVATE');
});

test('renew-certificate: an exported private certificate renews; a non-exported public one is refused', async () => {
  const before = await sdkDescribe(privateArn);
  const publicArn = (await sdk.send(new RequestCertificateCommand({ DomainName: 'pub.example.com' }))).CertificateArn!;
  const [r, refused] = await Promise.all([
    aws.run('acm', 'renew-certificate', '--certificate-arn', privateArn),
    aws.run('acm', 'renew-certificate', '--certificate-arn', publicArn),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '');
  const renewed = await waitFor(async () => {
    const c = await sdkDescribe(privateArn);
    return c.RenewalSummary?.RenewalStatus === 'SUCCESS' ? c : undefined;
  });
  assert.equal(renewed.Status, 'ISSUED');
  assert.notEqual(renewed.Serial, before.Serial);
  assert.equal(renewed.CertificateArn, privateArn);
  assert.equal(refused.code, 254);
  assert.match(refused.stderr, /An error occurred \(\w+\) when calling the RenewCertificate operation: /);
  assert.ok(!server.output().includes('internal failure'), server.output());
});
