import { endSession } from '../../audit/delivery/sessions.js';
import { trailArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { TrailRecord } from '../../storage/records.js';
import type { CloudTrailDeps } from './deps.js';
import { MaximumNumberOfTrailsExceededException, TrailAlreadyExistsException } from './errors.js';
import { checkTrailName, isArn, parseTrailArn } from './names.js';
import { trailSettings, trailShape } from './render.js';
import { findTrail, requireHome, visibleIn } from './resolve.js';
import { applySettings, type TrailSettings } from './settings.js';
import type { TrailSettingsInput, WireTag } from './shapes.js';
import { checkTagCount, checkTags } from './tags.js';

/** Trails per region, shadow trails included (UG/WhatIsCloudTrail-Limits; cloudtrail.md §7). */
export const MAX_TRAILS_PER_REGION = 5;

const DEFAULTS: Omit<TrailSettings, 's3BucketName'> = {
  // CreateTrail's documented defaults: global service events on, single region, no validation.
  includeGlobalServiceEvents: true,
  isMultiRegionTrail: false,
  logFileValidationEnabled: false,
  isOrganizationTrail: false,
};

function alreadyExists(name: string, account: string) {
  return TrailAlreadyExistsException(`Trail ${name} already exists for customer: ${account}`);
}

/**
 * A new trail is stored in its home region (the caller's) and does not log until StartLogging.
 * Its name must be free in this region, shadow trails included, and, for a multi-region trail,
 * in every region.
 */
export async function createTrail(ctx: RequestContext, input: TrailSettingsInput & { Name: string; TagsList?: WireTag[] }, d: CloudTrailDeps) {
  checkTrailName(input.Name);
  const settings = applySettings(ctx, { ...DEFAULTS, s3BucketName: '' }, input);
  const tags = checkTagCount(checkTags(input.TagsList ?? []));
  const account = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    const all = await tx.trails.list(account);
    if (all.some((t) => t.name === input.Name && (visibleIn(t, ctx.region) || settings.isMultiRegionTrail))) throw alreadyExists(input.Name, account);
    if (all.filter((t) => visibleIn(t, ctx.region)).length >= MAX_TRAILS_PER_REGION)
      // AWS: "User: 123456789012 already has 5 trails in us-east-1."
      throw MaximumNumberOfTrailsExceededException(`User: ${account} already has ${MAX_TRAILS_PER_REGION} trails in ${ctx.region}.`);
    const trail: TrailRecord = {
      ...settings,
      accountId: account,
      homeRegion: ctx.region,
      name: input.Name,
      arn: trailArn(ctx.region, account, input.Name),
      isLogging: false,
      tags,
      createdAt: ctx.now,
    };
    await tx.trails.put(trail);
    return trailSettings(trail);
  });
}

export async function getTrail(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  const t = await d.store.read((tx) => findTrail(tx, ctx, input.Name));
  return { Trail: trailShape(t) };
}

/**
 * Without names: every trail of the region, plus the shadows of other regions' multi-region
 * trails unless includeShadowTrails is false. Names match this region's own trails; ARNs any
 * trail seen here. Names and ARNs that match nothing are left out, not errors.
 */
export async function describeTrails(ctx: RequestContext, input: { trailNameList?: string[]; includeShadowTrails?: boolean }, d: CloudTrailDeps) {
  const all = await d.store.read((tx) => tx.trails.list(ctx.principal.accountId));
  const shadows = input.includeShadowTrails ?? true;
  const seen = all.filter((t) => t.homeRegion === ctx.region || (shadows && t.isMultiRegionTrail));
  const names = input.trailNameList ?? [];
  if (!names.length) return { trailList: seen.map(trailShape) };
  const wanted = names.map((n) => {
    if (isArn(n)) {
      parseTrailArn(n);
      return (t: TrailRecord) => t.arn === n;
    }
    checkTrailName(n);
    return (t: TrailRecord) => t.name === n && t.homeRegion === ctx.region;
  });
  return { trailList: seen.filter((t) => wanted.some((w) => w(t))).map(trailShape) };
}

/** Every trail seen from this region, shadows included. All fit in one page (5 per region). */
export async function listTrails(ctx: RequestContext, _input: { NextToken?: string }, d: CloudTrailDeps) {
  const all = await d.store.read((tx) => tx.trails.list(ctx.principal.accountId));
  return { Trails: all.filter((t) => visibleIn(t, ctx.region)).map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion })) };
}

/** Only given settings change. Turning a trail multi-region needs its name free in every region. */
export async function updateTrail(ctx: RequestContext, input: TrailSettingsInput & { Name: string }, d: CloudTrailDeps) {
  return d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    const settings = applySettings(ctx, t, input);
    if (settings.isMultiRegionTrail && !t.isMultiRegionTrail) {
      const all = await tx.trails.list(ctx.principal.accountId);
      if (all.some((o) => o.name === t.name && o.arn !== t.arn)) throw alreadyExists(t.name, ctx.principal.accountId);
    }
    const updated: TrailRecord = { ...t, ...settings };
    await tx.trails.put(updated);
    return trailSettings(updated);
  });
}

/** From the home region only; a multi-region trail's shadows go with it. */
export async function deleteTrail(ctx: RequestContext, input: { Name: string }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.Name);
    requireHome(t, ctx);
    await tx.trails.delete(t.accountId, t.homeRegion, t.name);
    if (t.isLogging) await endSession(tx, { ...t, isLogging: false, stopLoggingTime: ctx.now }, ctx);
  });
  d.wakeDelivery?.();
  return {};
}
