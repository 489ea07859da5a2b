/**
 * The real AWS CLI v2 (/usr/bin/aws, Debian awscli 2.9.19) against a running certtrail: the
 * README flow (public DNS certificate, EC P-256, verified with openssl against certtrail's
 * root), tags, options, validation emails, listing with filters and pagination, deletion and
 * error reporting. Import, export (private CA), renewal and account configuration are in
 * cli-acm-export.test.ts; RevokeCertificate and SearchCertificates are newer than 2.9.19 and
 * are covered through the SDK elsewhere.
 *
 * Each CLI run costs about a second of Python start-up, so waiting and set-up that are not
 * themselves under test go through the SDK.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeCertificateCommand, ListTagsForCertificateCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';

let server: RunningServer;
let aws: AwsCli;
let sdk: ACMClient;

// The validation delay is long enough to catch a public certificate while it is still pending,
// even on a loaded machine where each CLI run takes seconds.
before(async () => {
  server = await startServer({ CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '12' });
  aws = awsCli(server.url);
  sdk = acmClient(server.url);
  writeFileSync(join(aws.dir, 'root.pem'), await (await fetch(`${server.url}/_certtrail/ca/root.pem`)).text());
});
after(async () => {
  sdk?.destroy();
  await server?.dispose();
});

const ARN_RE = /^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALL_KEY_TYPES = 'keyTypes=RSA_1024,RSA_2048,RSA_3072,RSA_4096,EC_prime256v1,EC_secp384r1,EC_secp521r1';
const arnsOf = (l: any): string[] => l.CertificateSummaryList.map((s: any) => s.CertificateArn);

const sdkDescribe = async (arn: string) => (await sdk.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
const sdkRequest = async (domain: string, method: 'DNS' | 'EMAIL' = 'DNS') =>
  (await sdk.send(new RequestCertificateCommand({ DomainName: domain, ValidationMethod: method }))).CertificateArn!;

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: aws.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let publicArn: string;

test('README flow: request-certificate (DNS, EC P-256, SAN), describe-certificate while pending', async () => {
  const req = await aws.json(
    'acm', 'request-certificate', '--domain-name', 'example.com', '--subject-alternative-names', 'www.example.com',
    '--validation-method', 'DNS', '--key-algorithm', 'EC_prime256v1',
  );
  assert.match(req.CertificateArn, ARN_RE);
  publicArn = req.CertificateArn;
  // DNS records may appear a moment after the request, as on AWS.
  await waitFor(async () => ((await sdkDescribe(publicArn)).DomainValidationOptions?.every((o) => o.ResourceRecord) ? true : undefined));

  const [describeRun, getPending, optsPending] = await Promise.all([
    aws.json('acm', 'describe-certificate', '--certificate-arn', publicArn),
    aws.run('acm', 'get-certificate', '--certificate-arn', publicArn),
    aws.run('acm', 'update-certificate-options', '--certificate-arn', publicArn, '--options', 'CertificateTransparencyLoggingPreference=DISABLED'),
  ]);
  const pending = describeRun.Certificate;
  assert.equal(pending.CertificateArn, publicArn);
  assert.equal(pending.Status, 'PENDING_VALIDATION');
  assert.equal(pending.Type, 'AMAZON_ISSUED');
  assert.equal(pending.DomainName, 'example.com');
  assert.deepEqual(pending.SubjectAlternativeNames, ['example.com', 'www.example.com']);
  assert.equal(pending.KeyAlgorithm, 'EC-prime256v1');
  assert.deepEqual(pending.DomainValidationOptions.map((o: any) => o.DomainName), ['example.com', 'www.example.com']);
  for (const o of pending.DomainValidationOptions) {
    assert.equal(o.ValidationMethod, 'DNS');
    assert.equal(o.ValidationDomain, o.DomainName);
    assert.equal(o.ValidationStatus, 'PENDING_VALIDATION');
    assert.equal(o.ResourceRecord.Type, 'CNAME');
    assert.match(o.ResourceRecord.Name, new RegExp(`^_[0-9a-f]{32}\\.${o.DomainName.replace(/\./g, '\\.')}\\.$`));
    assert.match(o.ResourceRecord.Value, /^_[0-9a-f]{32}\.[a-z]+\.acm-validations\.aws\.$/);
  }
  // Epoch seconds on the wire, rendered by the CLI as ISO-8601.
  assert.match(pending.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
  // Not issued yet: GetCertificate says so; options cannot change while pending.
  assertCliError(getPending, 'RequestInProgressException', 'GetCertificate');
  assertCliError(optsPending, 'InvalidStateException', 'UpdateCertificateOptions');
});

// (Tags and validation emails run while the certificate above is still being validated.)
test('resend-validation-email: accepted for a pending EMAIL certificate, refused for a DNS one', async () => {
  const arn = await sdkRequest('mail.example.com', 'EMAIL');
  const c = await sdkDescribe(arn);
  assert.equal(c.Status, 'PENDING_VALIDATION');
  assert.equal(c.DomainValidationOptions![0].ValidationMethod, 'EMAIL');
  const [ok, dns] = await Promise.all([
    aws.run('acm', 'resend-validation-email', '--certificate-arn', arn, '--domain', 'mail.example.com', '--validation-domain', 'mail.example.com'),
    aws.run('acm', 'resend-validation-email', '--certificate-arn', publicArn, '--domain', 'example.com', '--validation-domain', 'example.com'),
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), '');
  assertCliError(dns, 'InvalidStateException', 'ResendValidationEmail');
});

test('add-tags-to-certificate, list-tags-for-certificate, remove-tags-from-certificate', async () => {
  const add = await aws.run('acm', 'add-tags-to-certificate', '--certificate-arn', publicArn, '--tags', 'Key=env,Value=prod', 'Key=team,Value=web', 'Key=flag');
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.stdout.trim(), '');
  const byKey = (tags: any[]) => [...tags].sort((a, b) => a.Key.localeCompare(b.Key));
  // A tag without a value comes back without a Value member.
  assert.deepEqual(byKey((await aws.json('acm', 'list-tags-for-certificate', '--certificate-arn', publicArn)).Tags), [
    { Key: 'env', Value: 'prod' }, { Key: 'flag' }, { Key: 'team', Value: 'web' },
  ]);
  // Without a value a tag goes whatever its value; with a value only if it matches.
  const rm = await aws.run('acm', 'remove-tags-from-certificate', '--certificate-arn', publicArn, '--tags', 'Key=env', 'Key=team,Value=other');
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout.trim(), '');
  const left = await sdk.send(new ListTagsForCertificateCommand({ CertificateArn: publicArn }));
  assert.deepEqual(byKey(left.Tags!), [{ Key: 'flag' }, { Key: 'team', Value: 'web' }]);
});

test('README flow, continued: once ISSUED, get-certificate and openssl verify against /_certtrail/ca/root.pem', async () => {
  await waitFor(async () => ((await sdkDescribe(publicArn)).Status === 'ISSUED' ? true : undefined), 30_000, 200);
  const [{ Certificate: issued }, got] = await Promise.all([
    aws.json('acm', 'describe-certificate', '--certificate-arn', publicArn),
    aws.json('acm', 'get-certificate', '--certificate-arn', publicArn),
  ]);
  assert.equal(issued.Status, 'ISSUED');
  assert.ok(issued.DomainValidationOptions.every((o: any) => o.ValidationStatus === 'SUCCESS'));
  assert.ok(issued.Serial && issued.NotBefore && issued.NotAfter && issued.IssuedAt);
  assert.equal(issued.Subject, 'CN=example.com');

  assert.match(got.Certificate, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
  assert.match(got.CertificateChain, /^-----BEGIN CERTIFICATE-----/);
  writeFileSync(join(aws.dir, 'cert.pem'), got.Certificate);
  writeFileSync(join(aws.dir, 'chain.pem'), got.CertificateChain);
  assert.equal(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', 'cert.pem').trim(), 'cert.pem: OK');

  // The chain excludes the leaf; the leaf carries what was asked for.
  const leaf = new X509Certificate(got.Certificate);
  assert.ok(!got.CertificateChain.includes(got.Certificate.trim()));
  assert.equal(leaf.subject, 'CN=example.com');
  assert.equal(leaf.subjectAltName, 'DNS:example.com, DNS:www.example.com');
  assert.equal(leaf.publicKey.asymmetricKeyType, 'ec');
  assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.equal(BigInt('0x' + leaf.serialNumber), BigInt('0x' + issued.Serial.replace(/:/g, '')));
});

test('update-certificate-options on an issued certificate', async () => {
  const r = await aws.run('acm', 'update-certificate-options', '--certificate-arn', publicArn, '--options', 'CertificateTransparencyLoggingPreference=DISABLED');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '');
  assert.equal((await sdkDescribe(publicArn)).Options?.CertificateTransparencyLoggingPreference, 'DISABLED');
});

test('list-certificates: default RSA-only filter, --includes keyTypes, --certificate-statuses, --page-size and --max-items', async () => {
  const extra = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => sdkRequest(`${n}.example.com`)));

  const [plain, ec, issued, all] = await Promise.all([
    aws.json('acm', 'list-certificates'),
    aws.json('acm', 'list-certificates', '--includes', 'keyTypes=EC_prime256v1'),
    aws.json('acm', 'list-certificates', '--certificate-statuses', 'ISSUED', '--includes', ALL_KEY_TYPES),
    aws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES),
  ]);
  // Without Includes only RSA certificates are listed: the EC P-256 one is not.
  assert.ok(!arnsOf(plain).includes(publicArn));
  for (const a of extra) assert.ok(arnsOf(plain).includes(a));

  assert.deepEqual(arnsOf(ec), [publicArn]);
  const s = ec.CertificateSummaryList[0];
  assert.equal(s.DomainName, 'example.com');
  assert.deepEqual(s.SubjectAlternativeNameSummaries, ['example.com', 'www.example.com']);
  assert.equal(s.HasAdditionalSubjectAlternativeNames, false);
  assert.equal(s.KeyAlgorithm, 'EC-prime256v1');
  assert.equal(s.Status, 'ISSUED');
  assert.equal(s.Type, 'AMAZON_ISSUED');
  assert.equal(s.InUse, false);
  assert.ok(s.NotAfter && s.CreatedAt && s.IssuedAt);

  assert.ok(issued.CertificateSummaryList.length >= 1);
  assert.ok(issued.CertificateSummaryList.every((x: any) => x.Status === 'ISSUED'));
  assert.ok(arnsOf(issued).includes(publicArn));

  // --page-size is the API's MaxItems: the CLI follows the server's NextToken to the end.
  const everything = arnsOf(all);
  assert.equal(everything.length, 6);
  assert.equal(new Set(everything).size, everything.length);
  const paged = await aws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES, '--page-size', '1');
  assert.deepEqual(arnsOf(paged), everything);

  // --max-items caps what the CLI prints and gives a token to resume from.
  const first = await aws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES, '--page-size', '2', '--max-items', '4');
  assert.deepEqual(arnsOf(first), everything.slice(0, 4));
  assert.equal(typeof first.NextToken, 'string');
  const rest = await aws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES, '--page-size', '2', '--max-items', '4', '--starting-token', first.NextToken);
  assert.deepEqual(arnsOf(rest), everything.slice(4));
  assert.equal(rest.NextToken, undefined);

  const pending = await aws.json('acm', 'list-certificates', '--certificate-statuses', 'PENDING_VALIDATION', '--includes', ALL_KEY_TYPES);
  assert.ok(pending.CertificateSummaryList.every((x: any) => x.Status === 'PENDING_VALIDATION'));
  assert.ok(!arnsOf(pending).includes(publicArn));
});

test('delete-certificate, then the certificate is gone', async () => {
  const arn = await sdkRequest('gone.example.com');
  const del = await aws.run('acm', 'delete-certificate', '--certificate-arn', arn);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.stdout.trim(), '');
  const [describeGone, deleteAgain] = await Promise.all([
    aws.run('acm', 'describe-certificate', '--certificate-arn', arn),
    aws.run('acm', 'delete-certificate', '--certificate-arn', arn),
  ]);
  assertCliError(describeGone, 'ResourceNotFoundException', 'DescribeCertificate', `Could not find certificate ${arn} in account 000000000000.`);
  assertCliError(deleteAgain, 'ResourceNotFoundException', 'DeleteCertificate');
});

test('errors: exit code 254 and "An error occurred (<Code>) when calling the <Op> operation: <message>"', async () => {
  const missing = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000';
  const stranger = awsCli(server.url, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
  const wrongSecret = awsCli(server.url, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' });
  const [desc, tags, badArn, oddArn, rsa4096, unknownKey, badSecret] = await Promise.all([
    aws.run('acm', 'describe-certificate', '--certificate-arn', missing),
    aws.run('acm', 'list-tags-for-certificate', '--certificate-arn', missing),
    aws.run('acm', 'describe-certificate', '--certificate-arn', 'not-an-arn-but-long-enough'),
    aws.run('acm', 'describe-certificate', '--certificate-arn', 'arn:aws:acm:us-east-1:000000000000:nonsense'),
    aws.run('acm', 'request-certificate', '--domain-name', 'big.example.com', '--key-algorithm', 'RSA_4096'),
    stranger.run('acm', 'list-certificates'),
    wrongSecret.run('acm', 'list-certificates'),
  ]);
  assertCliError(desc, 'ResourceNotFoundException', 'DescribeCertificate', `Could not find certificate ${missing} in account 000000000000.`);
  assertCliError(tags, 'ResourceNotFoundException', 'ListTagsForCertificate', `Could not find certificate ${missing}`);
  assertCliError(badArn, 'ValidationException', 'DescribeCertificate',
    "1 validation error detected: Value 'not-an-arn-but-long-enough' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ");
  assertCliError(oddArn, 'InvalidArnException', 'DescribeCertificate');
  assertCliError(rsa4096, 'ValidationException', 'RequestCertificate', /not supported/);
  assertCliError(unknownKey, 'UnrecognizedClientException', 'ListCertificates', 'The security token included in the request is invalid.');
  assertCliError(badSecret, 'InvalidSignatureException', 'ListCertificates', 'The request signature we calculated does not match the signature you provided.');
  assert.ok(!server.output().includes('internal failure'), server.output());
});
