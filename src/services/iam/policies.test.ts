import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { evaluate } from '../../auth/policy/evaluate.js';
import type { PolicySet } from '../../auth/policy/types.js';
import type { Principal } from '../../auth/principal.js';
import { identityPolicies, rolePolicies } from './policies.js';
import { ACCOUNT, iamHarness, policyDoc, root, trustDoc, userPrincipal, type IamHarness } from './testing.js';

let iam: IamHarness;
let alice: Principal;
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const policiesOf = (p: Principal) => iam.deps.store.read((tx) => identityPolicies(tx, p));
const names = (s: PolicySet) => s.identity.map((p) => p.name);
const allowed = (s: PolicySet, action: string) => evaluate(s, { action, resource: '*', context: {} }).decision === 'Allow';

before(async () => {
  iam = await iamHarness();
  const u = (await iam.call('CreateUser', { UserName: 'alice' })).User;
  alice = userPrincipal('alice', u.UserId);
  await iam.call('CreateGroup', { GroupName: 'devs' });
  await iam.call('CreateGroup', { GroupName: 'ops' });
  for (const g of ['devs', 'ops']) await iam.call('AddUserToGroup', { GroupName: g, UserName: 'alice' });
  await iam.call('CreatePolicy', { PolicyName: 'AcmRead', PolicyDocument: policyDoc('acm:Describe*') });
  await iam.call('CreatePolicy', { PolicyName: 'Shared', PolicyDocument: policyDoc('s3:GetObject') });
  await iam.call('CreatePolicy', { PolicyName: 'OpsOnly', PolicyDocument: policyDoc('cloudtrail:*') });
  await iam.call('PutUserPolicy', { UserName: 'alice', PolicyName: 'own', PolicyDocument: policyDoc('acm:ListCertificates') });
  await iam.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn('AcmRead') });
  await iam.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn('Shared') });
  await iam.call('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'deny-delete', PolicyDocument: policyDoc('acm:DeleteCertificate', 'Deny') });
  await iam.call('AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn('Shared') });
  await iam.call('AttachGroupPolicy', { GroupName: 'ops', PolicyArn: arn('OpsOnly') });
});
after(async () => {
  await iam.close();
});

test('root: no policies of its own, and nothing limits it', async () => {
  assert.deepEqual(await policiesOf(root), { isRoot: true, identity: [] });
});

test('an IAM user: its inline and attached policies, then each group\'s, managed ones once, named for AccessDenied messages', async () => {
  const set = await policiesOf(alice);
  assert.deepEqual(names(set), ['user/alice/inline/own', arn('AcmRead'), arn('Shared'), 'group/devs/inline/deny-delete', arn('OpsOnly')]);
  assert.equal(set.boundary, undefined);
  assert.equal(set.isRoot, undefined);
  assert.ok(allowed(set, 'acm:DescribeCertificate'));
  assert.ok(allowed(set, 'cloudtrail:LookupEvents'), 'through the ops group');
  assert.equal(evaluate(set, { action: 'acm:DeleteCertificate', resource: '*', context: {} }).decision, 'ExplicitDeny');
  assert.ok(!allowed(set, 'acm:RequestCertificate'));
});

test('a managed policy counts with its default version, whichever that is', async () => {
  await iam.call('CreatePolicyVersion', { PolicyArn: arn('AcmRead'), PolicyDocument: policyDoc('acm:RequestCertificate'), SetAsDefault: 'true' });
  let set = await policiesOf(alice);
  assert.ok(allowed(set, 'acm:RequestCertificate'));
  assert.ok(!allowed(set, 'acm:DescribeCertificate'));
  await iam.call('SetDefaultPolicyVersion', { PolicyArn: arn('AcmRead'), VersionId: 'v1' });
  set = await policiesOf(alice);
  assert.ok(!allowed(set, 'acm:RequestCertificate'));
  assert.ok(allowed(set, 'acm:DescribeCertificate'));
});

test('a permissions boundary bounds the user: the boundary policy comes as `boundary`', async () => {
  await iam.call('CreatePolicy', { PolicyName: 'OnlyAcm', PolicyDocument: policyDoc('acm:*') });
  await iam.call('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arn('OnlyAcm') });
  const set = await policiesOf(alice);
  assert.deepEqual(set.boundary?.map((p) => p.name), [arn('OnlyAcm')]);
  assert.ok(allowed(set, 'acm:DescribeCertificate'));
  assert.ok(!allowed(set, 'cloudtrail:LookupEvents'), 'allowed by a group policy, outside the boundary');
  await iam.call('DeleteUserPermissionsBoundary', { UserName: 'alice' });
  assert.equal((await policiesOf(alice)).boundary, undefined);
});

test('a user that no longer exists has no policies', async () => {
  assert.deepEqual(await policiesOf(userPrincipal('ghost')), { identity: [] });
});

test('a role session: its role\'s inline and attached policies and boundary; a federated user: its issuing user\'s', async () => {
  await iam.call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustDoc() });
  await iam.call('PutRolePolicy', { RoleName: 'app', PolicyName: 'read', PolicyDocument: policyDoc('acm:Get*') });
  await iam.call('AttachRolePolicy', { RoleName: 'app', PolicyArn: arn('Shared') });
  await iam.call('PutRolePermissionsBoundary', { RoleName: 'app', PermissionsBoundary: arn('OnlyAcm') });
  const session: Principal = {
    type: 'AssumedRole', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`, principalId: 'AROAEXAMPLE:s1', accessKeyId: 'ASIAEXAMPLE',
    // As STS issues it: the role is the session's issuer.
    session: { issuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:role/app`, accountId: ACCOUNT, userName: 'app' }, creationDate: new Date(0), mfaAuthenticated: false, expiresAt: new Date(8.64e15) },
  };
  const set = await policiesOf(session);
  assert.deepEqual(names(set), ['role/app/inline/read', arn('Shared')]);
  assert.deepEqual(set.boundary?.map((p) => p.name), [arn('OnlyAcm')]);
  assert.deepEqual(await iam.deps.store.read((tx) => rolePolicies(tx, ACCOUNT, 'APP')), set);
  const federated: Principal = {
    type: 'FederatedUser', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, principalId: `${ACCOUNT}:bob`, accessKeyId: 'ASIAEXAMPLE2',
    session: { issuer: { type: 'IAMUser', principalId: alice.principalId, arn: alice.arn, accountId: ACCOUNT, userName: 'alice' }, creationDate: new Date(0), mfaAuthenticated: false, expiresAt: new Date(1) },
  };
  assert.deepEqual(names(await policiesOf(federated)), names(await policiesOf(alice)));
});
