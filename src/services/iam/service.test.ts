/**
 * The IAM operations called as the query pipeline calls them, on an in-memory store: what each
 * answers and each error IAM gives (code, status, text). The last test holds every error code an
 * operation raised here to the IAM model's list for that operation (the AWS CLI's own copy).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ACCOUNT, iamHarness, policyDoc, root, trustDoc, userPrincipal, type IamHarness } from './testing.js';

let iam: IamHarness;
before(async () => {
  iam = await iamHarness();
});
after(async () => {
  await iam.close();
});

async function rejects(action: string, params: Record<string, string>, code: string, status: number, message?: string | RegExp, principal = root) {
  const e = await iam.failure(action, params, principal);
  assert.equal(e.code, code, `${action}: ${e.message}`);
  assert.equal(e.status, status);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return e;
}

const tags = (...pairs: [string, string][]) => Object.fromEntries(pairs.flatMap(([k, v], i) => [[`Tags.member.${i + 1}.Key`, k], [`Tags.member.${i + 1}.Value`, v]]));

test('CreateUser: AIDA id, ARN with its path, tags and the caller account; names unique regardless of case', async () => {
  const out = await iam.call('CreateUser', { UserName: 'alice', Path: '/eng/', ...tags(['team', 'core'], ['empty', '']) });
  assert.match(out.User.UserId, /^AIDA[A-Z2-7]{16}$/);
  assert.equal(out.User.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
  assert.equal(out.User.Path, '/eng/');
  assert.deepEqual(out.User.Tags, [{ Key: 'team', Value: 'core' }, { Key: 'empty', Value: '' }]);
  assert.equal(out.User.PermissionsBoundary, undefined);
  await rejects('CreateUser', { UserName: 'ALICE' }, 'EntityAlreadyExists', 409, 'User with name ALICE already exists.');
  const got = await iam.call('GetUser', { UserName: 'Alice' });
  assert.equal(got.User.UserName, 'alice', 'the name as created');
  assert.deepEqual(got.User.Tags, out.User.Tags);
});

test('CreateUser: IAM\'s validation of names, paths and tags', async () => {
  await rejects('CreateUser', { UserName: 'bad name' }, 'ValidationError', 400,
    'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
  await rejects('CreateUser', { UserName: 'x'.repeat(65) }, 'ValidationError', 400, `1 validation error detected: Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`);
  await rejects('CreateUser', {}, 'ValidationError', 400, "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  await rejects('CreateUser', { UserName: 'p', Path: 'eng' }, 'ValidationError', 400,
    'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
  await rejects('CreateUser', { UserName: 'p', ...tags(['Env', 'a'], ['env', 'b']) }, 'InvalidInput', 400, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  await rejects('CreateUser', { UserName: 'p', ...tags(['bad\u0001', 'a']) }, 'ValidationError', 400, /tags\.1\.member\.key/);
  await rejects('ListUsers', { PathPrefix: 'eng' }, 'ValidationError', 400, /pathPrefix is invalid/);
  await rejects('ListUsers', { MaxItems: '0' }, 'ValidationError', 400, /'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/);
});

test('GetUser without UserName: the calling user, or the root user\'s own answer for root', async () => {
  const alice = (await iam.call('GetUser', { UserName: 'alice' })).User;
  const self = await iam.call('GetUser', {}, userPrincipal('alice', alice.UserId, '/eng/'));
  assert.equal(self.User.Arn, alice.Arn);
  const r = await iam.call('GetUser', {});
  assert.deepEqual(r.User, { UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, CreateDate: new Date(Date.UTC(2025, 0, 1)) });
  await rejects('GetUser', { UserName: 'nobody' }, 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
});

test('ListUsers: PathPrefix, and Marker/MaxItems paging in name order regardless of case', async () => {
  for (const n of ['Carol', 'bob', 'dave']) await iam.call('CreateUser', { UserName: n, Path: '/ops/' });
  const all = await iam.call('ListUsers', {});
  assert.deepEqual(all.Users.map((u: any) => u.UserName), ['alice', 'bob', 'Carol', 'dave']);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Marker, undefined);
  assert.equal(all.Users[0].Tags, undefined, 'listings leave tags out');
  assert.deepEqual((await iam.call('ListUsers', { PathPrefix: '/ops' })).Users.map((u: any) => u.UserName), ['bob', 'Carol', 'dave']);
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await iam.call('ListUsers', { MaxItems: '3', ...(marker ? { Marker: marker } : {}) });
    seen.push(...page.Users.map((u: any) => u.UserName));
    assert.equal(page.IsTruncated, page.Marker !== undefined);
    marker = page.Marker;
    pages++;
  } while (marker);
  assert.deepEqual(seen, ['alice', 'bob', 'Carol', 'dave']);
  assert.equal(pages, 2);
});

test('access keys: AKIA id and 40-character secret sealed at rest, two per user, Active/Inactive, deleted', async () => {
  const k = (await iam.call('CreateAccessKey', { UserName: 'bob' })).AccessKey;
  assert.match(k.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(k.SecretAccessKey.length, 40);
  assert.deepEqual([k.UserName, k.Status], ['bob', 'Active']);
  const stored = await iam.deps.store.read((tx) => tx.accessKeys.get(k.AccessKeyId));
  assert.ok(!stored!.secretSealed.includes(Buffer.from(k.SecretAccessKey)), 'sealed');
  assert.equal(iam.deps.box.open(stored!.secretSealed, k.AccessKeyId).toString(), k.SecretAccessKey);
  await iam.call('CreateAccessKey', { UserName: 'bob' });
  await rejects('CreateAccessKey', { UserName: 'bob' }, 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
  await rejects('CreateAccessKey', { UserName: 'nobody' }, 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  const listed = await iam.call('ListAccessKeys', { UserName: 'BOB' });
  assert.equal(listed.AccessKeyMetadata.length, 2);
  assert.ok(listed.AccessKeyMetadata.every((m: any) => m.SecretAccessKey === undefined && m.UserName === 'bob'));
  await iam.call('UpdateAccessKey', { UserName: 'bob', AccessKeyId: k.AccessKeyId, Status: 'Inactive' });
  assert.equal((await iam.deps.store.read((tx) => tx.accessKeys.get(k.AccessKeyId)))!.status, 'Inactive');
  await rejects('UpdateAccessKey', { UserName: 'bob', AccessKeyId: k.AccessKeyId, Status: 'Off' }, 'ValidationError', 400, /enum value set: \[Active, Inactive\]/);
  await rejects('UpdateAccessKey', { UserName: 'alice', AccessKeyId: k.AccessKeyId, Status: 'Active' }, 'NoSuchEntity', 404, `The Access Key with id ${k.AccessKeyId} cannot be found.`);
  await iam.call('DeleteAccessKey', { UserName: 'bob', AccessKeyId: k.AccessKeyId });
  await rejects('DeleteAccessKey', { UserName: 'bob', AccessKeyId: k.AccessKeyId }, 'NoSuchEntity', 404, `The Access Key with id ${k.AccessKeyId} cannot be found.`);
});

test('access keys without UserName are the caller\'s: an IAM user\'s own, root\'s own for root', async () => {
  const carol = (await iam.call('GetUser', { UserName: 'Carol' })).User;
  const asCarol = userPrincipal('Carol', carol.UserId, '/ops/');
  const k = (await iam.call('CreateAccessKey', {}, asCarol)).AccessKey;
  assert.equal(k.UserName, 'Carol');
  assert.deepEqual((await iam.call('ListAccessKeys', {}, asCarol)).AccessKeyMetadata.map((m: any) => m.AccessKeyId), [k.AccessKeyId]);
  const rootKey = (await iam.call('CreateAccessKey', {})).AccessKey;
  assert.equal(rootKey.UserName, undefined);
  const rootKeys = (await iam.call('ListAccessKeys', {})).AccessKeyMetadata;
  assert.deepEqual(rootKeys.map((m: any) => m.AccessKeyId), [rootKey.AccessKeyId]);
  await rejects('DeleteAccessKey', { AccessKeyId: k.AccessKeyId }, 'NoSuchEntity', 404, `The Access Key with id ${k.AccessKeyId} cannot be found.`);
  await iam.call('DeleteAccessKey', { AccessKeyId: rootKey.AccessKeyId });
  await iam.call('DeleteAccessKey', { AccessKeyId: k.AccessKeyId }, asCarol);
});

test('inline policies of users, groups and roles: put, get URL-encoded, list, replace, delete', async () => {
  await iam.call('CreateGroup', { GroupName: 'devs' });
  await iam.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustDoc() });
  for (const [kind, name] of [['User', 'alice'], ['Group', 'devs'], ['Role', 'app']]) {
    const doc = policyDoc('acm:*');
    await iam.call(`Put${kind}Policy`, { [`${kind}Name`]: name, PolicyName: 'acm', PolicyDocument: doc });
    await iam.call(`Put${kind}Policy`, { [`${kind}Name`]: name.toUpperCase(), PolicyName: 'more', PolicyDocument: policyDoc('s3:Get*') });
    const got = await iam.call(`Get${kind}Policy`, { [`${kind}Name`]: name, PolicyName: 'acm' });
    assert.deepEqual(got, { [`${kind}Name`]: name, PolicyName: 'acm', PolicyDocument: encodeURIComponent(doc) });
    assert.deepEqual((await iam.call(`List${kind}Policies`, { [`${kind}Name`]: name })).PolicyNames, ['acm', 'more']);
    await iam.call(`Delete${kind}Policy`, { [`${kind}Name`]: name, PolicyName: 'more' });
    await rejects(`Get${kind}Policy`, { [`${kind}Name`]: name, PolicyName: 'more' }, 'NoSuchEntity', 404, `The ${kind.toLowerCase()} policy with name more cannot be found.`);
    await rejects(`Delete${kind}Policy`, { [`${kind}Name`]: name, PolicyName: 'more' }, 'NoSuchEntity', 404);
    await rejects(`Put${kind}Policy`, { [`${kind}Name`]: 'nobody', PolicyName: 'x', PolicyDocument: doc }, 'NoSuchEntity', 404, `The ${kind.toLowerCase()} with name nobody cannot be found.`);
  }
});

test('policy documents: MalformedPolicyDocument with IAM\'s text; the aggregate inline size of a user', async () => {
  await rejects('PutUserPolicy', { UserName: 'alice', PolicyName: 'bad', PolicyDocument: '{' }, 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
  const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
  await rejects('PutUserPolicy', { UserName: 'alice', PolicyName: 'bad', PolicyDocument: withPrincipal }, 'MalformedPolicyDocument', 400, 'Policy document should not specify a principal.');
  await rejects('CreatePolicy', { PolicyName: 'bad', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }) },
    'MalformedPolicyDocument', 400, 'Policy statement must contain resources.');
  const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 60 }, (_, i) => `acm:Action${i}Longer`), Resource: '*' }] });
  await iam.call('PutUserPolicy', { UserName: 'dave', PolicyName: 'one', PolicyDocument: big });
  await rejects('PutUserPolicy', { UserName: 'dave', PolicyName: 'two', PolicyDocument: big }, 'LimitExceeded', 409, 'Maximum policy size of 2048 bytes exceeded for user dave');
  await iam.call('PutUserPolicy', { UserName: 'dave', PolicyName: 'one', PolicyDocument: big }, root);
  await iam.call('DeleteUserPolicy', { UserName: 'dave', PolicyName: 'one' });
});

test('managed policies: ANPA id, ARN with path, v1 default; versions up to 5; the default one is kept', async () => {
  const doc = policyDoc('acm:Describe*');
  const p = (await iam.call('CreatePolicy', { PolicyName: 'AcmRead', Path: '/team/', PolicyDocument: doc, Description: 'read ACM' })).Policy;
  assert.match(p.PolicyId, /^ANPA[A-Z2-7]{16}$/);
  assert.equal(p.Arn, `arn:aws:iam::${ACCOUNT}:policy/team/AcmRead`);
  assert.deepEqual([p.DefaultVersionId, p.AttachmentCount, p.PermissionsBoundaryUsageCount, p.IsAttachable], ['v1', 0, 0, true]);
  await rejects('CreatePolicy', { PolicyName: 'acmread', PolicyDocument: doc }, 'EntityAlreadyExists', 409, 'A policy called acmread already exists. Duplicate names are not allowed.');
  assert.equal((await iam.call('GetPolicy', { PolicyArn: p.Arn })).Policy.Description, 'read ACM');
  const v1 = (await iam.call('GetPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' })).PolicyVersion;
  assert.deepEqual([v1.Document, v1.VersionId, v1.IsDefaultVersion], [encodeURIComponent(doc), 'v1', true]);
  for (let i = 2; i <= 5; i++) assert.equal((await iam.call('CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: policyDoc(`acm:Get${i}`), SetAsDefault: String(i === 3) })).PolicyVersion.VersionId, `v${i}`);
  await rejects('CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: doc }, 'LimitExceeded', 409,
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  assert.equal((await iam.call('GetPolicy', { PolicyArn: p.Arn })).Policy.DefaultVersionId, 'v3');
  await rejects('DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v3' }, 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
  await iam.call('DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v5' });
  assert.equal((await iam.call('CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: doc })).PolicyVersion.VersionId, 'v6', 'ids are not given again');
  assert.deepEqual((await iam.call('ListPolicyVersions', { PolicyArn: p.Arn })).Versions.map((v: any) => v.VersionId), ['v6', 'v4', 'v3', 'v2', 'v1']);
  await iam.call('SetDefaultPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' });
  await rejects('SetDefaultPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v9' }, 'NoSuchEntity', 404, `Policy ${p.Arn} version v9 does not exist or is not attachable.`);
  await rejects('DeletePolicy', { PolicyArn: p.Arn }, 'DeleteConflict', 409, /more than one version/);
  for (const v of ['v2', 'v3', 'v4', 'v6']) await iam.call('DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: v });
  await iam.call('DeletePolicy', { PolicyArn: p.Arn });
  await rejects('GetPolicy', { PolicyArn: p.Arn }, 'NoSuchEntity', 404, `Policy ${p.Arn} was not found.`);
  await rejects('GetPolicy', { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, 'NoSuchEntity', 404, 'Policy arn:aws:iam::aws:policy/ReadOnlyAccess was not found.');
  await rejects('GetPolicy', { PolicyArn: 'not-an-arn-at-all-really' }, 'InvalidInput', 400, 'ARN not-an-arn-at-all-really is not valid.');
});

test('attachments: attach, list, detach for users, groups and roles; conflicts and quotas', async () => {
  const p = (await iam.call('CreatePolicy', { PolicyName: 'Ops', PolicyDocument: policyDoc('*') })).Policy;
  for (const [kind, name] of [['User', 'alice'], ['Group', 'devs'], ['Role', 'app']]) {
    await iam.call(`Attach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn: p.Arn });
    await iam.call(`Attach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn: p.Arn });
    assert.deepEqual((await iam.call(`ListAttached${kind}Policies`, { [`${kind}Name`]: name })).AttachedPolicies, [{ PolicyName: 'Ops', PolicyArn: p.Arn }]);
    assert.deepEqual((await iam.call(`ListAttached${kind}Policies`, { [`${kind}Name`]: name, PathPrefix: '/x/' })).AttachedPolicies, []);
  }
  assert.equal((await iam.call('GetPolicy', { PolicyArn: p.Arn })).Policy.AttachmentCount, 3);
  assert.deepEqual((await iam.call('ListPolicies', { Scope: 'Local', OnlyAttached: 'true' })).Policies.map((x: any) => x.PolicyName), ['Ops']);
  assert.deepEqual((await iam.call('ListPolicies', { Scope: 'AWS' })).Policies, []);
  await rejects('DeletePolicy', { PolicyArn: p.Arn }, 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
  const missing = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
  await rejects('AttachUserPolicy', { UserName: 'alice', PolicyArn: missing }, 'NoSuchEntity', 404, `Policy ${missing} does not exist or is not attachable.`);
  await rejects('AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:s3:::bucket/policy' }, 'InvalidInput', 400, 'ARN arn:aws:s3:::bucket/policy is not valid.');
  await rejects('DetachUserPolicy', { UserName: 'bob', PolicyArn: p.Arn }, 'NoSuchEntity', 404, `Policy ${p.Arn} was not found.`);
  for (let i = 0; i < 9; i++) {
    const extra = (await iam.call('CreatePolicy', { PolicyName: `Extra${i}`, PolicyDocument: policyDoc('acm:List*') })).Policy;
    await iam.call('AttachRolePolicy', { RoleName: 'app', PolicyArn: extra.Arn });
  }
  const eleventh = (await iam.call('CreatePolicy', { PolicyName: 'Eleventh', PolicyDocument: policyDoc('acm:List*') })).Policy;
  await rejects('AttachRolePolicy', { RoleName: 'app', PolicyArn: eleventh.Arn }, 'LimitExceeded', 409, 'Cannot exceed quota for PoliciesPerRole: 10');
  for (const [kind, name] of [['User', 'alice'], ['Group', 'devs']]) await iam.call(`Detach${kind}Policy`, { [`${kind}Name`]: name, PolicyArn: p.Arn });
});

test('groups: AGPA id, members both ways, GetGroup with its users, quota, delete only when empty', async () => {
  const g = (await iam.call('CreateGroup', { GroupName: 'admins', Path: '/it/' })).Group;
  assert.match(g.GroupId, /^AGPA[A-Z2-7]{16}$/);
  assert.equal(g.Arn, `arn:aws:iam::${ACCOUNT}:group/it/admins`);
  await rejects('CreateGroup', { GroupName: 'Admins' }, 'EntityAlreadyExists', 409, 'Group with name Admins already exists.');
  await iam.call('AddUserToGroup', { GroupName: 'admins', UserName: 'alice' });
  await iam.call('AddUserToGroup', { GroupName: 'ADMINS', UserName: 'ALICE' });
  await iam.call('AddUserToGroup', { GroupName: 'admins', UserName: 'bob' });
  await rejects('AddUserToGroup', { GroupName: 'admins', UserName: 'nobody' }, 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  await rejects('AddUserToGroup', { GroupName: 'nogroup', UserName: 'bob' }, 'NoSuchEntity', 404, 'The group with name nogroup cannot be found.');
  const got = await iam.call('GetGroup', { GroupName: 'admins', MaxItems: '1' });
  assert.deepEqual([got.Group.GroupName, got.Users.map((u: any) => u.UserName), got.IsTruncated], ['admins', ['alice'], true]);
  assert.deepEqual((await iam.call('GetGroup', { GroupName: 'admins', Marker: got.Marker })).Users.map((u: any) => u.UserName), ['bob']);
  assert.deepEqual((await iam.call('ListGroupsForUser', { UserName: 'alice' })).Groups.map((x: any) => x.GroupName), ['admins']);
  assert.deepEqual((await iam.call('ListGroups', { PathPrefix: '/it/' })).Groups.map((x: any) => x.GroupName), ['admins']);
  await rejects('DeleteGroup', { GroupName: 'admins' }, 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
  await rejects('DeleteUser', { UserName: 'alice' }, 'DeleteConflict', 409);
  for (let i = 0; i < 9; i++) {
    await iam.call('CreateGroup', { GroupName: `g${i}` });
    await iam.call('AddUserToGroup', { GroupName: `g${i}`, UserName: 'dave' });
  }
  await iam.call('CreateGroup', { GroupName: 'g9' });
  await iam.call('AddUserToGroup', { GroupName: 'g9', UserName: 'dave' });
  await iam.call('CreateGroup', { GroupName: 'g10' });
  await rejects('AddUserToGroup', { GroupName: 'g10', UserName: 'dave' }, 'LimitExceeded', 409, 'Cannot exceed quota for GroupsPerUser: 10');
  for (let i = 0; i < 10; i++) await iam.call('RemoveUserFromGroup', { GroupName: `g${i}`, UserName: 'dave' });
  await iam.call('RemoveUserFromGroup', { GroupName: 'g0', UserName: 'dave' });
  await iam.call('RemoveUserFromGroup', { GroupName: 'admins', UserName: 'bob' });
  await iam.call('RemoveUserFromGroup', { GroupName: 'admins', UserName: 'alice' });
  await iam.call('DeleteGroup', { GroupName: 'admins' });
  await rejects('GetGroup', { GroupName: 'admins' }, 'NoSuchEntity', 404, 'The group with name admins cannot be found.');
});

test('DeleteUser: DeleteConflict while the user has keys, inline policies, attached policies or groups', async () => {
  await iam.call('CreateUser', { UserName: 'erin' });
  const k = (await iam.call('CreateAccessKey', { UserName: 'erin' })).AccessKey;
  await rejects('DeleteUser', { UserName: 'erin' }, 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
  await iam.call('DeleteAccessKey', { UserName: 'erin', AccessKeyId: k.AccessKeyId });
  await iam.call('PutUserPolicy', { UserName: 'erin', PolicyName: 'p', PolicyDocument: policyDoc('acm:*') });
  await rejects('DeleteUser', { UserName: 'erin' }, 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
  await iam.call('DeleteUserPolicy', { UserName: 'erin', PolicyName: 'p' });
  const ops = `arn:aws:iam::${ACCOUNT}:policy/Ops`;
  await iam.call('AttachUserPolicy', { UserName: 'erin', PolicyArn: ops });
  await rejects('DeleteUser', { UserName: 'erin' }, 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
  await iam.call('DetachUserPolicy', { UserName: 'erin', PolicyArn: ops });
  await iam.call('AddUserToGroup', { GroupName: 'devs', UserName: 'erin' });
  await rejects('DeleteUser', { UserName: 'erin' }, 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
  await iam.call('RemoveUserFromGroup', { GroupName: 'devs', UserName: 'erin' });
  await iam.call('DeleteUser', { UserName: 'erin' });
  await rejects('DeleteUser', { UserName: 'erin' }, 'NoSuchEntity', 404, 'The user with name erin cannot be found.');
});

test('roles: AROA id, trust policy checked and returned URL-encoded, MaxSessionDuration, update, delete', async () => {
  const trust = trustDoc({ AWS: `arn:aws:iam::${ACCOUNT}:user/eng/alice` });
  const r = (await iam.call('CreateRole', { RoleName: 'deployer', Path: '/ci/', AssumeRolePolicyDocument: trust, Description: 'CI', MaxSessionDuration: '7200', ...tags(['env', 'ci']) })).Role;
  assert.match(r.RoleId, /^AROA[A-Z2-7]{16}$/);
  assert.equal(r.Arn, `arn:aws:iam::${ACCOUNT}:role/ci/deployer`);
  assert.deepEqual([r.AssumeRolePolicyDocument, r.Description, r.MaxSessionDuration], [encodeURIComponent(trust), 'CI', 7200]);
  await rejects('CreateRole', { RoleName: 'Deployer', AssumeRolePolicyDocument: trust }, 'EntityAlreadyExists', 409, 'Role with name Deployer already exists.');
  const bad = (s: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...s }] });
  await rejects('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: bad({ Principal: '*', Resource: '*' }) }, 'MalformedPolicyDocument', 400, 'Has prohibited field Resource');
  await rejects('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: bad({}) }, 'MalformedPolicyDocument', 400, 'Missing required field Principal');
  await rejects('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: bad({ Principal: '*', Action: 's3:GetObject' }) }, 'MalformedPolicyDocument', 400,
    'AssumeRole policy may only specify STS AssumeRole actions.');
  const ghost = `arn:aws:iam::${ACCOUNT}:user/ghost`;
  await rejects('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trustDoc({ AWS: ghost }) }, 'MalformedPolicyDocument', 400, `Invalid principal in policy: "AWS":"${ghost}"`);
  await rejects('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: trust, MaxSessionDuration: '60' }, 'ValidationError', 400,
    "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600");
  await iam.call('UpdateRole', { RoleName: 'deployer', MaxSessionDuration: '43200' });
  await iam.call('UpdateAssumeRolePolicy', { RoleName: 'deployer', PolicyDocument: trustDoc({ Service: 'lambda.amazonaws.com' }) });
  const got = (await iam.call('GetRole', { RoleName: 'DEPLOYER' })).Role;
  assert.deepEqual([got.RoleName, got.MaxSessionDuration, got.Description, got.Tags], ['deployer', 43200, 'CI', [{ Key: 'env', Value: 'ci' }]]);
  assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument), trustDoc({ Service: 'lambda.amazonaws.com' }));
  assert.deepEqual((await iam.call('ListRoles', { PathPrefix: '/ci/' })).Roles.map((x: any) => [x.RoleName, x.Tags]), [['deployer', undefined]]);
  await iam.call('PutRolePolicy', { RoleName: 'deployer', PolicyName: 'p', PolicyDocument: policyDoc('acm:*') });
  await rejects('DeleteRole', { RoleName: 'deployer' }, 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
  await iam.call('DeleteRolePolicy', { RoleName: 'deployer', PolicyName: 'p' });
  await iam.call('DeleteRole', { RoleName: 'deployer' });
  await rejects('GetRole', { RoleName: 'deployer' }, 'NoSuchEntity', 404, 'The role with name deployer cannot be found.');
});

test('permissions boundaries: on create and put/delete for users and roles, counted on the policy, blocking its deletion', async () => {
  const b = (await iam.call('CreatePolicy', { PolicyName: 'Boundary', PolicyDocument: policyDoc(['acm:*', 's3:*']) })).Policy;
  const u = (await iam.call('CreateUser', { UserName: 'frank', PermissionsBoundary: b.Arn })).User;
  assert.deepEqual(u.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: b.Arn });
  await iam.call('CreateRole', { RoleName: 'bounded', AssumeRolePolicyDocument: trustDoc() });
  await iam.call('PutRolePermissionsBoundary', { RoleName: 'bounded', PermissionsBoundary: b.Arn });
  assert.equal((await iam.call('GetRole', { RoleName: 'bounded' })).Role.PermissionsBoundary.PermissionsBoundaryArn, b.Arn);
  assert.equal((await iam.call('GetPolicy', { PolicyArn: b.Arn })).Policy.PermissionsBoundaryUsageCount, 2);
  await rejects('DeletePolicy', { PolicyArn: b.Arn }, 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
  const missing = `arn:aws:iam::${ACCOUNT}:policy/NoBoundary`;
  await rejects('PutUserPermissionsBoundary', { UserName: 'frank', PermissionsBoundary: missing }, 'NoSuchEntity', 404, `Scope ARN: ${missing} does not exist or is not attachable.`);
  await rejects('CreateUser', { UserName: 'gina', PermissionsBoundary: missing }, 'NoSuchEntity', 404);
  await iam.call('DeleteUserPermissionsBoundary', { UserName: 'frank' });
  await iam.call('DeleteRolePermissionsBoundary', { RoleName: 'bounded' });
  assert.equal((await iam.call('GetUser', { UserName: 'frank' })).User.PermissionsBoundary, undefined);
  await iam.call('DeletePolicy', { PolicyArn: b.Arn });
});

test('tags: TagX adds or replaces regardless of key case, UntagX removes, ListXTags pages; at most 50', async () => {
  await iam.call('TagUser', { UserName: 'bob', ...tags(['Env', 'dev'], ['a', '1']) });
  await iam.call('TagUser', { UserName: 'bob', ...tags(['env', 'prod']) });
  assert.deepEqual((await iam.call('ListUserTags', { UserName: 'bob' })).Tags, [{ Key: 'a', Value: '1' }, { Key: 'env', Value: 'prod' }]);
  const first = await iam.call('ListUserTags', { UserName: 'bob', MaxItems: '1' });
  assert.deepEqual([first.Tags.length, first.IsTruncated], [1, true]);
  await iam.call('UntagUser', { UserName: 'bob', 'TagKeys.member.1': 'ENV', 'TagKeys.member.2': 'absent' });
  assert.deepEqual((await iam.call('ListUserTags', { UserName: 'bob' })).Tags, [{ Key: 'a', Value: '1' }]);
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [[`Tags.member.${i + 1}.Key`, `k${i}`], [`Tags.member.${i + 1}.Value`, 'v']]).flat());
  await rejects('TagUser', { UserName: 'bob', ...fifty }, 'LimitExceeded', 409, 'Cannot exceed quota for TagsPerUser: 50');
  await iam.call('TagRole', { RoleName: 'app', ...tags(['k', 'v']) });
  await iam.call('UntagRole', { RoleName: 'app', 'TagKeys.member.1': 'k' });
  assert.deepEqual((await iam.call('ListRoleTags', { RoleName: 'app' })).Tags, []);
  const ops = `arn:aws:iam::${ACCOUNT}:policy/Ops`;
  await iam.call('TagPolicy', { PolicyArn: ops, ...tags(['owner', 'me']) });
  assert.deepEqual((await iam.call('ListPolicyTags', { PolicyArn: ops })).Tags, [{ Key: 'owner', Value: 'me' }]);
  assert.deepEqual((await iam.call('GetPolicy', { PolicyArn: ops })).Policy.Tags, [{ Key: 'owner', Value: 'me' }]);
  await iam.call('UntagPolicy', { PolicyArn: ops, 'TagKeys.member.1': 'owner' });
  await rejects('TagUser', { UserName: 'nobody', ...tags(['k', 'v']) }, 'NoSuchEntity', 404);
});

test('role sessions must name the user where a call would default to the caller', async () => {
  const session = { type: 'AssumedRole' as const, accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`, principalId: 'AROAEXAMPLE:s', accessKeyId: 'ASIAEXAMPLE' };
  for (const action of ['GetUser', 'ListAccessKeys', 'CreateAccessKey'])
    await rejects(action, {}, 'ValidationError', 400, 'Must specify userName when calling with non-User credentials', session);
  assert.equal((await iam.call('GetUser', { UserName: 'bob' }, session)).User.UserName, 'bob');
});

/** The IAM model as the installed AWS CLI v2 carries it: each operation's modelled errors. */
const MODEL = '/usr/lib/python3/dist-packages/awscli/botocore/data/iam/2010-05-08/service-2.json';

test('every error an operation raised is one the IAM model lists for it (ValidationError, the query protocol\'s own, aside)', { skip: !existsSync(MODEL) && 'AWS CLI v2 model not installed' }, () => {
  const model = JSON.parse(readFileSync(MODEL, 'utf8')) as {
    operations: Record<string, { errors?: { shape: string }[] }>;
    shapes: Record<string, { error?: { code?: string } }>;
  };
  const wrong: string[] = [];
  for (const [action, codes] of iam.raised) {
    const allowed = new Set((model.operations[action]?.errors ?? []).map((e) => model.shapes[e.shape].error?.code ?? e.shape));
    for (const code of codes) if (code !== 'ValidationError' && !allowed.has(code)) wrong.push(`${action}: ${code}`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(iam.raised.size >= 30, `only ${iam.raised.size} operations failed here: the check needs the tests above`);
});
