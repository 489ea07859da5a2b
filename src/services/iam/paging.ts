import * as E from './errors.js';
import { integer, type Params } from './params.js';

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * IAM's list paging (IAM API reference, e.g. ListUsers): `MaxItems` 1–1000, 100 when absent;
 * `IsTruncated` always; `Marker` only when more follow, to be sent back as `Marker`. Items are
 * ordered by their key regardless of case (as IAM's names compare) and the marker is the last
 * key returned, so a listing that changes between pages neither repeats nor skips what stayed.
 */
export function paginate<T>(items: readonly T[], keyOf: (t: T) => string, p: Params): Page<T> {
  const max = integer(p, 'MaxItems', 1, 1000) ?? 100;
  const sorted = items
    .map((item) => ({ item, key: keyOf(item).toLowerCase() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let start = 0;
  if (p.Marker !== undefined) {
    const after = decodeMarker(p.Marker);
    start = sorted.findIndex((x) => x.key > after);
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + max);
  const more = start + max < sorted.length;
  return { items: slice.map((x) => x.item), IsTruncated: more, ...(more ? { Marker: encodeMarker(slice[slice.length - 1].key) } : {}) };
}

/** Markers are opaque to clients; base64url keeps them within the Marker pattern ([\u0020-\u00FF]+). */
function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw E.ValidationError('Invalid Marker.');
  return Buffer.from(marker, 'base64url').toString('utf8');
}
