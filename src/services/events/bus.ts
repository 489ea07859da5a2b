import { eventBusArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import { busNotFound } from './errors.js';

export const DEFAULT_BUS = 'default';

/**
 * The event bus an EventBusName names: the account's `default` bus of the caller's region, by
 * name or ARN. certtrail has no other buses (CreateEventBus is not built), so any other name,
 * or the ARN of another account's or region's bus, is not found.
 */
export function resolveBus(ctx: RequestContext, nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === DEFAULT_BUS) return DEFAULT_BUS;
  const arn = /^arn:[\w-]+:events:([^:]*):(\d{12}):event-bus\/(.+)$/.exec(nameOrArn);
  const name = arn ? arn[3] : nameOrArn;
  if (arn && name === DEFAULT_BUS && arn[1] === ctx.region && arn[2] === ctx.principal.accountId) return DEFAULT_BUS;
  throw busNotFound(name);
}

/** Each account and region has its default bus from the start, with no policy (DescribeEventBus doc). */
export async function describeEventBus(ctx: RequestContext, input: { Name?: string }) {
  const name = resolveBus(ctx, input.Name);
  return { Name: name, Arn: eventBusArn(ctx.region, ctx.principal.accountId, name) };
}
