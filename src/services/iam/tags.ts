/**
 * Tags on users, roles and customer managed policies: TagX adds or replaces, UntagX removes
 * (keys it does not find are no error), ListXTags pages. IAM tag keys are one key regardless of
 * case, and the case of the latest TagX wins (aws-cdk#26253 shows TagRole `test` replacing `Test`).
 * At most 50 per resource (IAM and AWS STS quotas, "Tags per IAM resource").
 */
import type { RequestContext } from '../../pipeline/context.js';
import type { IamTagRecord } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { findRole, findUser } from './entities.js';
import { quota } from './errors.js';
import { findPolicy } from './managed-policies.js';
import { paginate } from './paging.js';
import { arn, entityName, tagKeys, tags, type Params } from './params.js';

const MAX_TAGS = 50;

export function mergeTags(existing: readonly IamTagRecord[], added: readonly IamTagRecord[], quotaName: string): IamTagRecord[] {
  const byKey = new Map(existing.map((t) => [t.key.toLowerCase(), t] as const));
  for (const t of added) {
    byKey.delete(t.key.toLowerCase());
    byKey.set(t.key.toLowerCase(), t);
  }
  if (byKey.size > MAX_TAGS) throw quota(quotaName, MAX_TAGS);
  return [...byKey.values()];
}

export function removeTags(existing: readonly IamTagRecord[], keys: readonly string[]): IamTagRecord[] {
  const gone = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !gone.has(t.key.toLowerCase()));
}

function listed(all: readonly IamTagRecord[], p: Params) {
  const page = paginate(all, (t) => t.key, p);
  return { Tags: page.items.map((t) => ({ Key: t.key, Value: t.value })), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function tagUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'UserName');
  const added = tags(p);
  await d.store.write(async (tx) => {
    const u = await findUser(tx, ctx.principal.accountId, name);
    await tx.users.put({ ...u, tags: mergeTags(u.tags ?? [], added, 'TagsPerUser') });
  });
  return undefined;
}

export async function untagUser(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'UserName');
  const keys = tagKeys(p);
  await d.store.write(async (tx) => {
    const u = await findUser(tx, ctx.principal.accountId, name);
    await tx.users.put({ ...u, tags: removeTags(u.tags ?? [], keys) });
  });
  return undefined;
}

export async function listUserTags(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'UserName');
  const u = await d.store.read((tx) => findUser(tx, ctx.principal.accountId, name));
  return listed(u.tags ?? [], p);
}

export async function tagRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'RoleName');
  const added = tags(p);
  await d.store.write(async (tx) => {
    const r = await findRole(tx, ctx.principal.accountId, name);
    await tx.iamRoles.put({ ...r, tags: mergeTags(r.tags, added, 'TagsPerRole') });
  });
  return undefined;
}

export async function untagRole(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'RoleName');
  const keys = tagKeys(p);
  await d.store.write(async (tx) => {
    const r = await findRole(tx, ctx.principal.accountId, name);
    await tx.iamRoles.put({ ...r, tags: removeTags(r.tags, keys) });
  });
  return undefined;
}

export async function listRoleTags(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'RoleName');
  const r = await d.store.read((tx) => findRole(tx, ctx.principal.accountId, name));
  return listed(r.tags, p);
}

export async function tagPolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const added = tags(p);
  await d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    await tx.iamPolicies.put({ ...policy, tags: mergeTags(policy.tags, added, 'TagsPerPolicy') });
  });
  return undefined;
}

export async function untagPolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const keys = tagKeys(p);
  await d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    await tx.iamPolicies.put({ ...policy, tags: removeTags(policy.tags, keys) });
  });
  return undefined;
}

export async function listPolicyTags(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const policy = await d.store.read((tx) => findPolicy(tx, ctx, policyArn));
  return listed(policy.tags, p);
}
