import { UnrecognizedClientException } from '../kernel/errors.js';
import { iamUserArn, rootUserArn } from '../kernel/arn.js';
import type { SecretBox } from '../kernel/secret-box.js';
import type { Store } from '../storage/ports.js';
import type { Principal } from './principal.js';

/** AWS's text when an access key id is not known (or not active). */
const UNRECOGNIZED = 'The security token included in the request is invalid.';

/** Resolves an access key id to its secret and the principal it belongs to. */
export async function resolveAccessKey(store: Store, box: SecretBox, accessKeyId: string): Promise<{ secret: string; principal: Principal }> {
  const found = await store.read(async (tx) => {
    const key = await tx.accessKeys.get(accessKeyId);
    if (!key || key.status !== 'Active') return undefined;
    const user = key.userName ? await tx.users.get(key.accountId, key.userName) : undefined;
    if (key.userName && !user) return undefined;
    return { key, user };
  });
  if (!found) throw UnrecognizedClientException(UNRECOGNIZED);
  const { key, user } = found;
  const secret = box.open(key.secretSealed, key.accessKeyId).toString('utf8');
  const principal: Principal = user
    ? { type: 'IAMUser', accountId: key.accountId, arn: iamUserArn(key.accountId, user.userName, user.path), principalId: user.userId, userName: user.userName, accessKeyId }
    : { type: 'Root', accountId: key.accountId, arn: rootUserArn(key.accountId), principalId: key.accountId, accessKeyId };
  return { secret, principal };
}

/**
 * Access keys resolved in the last few seconds, kept in memory: the hot path then needs no
 * store read and no AES-GCM open. Only found keys are kept, so a new key works at once; a
 * deactivated key stops working within the TTL.
 */
export class CredentialCache {
  private entries = new Map<string, { at: number; value: { secret: string; principal: Principal } }>();

  constructor(private readonly store: Store, private readonly box: SecretBox, private readonly now: () => number, private readonly ttlMs = 2000) {}

  /** The entry if it is still fresh: no promise, no turn of the microtask queue on the hot path. */
  cached(accessKeyId: string): { secret: string; principal: Principal } | undefined {
    const hit = this.entries.get(accessKeyId);
    return hit && this.now() - hit.at < this.ttlMs ? hit.value : undefined;
  }

  async resolve(accessKeyId: string): Promise<{ secret: string; principal: Principal }> {
    const hit = this.entries.get(accessKeyId);
    const t = this.now();
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    const value = await resolveAccessKey(this.store, this.box, accessKeyId);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(accessKeyId, { at: t, value });
    return value;
  }
}
