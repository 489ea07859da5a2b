import type { DigestPublicKey } from '../../audit/digest-keys.js';
import { HOUR_MS } from '../../kernel/clock.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { CloudTrailDeps } from './deps.js';
import { InvalidTimeRangeException } from './errors.js';

/**
 * validate-logs 2.9.19 asks for the keys of [start, end] but checks digests up to end + 1 h, so
 * a key that took over in that hour would be "not found" (upstream widened its own query by 2 h
 * in aws-cli PR #10072). Listing the keys of two more hours costs nothing and avoids that.
 */
const SPILL_MS = 2 * HOUR_MS;

/**
 * The public keys of the request's region whose private keys sign its digests (API_ListPublicKeys,
 * cloudtrail.md §5.4). An absent StartTime or EndTime is the current time; with neither, the
 * current key alone ("the current public key is returned"). A start after the end is
 * InvalidTimeRangeException. The list is never empty: the region's current key is made on first
 * use, and a range from before any key existed gets all of them rather than nothing (AWS, whose
 * keys go back to 2015, would always have some).
 */
export async function listPublicKeys(ctx: RequestContext, input: { StartTime?: Date; EndTime?: Date }, d: CloudTrailDeps) {
  const start = input.StartTime ?? ctx.now;
  const end = input.EndTime ?? ctx.now;
  if (start.getTime() > end.getTime()) throw InvalidTimeRangeException('Start time must be before or equal to end time.');
  const current = await d.digestKeys.keyAt(ctx.region, ctx.now);
  let keys: DigestPublicKey[];
  if (!input.StartTime && !input.EndTime) keys = [current];
  else {
    keys = await d.digestKeys.publicKeys(ctx.region, start, new Date(end.getTime() + SPILL_MS));
    if (!keys.length) keys = await d.digestKeys.allPublicKeys(ctx.region);
  }
  return {
    PublicKeyList: keys.map((k) => ({
      // A blob: one layer of base64 on the wire (the CLI decodes it itself, cloudtrail.md §5.4).
      Value: k.value.toString('base64'),
      ValidityStartTime: k.validFrom,
      ValidityEndTime: k.validTo,
      Fingerprint: k.fingerprint,
    })),
  };
}
