import { createHash } from 'node:crypto';
import { HOUR_MS } from '../../kernel/clock.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';

/** ACM idempotency tokens live one hour (RequestCertificate, PutAccountConfiguration). */
export const IDEMPOTENCY_WINDOW_MS = HOUR_MS;

export function scopeOf(ctx: RequestContext): string {
  return `${ctx.principal.accountId}:${ctx.region}:${ctx.operation}`;
}

export function requestHash(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

export async function recall(tx: Repositories, ctx: RequestContext, token: string | undefined): Promise<string | undefined> {
  if (!token) return undefined;
  return (await tx.idempotency.get(scopeOf(ctx), token, ctx.now))?.result;
}

export async function remember(tx: Repositories, ctx: RequestContext, token: string | undefined, input: unknown, result: string): Promise<void> {
  if (!token) return;
  await tx.idempotency.put({ scope: scopeOf(ctx), token, requestHash: requestHash(input), result, expiresAt: new Date(ctx.now.getTime() + IDEMPOTENCY_WINDOW_MS) });
}
