import type { AccessRequest } from '../../auth/authorizer.js';
import type { ContextValues } from '../../auth/policy/types.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { IamTagRecord } from '../../storage/records.js';
import type { IamDeps } from './deps.js';

/** Calls about a user that name its group: the group is what they act on. */
const GROUP_FIRST = new Set(['AddUserToGroup', 'RemoveUserFromGroup']);
/** Calls about the caller's own user when UserName is left out. */
const SELF = /^(GetUser|CreateAccessKey|ListAccessKeys|UpdateAccessKey|DeleteAccessKey|ListUserTags|ListUserPolicies|ListAttachedUserPolicies|ListGroupsForUser)$/;

const withPath = (path: string | undefined) => path ?? '/';
/** Calls that carry the boundary in place as iam:PermissionsBoundary (Service Authorization Reference, IAM). */
const BOUNDED = /^(Attach|Detach|Put|Delete)(User|Role)(Policy|PermissionsBoundary)$/;

/**
 * What IAM asks about an IAM call (Service Authorization Reference, IAM): the user, group, role
 * or policy it acts on, with its path and stored name (a user's own when UserName is left out),
 * the tags the call sets or removes and those the resource holds, the policy being attached,
 * and the permissions boundary being set or already in place.
 */
export async function iamAccess(ctx: RequestContext, p: Record<string, string>, d: IamDeps): Promise<AccessRequest> {
  const account = ctx.principal.accountId;
  const op = ctx.operation;
  const arn = (rest: string) => `arn:aws:iam::${account}:${rest}`;
  const context: ContextValues = {};
  const held = (tags: IamTagRecord[] | undefined) => {
    for (const t of tags ?? []) context[`aws:resourcetag/${t.key.toLowerCase()}`] = t.value;
  };
  const resource = await d.store.read(async (tx) => {
    if (p.RoleName !== undefined) {
      const role = await tx.iamRoles.get(account, p.RoleName);
      held(role?.tags);
      if (role?.permissionsBoundary && BOUNDED.test(op)) context['iam:permissionsboundary'] = role.permissionsBoundary;
      return arn(`role${withPath(role?.path ?? p.Path)}${role?.roleName ?? p.RoleName}`);
    }
    if (p.GroupName !== undefined && (GROUP_FIRST.has(op) || p.UserName === undefined)) {
      const group = await tx.iamGroups.get(account, p.GroupName);
      return arn(`group${withPath(group?.path ?? p.Path)}${group?.groupName ?? p.GroupName}`);
    }
    const userName = p.UserName ?? (SELF.test(op) && ctx.principal.type === 'IAMUser' ? ctx.principal.userName : undefined);
    if (userName !== undefined) {
      const user = await tx.users.get(account, userName);
      held(user?.tags);
      if (user?.permissionsBoundary && BOUNDED.test(op)) context['iam:permissionsboundary'] = user.permissionsBoundary;
      return arn(`user${withPath(user?.path ?? p.Path)}${user?.userName ?? userName}`);
    }
    if (p.PolicyArn !== undefined) {
      held((await tx.iamPolicies.get(p.PolicyArn))?.tags);
      return p.PolicyArn;
    }
    if (op === 'CreatePolicy' && p.PolicyName !== undefined) return arn(`policy${withPath(p.Path)}${p.PolicyName}`);
    return '*';
  });
  const tagKeys: string[] = [];
  for (const k of Object.keys(p)) {
    const m = /^Tags\.member\.(\d+)\.Key$/.exec(k);
    if (m) {
      context[`aws:requesttag/${p[k]!.toLowerCase()}`] = p[`Tags.member.${m[1]}.Value`] ?? '';
      tagKeys.push(p[k]!);
    } else if (/^TagKeys\.member\.\d+$/.test(k)) tagKeys.push(p[k]!);
  }
  if (tagKeys.length) context['aws:tagkeys'] = tagKeys;
  if (p.PolicyArn !== undefined && /^(Attach|Detach)/.test(op)) context['iam:policyarn'] = p.PolicyArn;
  if (p.PermissionsBoundary !== undefined) context['iam:permissionsboundary'] = p.PermissionsBoundary;
  return { resource, context };
}
