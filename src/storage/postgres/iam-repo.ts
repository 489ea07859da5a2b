import type { Repositories } from '../ports.js';
import { accessKeyRow, attachmentRow, groupRow, inlinePolicyRow, ms, policyRow, policyVersionRow, roleRow, userRow, type Row } from '../rows.js';
import type { PgContext } from './context.js';

// IAM names match regardless of case: every lookup compares lower() to lower() (the unique
// indexes are on lower(name)), and listings sort the way SQLite's NOCASE did, whatever the locale.

export function usersRepository(ctx: PgContext): Repositories['users'] {
  return {
    async get(accountId, userName) {
      const [r] = await ctx.sql.query('SELECT * FROM users WHERE account_id = $1 AND lower(user_name) = lower($2)', [accountId, userName]);
      return r && userRow(r);
    },
    async put(u) {
      // SQLite's REPLACE also dropped a row holding this user_id under another name; an upsert
      // has one conflict target, so that row goes first.
      await ctx.sql.query('DELETE FROM users WHERE user_id = $1 AND NOT (account_id = $2 AND lower(user_name) = lower($3))', [u.userId, u.accountId, u.userName]);
      await ctx.sql.query(
        `INSERT INTO users (account_id, user_name, user_id, path, created_at, permissions_boundary, tags) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id, lower(user_name)) DO UPDATE SET user_name = EXCLUDED.user_name, user_id = EXCLUDED.user_id, path = EXCLUDED.path,
           created_at = EXCLUDED.created_at, permissions_boundary = EXCLUDED.permissions_boundary, tags = EXCLUDED.tags`,
        [u.accountId, u.userName, u.userId, u.path, ms(u.createdAt), u.permissionsBoundary ?? null, JSON.stringify(u.tags ?? [])],
      );
    },
    async list(accountId) {
      const rows = await ctx.sql.query('SELECT * FROM users WHERE account_id = $1 ORDER BY lower(user_name) COLLATE "C", user_name COLLATE "C"', [accountId]);
      return rows.map(userRow);
    },
    async delete(accountId, userName) {
      await ctx.sql.query('DELETE FROM users WHERE account_id = $1 AND lower(user_name) = lower($2)', [accountId, userName]);
    },
  };
}

export function accessKeysRepository(ctx: PgContext): Repositories['accessKeys'] {
  return {
    async get(id) {
      const [r] = await ctx.sql.query('SELECT * FROM access_keys WHERE access_key_id = $1', [id]);
      return r && accessKeyRow(r);
    },
    async put(k) {
      await ctx.sql.query(
        `INSERT INTO access_keys (access_key_id, secret_sealed, account_id, user_name, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (access_key_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, account_id = EXCLUDED.account_id, user_name = EXCLUDED.user_name,
           status = EXCLUDED.status, created_at = EXCLUDED.created_at`,
        [k.accessKeyId, k.secretSealed, k.accountId, k.userName ?? null, k.status, ms(k.createdAt)],
      );
    },
    async list(accountId) {
      const rows = await ctx.sql.query('SELECT * FROM access_keys WHERE account_id = $1 ORDER BY created_at, access_key_id COLLATE "C"', [accountId]);
      return rows.map(accessKeyRow);
    },
    async listFor(accountId, userName) {
      const rows =
        userName === undefined
          ? await ctx.sql.query('SELECT * FROM access_keys WHERE account_id = $1 AND user_name IS NULL ORDER BY created_at, access_key_id COLLATE "C"', [accountId])
          : await ctx.sql.query('SELECT * FROM access_keys WHERE account_id = $1 AND lower(user_name) = lower($2) ORDER BY created_at, access_key_id COLLATE "C"', [accountId, userName]);
      return rows.map(accessKeyRow);
    },
    async delete(id) {
      await ctx.sql.query('DELETE FROM access_keys WHERE access_key_id = $1', [id]);
    },
  };
}

export function iamGroupsRepository(ctx: PgContext): Repositories['iamGroups'] {
  return {
    async get(accountId, groupName) {
      const [r] = await ctx.sql.query('SELECT * FROM iam_groups WHERE account_id = $1 AND lower(group_name) = lower($2)', [accountId, groupName]);
      return r && groupRow(r);
    },
    async put(g) {
      await ctx.sql.query(
        `INSERT INTO iam_groups (account_id, group_name, group_id, path, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id, lower(group_name)) DO UPDATE SET group_name = EXCLUDED.group_name, group_id = EXCLUDED.group_id, path = EXCLUDED.path, created_at = EXCLUDED.created_at`,
        [g.accountId, g.groupName, g.groupId, g.path, ms(g.createdAt)],
      );
    },
    async delete(accountId, groupName) {
      await ctx.sql.query('DELETE FROM iam_groups WHERE account_id = $1 AND lower(group_name) = lower($2)', [accountId, groupName]);
    },
    async list(accountId) {
      const rows = await ctx.sql.query('SELECT * FROM iam_groups WHERE account_id = $1 ORDER BY lower(group_name) COLLATE "C", group_name COLLATE "C"', [accountId]);
      return rows.map(groupRow);
    },
    async addMember(accountId, groupName, userName, at) {
      await ctx.sql.query(
        'INSERT INTO iam_group_members (account_id, group_name, user_name, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [accountId, groupName, userName, ms(at)],
      );
    },
    async removeMember(accountId, groupName, userName) {
      await ctx.sql.query(
        'DELETE FROM iam_group_members WHERE account_id = $1 AND lower(group_name) = lower($2) AND lower(user_name) = lower($3)',
        [accountId, groupName, userName],
      );
    },
    // Names as the user and group have them, not as the call that added the member spelled them.
    async members(accountId, groupName) {
      const rows = await ctx.sql.query(
        `SELECT u.user_name FROM iam_group_members m JOIN users u ON u.account_id = m.account_id AND lower(u.user_name) = lower(m.user_name)
         WHERE m.account_id = $1 AND lower(m.group_name) = lower($2) ORDER BY lower(u.user_name) COLLATE "C", u.user_name COLLATE "C"`,
        [accountId, groupName],
      );
      return rows.map((r) => r.user_name);
    },
    async groupsOf(accountId, userName) {
      const rows = await ctx.sql.query(
        `SELECT g.group_name FROM iam_group_members m JOIN iam_groups g ON g.account_id = m.account_id AND lower(g.group_name) = lower(m.group_name)
         WHERE m.account_id = $1 AND lower(m.user_name) = lower($2) ORDER BY lower(g.group_name) COLLATE "C", g.group_name COLLATE "C"`,
        [accountId, userName],
      );
      return rows.map((r) => r.group_name);
    },
  };
}

export function iamRolesRepository(ctx: PgContext): Repositories['iamRoles'] {
  return {
    async get(accountId, roleName) {
      const [r] = await ctx.sql.query('SELECT * FROM iam_roles WHERE account_id = $1 AND lower(role_name) = lower($2)', [accountId, roleName]);
      return r && roleRow(r);
    },
    async put(r) {
      await ctx.sql.query(
        `INSERT INTO iam_roles (account_id, role_name, role_id, path, created_at, assume_role_policy, description, max_session_duration, permissions_boundary, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (account_id, lower(role_name)) DO UPDATE SET role_name = EXCLUDED.role_name, role_id = EXCLUDED.role_id, path = EXCLUDED.path,
           created_at = EXCLUDED.created_at, assume_role_policy = EXCLUDED.assume_role_policy, description = EXCLUDED.description,
           max_session_duration = EXCLUDED.max_session_duration, permissions_boundary = EXCLUDED.permissions_boundary, tags = EXCLUDED.tags`,
        [r.accountId, r.roleName, r.roleId, r.path, ms(r.createdAt), r.assumeRolePolicyDocument, r.description ?? null, r.maxSessionDuration, r.permissionsBoundary ?? null, JSON.stringify(r.tags)],
      );
    },
    async delete(accountId, roleName) {
      await ctx.sql.query('DELETE FROM iam_roles WHERE account_id = $1 AND lower(role_name) = lower($2)', [accountId, roleName]);
    },
    async list(accountId) {
      const rows = await ctx.sql.query('SELECT * FROM iam_roles WHERE account_id = $1 ORDER BY lower(role_name) COLLATE "C", role_name COLLATE "C"', [accountId]);
      return rows.map(roleRow);
    },
  };
}

export function iamPoliciesRepository(ctx: PgContext): Repositories['iamPolicies'] {
  return {
    async get(arn) {
      const [r] = await ctx.sql.query('SELECT * FROM iam_policies WHERE arn = $1', [arn]);
      return r && policyRow(r);
    },
    async getByName(accountId, policyName) {
      const [r] = await ctx.sql.query('SELECT * FROM iam_policies WHERE account_id = $1 AND lower(policy_name) = lower($2)', [accountId, policyName]);
      return r && policyRow(r);
    },
    async put(p) {
      // A policy's name, path and id never change (its ARN says them): only what may change is updated.
      await ctx.sql.query(
        `INSERT INTO iam_policies (arn, account_id, policy_name, policy_id, path, description, default_version_id, next_version, created_at, updated_at, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (arn) DO UPDATE SET description = EXCLUDED.description, default_version_id = EXCLUDED.default_version_id,
           next_version = EXCLUDED.next_version, updated_at = EXCLUDED.updated_at, tags = EXCLUDED.tags`,
        [p.arn, p.accountId, p.policyName, p.policyId, p.path, p.description ?? null, p.defaultVersionId, p.nextVersion, ms(p.createdAt), ms(p.updatedAt), JSON.stringify(p.tags)],
      );
    },
    async delete(arn) {
      await ctx.sql.query('DELETE FROM iam_policy_versions WHERE policy_arn = $1', [arn]);
      await ctx.sql.query('DELETE FROM iam_policies WHERE arn = $1', [arn]);
    },
    async list(accountId) {
      const rows = await ctx.sql.query('SELECT * FROM iam_policies WHERE account_id = $1 ORDER BY lower(policy_name) COLLATE "C", policy_name COLLATE "C"', [accountId]);
      return rows.map(policyRow);
    },
    async getVersion(arn, versionId) {
      const [r] = await ctx.sql.query('SELECT * FROM iam_policy_versions WHERE policy_arn = $1 AND version_id = $2', [arn, versionId]);
      return r && policyVersionRow(r);
    },
    async putVersion(v) {
      await ctx.sql.query(
        `INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (policy_arn, version_id) DO UPDATE SET document = EXCLUDED.document, created_at = EXCLUDED.created_at`,
        [v.policyArn, v.versionId, v.document, ms(v.createdAt)],
      );
    },
    async deleteVersion(arn, versionId) {
      await ctx.sql.query('DELETE FROM iam_policy_versions WHERE policy_arn = $1 AND version_id = $2', [arn, versionId]);
    },
    // v10 after v9: by creation, then by the number in the id.
    async listVersions(arn) {
      const rows = await ctx.sql.query(
        'SELECT * FROM iam_policy_versions WHERE policy_arn = $1 ORDER BY created_at, length(version_id), version_id COLLATE "C"',
        [arn],
      );
      return rows.map(policyVersionRow);
    },
    async usage(arn) {
      const [r] = await ctx.sql.query(
        `SELECT (SELECT count(*) FROM iam_attachments WHERE policy_arn = $1) AS attachments,
           (SELECT count(*) FROM users WHERE permissions_boundary = $1) + (SELECT count(*) FROM iam_roles WHERE permissions_boundary = $1) AS boundaries`,
        [arn],
      );
      return { attachments: r.attachments, boundaries: r.boundaries };
    },
  };
}

export function iamInlinePoliciesRepository(ctx: PgContext): Repositories['iamInlinePolicies'] {
  const match = 'account_id = $1 AND kind = $2 AND lower(principal_name) = lower($3) AND lower(policy_name) = lower($4)';
  return {
    async get(accountId, kind, principalName, policyName) {
      const [r] = await ctx.sql.query(`SELECT * FROM iam_inline_policies WHERE ${match}`, [accountId, kind, principalName, policyName]);
      return r && inlinePolicyRow(r);
    },
    async put(p) {
      // A replaced policy keeps the names it was created with.
      await ctx.sql.query(
        `INSERT INTO iam_inline_policies (account_id, kind, principal_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account_id, kind, lower(principal_name), lower(policy_name)) DO UPDATE SET document = EXCLUDED.document`,
        [p.accountId, p.kind, p.principalName, p.policyName, p.document],
      );
    },
    async delete(accountId, kind, principalName, policyName) {
      await ctx.sql.query(`DELETE FROM iam_inline_policies WHERE ${match}`, [accountId, kind, principalName, policyName]);
    },
    async list(accountId, kind, principalName) {
      const rows = await ctx.sql.query(
        `SELECT * FROM iam_inline_policies WHERE account_id = $1 AND kind = $2 AND lower(principal_name) = lower($3)
         ORDER BY lower(policy_name) COLLATE "C", policy_name COLLATE "C"`,
        [accountId, kind, principalName],
      );
      return rows.map(inlinePolicyRow);
    },
  };
}

export function iamAttachmentsRepository(ctx: PgContext): Repositories['iamAttachments'] {
  return {
    async put(a) {
      await ctx.sql.query(
        'INSERT INTO iam_attachments (account_id, kind, principal_name, policy_arn, attached_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [a.accountId, a.kind, a.principalName, a.policyArn, ms(a.attachedAt)],
      );
    },
    async delete(accountId, kind, principalName, policyArn) {
      await ctx.sql.query(
        'DELETE FROM iam_attachments WHERE account_id = $1 AND kind = $2 AND lower(principal_name) = lower($3) AND policy_arn = $4',
        [accountId, kind, principalName, policyArn],
      );
    },
    async list(accountId, kind, principalName) {
      const rows = await ctx.sql.query(
        'SELECT * FROM iam_attachments WHERE account_id = $1 AND kind = $2 AND lower(principal_name) = lower($3) ORDER BY attached_at, pos',
        [accountId, kind, principalName],
      );
      return rows.map(attachmentRow);
    },
  };
}
