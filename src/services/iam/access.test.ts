import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RequestContext } from '../../pipeline/context.js';
import { iamAccess } from './access.js';
import { ACCOUNT, iamHarness, policyDoc, root, trustDoc, userPrincipal, type IamHarness } from './testing.js';

let iam: IamHarness;
const access = (operation: string, params: Record<string, string>, principal = root) => {
  const ctx: RequestContext = { requestId: 'r', now: new Date(0), sourceIp: '127.0.0.1', userAgent: 'ua', tls: false, service: 'iam', operation, region: 'us-east-1', principal };
  return iamAccess(ctx, params, iam.deps);
};
const arn = (rest: string) => `arn:aws:iam::${ACCOUNT}:${rest}`;

before(async () => {
  iam = await iamHarness();
  await iam.call('CreatePolicy', { PolicyName: 'B', Path: '/b/', PolicyDocument: policyDoc('acm:*'), 'Tags.member.1.Key': 'Owner', 'Tags.member.1.Value': 'sec' });
  await iam.call('CreateUser', { UserName: 'alice', Path: '/eng/', PermissionsBoundary: arn('policy/b/B'), 'Tags.member.1.Key': 'Team', 'Tags.member.1.Value': 'core' });
  await iam.call('CreateGroup', { GroupName: 'devs', Path: '/g/' });
  await iam.call('CreateRole', { RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: trustDoc() });
});
after(async () => {
  await iam.close();
});

test('the resource is the user, group, role or policy with its path; `*` for account-wide listings', async () => {
  assert.equal((await access('GetUser', { UserName: 'ALICE' })).resource, arn('user/eng/alice'));
  assert.equal((await access('CreateUser', { UserName: 'bob', Path: '/ops/' })).resource, arn('user/ops/bob'));
  assert.equal((await access('ListAccessKeys', {}, userPrincipal('alice'))).resource, arn('user/eng/alice'), 'the caller, when the call is about its own keys');
  assert.equal((await access('ListGroupsForUser', { UserName: 'alice' })).resource, arn('user/eng/alice'));
  assert.equal((await access('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' })).resource, arn('group/g/devs'));
  assert.equal((await access('PutGroupPolicy', { GroupName: 'devs', PolicyName: 'p' })).resource, arn('group/g/devs'));
  assert.equal((await access('UpdateAssumeRolePolicy', { RoleName: 'app' })).resource, arn('role/svc/app'));
  assert.equal((await access('CreatePolicy', { PolicyName: 'New', Path: '/x/' })).resource, arn('policy/x/New'));
  assert.equal((await access('GetPolicyVersion', { PolicyArn: arn('policy/b/B'), VersionId: 'v1' })).resource, arn('policy/b/B'));
  for (const op of ['ListUsers', 'ListGroups', 'ListRoles', 'ListPolicies']) assert.equal((await access(op, {})).resource, '*');
});

test('condition keys: tags set and held, the policy attached, the boundary set or in place', async () => {
  const tagging = (await access('TagUser', { UserName: 'alice', 'Tags.member.1.Key': 'Env', 'Tags.member.1.Value': 'prod' })).context;
  assert.deepEqual([tagging['aws:requesttag/env'], tagging['aws:tagkeys'], tagging['aws:resourcetag/team']], ['prod', ['Env'], 'core']);
  assert.deepEqual((await access('UntagRole', { RoleName: 'app', 'TagKeys.member.1': 'Env' })).context, { 'aws:tagkeys': ['Env'] });
  const attaching = (await access('AttachUserPolicy', { UserName: 'alice', PolicyArn: arn('policy/b/B') })).context;
  assert.deepEqual([attaching['iam:policyarn'], attaching['iam:permissionsboundary']], [arn('policy/b/B'), arn('policy/b/B')]);
  assert.equal((await access('PutRolePermissionsBoundary', { RoleName: 'app', PermissionsBoundary: arn('policy/b/B') })).context['iam:permissionsboundary'], arn('policy/b/B'));
  assert.deepEqual((await access('GetPolicy', { PolicyArn: arn('policy/b/B') })).context, { 'aws:resourcetag/owner': 'sec' });
});
