import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { TagRecord, TrailRecord } from '../../storage/records.js';
import type { CloudTrailDeps } from './deps.js';
import {
  ChannelNotFoundException, EventDataStoreNotFoundException, InvalidTagParameterException, ResourceNotFoundException,
  ResourceTypeNotSupportedException, TagsLimitExceededException,
} from './errors.js';
import { parseCloudTrailArn } from './names.js';
import { tagsShape } from './render.js';
import { requireHome, visibleIn } from './resolve.js';
import type { WireTag } from './shapes.js';

export const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag rules (Tag shape: key 1–128, value 1–256; InvalidTagParameterException doc: duplicates too). */
export function checkTags(tags: WireTag[]): TagRecord[] {
  const seen = new Set<string>();
  for (const t of tags) {
    const key = [...t.Key].length;
    if (key < 1 || key > 128) throw InvalidTagParameterException(`Tag key '${t.Key.slice(0, 200)}' must be between 1 and 128 characters long.`);
    if (t.Value !== undefined && ([...t.Value].length < 1 || [...t.Value].length > 256))
      throw InvalidTagParameterException(`The value of tag '${t.Key}' must be between 1 and 256 characters long.`);
    if (!TAG_CHARS.test(t.Key) || (t.Value !== undefined && !TAG_CHARS.test(t.Value)))
      throw InvalidTagParameterException(`Tag '${t.Key}' is not valid: keys and values can contain only letters, numbers, spaces and _ . : / = + - @.`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw InvalidTagParameterException(`Tag key '${t.Key}' uses the reserved prefix 'aws:'.`);
    if (seen.has(t.Key)) throw InvalidTagParameterException(`Tag key '${t.Key}' is specified more than once.`);
    seen.add(t.Key);
  }
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

/** The model's text for TagsLimitExceededException. */
export function checkTagCount(tags: TagRecord[]): TagRecord[] {
  if (tags.length > MAX_TAGS) throw TagsLimitExceededException(`The number of tags per trail has exceeded the permitted amount. Currently, the limit is ${MAX_TAGS}.`);
  return tags;
}

/**
 * The trail a tagging call names. ResourceId is an ARN; trails are the only CloudTrail
 * resources certtrail has, so event data stores and channels are not found, and other
 * resource types are not supported.
 */
async function taggedTrail(tx: Repositories, ctx: RequestContext, arn: string): Promise<TrailRecord> {
  const p = parseCloudTrailArn(arn);
  if (p.type === 'eventdatastore') throw EventDataStoreNotFoundException(`Event data store ${arn} not found.`);
  if (p.type === 'channel') throw ChannelNotFoundException(`Channel ${arn} not found.`);
  if (p.type !== 'trail' && p.type !== 'dashboard') throw ResourceTypeNotSupportedException(`Resource type '${p.type}' is not supported for tagging.`);
  const t = p.type === 'trail' && p.account === ctx.principal.accountId ? await tx.trails.get(p.account, p.region, p.id) : undefined;
  if (!t || t.arn !== arn || !visibleIn(t, ctx.region)) throw ResourceNotFoundException(`Resource ${arn} not found.`);
  return t;
}

export async function addTags(ctx: RequestContext, input: { ResourceId: string; TagsList: WireTag[] }, d: CloudTrailDeps) {
  const added = checkTags(input.TagsList);
  await d.store.write(async (tx) => {
    const t = await taggedTrail(tx, ctx, input.ResourceId);
    // A multi-region trail is tagged from its home region only (AddTags doc).
    requireHome(t, ctx);
    const merged = new Map(t.tags.map((x) => [x.key, x]));
    for (const x of added) merged.set(x.key, x);
    await tx.trails.put({ ...t, tags: checkTagCount([...merged.values()]) });
  });
  return {};
}

/** A tag given with a Value is removed only when the value matches; without one, whatever it is. */
export async function removeTags(ctx: RequestContext, input: { ResourceId: string; TagsList: WireTag[] }, d: CloudTrailDeps) {
  await d.store.write(async (tx) => {
    const t = await taggedTrail(tx, ctx, input.ResourceId);
    requireHome(t, ctx);
    const tags = t.tags.filter((x) => !input.TagsList.some((r) => r.Key === x.key && (r.Value === undefined || r.Value === x.value)));
    await tx.trails.put({ ...t, tags });
  });
  return {};
}

export async function listTags(ctx: RequestContext, input: { ResourceIdList: string[] }, d: CloudTrailDeps) {
  return d.store.read(async (tx) => {
    const ResourceTagList = [];
    for (const id of input.ResourceIdList) ResourceTagList.push({ ResourceId: id, TagsList: tagsShape((await taggedTrail(tx, ctx, id)).tags) });
    return { ResourceTagList };
  });
}
