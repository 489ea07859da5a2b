import { apiDestinationArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { ApiDestinationHttpMethod, ApiDestinationRecord } from '../../storage/records.js';
import type { EventsDeps } from './deps.js';
import { ResourceAlreadyExistsException, apiDestinationNotFound, connectionNotFound, limitExceeded } from './errors.js';
import { checkEndpoint } from './endpoints.js';
import { apiDestinationListShape, apiDestinationShape } from './render.js';

/** API destinations per account and region (EventBridge quotas: 3,000). */
export const MAX_API_DESTINATIONS = 3000;
/** CreateApiDestination's default rate (InvocationRateLimitPerSecond doc). */
export const DEFAULT_RATE_PER_SECOND = 300;

export interface CreateApiDestinationInput {
  Name: string;
  Description?: string;
  ConnectionArn: string;
  InvocationEndpoint: string;
  HttpMethod: ApiDestinationHttpMethod;
  InvocationRateLimitPerSecond?: number;
}

/** The connection must be one of this account's in this region; the destination is ACTIVE while it is authorized. */
export async function createApiDestination(ctx: RequestContext, input: CreateApiDestinationInput, d: EventsDeps) {
  checkEndpoint('InvocationEndpoint', input.InvocationEndpoint);
  const account = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    // AWS (localstack's snapshots): "An api-destination 'x' already exists."
    if (await tx.apiDestinations.get(account, ctx.region, input.Name)) throw ResourceAlreadyExistsException(`An api-destination '${input.Name}' already exists.`);
    const conn = await tx.eventConnections.getByArn(input.ConnectionArn);
    if (!conn || conn.accountId !== account || conn.region !== ctx.region) throw connectionNotFound(input.ConnectionArn.split('/')[1] ?? input.ConnectionArn);
    if ((await tx.apiDestinations.list(account, ctx.region)).length >= MAX_API_DESTINATIONS) throw limitExceeded();
    const a: ApiDestinationRecord = {
      accountId: account,
      region: ctx.region,
      name: input.Name,
      arn: apiDestinationArn(ctx.region, account, input.Name, d.ids.uuid()),
      description: input.Description,
      connectionArn: conn.arn,
      invocationEndpoint: input.InvocationEndpoint,
      httpMethod: input.HttpMethod,
      invocationRateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_PER_SECOND,
      state: conn.state === 'AUTHORIZED' ? 'ACTIVE' : 'INACTIVE',
      createdAt: ctx.now,
      lastModifiedAt: ctx.now,
    };
    await tx.apiDestinations.put(a);
    return { ApiDestinationArn: a.arn, ApiDestinationState: a.state, CreationTime: a.createdAt, LastModifiedTime: a.lastModifiedAt };
  });
}

export async function describeApiDestination(ctx: RequestContext, input: { Name: string }, d: EventsDeps) {
  const a = await d.store.read((tx) => tx.apiDestinations.get(ctx.principal.accountId, ctx.region, input.Name));
  if (!a) throw apiDestinationNotFound(input.Name);
  return apiDestinationShape(a);
}

export async function listApiDestinations(ctx: RequestContext, input: { NamePrefix?: string; ConnectionArn?: string; NextToken?: string; Limit?: number }, d: EventsDeps) {
  const all = await d.store.read((tx) => tx.apiDestinations.list(ctx.principal.accountId, ctx.region));
  const prefix = input.NamePrefix ?? '';
  const wanted = all.filter((a) => a.name.startsWith(prefix) && (!input.ConnectionArn || a.connectionArn === input.ConnectionArn));
  const page = d.paging.page(wanted, input.NextToken, input.Limit, `ListApiDestinations\0${ctx.principal.accountId}\0${ctx.region}\0${prefix}\0${input.ConnectionArn ?? ''}`);
  return { ApiDestinations: page.items.map(apiDestinationListShape), NextToken: page.next };
}

export async function deleteApiDestination(ctx: RequestContext, input: { Name: string }, d: EventsDeps) {
  await d.store.write(async (tx) => {
    const a = await tx.apiDestinations.get(ctx.principal.accountId, ctx.region, input.Name);
    if (!a) throw apiDestinationNotFound(input.Name);
    await tx.apiDestinations.delete(a.accountId, a.region, a.name);
  });
  return {};
}
