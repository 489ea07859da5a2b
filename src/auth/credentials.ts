import { ServiceError, UnrecognizedClientException } from '../kernel/errors.js';
import { iamUserArn, rootUserArn } from '../kernel/arn.js';
import type { SecretBox } from '../kernel/secret-box.js';
import type { Store } from '../storage/ports.js';
import type { Principal } from './principal.js';
import { openSession } from './session-token.js';

/** AWS's text when an access key id is not known (or not active). */
const UNRECOGNIZED = 'The security token included in the request is invalid.';

/** A temporary key past its expiration: 403 ExpiredTokenException (ExpiredToken over the query protocol). */
export const ExpiredTokenException = (message = 'The security token included in the request is expired') => new ServiceError('ExpiredTokenException', message, 403);

/** Temporary credentials (ASIA…): the key, its secret and the caller all come from the session token. */
function resolveSession(box: SecretBox, accessKeyId: string, token: string | undefined, now: number): { secret: string; principal: Principal } {
  const found = token ? openSession(box, accessKeyId, token) : undefined;
  if (!found) throw UnrecognizedClientException(UNRECOGNIZED);
  if (found.principal.session!.expiresAt.getTime() <= now) throw ExpiredTokenException();
  return found;
}

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
  private entries = new Map<string, { at: number; value: { secret: string; principal: Principal }; token?: string }>();

  constructor(private readonly store: Store, private readonly box: SecretBox, private readonly now: () => number, private readonly ttlMs = 2000) {}

  /** The entry if it is still fresh: no promise, no turn of the microtask queue on the hot path. */
  cached(accessKeyId: string, token?: string): { secret: string; principal: Principal } | undefined {
    const hit = this.entries.get(accessKeyId);
    if (!hit || this.now() - hit.at >= this.ttlMs || hit.token !== token) return undefined;
    // A session expires on the second, cache or not.
    const exp = hit.value.principal.session?.expiresAt.getTime();
    return exp !== undefined && exp <= this.now() ? undefined : hit.value;
  }

  /** Forget every key: an IAM change (a key deactivated or deleted) takes effect at once. */
  clear(): void {
    this.entries.clear();
  }

  async resolve(accessKeyId: string, token?: string): Promise<{ secret: string; principal: Principal }> {
    const hit = this.cached(accessKeyId, token);
    if (hit) return hit;
    const t = this.now();
    const value = accessKeyId.startsWith('ASIA') ? resolveSession(this.box, accessKeyId, token, t) : await resolveAccessKey(this.store, this.box, accessKeyId);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(accessKeyId, { at: t, value, token });
    return value;
  }
}
