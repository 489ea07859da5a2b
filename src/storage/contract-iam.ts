import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './ports.js';
import type { ManagedPolicyRecord, RoleRecord, UserRecord } from './records.js';

/** The storage contract for IAM's entities (users, keys, groups, roles, policies). Part of storeContract (contract.ts). */
export function iamContract(name: string, open: () => Promise<Store>, reopen?: (s: Store) => Promise<Store>): void {
  const A = '000000000000';
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const user = (userName: string, extra: Partial<UserRecord> = {}): UserRecord => ({ accountId: A, userName, userId: `AIDA${userName.toUpperCase().padEnd(16, 'X')}`, path: '/', createdAt: at(1), ...extra });
  const policy = (policyName: string): ManagedPolicyRecord => ({
    accountId: A, arn: `arn:aws:iam::${A}:policy/${policyName}`, policyName, policyId: `ANPA${policyName.toUpperCase().padEnd(16, 'X')}`, path: '/',
    defaultVersionId: 'v1', nextVersion: 2, createdAt: at(2), updatedAt: at(2), tags: [],
  });
  const role = (roleName: string, extra: Partial<RoleRecord> = {}): RoleRecord => ({
    accountId: A, roleName, roleId: `AROA${roleName.toUpperCase().padEnd(16, 'X')}`, path: '/svc/', createdAt: at(3),
    assumeRolePolicyDocument: '{"Statement":[]}', maxSessionDuration: 3600, tags: [], ...extra,
  });

  test(`${name}: IAM users keep boundary and tags, match names regardless of case, and are deleted`, async () => {
    let s = await open();
    const alice = user('Alice', { path: '/eng/', permissionsBoundary: `arn:aws:iam::${A}:policy/B`, tags: [{ key: 'team', value: '' }] });
    await s.write(async (tx) => {
      await tx.users.put(alice);
      await tx.users.put(user('bob'));
    });
    if (reopen) s = await reopen(s);
    assert.deepEqual(await s.read((tx) => tx.users.get(A, 'alice')), alice);
    assert.deepEqual((await s.read((tx) => tx.users.list(A))).map((u) => u.userName), ['Alice', 'bob']);
    await s.write((tx) => tx.users.delete(A, 'ALICE'));
    assert.equal(await s.read((tx) => tx.users.get(A, 'Alice')), undefined);
    await s.close();
  });

  test(`${name}: access keys are listed by owner (root's apart) and deleted`, async () => {
    const s = await open();
    const key = (id: string, userName: string | undefined, s2: number) => ({ accessKeyId: id, secretSealed: Buffer.from([s2]), accountId: A, userName, status: 'Active' as const, createdAt: at(s2) });
    await s.write(async (tx) => {
      await tx.accessKeys.put(key('AKIAROOT', undefined, 1));
      await tx.accessKeys.put(key('AKIAALICE2', 'Alice', 3));
      await tx.accessKeys.put(key('AKIAALICE1', 'Alice', 2));
    });
    assert.deepEqual((await s.read((tx) => tx.accessKeys.listFor(A, 'alice'))).map((k) => k.accessKeyId), ['AKIAALICE1', 'AKIAALICE2']);
    assert.deepEqual((await s.read((tx) => tx.accessKeys.listFor(A, undefined))).map((k) => k.accessKeyId), ['AKIAROOT']);
    await s.write((tx) => tx.accessKeys.delete('AKIAALICE1'));
    assert.equal(await s.read((tx) => tx.accessKeys.get('AKIAALICE1')), undefined);
    assert.equal((await s.read((tx) => tx.accessKeys.list(A))).length, 2);
    await s.close();
  });

  test(`${name}: groups and their members, both ways, with names as created`, async () => {
    const s = await open();
    await s.write(async (tx) => {
      await tx.users.put(user('Alice'));
      await tx.users.put(user('bob'));
      await tx.iamGroups.put({ accountId: A, groupName: 'Devs', groupId: 'AGPADEVSXXXXXXXXXXXX', path: '/', createdAt: at(1) });
      await tx.iamGroups.put({ accountId: A, groupName: 'ops', groupId: 'AGPAOPSXXXXXXXXXXXXX', path: '/', createdAt: at(1) });
      await tx.iamGroups.addMember(A, 'devs', 'alice', at(2));
      await tx.iamGroups.addMember(A, 'Devs', 'Alice', at(3));
      await tx.iamGroups.addMember(A, 'Devs', 'bob', at(2));
      await tx.iamGroups.addMember(A, 'ops', 'Alice', at(2));
    });
    assert.deepEqual(await s.read((tx) => tx.iamGroups.members(A, 'DEVS')), ['Alice', 'bob']);
    assert.deepEqual(await s.read((tx) => tx.iamGroups.groupsOf(A, 'alice')), ['Devs', 'ops']);
    await s.write((tx) => tx.iamGroups.removeMember(A, 'Devs', 'ALICE'));
    assert.deepEqual(await s.read((tx) => tx.iamGroups.groupsOf(A, 'Alice')), ['ops']);
    await s.write((tx) => tx.iamGroups.delete(A, 'ops'));
    assert.deepEqual((await s.read((tx) => tx.iamGroups.list(A))).map((g) => g.groupName), ['Devs']);
    await s.close();
  });

  test(`${name}: roles round-trip and are replaced in place`, async () => {
    let s = await open();
    const r = role('Deployer', { description: 'd', permissionsBoundary: `arn:aws:iam::${A}:policy/B`, tags: [{ key: 'k', value: 'v' }] });
    await s.write((tx) => tx.iamRoles.put(r));
    await s.write((tx) => tx.iamRoles.put({ ...r, maxSessionDuration: 7200 }));
    if (reopen) s = await reopen(s);
    assert.deepEqual(await s.read((tx) => tx.iamRoles.get(A, 'deployer')), { ...r, maxSessionDuration: 7200 });
    await s.write((tx) => tx.iamRoles.delete(A, 'Deployer'));
    assert.deepEqual(await s.read((tx) => tx.iamRoles.list(A)), []);
    await s.close();
  });

  test(`${name}: managed policies, versions, usage, inline policies and attachments`, async () => {
    const s = await open();
    const p = policy('Admins');
    await s.write(async (tx) => {
      await tx.iamPolicies.put(p);
      await tx.iamPolicies.putVersion({ policyArn: p.arn, versionId: 'v1', document: '{"a":1}', createdAt: at(1) });
      await tx.iamPolicies.putVersion({ policyArn: p.arn, versionId: 'v2', document: '{"a":2}', createdAt: at(1) });
      await tx.iamPolicies.putVersion({ policyArn: p.arn, versionId: 'v10', document: '{"a":10}', createdAt: at(1) });
      await tx.users.put(user('alice', { permissionsBoundary: p.arn }));
      await tx.iamRoles.put(role('r', { permissionsBoundary: p.arn }));
      await tx.iamAttachments.put({ accountId: A, kind: 'group', principalName: 'g', policyArn: p.arn, attachedAt: at(5) });
      await tx.iamAttachments.put({ accountId: A, kind: 'group', principalName: 'g', policyArn: p.arn, attachedAt: at(6) });
      await tx.iamInlinePolicies.put({ accountId: A, kind: 'role', principalName: 'r', policyName: 'inline', document: '{"x":1}' });
      await tx.iamInlinePolicies.put({ accountId: A, kind: 'role', principalName: 'R', policyName: 'INLINE', document: '{"x":2}' });
    });
    assert.deepEqual(await s.read((tx) => tx.iamPolicies.getByName(A, 'admins')), p);
    assert.deepEqual((await s.read((tx) => tx.iamPolicies.listVersions(p.arn))).map((v) => v.versionId), ['v1', 'v2', 'v10']);
    assert.deepEqual(await s.read((tx) => tx.iamPolicies.usage(p.arn)), { attachments: 1, boundaries: 2 });
    assert.deepEqual((await s.read((tx) => tx.iamAttachments.list(A, 'group', 'G'))).map((a) => a.attachedAt), [at(5)]);
    assert.deepEqual(await s.read((tx) => tx.iamInlinePolicies.list(A, 'role', 'r')), [{ accountId: A, kind: 'role', principalName: 'r', policyName: 'inline', document: '{"x":2}' }]);
    assert.equal(await s.read((tx) => tx.iamInlinePolicies.get(A, 'user', 'r', 'inline')), undefined, 'kinds are apart');
    await s.write(async (tx) => {
      await tx.iamAttachments.delete(A, 'group', 'g', p.arn);
      await tx.iamInlinePolicies.delete(A, 'role', 'r', 'Inline');
      await tx.iamPolicies.deleteVersion(p.arn, 'v2');
    });
    assert.deepEqual(await s.read((tx) => tx.iamAttachments.list(A, 'group', 'g')), []);
    assert.deepEqual(await s.read((tx) => tx.iamInlinePolicies.list(A, 'role', 'r')), []);
    assert.equal(await s.read((tx) => tx.iamPolicies.getVersion(p.arn, 'v2')), undefined);
    await s.write((tx) => tx.iamPolicies.delete(p.arn));
    assert.equal(await s.read((tx) => tx.iamPolicies.get(p.arn)), undefined);
    assert.deepEqual(await s.read((tx) => tx.iamPolicies.listVersions(p.arn)), [], 'versions go with the policy');
    await s.close();
  });
}
