import type { Repositories } from '../../storage/ports.js';
import type { GroupRecord, IamPrincipalKind, RoleRecord, UserRecord } from '../../storage/records.js';
import { noSuchEntity } from './errors.js';

export async function findUser(tx: Repositories, accountId: string, userName: string): Promise<UserRecord> {
  const u = await tx.users.get(accountId, userName);
  if (!u) throw noSuchEntity('user', userName);
  return u;
}

export async function findGroup(tx: Repositories, accountId: string, groupName: string): Promise<GroupRecord> {
  const g = await tx.iamGroups.get(accountId, groupName);
  if (!g) throw noSuchEntity('group', groupName);
  return g;
}

export async function findRole(tx: Repositories, accountId: string, roleName: string): Promise<RoleRecord> {
  const r = await tx.iamRoles.get(accountId, roleName);
  if (!r) throw noSuchEntity('role', roleName);
  return r;
}

/** The user's, group's or role's name as it was created (a call may spell it in another case). */
export async function entityName(tx: Repositories, accountId: string, kind: IamPrincipalKind, name: string): Promise<string> {
  if (kind === 'user') return (await findUser(tx, accountId, name)).userName;
  if (kind === 'group') return (await findGroup(tx, accountId, name)).groupName;
  return (await findRole(tx, accountId, name)).roleName;
}

/** The name parameter of each kind (`UserName`, …). */
export const NAME_PARAM: Record<IamPrincipalKind, string> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };
