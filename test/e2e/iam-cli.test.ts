/**
 * The IAM API on the real server through the real AWS CLI v2 (and @aws-sdk/client-iam where a
 * status code or many calls are wanted): users, access keys, inline and managed policies,
 * groups, roles, boundaries; IAM's errors with AWS's codes, statuses and texts; ListUsers
 * paging; a created key signing STS calls as its user until it is made Inactive; the
 * CloudTrail events (eventSource iam.amazonaws.com), none of which holds a secret access key.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand,
  GetUserCommand, GetUserPolicyCommand, IAMClient, ListAccessKeysCommand, ListUsersCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { eventsOf, lastSeq, onlyEvent } from '../helpers/events.ts';
import { rawClient } from '../helpers/raw.ts';
import { startServer, waitFor, type RunningServer } from '../helpers/server.ts';

const ACCOUNT = '000000000000';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

let server: RunningServer;
let cli: AwsCli;
let iam: IAMClient;
/** Every secret access key this file was given: none may reach an event. */
const secrets: string[] = [];
let alice: { UserId: string; Arn: string };

const policy = (actions: string | string[], effect = 'Allow') => ({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: actions, Resource: '*' }] });

/** A JSON document as a file for the CLI's file:// parameters. */
function file(name: string, value: unknown): string {
  const path = join(cli.dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return `file://${path}`;
}

/** The service error an SDK call fails with: its name (the IAM code) and HTTP status. */
async function sdkError(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('the call succeeded');
}

before(async () => {
  server = await startServer();
  cli = awsCli(server.url);
  iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
after(async () => {
  iam?.destroy();
  await server?.dispose();
});

test('users through the CLI: create with a path and tags, get it, get root\'s own; the CreateUser event is IAM\'s', async () => {
  const from = await lastSeq(server.dataDir);
  const created = await cli.json('iam', 'create-user', '--user-name', 'alice', '--path', '/eng/', '--tags', 'Key=team,Value=core');
  assert.match(created.User.UserId, /^AIDA[A-Z2-7]{16}$/);
  assert.equal(created.User.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
  assert.deepEqual(created.User.Tags, [{ Key: 'team', Value: 'core' }]);
  alice = created.User;
  const [got, self] = await Promise.all([cli.json('iam', 'get-user', '--user-name', 'alice'), cli.json('iam', 'get-user')]);
  assert.deepEqual({ ...got.User, CreateDate: undefined }, { ...created.User, CreateDate: undefined });
  assert.equal(self.User.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(self.User.UserId, ACCOUNT);

  const e = (await onlyEvent(server.dataDir, { eventName: 'CreateUser', afterSeq: from })).record;
  assert.equal(e.eventSource, 'iam.amazonaws.com');
  assert.equal(e.awsRegion, 'us-east-1');
  assert.equal(e.readOnly, false);
  assert.equal(e.userIdentity.type, 'Root');
  assert.equal(e.requestParameters.userName, 'alice');
  assert.equal(e.requestParameters.path, '/eng/');
  assert.equal(e.responseElements.user.arn, alice.Arn);
  assert.equal(e.responseElements.user.userId, alice.UserId);
  assert.match(e.userAgent, /^aws-cli\/2\./);
});

test('IAM\'s errors through the CLI: code and message as AWS gives them', async () => {
  const [dup, missing, badName, malformed] = await Promise.all([
    cli.run('iam', 'create-user', '--user-name', 'ALICE'),
    cli.run('iam', 'get-user', '--user-name', 'nobody'),
    cli.run('iam', 'create-user', '--user-name', 'bad/name'),
    cli.run('iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'p', '--policy-document', '{"Version":"2012-10-17"}'),
  ]);
  assertCliError(dup, 'EntityAlreadyExists', 'CreateUser', 'User with name ALICE already exists.');
  assertCliError(missing, 'NoSuchEntity', 'GetUser', 'The user with name nobody cannot be found.');
  assertCliError(badName, 'ValidationError', 'CreateUser', 'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
  assertCliError(malformed, 'MalformedPolicyDocument', 'PutUserPolicy', 'Syntax errors in policy. Missing required field Statement.');
});

test('the SDK gets each IAM error as its modelled exception with AWS\'s HTTP status', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'sdk-user' }));
  const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sdk-user' }))).AccessKey!;
  const k2 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sdk-user' }))).AccessKey!;
  secrets.push(k1.SecretAccessKey!, k2.SecretAccessKey!);
  const cases = await Promise.all([
    sdkError(iam.send(new GetUserCommand({ UserName: 'nobody' }))),
    sdkError(iam.send(new CreateUserCommand({ UserName: 'sdk-user' }))),
    sdkError(iam.send(new DeleteUserCommand({ UserName: 'sdk-user' }))),
    sdkError(iam.send(new CreateAccessKeyCommand({ UserName: 'sdk-user' }))),
    sdkError(iam.send(new PutUserPolicyCommand({ UserName: 'sdk-user', PolicyName: 'p', PolicyDocument: '{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}' }))),
    sdkError(iam.send(new AttachUserPolicyCommand({ UserName: 'sdk-user', PolicyArn: 'arn:aws:s3:::not-a-policy' }))),
    sdkError(iam.send(new CreateUserCommand({ UserName: 'x'.repeat(65) }))),
  ]);
  assert.deepEqual(cases.map((c) => [c.name, c.status]), [
    ['NoSuchEntityException', 404],
    ['EntityAlreadyExistsException', 409],
    ['DeleteConflictException', 409],
    ['LimitExceededException', 409],
    ['MalformedPolicyDocumentException', 400],
    ['InvalidInputException', 400],
    ['ValidationError', 400],
  ]);
  assert.equal(cases[2].message, 'Cannot delete entity, must delete access keys first.');
  assert.equal(cases[3].message, 'Cannot exceed quota for AccessKeysPerUser: 2');
  assert.equal(cases[4].message, 'Policy document should not specify a principal.');
  for (const k of [k1, k2]) await iam.send(new DeleteAccessKeyCommand({ UserName: 'sdk-user', AccessKeyId: k.AccessKeyId }));
  await iam.send(new DeleteUserCommand({ UserName: 'sdk-user' }));
});

test('ListUsers paging: MaxItems, IsTruncated and Marker through the SDK; the CLI follows the markers', async () => {
  await Promise.all(['u1', 'u2', 'U3', 'u4', 'u5'].map((n) => iam.send(new CreateUserCommand({ UserName: n, Path: '/paged/' }))));
  const names: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: marker }));
    names.push(...page.Users!.map((u) => u.UserName!));
    assert.equal(page.IsTruncated, page.Marker !== undefined);
    marker = page.Marker;
    pages++;
  } while (marker);
  assert.deepEqual(names, ['u1', 'u2', 'U3', 'u4', 'u5']);
  assert.equal(pages, 3);
  const [all, first] = await Promise.all([
    cli.json('iam', 'list-users', '--path-prefix', '/paged/', '--page-size', '2'),
    cli.json('iam', 'list-users', '--max-items', '2'),
  ]);
  assert.deepEqual(all.Users.map((u: { UserName: string }) => u.UserName), names);
  assert.equal(first.Users.length, 2);
  assert.ok(first.NextToken, 'the CLI has more to give');
});

test('a key created through IAM signs calls as its user; made Inactive it is refused (InvalidClientTokenId), Active again it works', async () => {
  const from = await lastSeq(server.dataDir);
  const key = (await cli.json('iam', 'create-access-key', '--user-name', 'alice')).AccessKey;
  secrets.push(key.SecretAccessKey);
  assert.match(key.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(key.SecretAccessKey.length, 40);
  const creds = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  const asAlice = awsCli(server.url, creds);
  assert.deepEqual(await asAlice.json('sts', 'get-caller-identity'), { UserId: alice.UserId, Account: ACCOUNT, Arn: alice.Arn });

  // AWS's CreateAccessKey event shows the new key without its secret.
  const e = (await onlyEvent(server.dataDir, { eventName: 'CreateAccessKey', afterSeq: from })).record;
  assert.deepEqual(Object.keys(e.responseElements.accessKey).sort(), ['accessKeyId', 'createDate', 'status', 'userName']);
  assert.equal(e.responseElements.accessKey.accessKeyId, key.AccessKeyId);

  await cli.json('iam', 'update-access-key', '--user-name', 'alice', '--access-key-id', key.AccessKeyId, '--status', 'Inactive');
  assert.equal((await cli.json('iam', 'list-access-keys', '--user-name', 'alice')).AccessKeyMetadata[0].Status, 'Inactive');
  // Keys are remembered for a couple of seconds (auth/credentials.ts): poll cheaply, then ask the CLI.
  const sts = rawClient(server.url, { service: 'sts', credentials: creds });
  const status = async () => (await sts(undefined, 'Action=GetCallerIdentity&Version=2011-06-15', { contentType: FORM })).status;
  await waitFor(async () => ((await status()) === 403 ? true : undefined), 10_000, 200);
  assertCliError(await asAlice.run('sts', 'get-caller-identity'), 'InvalidClientTokenId', 'GetCallerIdentity', INVALID_TOKEN);

  await cli.json('iam', 'update-access-key', '--user-name', 'alice', '--access-key-id', key.AccessKeyId, '--status', 'Active');
  await waitFor(async () => ((await status()) === 200 ? true : undefined), 10_000, 200);
  await cli.json('iam', 'delete-access-key', '--user-name', 'alice', '--access-key-id', key.AccessKeyId);
  await waitFor(async () => ((await status()) === 403 ? true : undefined), 10_000, 200);
});

test('policies through the CLI: inline documents (the CLI decodes IAM\'s URL-encoding), managed policies attached and in use', async () => {
  const inline = policy(['acm:DescribeCertificate', 'acm:ListCertificates']);
  await cli.json('iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'acm-read', '--policy-document', file('inline.json', inline));
  const [got, names] = await Promise.all([
    cli.json('iam', 'get-user-policy', '--user-name', 'alice', '--policy-name', 'acm-read'),
    cli.json('iam', 'list-user-policies', '--user-name', 'alice'),
  ]);
  assert.deepEqual(got, { UserName: 'alice', PolicyName: 'acm-read', PolicyDocument: inline });
  assert.deepEqual(names.PolicyNames, ['acm-read']);
  const raw = await iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'acm-read' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(raw.PolicyDocument!)), inline, 'the SDK gets the URL-encoded text');

  const managed = policy('cloudtrail:LookupEvents');
  const created = (await cli.json('iam', 'create-policy', '--policy-name', 'TrailRead', '--path', '/team/', '--policy-document', file('managed.json', managed))).Policy;
  assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:policy/team/TrailRead`);
  assert.match(created.PolicyId, /^ANPA[A-Z2-7]{16}$/);
  assert.equal(created.DefaultVersionId, 'v1');
  await cli.json('iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', created.Arn);
  const [attached, version, inUse, local] = await Promise.all([
    cli.json('iam', 'list-attached-user-policies', '--user-name', 'alice'),
    cli.json('iam', 'get-policy-version', '--policy-arn', created.Arn, '--version-id', 'v1'),
    cli.run('iam', 'delete-policy', '--policy-arn', created.Arn),
    cli.json('iam', 'list-policies', '--scope', 'Local', '--only-attached'),
  ]);
  assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'TrailRead', PolicyArn: created.Arn }]);
  assert.deepEqual(version.PolicyVersion.Document, managed);
  assert.equal(version.PolicyVersion.IsDefaultVersion, true);
  assertCliError(inUse, 'DeleteConflict', 'DeletePolicy', 'Cannot delete a policy attached to entities.');
  assert.deepEqual(local.Policies.map((p: { PolicyName: string; AttachmentCount: number }) => [p.PolicyName, p.AttachmentCount]), [['TrailRead', 1]]);
});

test('groups, roles and boundaries through the CLI; a user in use cannot be deleted', async () => {
  await cli.json('iam', 'create-group', '--group-name', 'devs');
  await cli.json('iam', 'add-user-to-group', '--group-name', 'devs', '--user-name', 'alice');
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: alice.Arn }, Action: 'sts:AssumeRole' }] };
  const [group, forUser, inUse, role, badTrust] = await Promise.all([
    cli.json('iam', 'get-group', '--group-name', 'devs'),
    cli.json('iam', 'list-groups-for-user', '--user-name', 'alice'),
    cli.run('iam', 'delete-user', '--user-name', 'alice'),
    cli.json('iam', 'create-role', '--role-name', 'deployer', '--assume-role-policy-document', file('trust.json', trust), '--max-session-duration', '7200'),
    cli.run('iam', 'create-role', '--role-name', 'bad', '--assume-role-policy-document', file('bad-trust.json', { Statement: [{ ...trust.Statement[0], Resource: '*' }] })),
  ]);
  assert.deepEqual(group.Users.map((u: { UserName: string }) => u.UserName), ['alice']);
  assert.match(group.Group.GroupId, /^AGPA[A-Z2-7]{16}$/);
  assert.deepEqual(forUser.Groups.map((g: { GroupName: string }) => g.GroupName), ['devs']);
  assertCliError(inUse, 'DeleteConflict', 'DeleteUser', 'Cannot delete entity, must delete policies first.');
  assert.match(role.Role.RoleId, /^AROA[A-Z2-7]{16}$/);
  assert.deepEqual(role.Role.AssumeRolePolicyDocument, trust);
  assertCliError(badTrust, 'MalformedPolicyDocument', 'CreateRole', 'Has prohibited field Resource');

  const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Boundary', PolicyDocument: JSON.stringify(policy('acm:*')) }))).Policy!;
  await Promise.all([
    cli.json('iam', 'tag-role', '--role-name', 'deployer', '--tags', 'Key=env,Value=ci'),
    cli.json('iam', 'put-role-permissions-boundary', '--role-name', 'deployer', '--permissions-boundary', boundary.Arn!),
  ]);
  const [got, roleTags, missingRole] = await Promise.all([
    cli.json('iam', 'get-role', '--role-name', 'deployer'),
    cli.json('iam', 'list-role-tags', '--role-name', 'deployer'),
    cli.run('iam', 'get-role', '--role-name', 'nobody'),
  ]);
  assert.equal(got.Role.MaxSessionDuration, 7200);
  assert.deepEqual(got.Role.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary.Arn });
  assert.deepEqual(roleTags.Tags, [{ Key: 'env', Value: 'ci' }]);
  assertCliError(missingRole, 'NoSuchEntity', 'GetRole', 'The role with name nobody cannot be found.');
});

test('IAM calls are authorized on the entity they act on: a user allowed only its own keys (${aws:username}) is refused another\'s', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'carol' }));
  const own = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }] };
  await iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'own-keys', PolicyDocument: JSON.stringify(own) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }))).AccessKey!;
  secrets.push(key.SecretAccessKey!);
  const asCarol = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, maxAttempts: 1 });
  try {
    const mine = await asCarol.send(new ListAccessKeysCommand({}));
    assert.deepEqual(mine.AccessKeyMetadata!.map((k) => k.AccessKeyId), [key.AccessKeyId]);
    const refused = await sdkError(asCarol.send(new ListAccessKeysCommand({ UserName: 'alice' })));
    assert.deepEqual([refused.name, refused.status], ['AccessDenied', 403]);
    assert.match(refused.message, new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/carol is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::${ACCOUNT}:user/eng/alice`));
  } finally {
    asCarol.destroy();
  }
});

test('the wire: answers and errors in IAM\'s namespace, RequestId = x-amzn-RequestId', async () => {
  const call = rawClient(server.url, { service: 'iam' });
  const ok = await call(undefined, 'Action=GetUser&Version=2010-05-08&UserName=alice', { contentType: FORM });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('content-type'), 'text/xml');
  assert.match(ok.text, /^<GetUserResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><GetUserResult><User><Path>\/eng\/<\/Path><UserName>alice<\/UserName>/);
  assert.ok(ok.text.includes(`<RequestId>${ok.headers.get('x-amzn-requestid')}</RequestId>`));
  const missing = await call(undefined, 'Action=GetRole&Version=2010-05-08&RoleName=nobody', { contentType: FORM });
  assert.equal(missing.status, 404);
  assert.equal(
    missing.text.trim(),
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
      `<Message>The role with name nobody cannot be found.</Message></Error><RequestId>${missing.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
  );
});

test('no CloudTrail event holds a secret access key', async () => {
  const events = await eventsOf(server.dataDir);
  assert.ok(events.filter((e) => e.eventName === 'CreateAccessKey').length >= 3);
  assert.ok(secrets.length >= 3);
  for (const e of events) for (const s of secrets) assert.ok(!e.raw.includes(s), `${e.eventName} (${e.eventId}) holds a secret`);
});
