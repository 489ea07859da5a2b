/**
 * IAM roles (IAM API reference: CreateRole, GetRole, ListRoles, UpdateRole,
 * UpdateAssumeRolePolicy, DeleteRole). The trust policy is checked as IAM checks it
 * (trust-policy.ts), including that the users and roles it names exist; it may hold 2,048
 * characters, whitespace not counted ("Role trust policy length", IAM and AWS STS quotas; IAM
 * reports it as the ACLSizePerRole quota). MaxSessionDuration is 3600–43200 seconds, 3600 when
 * not given. A role is deleted only once it has no policies.
 */
import { PolicyError } from '../../auth/policy/parse.js';
import { iamRoleArn, iamUserArn, parseIamArn } from '../../kernel/arn.js';
import { awsId } from '../../kernel/ids.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { RoleRecord } from '../../storage/records.js';
import { checkBoundary } from './boundaries.js';
import type { IamDeps } from './deps.js';
import { policySize } from './documents.js';
import { findRole } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { document, entityName, integer, optionalArn, path, pathPrefix, tags, text, type Params } from './params.js';
import { roleShape } from './shapes.js';
import { namedIamPrincipals, parseTrustPolicy } from './trust-policy.js';

const TRUST_POLICY_SIZE = 2048;

/** A trust policy IAM would take, or MalformedPolicyDocument / LimitExceeded as IAM answers. */
async function checkTrustPolicy(tx: Repositories, text: string): Promise<void> {
  let names: string[];
  try {
    names = namedIamPrincipals(parseTrustPolicy(text));
  } catch (e) {
    if (e instanceof PolicyError) throw E.MalformedPolicyDocument(e.message);
    throw e;
  }
  if (policySize(text) > TRUST_POLICY_SIZE) throw E.quota('ACLSizePerRole', TRUST_POLICY_SIZE);
  for (const arn of names) {
    const p = parseIamArn(arn);
    // Accounts certtrail does not hold cannot be asked; their principals are taken on trust.
    if (!p || !(await tx.accounts.get(p.account))) continue;
    const exists = p.type === 'user'
      ? (await tx.users.get(p.account, p.name).then((u) => u && iamUserArn(u.accountId, u.userName, u.path))) === arn
      : (await tx.iamRoles.get(p.account, p.name).then((r) => r && iamRoleArn(r.accountId, r.roleName, r.path))) === arn;
    if (!exists) throw E.MalformedPolicyDocument(`Invalid principal in policy: "AWS":"${arn}"`);
  }
}

const maxSessionDuration = (p: Params) => integer(p, 'MaxSessionDuration', 3600, 43200);

export async function createRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const roleName = entityName(p, 'RoleName');
  const rolePath = path(p);
  const trust = document(p, 'AssumeRolePolicyDocument');
  const description = text(p, 'Description', 1000);
  const duration = maxSessionDuration(p) ?? 3600;
  const boundary = optionalArn(p, 'PermissionsBoundary');
  const roleTags = tags(p);
  const accountId = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    if (await tx.iamRoles.get(accountId, roleName)) throw E.alreadyExists('role', roleName);
    await checkTrustPolicy(tx, trust);
    const r: RoleRecord = {
      accountId, roleName, roleId: awsId(d.ids, 'AROA'), path: rolePath, createdAt: ctx.now,
      assumeRolePolicyDocument: trust, description, maxSessionDuration: duration, tags: roleTags,
    };
    if (boundary) r.permissionsBoundary = await checkBoundary(tx, ctx, boundary);
    await tx.iamRoles.put(r);
    return { Role: roleShape(r, true) };
  });
}

export async function getRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const roleName = entityName(p, 'RoleName');
  return { Role: roleShape(await d.store.read((tx) => findRole(tx, ctx.principal.accountId, roleName)), true) };
}

export async function listRoles(ctx: RequestContext, p: Params, d: IamDeps) {
  const prefix = pathPrefix(p);
  const roles = (await d.store.read((tx) => tx.iamRoles.list(ctx.principal.accountId))).filter((r) => r.path.startsWith(prefix));
  const page = paginate(roles, (r) => r.roleName, p);
  return { Roles: page.items.map((r) => roleShape(r)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function updateRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const roleName = entityName(p, 'RoleName');
  const description = text(p, 'Description', 1000);
  const duration = maxSessionDuration(p);
  await d.store.write(async (tx) => {
    const r = await findRole(tx, ctx.principal.accountId, roleName);
    await tx.iamRoles.put({ ...r, ...(description !== undefined ? { description } : {}), ...(duration !== undefined ? { maxSessionDuration: duration } : {}) });
  });
  return {};
}

export async function updateAssumeRolePolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const roleName = entityName(p, 'RoleName');
  const trust = document(p, 'PolicyDocument');
  await d.store.write(async (tx) => {
    const r = await findRole(tx, ctx.principal.accountId, roleName);
    await checkTrustPolicy(tx, trust);
    await tx.iamRoles.put({ ...r, assumeRolePolicyDocument: trust });
  });
  return undefined;
}

export async function deleteRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const roleName = entityName(p, 'RoleName');
  const accountId = ctx.principal.accountId;
  await d.store.write(async (tx) => {
    const r = await findRole(tx, accountId, roleName);
    if ((await tx.iamInlinePolicies.list(accountId, 'role', r.roleName)).length) throw E.DeleteConflict(E.MUST_DELETE_POLICIES);
    if ((await tx.iamAttachments.list(accountId, 'role', r.roleName)).length) throw E.DeleteConflict(E.MUST_DETACH_POLICIES);
    await tx.iamRoles.delete(accountId, r.roleName);
  });
  return undefined;
}
