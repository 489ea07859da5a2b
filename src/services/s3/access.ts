import { createHash } from 'node:crypto';
import type { BucketRecord } from '../../objects/local.js';
import { AccessDenied, NoSuchBucket } from './errors.js';
import type { S3Call, S3Deps } from './types.js';

/**
 * The bucket a call is about, if the caller may use it. Bucket names are global: a name nobody
 * holds is NoSuchBucket for everyone; another account's bucket is AccessDenied (certtrail has no
 * bucket policies or ACLs yet, so only the owning account gets in).
 */
export async function ownedBucket(call: S3Call, d: S3Deps): Promise<BucketRecord> {
  const b = await d.buckets.bucket(call.bucket!);
  if (!b) throw NoSuchBucket(call.bucket!);
  if (b.ownerAccountId !== call.principal.accountId) throw AccessDenied();
  return b;
}

/** An account's canonical user ID: 64 hex digits, stable, as S3 shows owners. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`certtrail canonical user ${accountId}`).digest('hex');
}
