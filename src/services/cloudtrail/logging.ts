import type { RequestContext } from '../../pipeline/context.js';
import { beginSession, endSession } from '../../audit/delivery/sessions.js';
import type { CloudTrailDeps } from './deps.js';
import { isoOrEmpty } from './render.js';
import { findTrail, requireHome } from './resolve.js';

/**
 * GetTrailStatus: whether the trail logs, since when, and how its delivery stands (its newest
 * delivery session's). Attempt fields are empty strings until there was an attempt, as AWS shows
 * them; errors are the S3 error codes of the last failed attempt. A shadow trail's status is its
 * trail's. SNS notifications are not sent, so their fields stay empty.
 */
export async function getTrailStatus(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  const { t, s } = await d.store.read(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name, { quoteArn: true });
    return { t, s: await tx.deliveries.latest(t.arn) };
  });
  return {
    IsLogging: t.isLogging,
    LatestDeliveryError: s?.latestDeliveryError,
    LatestDeliveryTime: s?.latestDeliveryTime,
    LatestDigestDeliveryTime: s?.latestDigestDeliveryTime,
    LatestDigestDeliveryError: s?.latestDigestDeliveryError,
    StartLoggingTime: t.startLoggingTime,
    StopLoggingTime: t.stopLoggingTime,
    LatestDeliveryAttemptTime: isoOrEmpty(s?.latestDeliveryAttemptTime),
    LatestNotificationAttemptTime: '',
    LatestNotificationAttemptSucceeded: '',
    LatestDeliveryAttemptSucceeded: isoOrEmpty(s?.latestDeliveryAttemptSucceeded),
    TimeLoggingStarted: isoOrEmpty(t.startLoggingTime),
    TimeLoggingStopped: isoOrEmpty(t.stopLoggingTime),
  };
}

/** Starting a trail that already logs changes nothing (its StartLoggingTime stays). */
export async function startLogging(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    if (t.isLogging) return;
    const started = { ...t, isLogging: true, startLoggingTime: ctx.now };
    await tx.trails.put(started);
    await beginSession(tx, started, ctx);
  });
  return {};
}

export async function stopLogging(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    if (!t.isLogging) return;
    const stopped = { ...t, isLogging: false, stopLoggingTime: ctx.now };
    await tx.trails.put(stopped);
    await endSession(tx, stopped, ctx);
  });
  d.wakeDelivery?.();
  return {};
}
