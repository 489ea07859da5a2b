import { ValidationException } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { AcmDeps } from './deps.js';
import { recall, remember } from './idempotency.js';

/** Days before expiry that "Approaching Expiration" events start (model doc default 45). */
export const DEFAULT_DAYS_BEFORE_EXPIRY = 45;

export async function getAccountConfiguration(ctx: RequestContext, _input: unknown, d: AcmDeps) {
  const cfg = await d.store.read((tx) => tx.accountConfig.get(ctx.principal.accountId, ctx.region));
  return { ExpiryEvents: { DaysBeforeExpiry: cfg?.daysBeforeExpiry ?? DEFAULT_DAYS_BEFORE_EXPIRY } };
}

export async function putAccountConfiguration(ctx: RequestContext, input: { IdempotencyToken: string; ExpiryEvents?: { DaysBeforeExpiry?: number } }, d: AcmDeps) {
  // AWS's text, recorded (acm.md §5.2).
  if (input.ExpiryEvents?.DaysBeforeExpiry === undefined) throw ValidationException('Configuration for events is empty.');
  await d.store.write(async (tx) => {
    if (await recall(tx, ctx, input.IdempotencyToken)) return;
    await tx.accountConfig.put({ accountId: ctx.principal.accountId, region: ctx.region, daysBeforeExpiry: input.ExpiryEvents!.DaysBeforeExpiry! });
    await remember(tx, ctx, input.IdempotencyToken, input, 'done');
  });
  return {};
}
