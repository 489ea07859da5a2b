import { trailArn } from '../../kernel/arn.js';
import type { ServiceError } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { TrailRecord } from '../../storage/records.js';
import { InvalidHomeRegionException, trailNotFound } from './errors.js';
import { checkTrailName, isArn, parseTrailArn } from './names.js';

/** Whether a trail is seen from a region: its home region, or any region for a multi-region trail. */
export const visibleIn = (t: TrailRecord, region: string) => t.homeRegion === region || t.isMultiRegionTrail;

export interface FindOptions {
  /**
   * How "not found" is told. GetTrailStatus and GetEventSelectors quote the ARN the name would
   * have in the caller's region (aws-sdk-go-v2#1957; moto mirrors it); the others the value given.
   */
  quoteArn?: boolean;
}

/**
 * A trail named by the caller (every trail operation takes a name or an ARN). A name means a
 * trail whose home is the caller's region; a shadow trail (a multi-region trail seen from
 * another region) is reached by its ARN only (GetTrailStatus, DescribeTrails docs).
 */
export async function findTrail(tx: Repositories, ctx: RequestContext, nameOrArn: string, o: FindOptions = {}): Promise<TrailRecord> {
  const account = ctx.principal.accountId;
  if (isArn(nameOrArn)) {
    const p = parseTrailArn(nameOrArn);
    const t = p.account === account ? await tx.trails.get(account, p.region, p.id) : undefined;
    if (!t || t.arn !== nameOrArn || !visibleIn(t, ctx.region)) throw trailNotFound(nameOrArn, account);
    return t;
  }
  checkTrailName(nameOrArn);
  const t = await tx.trails.get(account, ctx.region, nameOrArn);
  if (!t) throw trailNotFound(o.quoteArn ? trailArn(ctx.region, account, nameOrArn) : nameOrArn, account);
  return t;
}

/** Changes are made in the trail's home region only (DeleteTrail, UpdateTrail, StartLogging… docs). */
export function requireHome(t: TrailRecord, ctx: RequestContext): void {
  if (t.homeRegion !== ctx.region) throw homeRegionError(t);
}

export function homeRegionError(t: TrailRecord): ServiceError {
  return InvalidHomeRegionException(`The trail ${t.arn} can be changed only in its home region, ${t.homeRegion}.`);
}
