/**
 * STS GetCallerIdentity over the AWS query protocol (form-encoded POST, XML answers) through the
 * real AWS CLI v2: root and an IAM user, the errors the CLI reports for an unknown key, a wrong
 * secret and an unknown Action, and the CloudTrail event AWS records for the call
 * (eventSource sts.amazonaws.com, readOnly, requestParameters and responseElements null).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ACCOUNT } from '../helpers/acm.ts';
import { assertCliError, awsCli } from '../helpers/aws-cli.ts';
import { eventsOf, lastSeq, onlyEvent } from '../helpers/events.ts';
import { rawClient } from '../helpers/raw.ts';
import { ROOT, startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let alice: { accessKeyId: string; secretAccessKey: string; userId: string };

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function certtrail(...args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir }, encoding: 'utf8',
  }));
}

before(async () => {
  server = await startServer();
  const user = certtrail('users', 'create', ACCOUNT, 'Alice', '--admin');
  const k = certtrail('access-keys', 'create', ACCOUNT, 'Alice');
  alice = { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, userId: user.UserId };
});
after(async () => {
  await server?.dispose();
});

test('get-caller-identity as root: the root ARN, the account id as UserId', async () => {
  const out = await awsCli(server.url).json('sts', 'get-caller-identity');
  assert.deepEqual(out, { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
});

test('get-caller-identity as an IAM user: its ARN and AIDA… id; the event is AWS\'s', async () => {
  const from = await lastSeq(server.dataDir);
  const out = await awsCli(server.url, alice).json('sts', 'get-caller-identity');
  assert.match(alice.userId, /^AIDA[A-Z0-9]{16}$/);
  assert.deepEqual(out, { UserId: alice.userId, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/Alice` });

  const e = await onlyEvent(server.dataDir, { eventName: 'GetCallerIdentity', afterSeq: from });
  const r = e.record;
  assert.equal(r.eventSource, 'sts.amazonaws.com');
  assert.equal(r.eventName, 'GetCallerIdentity');
  assert.equal(r.readOnly, true);
  assert.equal(r.requestParameters, null);
  assert.equal(r.responseElements, null);
  assert.equal(r.awsRegion, 'us-east-1');
  assert.equal(r.eventType, 'AwsApiCall');
  assert.equal(r.recipientAccountId, ACCOUNT);
  assert.equal(r.errorCode, undefined);
  assert.match(r.userAgent, /^aws-cli\/2\./);
  assert.deepEqual(r.userIdentity, {
    type: 'IAMUser', principalId: alice.userId, arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
    accountId: ACCOUNT, accessKeyId: alice.accessKeyId, userName: 'Alice',
  });
});

test('the wire: text/xml in the query shape, RequestId = x-amzn-RequestId = the event\'s requestID', async () => {
  const r = await rawClient(server.url, { service: 'sts' })(undefined, 'Action=GetCallerIdentity&Version=2011-06-15', { contentType: FORM });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'text/xml');
  const id = r.headers.get('x-amzn-requestid')!;
  assert.equal(
    r.text.trim(),
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
  const e = await onlyEvent(server.dataDir, { requestId: id });
  assert.equal(e.record.userIdentity.type, 'Root');
});

test('an unknown access key: InvalidClientTokenId (403), exit 254, no event', async () => {
  const from = await lastSeq(server.dataDir);
  const r = await awsCli(server.url, { accessKeyId: 'AKIAEXAMPLENOSUCHKEY', secretAccessKey: 'x'.repeat(40) }).run('sts', 'get-caller-identity');
  assertCliError(r, 'InvalidClientTokenId', 'GetCallerIdentity', 'The security token included in the request is invalid.');
  assert.deepEqual(await eventsOf(server.dataDir, { afterSeq: from }), []);
});

test('a wrong secret: SignatureDoesNotMatch with AWS\'s text, recorded as a failed call', async () => {
  const from = await lastSeq(server.dataDir);
  const r = await awsCli(server.url, { accessKeyId: alice.accessKeyId, secretAccessKey: 'wrong' }).run('sts', 'get-caller-identity');
  assertCliError(r, 'SignatureDoesNotMatch', 'GetCallerIdentity', SIGNATURE_MISMATCH);
  assert.ok(!r.stderr.includes('Canonical String'), 'STS does not quote the canonical request back');
  const e = await onlyEvent(server.dataDir, { eventName: 'GetCallerIdentity', afterSeq: from });
  assert.equal(e.record.errorCode, 'SignatureDoesNotMatch');
  assert.equal(e.record.errorMessage, SIGNATURE_MISMATCH);
  assert.equal(e.record.userIdentity.arn, `arn:aws:iam::${ACCOUNT}:user/Alice`);
});

test('an unknown Action: InvalidAction (400) in the ErrorResponse shape; a missing one: MissingAction', async () => {
  const call = rawClient(server.url, { service: 'sts' });
  const from = await lastSeq(server.dataDir);
  const r = await call(undefined, 'Action=NoSuchThing&Version=2011-06-15', { contentType: FORM });
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('content-type'), 'text/xml');
  assert.equal(
    r.text.trim(),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code>' +
      '<Message>Could not find operation NoSuchThing for version 2011-06-15</Message></Error>' +
      `<RequestId>${r.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
  );
  const missing = await call(undefined, 'Version=2011-06-15', { contentType: FORM });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /<Code>MissingAction<\/Code>/);
  // Neither names an operation, so neither is an event.
  assert.deepEqual(await eventsOf(server.dataDir, { afterSeq: from }), []);
});

test('JSON 1.1 calls on the same endpoint still go to the JSON pipeline', async () => {
  const out = await awsCli(server.url).json('acm', 'get-account-configuration');
  assert.ok(out.ExpiryEvents);
});
