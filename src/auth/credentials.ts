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
