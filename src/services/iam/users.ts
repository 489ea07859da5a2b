/**
 * IAM users (IAM API reference: CreateUser, GetUser, ListUsers, DeleteUser). A user can only be
 * deleted once it has no access keys, no inline or attached policies and is in no group
 * (DeleteUser: "you must delete the items attached to the user manually").
 */
import { rootUserArn } from '../../kernel/arn.js';
import { awsId } from '../../kernel/ids.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { UserRecord } from '../../storage/records.js';
import { checkBoundary } from './boundaries.js';
import type { IamDeps } from './deps.js';
import { findUser } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { optionalArn, optionalEntityName, entityName, path, pathPrefix, tags, type Params } from './params.js';
import { userShape } from './shapes.js';

export async function createUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const userName = entityName(p, 'UserName');
  const userPath = path(p);
  const boundary = optionalArn(p, 'PermissionsBoundary');
  const userTags = tags(p);
  const accountId = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    if (await tx.users.get(accountId, userName)) throw E.alreadyExists('user', userName);
    const u: UserRecord = { accountId, userName, userId: awsId(d.ids, 'AIDA'), path: userPath, createdAt: ctx.now };
    if (boundary) u.permissionsBoundary = await checkBoundary(tx, ctx, boundary);
    if (userTags.length) u.tags = userTags;
    await tx.users.put(u);
    return { User: userShape(u, true) };
  });
}

/**
 * Without UserName, the caller: an IAM user gets itself; the root user gets its account's root
 * (the account id as UserId, the root ARN), as IAM answers a root caller; temporary credentials
 * of a role or federated user must name the user.
 */
export async function getUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const named = optionalEntityName(p, 'UserName', 128);
  const caller = ctx.principal;
  return d.store.read(async (tx) => {
    if (named === undefined && caller.type === 'Root') {
      const account = await tx.accounts.get(caller.accountId);
      return { User: { UserId: caller.accountId, Arn: rootUserArn(caller.accountId), CreateDate: account?.createdAt } };
    }
    const userName = named ?? (caller.type === 'IAMUser' ? caller.userName : undefined);
    if (userName === undefined) throw E.ValidationError(E.NOT_A_USER);
    return { User: userShape(await findUser(tx, caller.accountId, userName), true) };
  });
}

export async function listUsers(ctx: RequestContext, p: Params, d: IamDeps) {
  const prefix = pathPrefix(p);
  const users = (await d.store.read((tx) => tx.users.list(ctx.principal.accountId))).filter((u) => u.path.startsWith(prefix));
  const page = paginate(users, (u) => u.userName, p);
  return { Users: page.items.map((u) => userShape(u)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function deleteUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const userName = entityName(p, 'UserName');
  const accountId = ctx.principal.accountId;
  await d.store.write(async (tx) => {
    const u = await findUser(tx, accountId, userName);
    if ((await tx.accessKeys.listFor(accountId, u.userName)).length) throw E.DeleteConflict(E.MUST_DELETE_KEYS);
    if ((await tx.iamInlinePolicies.list(accountId, 'user', u.userName)).length) throw E.DeleteConflict(E.MUST_DELETE_POLICIES);
    if ((await tx.iamAttachments.list(accountId, 'user', u.userName)).length) throw E.DeleteConflict(E.MUST_DETACH_POLICIES);
    if ((await tx.iamGroups.groupsOf(accountId, u.userName)).length) throw E.DeleteConflict(E.MUST_REMOVE_FROM_GROUPS);
    await tx.users.delete(accountId, u.userName);
  });
  return undefined;
}
