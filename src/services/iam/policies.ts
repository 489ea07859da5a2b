/**
 * The identity-based policies IAM evaluates for a principal (IAM User Guide, "Policy evaluation
 * logic"): a user's inline and attached managed policies and those of every group it is in,
 * bounded by its permissions boundary; a role's own. Managed policies count with their default
 * version. Each policy is named for AccessDenied messages and decisions: a managed policy by its
 * ARN, an inline one as `user/<name>/inline/<policy>` (`group/…`, `role/…`).
 *
 * Documents were checked when they were stored. Should one no longer parse (a stricter parser
 * after an upgrade), this throws rather than leave the policy out: leaving out a Deny would
 * allow what it denies.
 */
import { parsePolicy } from '../../auth/policy/parse.js';
import type { NamedPolicy, PolicySet } from '../../auth/policy/types.js';
import type { Principal } from '../../auth/principal.js';
import type { Repositories } from '../../storage/ports.js';
import type { IamPrincipalKind } from '../../storage/records.js';


async function managedPolicy(tx: Repositories, arn: string): Promise<NamedPolicy | undefined> {
  const p = await tx.iamPolicies.get(arn);
  const v = p && (await tx.iamPolicies.getVersion(p.arn, p.defaultVersionId));
  return v ? { name: p!.arn, document: parsePolicy(v.document) } : undefined;
}

/** The inline and attached policies of one user, group or role, managed ones not already in `seen`. */
async function policiesOf(tx: Repositories, accountId: string, kind: IamPrincipalKind, name: string, seen: Set<string>): Promise<NamedPolicy[]> {
  const out: NamedPolicy[] = [];
  for (const p of await tx.iamInlinePolicies.list(accountId, kind, name)) out.push({ name: `${kind}/${name}/inline/${p.policyName}`, document: parsePolicy(p.document) });
  for (const a of await tx.iamAttachments.list(accountId, kind, name)) {
    if (seen.has(a.policyArn)) continue;
    seen.add(a.policyArn);
    const m = await managedPolicy(tx, a.policyArn);
    if (m) out.push(m);
  }
  return out;
}

async function boundaryOf(tx: Repositories, arn: string | undefined): Promise<NamedPolicy[] | undefined> {
  if (!arn) return undefined;
  const m = await managedPolicy(tx, arn);
  // A boundary that is set bounds: one that cannot be read allows nothing, rather than everything.
  return [m ?? { name: arn, document: { version: '2012-10-17', statements: [] } }];
}

/** An IAM user's own policies and its groups', and its permissions boundary. */
async function userPolicies(tx: Repositories, accountId: string, userName: string): Promise<PolicySet> {
  const user = await tx.users.get(accountId, userName);
  if (!user) return { identity: [] };
  const seen = new Set<string>();
  const identity = await policiesOf(tx, user.accountId, 'user', user.userName, seen);
  for (const group of await tx.iamGroups.groupsOf(user.accountId, user.userName)) identity.push(...(await policiesOf(tx, user.accountId, 'group', group, seen)));
  const boundary = await boundaryOf(tx, user.permissionsBoundary);
  return boundary ? { identity, boundary } : { identity };
}

/** What IAM evaluates for a role's sessions before any session policy: the role's policies, bounded by its boundary. */
export async function rolePolicies(tx: Repositories, accountId: string, roleName: string): Promise<PolicySet> {
  const role = await tx.iamRoles.get(accountId, roleName);
  if (!role) return { identity: [] };
  const identity = await policiesOf(tx, accountId, 'role', role.roleName, new Set());
  const boundary = await boundaryOf(tx, role.permissionsBoundary);
  return boundary ? { identity, boundary } : { identity };
}

/**
 * The identity-based policies (and boundary) IAM evaluates for a caller. The root user has no
 * policies (nothing here can limit it). A role session has its role's (the role named in its
 * `assumed-role/<role>/<session>` ARN); a federated user its issuing user's. A user or role that
 * no longer exists has none. Session policies are not identity-based: the caller of this adds
 * them (PolicySet.session).
 */
export async function identityPolicies(tx: Repositories, principal: Principal): Promise<PolicySet> {
  switch (principal.type) {
    case 'Root':
      return { isRoot: true, identity: [] };
    case 'IAMUser':
      return principal.userName === undefined ? { identity: [] } : userPolicies(tx, principal.accountId, principal.userName);
    case 'AssumedRole': {
      const role = principal.session?.issuer?.userName;
      return role === undefined ? { identity: [] } : rolePolicies(tx, principal.accountId, role);
    }
    case 'FederatedUser': {
      const issuer = principal.session?.issuer;
      if (issuer?.type === 'Root') return { isRoot: true, identity: [] };
      return issuer?.type === 'IAMUser' && issuer.userName ? userPolicies(tx, principal.accountId, issuer.userName) : { identity: [] };
    }
  }
}
