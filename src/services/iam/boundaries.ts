/**
 * Permissions boundaries (IAM API reference: Put/DeleteUserPermissionsBoundary,
 * Put/DeleteRolePermissionsBoundary; CreateUser's and CreateRole's PermissionsBoundary): a
 * customer managed policy of the account that caps what the user or role may do.
 */
import { parseIamArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { IamDeps } from './deps.js';
import { findRole, findUser } from './entities.js';
import * as E from './errors.js';
import { arn, entityName, type Params } from './params.js';

/** The boundary's ARN once it is known to name one of the account's managed policies. */
export async function checkBoundary(tx: Repositories, ctx: RequestContext, policyArn: string): Promise<string> {
  const parsed = parseIamArn(policyArn);
  if (!parsed || parsed.type !== 'policy') throw E.invalidArn(policyArn);
  const found = parsed.account === ctx.principal.accountId ? await tx.iamPolicies.get(policyArn) : undefined;
  if (!found) throw E.noSuchBoundary(policyArn);
  return found.arn;
}

export async function putUserPermissionsBoundary(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'UserName');
  const boundary = arn(p, 'PermissionsBoundary');
  await d.store.write(async (tx) => {
    const u = await findUser(tx, ctx.principal.accountId, name);
    await tx.users.put({ ...u, permissionsBoundary: await checkBoundary(tx, ctx, boundary) });
  });
  return undefined;
}

export async function deleteUserPermissionsBoundary(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'UserName');
  await d.store.write(async (tx) => {
    const { permissionsBoundary: _gone, ...u } = await findUser(tx, ctx.principal.accountId, name);
    await tx.users.put(u);
  });
  return undefined;
}

export async function putRolePermissionsBoundary(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'RoleName');
  const boundary = arn(p, 'PermissionsBoundary');
  await d.store.write(async (tx) => {
    const r = await findRole(tx, ctx.principal.accountId, name);
    await tx.iamRoles.put({ ...r, permissionsBoundary: await checkBoundary(tx, ctx, boundary) });
  });
  return undefined;
}

export async function deleteRolePermissionsBoundary(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'RoleName');
  await d.store.write(async (tx) => {
    const { permissionsBoundary: _gone, ...r } = await findRole(tx, ctx.principal.accountId, name);
    await tx.iamRoles.put(r);
  });
  return undefined;
}
