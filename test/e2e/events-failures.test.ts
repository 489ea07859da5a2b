/**
 * CloudTrail events of ACM calls beyond the golden records (test/golden/seed-records.test.ts):
 * failed calls are events with AWS's errorCode/errorMessage; calls rejected before the caller is
 * known are not events; requestID is the x-amzn-RequestId the caller got; userIdentity for
 * Root and IAMUser (cloudtrail.md §2.2); sourceIPAddress, userAgent (1 KB), lowerCamelCase
 * requestParameters, null where AWS writes null; one event per call, counted over the file.
 *
 * Every call here goes through `send`, which notes whether the call must be recorded; the last
 * test checks the whole table of events against those notes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ACCOUNT, ARN_PATTERN, REGION, UUID, unknownArn } from '../helpers/acm.ts';
import { eventsOf, onlyEvent, type StoredEvent } from '../helpers/events.ts';
import { b64, selfSigned } from '../helpers/pki.ts';
import { ROOT, startServer, waitFor, type RunningServer } from '../helpers/server.ts';

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

let server: RunningServer;
let alice: Key & { userId: string };
let root: Key;

function certtrail(...args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir }, encoding: 'utf8',
  }));
}

before(async () => {
  server = await startServer({ CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600' });
  const user = certtrail('users', 'create', ACCOUNT, 'Alice', '--admin');
  const k = certtrail('access-keys', 'create', ACCOUNT, 'Alice');
  alice = { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, userId: user.UserId };
  const r = certtrail('accounts', 'root-key', ACCOUNT);
  root = { accessKeyId: r.AccessKeyId, secretAccessKey: r.SecretAccessKey };
});
after(async () => {
  await server?.dispose();
});

interface Reply {
  status: number;
  requestId: string;
  json: any;
}

interface SendOptions {
  key?: Key;
  /** Sign with this secret instead of the key's own. */
  secret?: string;
  service?: string;
  sign?: boolean;
  userAgent?: string;
  /** Whether this call must be an event (checked in the last test). */
  recorded: boolean;
}

/** Every call made, with whether it must be recorded. */
const calls: { requestId: string; op: string; recorded: boolean }[] = [];

/** One JSON 1.1 call to ACM, signed with the SDK's SigV4 signer (or not). */
async function send(op: string, input: unknown, o: SendOptions): Promise<Reply> {
  const key = o.key ?? alice;
  const body = JSON.stringify(input);
  let headers: Record<string, string> = {
    host: `127.0.0.1:${server.port}`,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `CertificateManager.${op}`,
  };
  if (o.sign !== false) {
    const signer = new SignatureV4({
      service: o.service ?? 'acm', region: REGION, sha256: Hash.bind(null, 'sha256'),
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: o.secret ?? key.secretAccessKey },
    });
    const req = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/', headers, body });
    headers = { ...(await signer.sign(req)).headers } as Record<string, string>;
  }
  delete headers.host;
  headers['user-agent'] = o.userAgent ?? 'certtrail-events-test/1.0';
  const r = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  const text = await r.text();
  const requestId = r.headers.get('x-amzn-RequestId') ?? '';
  assert.match(requestId, UUID, `${op}: x-amzn-RequestId`);
  calls.push({ requestId, op, recorded: o.recorded });
  return { status: r.status, requestId, json: text ? JSON.parse(text) : {} };
}

/** The call's one event (events are committed before the response, so no waiting). */
const eventOf = (r: Reply): Promise<StoredEvent> => onlyEvent(server.dataDir, { requestId: r.requestId });
const noEventOf = async (r: Reply) => assert.deepEqual(await eventsOf(server.dataDir, { requestId: r.requestId }), [], `no event for ${r.requestId}`);

/** A failed call's event carries the code and message the caller got, and nothing of a success. */
async function assertFailureEvent(r: Reply, code: string, message: string | RegExp, status: number): Promise<Record<string, any>> {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.json.__type, code);
  if (typeof message === 'string') assert.equal(r.json.message, message);
  else assert.match(r.json.message, message);
  const e = (await eventOf(r)).record;
  assert.equal(e.errorCode, code);
  assert.equal(e.errorMessage, r.json.message);
  assert.equal(e.responseElements, null);
  assert.equal(e.requestID, r.requestId);
  // AWS's order: errorCode and errorMessage right after userAgent (cloudtrail.md §1.3).
  const keys = Object.keys(e);
  assert.deepEqual(keys.slice(keys.indexOf('userAgent'), keys.indexOf('userAgent') + 4), ['userAgent', 'errorCode', 'errorMessage', 'requestParameters']);
  return e;
}

async function requestCert(domain: string, extra: Record<string, unknown> = {}): Promise<{ arn: string; reply: Reply }> {
  const reply = await send('RequestCertificate', { DomainName: domain, ValidationMethod: 'DNS', ...extra }, { recorded: true });
  assert.equal(reply.status, 200, JSON.stringify(reply.json));
  return { arn: reply.json.CertificateArn, reply };
}

test('validation error: ValidationException with the Coral message; requestParameters show what was sent', async () => {
  const bad = await send('DescribeCertificate', { CertificateArn: 'not-an-arn-but-long-enough' }, { recorded: true });
  const e = await assertFailureEvent(bad, 'ValidationException',
    `1 validation error detected: Value 'not-an-arn-but-long-enough' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}`, 400);
  assert.deepEqual(e.requestParameters, { certificateArn: 'not-an-arn-but-long-enough' });
  assert.equal(e.readOnly, true);
  assert.equal(e.eventName, 'DescribeCertificate');

  const missing = await send('DescribeCertificate', {}, { recorded: true });
  const m = await assertFailureEvent(missing, 'ValidationException',
    "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null", 400);
  assert.equal(m.requestParameters, null);

  const { arn } = await requestCert('validation.example.com');
  const tags = await send('AddTagsToCertificate', { CertificateArn: arn, Tags: [{ Key: 'bad#key', Value: 'v' }] }, { recorded: true });
  const t = await assertFailureEvent(tags, 'ValidationException', /^1 validation error detected: Value 'bad#key' at 'tags\.1\.member\.key' failed to satisfy constraint: /, 400);
  assert.deepEqual(t.requestParameters, { certificateArn: arn, tags: [{ key: 'bad#key', value: 'v' }] });
  assert.equal(t.readOnly, false);
});

test('ResourceNotFoundException for a certificate that does not exist', async () => {
  const arn = unknownArn();
  const r = await send('DescribeCertificate', { CertificateArn: arn }, { recorded: true });
  const e = await assertFailureEvent(r, 'ResourceNotFoundException', new RegExp(`${arn.replace(/[/.]/g, '\\$&')}`), 400);
  assert.deepEqual(e.requestParameters, { certificateArn: arn });
  const del = await send('DeleteCertificate', { CertificateArn: arn }, { recorded: true });
  await assertFailureEvent(del, 'ResourceNotFoundException', /./, 400);
});

test('InvalidSignatureException from a known key (wrong secret, wrong service scope) is recorded as that key’s principal', async () => {
  const wrong = await send('ListCertificates', {}, { secret: 'not-the-secret', recorded: true });
  const e = await assertFailureEvent(wrong, 'InvalidSignatureException',
    /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\./, 400);
  assert.equal(e.userIdentity.accessKeyId, alice.accessKeyId);
  assert.equal(e.userIdentity.userName, 'Alice');
  // Nothing of an unauthenticated body is believed: no parameters.
  assert.equal(e.requestParameters, null);
  assert.equal(e.eventName, 'ListCertificates');

  const scope = await send('ListCertificates', {}, { service: 'acm-pca', recorded: true });
  await assertFailureEvent(scope, 'InvalidSignatureException', "Credential should be scoped to correct service: 'acm'. ", 400);

  const rootWrong = await send('GetAccountConfiguration', {}, { key: root, secret: 'nope', recorded: true });
  assert.equal((await assertFailureEvent(rootWrong, 'InvalidSignatureException', /does not match/, 400)).userIdentity.type, 'Root');
});

test('not recorded: unknown access key, missing authentication, unknown operation', async () => {
  const unknown = await send('ListCertificates', {}, { key: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }, recorded: false });
  assert.equal(unknown.status, 403);
  assert.equal(unknown.json.__type, 'UnrecognizedClientException');
  await noEventOf(unknown);

  const unsigned = await send('ListCertificates', {}, { sign: false, recorded: false });
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.json.__type, 'MissingAuthenticationTokenException');
  await noEventOf(unsigned);

  // Signed by a known key, but no such operation: there is no eventName to record under.
  const op = await send('MakeCoffee', {}, { recorded: false });
  assert.equal(op.status, 400);
  assert.equal(op.json.__type, 'UnknownOperationException');
  await noEventOf(op);

  // An operation of the current ACM API that certtrail has not built is a real call: recorded.
  const notYet = await send('ListTagsForResource', { ResourceArn: unknownArn() }, { recorded: true });
  await assertFailureEvent(notYet, 'UnknownOperationException', /not implemented by certtrail yet/, 400);
});

test('requestID is the x-amzn-RequestId the caller got; eventID a different UUID; sourceIPAddress the socket', async () => {
  const r = await send('ListCertificates', {}, { recorded: true });
  assert.equal(r.status, 200);
  const ev = await eventOf(r);
  assert.equal(ev.record.requestID, r.requestId);
  assert.match(ev.record.eventID, UUID);
  assert.notEqual(ev.record.eventID, r.requestId);
  assert.equal(ev.eventId, ev.record.eventID);
  // The row's time is the record's eventTime (to the millisecond; the record shows seconds).
  assert.equal(Date.parse(ev.record.eventTime), Math.floor(ev.eventTime / 1000) * 1000);
  assert.equal(ev.record.sourceIPAddress, '127.0.0.1');
  assert.equal(ev.record.userAgent, 'certtrail-events-test/1.0');
  assert.ok(!('errorCode' in ev.record) && !('errorMessage' in ev.record), 'a success has no errorCode/errorMessage');
});

test('userIdentity: IAMUser and Root (cloudtrail.md §2.2), in AWS’s key order', async () => {
  const asAlice = (await eventOf(await send('GetAccountConfiguration', {}, { recorded: true }))).record.userIdentity;
  assert.deepEqual(Object.entries(asAlice), [
    ['type', 'IAMUser'], ['principalId', alice.userId], ['arn', `arn:aws:iam::${ACCOUNT}:user/Alice`],
    ['accountId', ACCOUNT], ['accessKeyId', alice.accessKeyId], ['userName', 'Alice'],
  ]);
  assert.match(asAlice.principalId, /^AIDA[A-Z0-9]{16}$/);
  assert.match(asAlice.accessKeyId, /^AKIA[A-Z0-9]{16}$/);

  // Root with no account alias: no userName.
  const asRoot = (await eventOf(await send('GetAccountConfiguration', {}, { key: root, recorded: true }))).record;
  assert.deepEqual(Object.entries(asRoot.userIdentity), [
    ['type', 'Root'], ['principalId', ACCOUNT], ['arn', `arn:aws:iam::${ACCOUNT}:root`], ['accountId', ACCOUNT], ['accessKeyId', root.accessKeyId],
  ]);
  assert.match(root.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(asRoot.recipientAccountId, ACCOUNT);
});

test('userAgent is truncated at 1 KB', async () => {
  const long = 'aws-cli/2.9.19 ' + 'x'.repeat(3000);
  const r = await send('ListCertificates', {}, { userAgent: long, recorded: true });
  assert.equal((await eventOf(r)).record.userAgent, long.slice(0, 1024));
  const exact = 'y'.repeat(1024);
  assert.equal((await eventOf(await send('ListCertificates', {}, { userAgent: exact, recorded: true }))).record.userAgent, exact);
});

test('requestParameters: lowerCamelCase member names at every depth; null for GetAccountConfiguration', async () => {
  const { arn, reply } = await requestCert('camel.example.com', {
    SubjectAlternativeNames: ['camel.example.com', 'www.camel.example.com'],
    DomainValidationOptions: [{ DomainName: 'www.camel.example.com', ValidationDomain: 'camel.example.com' }],
    IdempotencyToken: 'camelToken1',
    Options: { CertificateTransparencyLoggingPreference: 'DISABLED' },
    Tags: [{ Key: 'Team', Value: 'PKI' }],
    KeyAlgorithm: 'EC_prime256v1',
  });
  const e = (await eventOf(reply)).record;
  assert.deepEqual(e.requestParameters, {
    domainName: 'camel.example.com',
    validationMethod: 'DNS',
    subjectAlternativeNames: ['camel.example.com', 'www.camel.example.com'],
    domainValidationOptions: [{ domainName: 'www.camel.example.com', validationDomain: 'camel.example.com' }],
    idempotencyToken: 'camelToken1',
    options: { certificateTransparencyLoggingPreference: 'DISABLED' },
    tags: [{ key: 'Team', value: 'PKI' }],
    keyAlgorithm: 'EC_prime256v1',
  });
  assert.deepEqual(e.responseElements, { certificateArn: arn });

  const list = (await eventOf(await send('ListCertificates', { Includes: { keyTypes: ['EC_prime256v1'] }, CertificateStatuses: ['PENDING_VALIDATION'], MaxItems: 5 }, { recorded: true }))).record;
  assert.deepEqual(list.requestParameters, { includes: { keyTypes: ['EC_prime256v1'] }, certificateStatuses: ['PENDING_VALIDATION'], maxItems: 5 });

  const conf = (await eventOf(await send('GetAccountConfiguration', {}, { recorded: true }))).record;
  assert.equal(conf.requestParameters, null);
  assert.equal(conf.responseElements, null);
  assert.equal(conf.readOnly, true);
  assert.equal(conf.eventCategory, 'Management');
  assert.equal(conf.managementEvent, true);
});

test('responseElements: null for read-only and void operations, {certificateArn} for Request/Import/Revoke', async () => {
  const ok = async (op: string, input: unknown) => {
    const r = await send(op, input, { recorded: true });
    assert.equal(r.status, 200, `${op}: ${JSON.stringify(r.json)}`);
    return { out: r.json, record: (await eventOf(r)).record };
  };
  const { arn } = await requestCert('void.example.com');
  const nulls: [string, unknown, boolean][] = [
    ['DescribeCertificate', { CertificateArn: arn }, true],
    ['ListCertificates', {}, true],
    ['ListTagsForCertificate', { CertificateArn: arn }, true],
    ['GetAccountConfiguration', {}, true],
    ['AddTagsToCertificate', { CertificateArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }, false],
    ['RemoveTagsFromCertificate', { CertificateArn: arn, Tags: [{ Key: 'k' }] }, false],
    ['PutAccountConfiguration', { ExpiryEvents: { DaysBeforeExpiry: 30 }, IdempotencyToken: 'putConf1' }, false],
    ['DeleteCertificate', { CertificateArn: arn }, false],
  ];
  for (const [op, input, readOnly] of nulls) {
    const { record } = await ok(op, input);
    assert.equal(record.responseElements, null, op);
    assert.equal(record.readOnly, readOnly, `${op} readOnly`);
  }

  const { keyPem, certPem } = selfSigned('imported.example.com');
  const imp = await ok('ImportCertificate', { Certificate: b64(certPem), PrivateKey: b64(keyPem) });
  assert.deepEqual(imp.record.responseElements, { certificateArn: imp.out.CertificateArn });
  assert.equal(imp.record.requestParameters.privateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(imp.record.requestParameters.certificate, certPem);

  // RevokeCertificate needs an exported certificate: a private one, from the account's CA.
  const pcaList = await sendPca('ListCertificateAuthorities', {});
  const caArn = pcaList.CertificateAuthorities[0].Arn;
  const { arn: priv } = await requestCert('private.example.com', { CertificateAuthorityArn: caArn, ValidationMethod: undefined });
  await waitFor(async () => {
    const r = await send('DescribeCertificate', { CertificateArn: priv }, { recorded: true });
    return r.json.Certificate?.Status === 'ISSUED' ? true : undefined;
  });
  const exp = await ok('ExportCertificate', { CertificateArn: priv, Passphrase: b64('passphrase') });
  assert.equal(exp.record.responseElements.privateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(exp.record.requestParameters.passphrase, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  const rev = await ok('RevokeCertificate', { CertificateArn: priv, RevocationReason: 'SUPERSEDED' });
  assert.deepEqual(rev.record.responseElements, { certificateArn: priv });
  assert.equal(rev.record.readOnly, false);
});

/** The account's private CA list through the ACM PCA API (recorded under acm-pca). */
async function sendPca(op: string, input: unknown): Promise<any> {
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'acm-pca', region: REGION, sha256: Hash.bind(null, 'sha256'), credentials: alice });
  const req = new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/',
    headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `ACMPrivateCA.${op}` }, body,
  });
  const headers = { ...(await signer.sign(req)).headers } as Record<string, string>;
  delete headers.host;
  const r = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  assert.equal(r.status, 200);
  const requestId = r.headers.get('x-amzn-RequestId')!;
  calls.push({ requestId, op, recorded: true });
  const e = (await onlyEvent(server.dataDir, { requestId })).record;
  assert.equal(e.eventSource, 'acm-pca.amazonaws.com');
  return r.json();
}

test('errorMessage is cut at 1 KB; the caller still gets the whole message', async () => {
  const arn = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${'a'.repeat(2100)}`;
  const r = await send('DescribeCertificate', { CertificateArn: arn }, { recorded: true });
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'ValidationException');
  assert.ok(r.json.message.length > 1024, `message of ${r.json.message.length} characters`);
  const e = (await eventOf(r)).record;
  assert.equal(e.errorCode, 'ValidationException');
  assert.equal(e.errorMessage, r.json.message.slice(0, 1024));
});

test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
  const body = '{}';
  const signer = new SignatureV4({ service: 'acm', region: REGION, sha256: Hash.bind(null, 'sha256'), credentials: alice });
  const req = new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/',
    headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates', 'x-forwarded-for': '203.0.113.9' },
    body,
  });
  const headers = { ...(await signer.sign(req)).headers } as Record<string, string>;
  delete headers.host;
  const r = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  assert.equal(r.status, 200);
  const requestId = r.headers.get('x-amzn-RequestId')!;
  calls.push({ requestId, op: 'ListCertificates', recorded: true });
  assert.equal((await onlyEvent(server.dataDir, { requestId })).record.sourceIPAddress, '127.0.0.1');
});

test('failed calls that carried key material: masked members, nothing of the key in the record', async () => {
  const { keyPem, certPem } = selfSigned('mismatch.example.com');
  const other = selfSigned('other.example.com');
  const keyBody = keyPem.replace(/-----[A-Z ]+-----|\s/g, '');
  // A key that does not belong to the certificate: refused after decoding.
  const mismatch = await send('ImportCertificate', { Certificate: b64(certPem), PrivateKey: b64(other.keyPem) }, { recorded: true });
  assert.equal(mismatch.status, 400);
  const m = await eventOf(mismatch);
  assert.equal(m.record.errorCode, mismatch.json.__type);
  assert.equal(m.record.requestParameters.privateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  assert.equal(m.record.requestParameters.certificate, certPem);
  // Invalid input: the event is built from a lenient reading of the body, still masked.
  const invalid = await send('ImportCertificate', { PrivateKey: b64(keyPem), Certificate: '' }, { recorded: true });
  assert.equal(invalid.json.__type, 'ValidationException');
  const i = await eventOf(invalid);
  assert.equal(i.record.requestParameters.privateKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  // A passphrase too short to be valid.
  const { arn } = await requestCert('pass.example.com');
  const pass = await send('ExportCertificate', { CertificateArn: arn, Passphrase: b64('ab') }, { recorded: true });
  assert.equal(pass.json.__type, 'ValidationException');
  const p = await eventOf(pass);
  assert.equal(p.record.requestParameters.passphrase, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  for (const e of [m, i, p]) {
    assert.ok(!/PRIVATE KEY/.test(e.raw), 'no PEM key');
    assert.ok(!e.raw.includes(keyBody.slice(40, 100)) && !e.raw.includes(other.keyPem.replace(/-----[A-Z ]+-----|\s/g, '').slice(40, 100)), 'no key body');
    assert.ok(!e.raw.includes(b64(keyPem).slice(40, 100)), 'no base64 of the key');
    assert.ok(!e.raw.includes(b64('ab')), 'no passphrase');
  }
});

test('exactly one event per recorded call, none for the others, and no other events', async () => {
  const all = await eventsOf(server.dataDir);
  const byRequest = new Map<string, number>();
  for (const e of all) byRequest.set(e.record.requestID, (byRequest.get(e.record.requestID) ?? 0) + 1);
  const problems: string[] = [];
  for (const c of calls) {
    const n = byRequest.get(c.requestId) ?? 0;
    if (n !== (c.recorded ? 1 : 0)) problems.push(`${c.op} ${c.requestId}: ${n} events, expected ${c.recorded ? 1 : 0}`);
  }
  assert.deepEqual(problems, []);
  assert.equal(all.length, calls.filter((c) => c.recorded).length, 'events that no call of this file explains');
  assert.equal(new Set(all.map((e) => e.record.eventID)).size, all.length, 'eventIDs are unique');
});
