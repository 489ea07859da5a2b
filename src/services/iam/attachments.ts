/**
 * Managed policies attached to users, groups and roles (IAM API reference: Attach/Detach
 * User|Group|RolePolicy, ListAttachedUser|Group|RolePolicies). Attaching twice is no error;
 * detaching what is not attached is NoSuchEntity. Ten managed policies per user, group or role
 * ("Managed policies attached to an IAM role/user/group: 10", IAM and AWS STS quotas).
 */
import { parseIamArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { IamPrincipalKind } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { NAME_PARAM, entityName as canonicalName } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { arn, entityName, pathPrefix, type Params } from './params.js';

const POLICIES_PER_PRINCIPAL = 10;
const QUOTA_NAME: Record<IamPrincipalKind, string> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };
const NAME_MAX: Record<IamPrincipalKind, number> = { user: 128, group: 128, role: 64 };

type Handler = (ctx: RequestContext, p: Params, d: IamDeps) => Promise<Record<string, unknown> | undefined>;

function attachmentOperations(kind: IamPrincipalKind): { attach: Handler; detach: Handler; list: Handler } {
  const nameParam = NAME_PARAM[kind];
  return {
    async attach(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policyArn = arn(p, 'PolicyArn');
      const accountId = ctx.principal.accountId;
      await d.store.write(async (tx) => {
        const principalName = await canonicalName(tx, accountId, kind, name);
        const parsed = parseIamArn(policyArn);
        if (!parsed || parsed.type !== 'policy') throw E.invalidArn(policyArn);
        if (parsed.account !== accountId || !(await tx.iamPolicies.get(policyArn))) throw E.notAttachable(policyArn);
        const attached = await tx.iamAttachments.list(accountId, kind, principalName);
        if (attached.some((a) => a.policyArn === policyArn)) return;
        if (attached.length >= POLICIES_PER_PRINCIPAL) throw E.quota(QUOTA_NAME[kind], POLICIES_PER_PRINCIPAL);
        await tx.iamAttachments.put({ accountId, kind, principalName, policyArn, attachedAt: ctx.now });
      });
      return undefined;
    },
    async detach(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policyArn = arn(p, 'PolicyArn');
      const accountId = ctx.principal.accountId;
      await d.store.write(async (tx) => {
        const principalName = await canonicalName(tx, accountId, kind, name);
        if (!parseIamArn(policyArn)) throw E.invalidArn(policyArn);
        const attached = await tx.iamAttachments.list(accountId, kind, principalName);
        if (!attached.some((a) => a.policyArn === policyArn)) throw E.noSuchPolicy(policyArn);
        await tx.iamAttachments.delete(accountId, kind, principalName, policyArn);
      });
      return undefined;
    },
    async list(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const prefix = pathPrefix(p);
      const accountId = ctx.principal.accountId;
      const policies = await d.store.read(async (tx) => {
        const attached = await tx.iamAttachments.list(accountId, kind, await canonicalName(tx, accountId, kind, name));
        const found = await Promise.all(attached.map((a) => tx.iamPolicies.get(a.policyArn)));
        return found.filter((x) => x !== undefined && x.path.startsWith(prefix)).map((x) => x!);
      });
      const page = paginate(policies, (x) => x.policyName, p);
      return { AttachedPolicies: page.items.map((x) => ({ PolicyName: x.policyName, PolicyArn: x.arn })), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  };
}

export const userAttachments = attachmentOperations('user');
export const groupAttachments = attachmentOperations('group');
export const roleAttachments = attachmentOperations('role');
