/**
 * Inline policies of users, groups and roles (IAM API reference: Put/Get/Delete/List
 * User|Group|RolePolicy). Put creates or replaces the principal's policy of that name. The
 * principal's inline policies together may not exceed IAM's aggregate size, whitespace not
 * counted: 2,048 characters for a user, 5,120 for a group, 10,240 for a role (IAM and AWS STS
 * quotas, "IAM and STS character limits").
 */
import type { RequestContext } from '../../pipeline/context.js';
import type { IamPrincipalKind } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { checkPolicy, policySize } from './documents.js';
import { NAME_PARAM, entityName as canonicalName } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { document, entityName, type Params } from './params.js';
import { encodedDocument } from './shapes.js';

const AGGREGATE_LIMIT: Record<IamPrincipalKind, number> = { user: 2048, group: 5120, role: 10240 };
/** These operations take existing names: users' and groups' up to 128 characters, roles' up to 64 (the model's name types). */
const NAME_MAX: Record<IamPrincipalKind, number> = { user: 128, group: 128, role: 64 };

type Handler = (ctx: RequestContext, p: Params, d: IamDeps) => Promise<Record<string, unknown> | undefined>;

/** The four operations for one kind of principal. */
function inlinePolicyOperations(kind: IamPrincipalKind): { put: Handler; get: Handler; remove: Handler; list: Handler } {
  const nameParam = NAME_PARAM[kind];
  return {
    async put(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policyName = entityName(p, 'PolicyName', 128);
      const doc = document(p, 'PolicyDocument');
      checkPolicy(doc);
      const accountId = ctx.principal.accountId;
      await d.store.write(async (tx) => {
        const principalName = await canonicalName(tx, accountId, kind, name);
        const others = (await tx.iamInlinePolicies.list(accountId, kind, principalName)).filter((x) => x.policyName.toLowerCase() !== policyName.toLowerCase());
        const total = others.reduce((n, x) => n + policySize(x.document), policySize(doc));
        if (total > AGGREGATE_LIMIT[kind]) throw E.policySize(kind, principalName, AGGREGATE_LIMIT[kind]);
        await tx.iamInlinePolicies.put({ accountId, kind, principalName, policyName, document: doc });
      });
      return undefined;
    },
    async get(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policyName = entityName(p, 'PolicyName', 128);
      return d.store.read(async (tx) => {
        const principalName = await canonicalName(tx, ctx.principal.accountId, kind, name);
        const found = await tx.iamInlinePolicies.get(ctx.principal.accountId, kind, principalName, policyName);
        if (!found) throw E.noSuchInlinePolicy(kind, policyName);
        return { [nameParam]: principalName, PolicyName: found.policyName, PolicyDocument: encodedDocument(found.document) };
      });
    },
    async remove(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policyName = entityName(p, 'PolicyName', 128);
      await d.store.write(async (tx) => {
        const principalName = await canonicalName(tx, ctx.principal.accountId, kind, name);
        if (!(await tx.iamInlinePolicies.get(ctx.principal.accountId, kind, principalName, policyName))) throw E.noSuchInlinePolicy(kind, policyName);
        await tx.iamInlinePolicies.delete(ctx.principal.accountId, kind, principalName, policyName);
      });
      return undefined;
    },
    async list(ctx, p, d) {
      const name = entityName(p, nameParam, NAME_MAX[kind]);
      const policies = await d.store.read(async (tx) =>
        tx.iamInlinePolicies.list(ctx.principal.accountId, kind, await canonicalName(tx, ctx.principal.accountId, kind, name)),
      );
      const page = paginate(policies, (x) => x.policyName, p);
      return { PolicyNames: page.items.map((x) => x.policyName), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  };
}

export const userInlinePolicies = inlinePolicyOperations('user');
export const groupInlinePolicies = inlinePolicyOperations('group');
export const roleInlinePolicies = inlinePolicyOperations('role');
