import type { RequestContext } from '../../pipeline/context.js';
import type { TagRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { InvalidParameterException, InvalidTagException, TooManyTagsException } from './errors.js';
import { loadCertificate } from './lookup.js';

export const MAX_TAGS = 50;

interface WireTag { Key: string; Value?: string }

/** The `aws:` prefix is reserved for AWS (acm.md §2.3, AddTagsToCertificate). */
export function checkTags(tags: WireTag[]): TagRecord[] {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.toLowerCase().startsWith('aws:')) throw InvalidTagException(`Tag key '${t.Key}' uses the reserved prefix 'aws:'. Tags with this prefix cannot be changed.`);
    if (seen.has(t.Key)) throw InvalidParameterException(`Tag key '${t.Key}' is specified more than once.`);
    seen.add(t.Key);
  }
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

export function tooManyTags(tags: TagRecord[]): never {
  throw TooManyTagsException(`the TagSet: '{${tags.map((t) => `${t.key}=${t.value ?? ''}`).join(', ')}}' contains too many Tags`);
}

export function mergeTags(existing: TagRecord[], added: TagRecord[]): TagRecord[] {
  const out = new Map(existing.map((t) => [t.key, t]));
  for (const t of added) out.set(t.key, t);
  const merged = [...out.values()];
  if (merged.length > MAX_TAGS) tooManyTags(merged);
  return merged;
}

export async function addTagsToCertificate(ctx: RequestContext, input: { CertificateArn: string; Tags: WireTag[] }, d: AcmDeps) {
  const added = checkTags(input.Tags);
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    await tx.certificates.put({ ...c, tags: mergeTags(c.tags, added) });
  });
  return {};
}

/** A tag given without a Value is removed whatever its value; with one, only on a match. */
export async function removeTagsFromCertificate(ctx: RequestContext, input: { CertificateArn: string; Tags: WireTag[] }, d: AcmDeps) {
  for (const t of input.Tags)
    if (t.Key.toLowerCase().startsWith('aws:')) throw InvalidTagException(`Tag key '${t.Key}' uses the reserved prefix 'aws:'. Tags with this prefix cannot be changed.`);
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    const tags = c.tags.filter((t) => !input.Tags.some((r) => r.Key === t.key && (r.Value === undefined || r.Value === (t.value ?? ''))));
    await tx.certificates.put({ ...c, tags });
  });
  return {};
}

export async function listTagsForCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  const c = await d.store.read((tx) => loadCertificate(tx, ctx, input.CertificateArn));
  return { Tags: c.tags.map((t) => (t.value === undefined ? { Key: t.key } : { Key: t.key, Value: t.value })) };
}
