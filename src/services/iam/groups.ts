/**
 * IAM groups (IAM API reference: CreateGroup, GetGroup, ListGroups, DeleteGroup,
 * AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser). Adding a member twice or removing a
 * non-member is no error (as IAM answers; cloud-custodian#4730). A user is in at most ten groups
 * ("Groups an IAM user can be a member of: 10"). A group is deleted only once it has no members
 * and no policies.
 */
import { awsId } from '../../kernel/ids.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { GroupRecord } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { findGroup, findUser } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { entityName, path, pathPrefix, type Params } from './params.js';
import { groupShape, userShape } from './shapes.js';

const GROUPS_PER_USER = 10;

export async function createGroup(ctx: RequestContext, p: Params, d: IamDeps) {
  const groupName = entityName(p, 'GroupName', 128);
  const groupPath = path(p);
  const accountId = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    if (await tx.iamGroups.get(accountId, groupName)) throw E.alreadyExists('group', groupName);
    const g: GroupRecord = { accountId, groupName, groupId: awsId(d.ids, 'AGPA'), path: groupPath, createdAt: ctx.now };
    await tx.iamGroups.put(g);
    return { Group: groupShape(g) };
  });
}

/** The group and its users, the users paged (GetGroup is paginated over its Users). */
export async function getGroup(ctx: RequestContext, p: Params, d: IamDeps) {
  const groupName = entityName(p, 'GroupName', 128);
  const accountId = ctx.principal.accountId;
  const { group, users } = await d.store.read(async (tx) => {
    const group = await findGroup(tx, accountId, groupName);
    const names = await tx.iamGroups.members(accountId, group.groupName);
    const users = await Promise.all(names.map((n) => tx.users.get(accountId, n)));
    return { group, users: users.filter((u) => u !== undefined).map((u) => u!) };
  });
  const page = paginate(users, (u) => u.userName, p);
  return { Group: groupShape(group), Users: page.items.map((u) => userShape(u)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function listGroups(ctx: RequestContext, p: Params, d: IamDeps) {
  const prefix = pathPrefix(p);
  const groups = (await d.store.read((tx) => tx.iamGroups.list(ctx.principal.accountId))).filter((g) => g.path.startsWith(prefix));
  const page = paginate(groups, (g) => g.groupName, p);
  return { Groups: page.items.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function deleteGroup(ctx: RequestContext, p: Params, d: IamDeps) {
  const groupName = entityName(p, 'GroupName', 128);
  const accountId = ctx.principal.accountId;
  await d.store.write(async (tx) => {
    const g = await findGroup(tx, accountId, groupName);
    if ((await tx.iamGroups.members(accountId, g.groupName)).length) throw E.DeleteConflict(E.MUST_REMOVE_FROM_GROUPS);
    if ((await tx.iamInlinePolicies.list(accountId, 'group', g.groupName)).length) throw E.DeleteConflict(E.MUST_DELETE_POLICIES);
    if ((await tx.iamAttachments.list(accountId, 'group', g.groupName)).length) throw E.DeleteConflict(E.MUST_DETACH_POLICIES);
    await tx.iamGroups.delete(accountId, g.groupName);
  });
  return undefined;
}

export async function addUserToGroup(ctx: RequestContext, p: Params, d: IamDeps) {
  const groupName = entityName(p, 'GroupName', 128);
  const userName = entityName(p, 'UserName');
  const accountId = ctx.principal.accountId;
  await d.store.write(async (tx) => {
    const g = await findGroup(tx, accountId, groupName);
    const u = await findUser(tx, accountId, userName);
    const current = await tx.iamGroups.groupsOf(accountId, u.userName);
    if (current.some((n) => n.toLowerCase() === g.groupName.toLowerCase())) return;
    if (current.length >= GROUPS_PER_USER) throw E.quota('GroupsPerUser', GROUPS_PER_USER);
    await tx.iamGroups.addMember(accountId, g.groupName, u.userName, ctx.now);
  });
  return undefined;
}

export async function removeUserFromGroup(ctx: RequestContext, p: Params, d: IamDeps) {
  const groupName = entityName(p, 'GroupName', 128);
  const userName = entityName(p, 'UserName');
  const accountId = ctx.principal.accountId;
  await d.store.write(async (tx) => {
    const g = await findGroup(tx, accountId, groupName);
    const u = await findUser(tx, accountId, userName);
    await tx.iamGroups.removeMember(accountId, g.groupName, u.userName);
  });
  return undefined;
}

export async function listGroupsForUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const userName = entityName(p, 'UserName', 128);
  const accountId = ctx.principal.accountId;
  const groups = await d.store.read(async (tx) => {
    const u = await findUser(tx, accountId, userName);
    const names = await tx.iamGroups.groupsOf(accountId, u.userName);
    return (await Promise.all(names.map((n) => tx.iamGroups.get(accountId, n)))).filter((g) => g !== undefined).map((g) => g!);
  });
  const page = paginate(groups, (g) => g.groupName, p);
  return { Groups: page.items.map(groupShape), IsTruncated: page.IsTruncated, Marker: page.Marker };
}
