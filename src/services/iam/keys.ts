/**
 * Access keys (IAM API reference: CreateAccessKey, ListAccessKeys, UpdateAccessKey,
 * DeleteAccessKey). Without UserName a call acts on the caller's own keys: an IAM user's, or the
 * root user's when root signs ("you can use this operation to manage AWS account root user
 * credentials"). Two keys per user at most ("Access keys assigned to an IAM user: 2"). The
 * secret is shown once, in CreateAccessKey's answer, and stored sealed; CloudTrail's event of
 * the call leaves it out (audit/masks.ts). An Inactive key stops authenticating calls once the
 * credential cache forgets it (auth/credentials.ts, seconds).
 */
import { awsId, secretKey } from '../../kernel/ids.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { AccessKeyRecord } from '../../storage/records.js';
import type { IamDeps } from './deps.js';
import { findUser } from './entities.js';
import * as E from './errors.js';
import { paginate } from './paging.js';
import { oneOf, optionalEntityName, required, type Params } from './params.js';

const KEYS_PER_USER = 2;

/** Whose keys a call is about: a named user (`userName`), or the caller; `undefined` is the root user. */
async function owner(tx: Repositories, ctx: RequestContext, named: string | undefined): Promise<{ userName?: string }> {
  if (named !== undefined) return { userName: (await findUser(tx, ctx.principal.accountId, named)).userName };
  if (ctx.principal.type === 'Root') return {};
  if (ctx.principal.type !== 'IAMUser' || ctx.principal.userName === undefined) throw E.ValidationError(E.NOT_A_USER);
  return { userName: ctx.principal.userName };
}

const sameOwner = (k: AccessKeyRecord, userName: string | undefined) =>
  userName === undefined ? k.userName === undefined : k.userName?.toLowerCase() === userName.toLowerCase();

/** The access key of that id, if it belongs to the owner; IAM does not tell other keys apart from missing ones. */
async function ownedKey(tx: Repositories, ctx: RequestContext, id: string, userName: string | undefined): Promise<AccessKeyRecord> {
  const k = await tx.accessKeys.get(id);
  if (!k || k.accountId !== ctx.principal.accountId || !sameOwner(k, userName)) throw E.noSuchAccessKey(id);
  return k;
}

function accessKeyId(p: Params): string {
  const id = required(p, 'AccessKeyId');
  if (id.length < 16 || id.length > 128 || !/^\w+$/.test(id)) throw E.constraint('accessKeyId', id, 'Member must satisfy regular expression pattern: [\\w]+');
  return id;
}

export async function createAccessKey(ctx: RequestContext, p: Params, d: IamDeps) {
  const named = optionalEntityName(p, 'UserName', 128);
  return d.store.write(async (tx) => {
    const { userName } = await owner(tx, ctx, named);
    const accountId = ctx.principal.accountId;
    if ((await tx.accessKeys.listFor(accountId, userName)).length >= KEYS_PER_USER) throw E.quota('AccessKeysPerUser', KEYS_PER_USER);
    const id = awsId(d.ids, 'AKIA');
    const secret = secretKey(d.ids);
    await tx.accessKeys.put({ accessKeyId: id, secretSealed: d.box.seal(secret, id), accountId, userName, status: 'Active', createdAt: ctx.now });
    return { AccessKey: { UserName: userName, AccessKeyId: id, Status: 'Active', SecretAccessKey: secret, CreateDate: ctx.now } };
  });
}

export async function listAccessKeys(ctx: RequestContext, p: Params, d: IamDeps) {
  const named = optionalEntityName(p, 'UserName', 128);
  const keys = await d.store.read(async (tx) => tx.accessKeys.listFor(ctx.principal.accountId, (await owner(tx, ctx, named)).userName));
  const page = paginate(keys, (k) => k.accessKeyId, p);
  return {
    AccessKeyMetadata: page.items.map((k) => ({ UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createdAt })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
}

export async function updateAccessKey(ctx: RequestContext, p: Params, d: IamDeps) {
  const named = optionalEntityName(p, 'UserName', 128);
  const id = accessKeyId(p);
  const status = oneOf(p, 'Status', ['Active', 'Inactive'] as const);
  await d.store.write(async (tx) => {
    const k = await ownedKey(tx, ctx, id, (await owner(tx, ctx, named)).userName);
    await tx.accessKeys.put({ ...k, status });
  });
  return undefined;
}

export async function deleteAccessKey(ctx: RequestContext, p: Params, d: IamDeps) {
  const named = optionalEntityName(p, 'UserName', 128);
  const id = accessKeyId(p);
  await d.store.write(async (tx) => {
    const k = await ownedKey(tx, ctx, id, (await owner(tx, ctx, named)).userName);
    await tx.accessKeys.delete(k.accessKeyId);
  });
  return undefined;
}
