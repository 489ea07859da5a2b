/**
 * Customer managed policies and their versions (IAM API reference: CreatePolicy, GetPolicy,
 * ListPolicies, DeletePolicy, CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions,
 * SetDefaultPolicyVersion, DeletePolicyVersion). A policy starts with version v1 as its default;
 * at most 5 versions; version ids are not given again; a policy still attached or used as a
 * permissions boundary cannot be deleted, nor one with versions besides its default. There are no
 * AWS managed policies here: Scope=AWS lists none and their ARNs are not found.
 */
import { awsId } from '../../kernel/ids.js';
import { iamPolicyArn, parseIamArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { ManagedPolicyRecord } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { checkPolicy, policySize } from './documents.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { arn, bool, document, entityName, oneOf, path, pathPrefix, required, tags, text, type Params } from './params.js';
import { encodedDocument, policyShape } from './shapes.js';

const MAX_VERSIONS = 5;
/** "Managed policy character size: 6,144" (IAM and AWS STS quotas), whitespace not counted. */
const MAX_POLICY_SIZE = 6144;
const VERSION_ID = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;

/** A managed policy ARN the caller's account holds, or IAM's error for it. */
export async function findPolicy(tx: Repositories, ctx: RequestContext, policyArn: string): Promise<ManagedPolicyRecord> {
  const parsed = parseIamArn(policyArn);
  if (!parsed || parsed.type !== 'policy') throw E.invalidArn(policyArn);
  const p = parsed.account === ctx.principal.accountId ? await tx.iamPolicies.get(policyArn) : undefined;
  if (!p) throw E.noSuchPolicy(policyArn);
  return p;
}

function checkManagedPolicy(text: string): void {
  checkPolicy(text);
  if (policySize(text) > MAX_POLICY_SIZE) throw E.quota('PolicySize', MAX_POLICY_SIZE);
}

function versionId(p: Params): string {
  const v = required(p, 'VersionId');
  if (!VERSION_ID.test(v)) throw E.constraint('versionId', v, 'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
  return v;
}

export async function createPolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const name = entityName(p, 'PolicyName', 128);
  const policyPath = path(p);
  const doc = document(p, 'PolicyDocument');
  const description = text(p, 'Description', 1000);
  const policyTags = tags(p);
  checkManagedPolicy(doc);
  const accountId = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    if (await tx.iamPolicies.getByName(accountId, name)) throw E.policyAlreadyExists(name);
    const policy: ManagedPolicyRecord = {
      accountId, arn: iamPolicyArn(accountId, name, policyPath), policyName: name, policyId: awsId(d.ids, 'ANPA'), path: policyPath,
      description, defaultVersionId: 'v1', nextVersion: 2, createdAt: ctx.now, updatedAt: ctx.now, tags: policyTags,
    };
    await tx.iamPolicies.put(policy);
    await tx.iamPolicies.putVersion({ policyArn: policy.arn, versionId: 'v1', document: doc, createdAt: ctx.now });
    return { Policy: policyShape(policy, { attachments: 0, boundaries: 0 }, true) };
  });
}

export async function getPolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  return d.store.read(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    return { Policy: policyShape(policy, await tx.iamPolicies.usage(policy.arn), true) };
  });
}

export async function listPolicies(ctx: RequestContext, p: Params, d: IamDeps) {
  const scope = oneOf(p, 'Scope', ['All', 'AWS', 'Local'] as const, 'All');
  const onlyAttached = bool(p, 'OnlyAttached') ?? false;
  const prefix = pathPrefix(p);
  const usageFilter = p.PolicyUsageFilter === undefined ? undefined : oneOf(p, 'PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary'] as const);
  const rows = await d.store.read(async (tx) => {
    if (scope === 'AWS') return [];
    const all = (await tx.iamPolicies.list(ctx.principal.accountId)).filter((x) => x.path.startsWith(prefix));
    return Promise.all(all.map(async (policy) => ({ policy, usage: await tx.iamPolicies.usage(policy.arn) })));
  });
  const used = ({ usage }: (typeof rows)[number]) =>
    usageFilter === 'PermissionsPolicy' ? usage.attachments > 0 : usageFilter === 'PermissionsBoundary' ? usage.boundaries > 0 : usage.attachments + usage.boundaries > 0;
  const page = paginate(onlyAttached ? rows.filter(used) : rows, (x) => x.policy.policyName, p);
  return { Policies: page.items.map((x) => policyShape(x.policy, x.usage)), IsTruncated: page.IsTruncated, Marker: page.Marker };
}

export async function deletePolicy(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  await d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    const usage = await tx.iamPolicies.usage(policy.arn);
    if (usage.attachments + usage.boundaries > 0) throw E.DeleteConflict(E.POLICY_ATTACHED);
    if ((await tx.iamPolicies.listVersions(policy.arn)).length > 1) throw E.DeleteConflict(E.POLICY_HAS_VERSIONS);
    await tx.iamPolicies.delete(policy.arn);
  });
  return undefined;
}

export async function createPolicyVersion(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const doc = document(p, 'PolicyDocument');
  const setAsDefault = bool(p, 'SetAsDefault') ?? false;
  checkManagedPolicy(doc);
  return d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    if ((await tx.iamPolicies.listVersions(policy.arn)).length >= MAX_VERSIONS) throw E.LimitExceeded(E.TOO_MANY_VERSIONS);
    const id = `v${policy.nextVersion}`;
    await tx.iamPolicies.putVersion({ policyArn: policy.arn, versionId: id, document: doc, createdAt: ctx.now });
    await tx.iamPolicies.put({ ...policy, nextVersion: policy.nextVersion + 1, defaultVersionId: setAsDefault ? id : policy.defaultVersionId, updatedAt: ctx.now });
    return { PolicyVersion: { VersionId: id, IsDefaultVersion: setAsDefault, CreateDate: ctx.now } };
  });
}

export async function getPolicyVersion(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const id = versionId(p);
  return d.store.read(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    const v = await tx.iamPolicies.getVersion(policy.arn, id);
    if (!v) throw E.noSuchPolicyVersion(policyArn, id);
    return { PolicyVersion: { Document: encodedDocument(v.document), VersionId: v.versionId, IsDefaultVersion: v.versionId === policy.defaultVersionId, CreateDate: v.createdAt } };
  });
}

export async function listPolicyVersions(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const { policy, versions } = await d.store.read(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    return { policy, versions: await tx.iamPolicies.listVersions(policy.arn) };
  });
  // Newest first, as IAM lists them; the marker orders by a key, so the key is the reversed position.
  const ordered = versions.reverse().map((v, i) => ({ v, key: String(i).padStart(4, '0') }));
  const page = paginate(ordered, (x) => x.key, p);
  return {
    Versions: page.items.map(({ v }) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === policy.defaultVersionId, CreateDate: v.createdAt })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

export async function setDefaultPolicyVersion(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const id = versionId(p);
  await d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    if (!(await tx.iamPolicies.getVersion(policy.arn, id))) throw E.noSuchPolicyVersion(policyArn, id);
    await tx.iamPolicies.put({ ...policy, defaultVersionId: id, updatedAt: ctx.now });
  });
  return undefined;
}

export async function deletePolicyVersion(ctx: RequestContext, p: Params, d: IamDeps) {
  const policyArn = arn(p, 'PolicyArn');
  const id = versionId(p);
  await d.store.write(async (tx) => {
    const policy = await findPolicy(tx, ctx, policyArn);
    if (!(await tx.iamPolicies.getVersion(policy.arn, id))) throw E.noSuchPolicyVersion(policyArn, id);
    if (id === policy.defaultVersionId) throw E.DeleteConflict(E.DEFAULT_VERSION);
    await tx.iamPolicies.deleteVersion(policy.arn, id);
  });
  return undefined;
}
