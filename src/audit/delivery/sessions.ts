import type { Repositories } from '../../storage/ports.js';
import type { DeliverySessionRecord, DigestChainRecord, TrailRecord } from '../../storage/records.js';

/** Digest windows are whole seconds: the digest's times and key carry seconds only. */
export const floorSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
export const ceilSecond = (d: Date) => new Date(Math.ceil(d.getTime() / 1000) * 1000);

export const newChain = (windowStart: Date): DigestChainRecord => ({ windowStart: floorSecond(windowStart), files: [] });

/**
 * StartLogging opens a session whose cursor is the last event committed before this call's
 * own: the StartLogging event, committed in the same transaction, is the first it delivers.
 * Earlier sessions' delivery status carries over (GetTrailStatus keeps showing it).
 */
export async function beginSession(tx: Repositories, trail: TrailRecord, call: { requestId: string; now: Date }): Promise<void> {
  const previous = await tx.deliveries.latest(trail.arn);
  const carried: Partial<DeliverySessionRecord> = previous
    ? {
        latestDeliveryTime: previous.latestDeliveryTime,
        latestDeliveryAttemptTime: previous.latestDeliveryAttemptTime,
        latestDeliveryAttemptSucceeded: previous.latestDeliveryAttemptSucceeded,
        latestDeliveryError: previous.latestDeliveryError,
        latestDigestDeliveryTime: previous.latestDigestDeliveryTime,
        latestDigestAttemptTime: previous.latestDigestAttemptTime,
        latestDigestAttemptSucceeded: previous.latestDigestAttemptSucceeded,
        latestDigestDeliveryError: previous.latestDigestDeliveryError,
      }
    : {};
  await tx.deliveries.put({
    ...carried,
    id: call.requestId,
    trailArn: trail.arn,
    accountId: trail.accountId,
    homeRegion: trail.homeRegion,
    trailName: trail.name,
    trail,
    startedAt: call.now,
    cursor: await tx.events.lastSeq(),
    finished: false,
    digests: trail.logFileValidationEnabled ? { [trail.homeRegion]: newChain(call.now) } : undefined,
  });
}

/**
 * StopLogging or DeleteTrail: the session delivers up to and including this call's event
 * (found by its request id, since its position is assigned only as it commits), writes its
 * final digests and finishes. The trail as it was is kept: after DeleteTrail it is gone.
 */
export async function endSession(tx: Repositories, trail: TrailRecord, call: { requestId: string; now: Date }): Promise<void> {
  const s = await tx.deliveries.latest(trail.arn);
  if (!s || s.finished || s.stop) return;
  await tx.deliveries.put({ ...s, trail, stop: { requestId: call.requestId, at: call.now } });
}
