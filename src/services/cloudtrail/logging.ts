import type { RequestContext } from '../../pipeline/context.js';
import type { CloudTrailDeps } from './deps.js';
import { isoOrEmpty } from './render.js';
import { findTrail, requireHome } from './resolve.js';

/**
 * GetTrailStatus: whether the trail logs and since when. Delivery (and its Latest* fields)
 * comes with the log-file issue; until then the attempt fields are empty strings, as AWS shows
 * them for a trail that has delivered nothing. A shadow trail's status is its trail's.
 */
export async function getTrailStatus(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  const t = await d.store.read((tx) => findTrail(tx, ctx, input.Name, { quoteArn: true }));
  return {
    IsLogging: t.isLogging,
    StartLoggingTime: t.startLoggingTime,
    StopLoggingTime: t.stopLoggingTime,
    LatestDeliveryAttemptTime: '',
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: '',
    TimeLoggingStarted: isoOrEmpty(t.startLoggingTime),
    TimeLoggingStopped: isoOrEmpty(t.stopLoggingTime),
  };
}

/** Starting a trail that already logs changes nothing (its StartLoggingTime stays). */
export async function startLogging(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    if (!t.isLogging) await tx.trails.put({ ...t, isLogging: true, startLoggingTime: ctx.now });
  });
  return {};
}

export async function stopLogging(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    if (t.isLogging) await tx.trails.put({ ...t, isLogging: false, stopLoggingTime: ctx.now });
  });
  return {};
}
