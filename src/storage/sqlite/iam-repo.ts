import type Database from 'better-sqlite3';
import type { Repositories } from '../ports.js';
import { accessKeyRow, attachmentRow, groupRow, inlinePolicyRow, ms, policyRow, policyVersionRow, roleRow, userRow, type Row } from '../rows.js';


/** Users (migration 0001, boundary and tags from 0011). */
export function usersRepository(db: Database.Database): Repositories['users'] {
  const get = db.prepare<[string, string]>('SELECT * FROM users WHERE account_id = ? AND user_name = ?');
  const put = db.prepare('INSERT OR REPLACE INTO users (account_id, user_name, user_id, path, created_at, permissions_boundary, tags) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const list = db.prepare<[string]>('SELECT * FROM users WHERE account_id = ? ORDER BY user_name');
  const del = db.prepare<[string, string]>('DELETE FROM users WHERE account_id = ? AND user_name = ?');
  return {
    async get(accountId, userName) {
      const r = get.get(accountId, userName) as Row | undefined;
      return r && userRow(r);
    },
    async put(u) {
      put.run(u.accountId, u.userName, u.userId, u.path, ms(u.createdAt), u.permissionsBoundary ?? null, JSON.stringify(u.tags ?? []));
    },
    async list(accountId) {
      return (list.all(accountId) as Row[]).map(userRow);
    },
    async delete(accountId, userName) {
      del.run(accountId, userName);
    },
  };
}

export function accessKeysRepository(db: Database.Database): Repositories['accessKeys'] {
  const get = db.prepare<[string]>('SELECT * FROM access_keys WHERE access_key_id = ?');
  const put = db.prepare('INSERT OR REPLACE INTO access_keys (access_key_id, secret_sealed, account_id, user_name, status, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const list = db.prepare<[string]>('SELECT * FROM access_keys WHERE account_id = ? ORDER BY created_at');
  // User names match regardless of case, as the users table's do.
  const listUser = db.prepare<[string, string]>('SELECT * FROM access_keys WHERE account_id = ? AND user_name = ? COLLATE NOCASE ORDER BY created_at, access_key_id');
  const listRoot = db.prepare<[string]>('SELECT * FROM access_keys WHERE account_id = ? AND user_name IS NULL ORDER BY created_at, access_key_id');
  const del = db.prepare<[string]>('DELETE FROM access_keys WHERE access_key_id = ?');
  return {
    async get(id) {
      const r = get.get(id) as Row | undefined;
      return r && accessKeyRow(r);
    },
    async put(k) {
      put.run(k.accessKeyId, k.secretSealed, k.accountId, k.userName ?? null, k.status, ms(k.createdAt));
    },
    async list(accountId) {
      return (list.all(accountId) as Row[]).map(accessKeyRow);
    },
    async listFor(accountId, userName) {
      return ((userName === undefined ? listRoot.all(accountId) : listUser.all(accountId, userName)) as Row[]).map(accessKeyRow);
    },
    async delete(id) {
      del.run(id);
    },
  };
}

export function iamGroupsRepository(db: Database.Database): Repositories['iamGroups'] {
  const get = db.prepare<[string, string]>('SELECT * FROM iam_groups WHERE account_id = ? AND group_name = ?');
  const put = db.prepare(`INSERT INTO iam_groups (account_id, group_name, group_id, path, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, group_name) DO UPDATE SET group_name = excluded.group_name, group_id = excluded.group_id, path = excluded.path, created_at = excluded.created_at`);
  const del = db.prepare<[string, string]>('DELETE FROM iam_groups WHERE account_id = ? AND group_name = ?');
  const list = db.prepare<[string]>('SELECT * FROM iam_groups WHERE account_id = ? ORDER BY group_name');
  const addMember = db.prepare('INSERT OR IGNORE INTO iam_group_members (account_id, group_name, user_name, added_at) VALUES (?, ?, ?, ?)');
  const removeMember = db.prepare<[string, string, string]>('DELETE FROM iam_group_members WHERE account_id = ? AND group_name = ? AND user_name = ?');
  // Names as the user and group have them, not as a call spelled them.
  const members = db.prepare<[string, string]>(`SELECT u.user_name FROM iam_group_members m JOIN users u ON u.account_id = m.account_id AND u.user_name = m.user_name
    WHERE m.account_id = ? AND m.group_name = ? ORDER BY u.user_name`);
  const groupsOf = db.prepare<[string, string]>(`SELECT g.group_name FROM iam_group_members m JOIN iam_groups g ON g.account_id = m.account_id AND g.group_name = m.group_name
    WHERE m.account_id = ? AND m.user_name = ? ORDER BY g.group_name`);
  return {
    async get(accountId, groupName) {
      const r = get.get(accountId, groupName) as Row | undefined;
      return r && groupRow(r);
    },
    async put(g) {
      put.run(g.accountId, g.groupName, g.groupId, g.path, ms(g.createdAt));
    },
    async delete(accountId, groupName) {
      del.run(accountId, groupName);
    },
    async list(accountId) {
      return (list.all(accountId) as Row[]).map(groupRow);
    },
    async addMember(accountId, groupName, userName, at) {
      addMember.run(accountId, groupName, userName, ms(at));
    },
    async removeMember(accountId, groupName, userName) {
      removeMember.run(accountId, groupName, userName);
    },
    async members(accountId, groupName) {
      return (members.all(accountId, groupName) as Row[]).map((r) => r.user_name);
    },
    async groupsOf(accountId, userName) {
      return (groupsOf.all(accountId, userName) as Row[]).map((r) => r.group_name);
    },
  };
}

export function iamRolesRepository(db: Database.Database): Repositories['iamRoles'] {
  const get = db.prepare<[string, string]>('SELECT * FROM iam_roles WHERE account_id = ? AND role_name = ?');
  const put = db.prepare(`INSERT INTO iam_roles (account_id, role_name, role_id, path, created_at, assume_role_policy, description, max_session_duration, permissions_boundary, tags)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, role_name) DO UPDATE SET role_name = excluded.role_name, role_id = excluded.role_id, path = excluded.path, created_at = excluded.created_at,
      assume_role_policy = excluded.assume_role_policy, description = excluded.description, max_session_duration = excluded.max_session_duration,
      permissions_boundary = excluded.permissions_boundary, tags = excluded.tags`);
  const del = db.prepare<[string, string]>('DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?');
  const list = db.prepare<[string]>('SELECT * FROM iam_roles WHERE account_id = ? ORDER BY role_name');
  return {
    async get(accountId, roleName) {
      const r = get.get(accountId, roleName) as Row | undefined;
      return r && roleRow(r);
    },
    async put(r) {
      put.run(r.accountId, r.roleName, r.roleId, r.path, ms(r.createdAt), r.assumeRolePolicyDocument, r.description ?? null, r.maxSessionDuration, r.permissionsBoundary ?? null, JSON.stringify(r.tags));
    },
    async delete(accountId, roleName) {
      del.run(accountId, roleName);
    },
    async list(accountId) {
      return (list.all(accountId) as Row[]).map(roleRow);
    },
  };
}

export function iamPoliciesRepository(db: Database.Database): Repositories['iamPolicies'] {
  const get = db.prepare<[string]>('SELECT * FROM iam_policies WHERE arn = ?');
  const getByName = db.prepare<[string, string]>('SELECT * FROM iam_policies WHERE account_id = ? AND policy_name = ?');
  const put = db.prepare(`INSERT INTO iam_policies (arn, account_id, policy_name, policy_id, path, description, default_version_id, next_version, created_at, updated_at, tags)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (arn) DO UPDATE SET description = excluded.description, default_version_id = excluded.default_version_id, next_version = excluded.next_version,
      updated_at = excluded.updated_at, tags = excluded.tags`);
  const del = db.prepare<[string]>('DELETE FROM iam_policies WHERE arn = ?');
  const delVersions = db.prepare<[string]>('DELETE FROM iam_policy_versions WHERE policy_arn = ?');
  const list = db.prepare<[string]>('SELECT * FROM iam_policies WHERE account_id = ? ORDER BY policy_name');
  const getVersion = db.prepare<[string, string]>('SELECT * FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?');
  const putVersion = db.prepare('INSERT OR REPLACE INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, ?)');
  const delVersion = db.prepare<[string, string]>('DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?');
  // v10 after v9: by creation, then by the number in the id.
  const listVersions = db.prepare<[string]>('SELECT * FROM iam_policy_versions WHERE policy_arn = ? ORDER BY created_at, length(version_id), version_id');
  const attachments = db.prepare<[string]>('SELECT count(*) AS n FROM iam_attachments WHERE policy_arn = ?');
  const boundaries = db.prepare<[string, string]>(
    'SELECT (SELECT count(*) FROM users WHERE permissions_boundary = ?) + (SELECT count(*) FROM iam_roles WHERE permissions_boundary = ?) AS n',
  );
  return {
    async get(arn) {
      const r = get.get(arn) as Row | undefined;
      return r && policyRow(r);
    },
    async getByName(accountId, policyName) {
      const r = getByName.get(accountId, policyName) as Row | undefined;
      return r && policyRow(r);
    },
    async put(p) {
      put.run(p.arn, p.accountId, p.policyName, p.policyId, p.path, p.description ?? null, p.defaultVersionId, p.nextVersion, ms(p.createdAt), ms(p.updatedAt), JSON.stringify(p.tags));
    },
    async delete(arn) {
      delVersions.run(arn);
      del.run(arn);
    },
    async list(accountId) {
      return (list.all(accountId) as Row[]).map(policyRow);
    },
    async getVersion(arn, versionId) {
      const r = getVersion.get(arn, versionId) as Row | undefined;
      return r && policyVersionRow(r);
    },
    async putVersion(v) {
      putVersion.run(v.policyArn, v.versionId, v.document, ms(v.createdAt));
    },
    async deleteVersion(arn, versionId) {
      delVersion.run(arn, versionId);
    },
    async listVersions(arn) {
      return (listVersions.all(arn) as Row[]).map(policyVersionRow);
    },
    async usage(arn) {
      return { attachments: (attachments.get(arn) as Row).n, boundaries: (boundaries.get(arn, arn) as Row).n };
    },
  };
}

export function iamInlinePoliciesRepository(db: Database.Database): Repositories['iamInlinePolicies'] {
  const get = db.prepare<[string, string, string, string]>('SELECT * FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND principal_name = ? AND policy_name = ?');
  const put = db.prepare(`INSERT INTO iam_inline_policies (account_id, kind, principal_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, kind, principal_name, policy_name) DO UPDATE SET document = excluded.document`);
  const del = db.prepare<[string, string, string, string]>('DELETE FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND principal_name = ? AND policy_name = ?');
  const list = db.prepare<[string, string, string]>('SELECT * FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND principal_name = ? ORDER BY policy_name');
  return {
    async get(accountId, kind, principalName, policyName) {
      const r = get.get(accountId, kind, principalName, policyName) as Row | undefined;
      return r && inlinePolicyRow(r);
    },
    async put(p) {
      put.run(p.accountId, p.kind, p.principalName, p.policyName, p.document);
    },
    async delete(accountId, kind, principalName, policyName) {
      del.run(accountId, kind, principalName, policyName);
    },
    async list(accountId, kind, principalName) {
      return (list.all(accountId, kind, principalName) as Row[]).map(inlinePolicyRow);
    },
  };
}

export function iamAttachmentsRepository(db: Database.Database): Repositories['iamAttachments'] {
  const put = db.prepare('INSERT OR IGNORE INTO iam_attachments (account_id, kind, principal_name, policy_arn, attached_at) VALUES (?, ?, ?, ?, ?)');
  const del = db.prepare<[string, string, string, string]>('DELETE FROM iam_attachments WHERE account_id = ? AND kind = ? AND principal_name = ? AND policy_arn = ?');
  const list = db.prepare<[string, string, string]>('SELECT * FROM iam_attachments WHERE account_id = ? AND kind = ? AND principal_name = ? ORDER BY attached_at, rowid');
  return {
    async put(a) {
      put.run(a.accountId, a.kind, a.principalName, a.policyArn, ms(a.attachedAt));
    },
    async delete(accountId, kind, principalName, policyArn) {
      del.run(accountId, kind, principalName, policyArn);
    },
    async list(accountId, kind, principalName) {
      return (list.all(accountId, kind, principalName) as Row[]).map(attachmentRow);
    },
  };
}
