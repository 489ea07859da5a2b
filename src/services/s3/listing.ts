/**
 * ListObjects (v1: marker) and ListObjectsV2 (continuation-token, start-after), with prefix,
 * delimiter/CommonPrefixes, max-keys (at most 1000) and encoding-type=url, in UTF-8 byte order
 * (the store's index order). A common prefix counts as one entry towards max-keys; once rolled
 * up it is skipped whole, so a page never repeats the prefix the previous page ended with.
 */
import type { ObjectSummary } from '../../objects/ports.js';
import { canonicalUserId, ownedBucket } from './access.js';
import { InvalidArgument } from './errors.js';
import type { S3Call, S3Deps, S3Response } from './types.js';
import { XML_CONTENT_TYPE, document, el, isoTime, leaf, urlEncodeKey } from './xml.js';

const MAX_KEYS = 1000;

interface Page {
  contents: ObjectSummary[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

function maxKeysOf(call: S3Call): number {
  const raw = call.params.get('max-keys');
  if (raw === undefined) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2 ** 31 - 1) {
    throw InvalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  }
  return Math.min(Number(raw), MAX_KEYS);
}

function encodingOf(call: S3Call): ((s: string) => string) | undefined {
  const raw = call.params.get('encoding-type');
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() !== 'url') throw InvalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', raw);
  return urlEncodeKey;
}

/** The common prefix `s` rolls up to under `prefix` and `delimiter`, if any. */
function rollUp(s: string, prefix: string, delimiter: string): string | undefined {
  if (!delimiter || !s.startsWith(prefix)) return undefined;
  const i = s.indexOf(delimiter, prefix.length);
  return i < 0 ? undefined : s.slice(0, i + delimiter.length);
}

async function collect(call: S3Call, d: S3Deps, o: { prefix: string; delimiter: string; start: string; maxKeys: number }): Promise<Page> {
  const page: Page = { contents: [], prefixes: [], truncated: false };
  if (o.maxKeys === 0) return page;
  // A start inside a common prefix (the last page ended on it) skips that prefix whole.
  const startPrefix = rollUp(o.start, o.prefix, o.delimiter);
  let pos: { after?: string; afterPrefix?: string } = startPrefix ? { afterPrefix: startPrefix } : o.start ? { after: o.start } : {};
  let count = 0;
  for (;;) {
    const limit = Math.min(MAX_KEYS, o.maxKeys - count + 1);
    const batch = await d.buckets.list(call.bucket!, { prefix: o.prefix || undefined, ...pos, limit });
    let jumped = false;
    for (const obj of batch) {
      if (count === o.maxKeys) {
        page.truncated = true;
        return page;
      }
      const cp = rollUp(obj.key, o.prefix, o.delimiter);
      if (cp !== undefined) {
        page.prefixes.push(cp);
        page.last = cp;
        count++;
        pos = { afterPrefix: cp };
        jumped = true;
        break;
      }
      page.contents.push(obj);
      page.last = obj.key;
      count++;
      pos = { after: obj.key };
    }
    if (!jumped && batch.length < limit) return page;
  }
}

function contentsXml(o: ObjectSummary, enc: (s: string) => string, owner: string | undefined): string {
  return el(
    'Contents',
    leaf('Key', enc(o.key)),
    leaf('LastModified', isoTime(o.lastModified)),
    leaf('ETag', `"${o.etag}"`),
    leaf('Size', o.size),
    owner ? el('Owner', leaf('ID', owner)) : '',
    leaf('StorageClass', 'STANDARD'),
  );
}

const identity = (s: string) => s;

export async function listObjects(call: S3Call, d: S3Deps): Promise<S3Response> {
  await ownedBucket(call, d);
  const prefix = call.params.get('prefix') ?? '';
  const delimiter = call.params.get('delimiter') ?? '';
  const marker = call.params.get('marker') ?? '';
  const maxKeys = maxKeysOf(call);
  const encode = encodingOf(call);
  const enc = encode ?? identity;
  const page = await collect(call, d, { prefix, delimiter, start: marker, maxKeys });
  const owner = canonicalUserId(call.principal.accountId);
  const body = document(
    'ListBucketResult',
    leaf('Name', call.bucket!),
    leaf('Prefix', enc(prefix)),
    leaf('Marker', enc(marker)),
    // NextMarker "is returned only if you have the delimiter request parameter specified";
    // otherwise the next marker is the last Key (ListObjects, S3 API Reference).
    delimiter && page.truncated && page.last !== undefined ? leaf('NextMarker', enc(page.last)) : '',
    leaf('MaxKeys', maxKeys),
    delimiter ? leaf('Delimiter', enc(delimiter)) : '',
    encode ? leaf('EncodingType', 'url') : '',
    leaf('IsTruncated', page.truncated),
    ...page.contents.map((o) => contentsXml(o, enc, owner)),
    ...page.prefixes.map((p) => el('CommonPrefixes', leaf('Prefix', enc(p)))),
  );
  return { status: 200, headers: { 'Content-Type': XML_CONTENT_TYPE }, body };
}

const TOKEN_TAG = 'certtrail-v1:';

function encodeToken(last: string): string {
  return Buffer.from(TOKEN_TAG + last, 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_TAG) || Buffer.from(text, 'utf8').toString('base64') !== token) {
    throw InvalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return text.slice(TOKEN_TAG.length);
}

export async function listObjectsV2(call: S3Call, d: S3Deps): Promise<S3Response> {
  await ownedBucket(call, d);
  const prefix = call.params.get('prefix') ?? '';
  const delimiter = call.params.get('delimiter') ?? '';
  const startAfter = call.params.get('start-after');
  const token = call.params.get('continuation-token');
  const maxKeys = maxKeysOf(call);
  const encode = encodingOf(call);
  const enc = encode ?? identity;
  const fetchOwner = call.params.get('fetch-owner') === 'true';
  // The token, when given, supersedes start-after ("StartAfter … is ignored" once continuing).
  const start = token !== undefined ? decodeToken(token) : startAfter ?? '';
  const page = await collect(call, d, { prefix, delimiter, start, maxKeys });
  const owner = fetchOwner ? canonicalUserId(call.principal.accountId) : undefined;
  const body = document(
    'ListBucketResult',
    leaf('Name', call.bucket!),
    leaf('Prefix', enc(prefix)),
    token !== undefined ? leaf('ContinuationToken', token) : '',
    page.truncated && page.last !== undefined ? leaf('NextContinuationToken', encodeToken(page.last)) : '',
    leaf('KeyCount', page.contents.length + page.prefixes.length),
    leaf('MaxKeys', maxKeys),
    delimiter ? leaf('Delimiter', enc(delimiter)) : '',
    encode ? leaf('EncodingType', 'url') : '',
    leaf('IsTruncated', page.truncated),
    startAfter !== undefined ? leaf('StartAfter', enc(startAfter)) : '',
    ...page.contents.map((o) => contentsXml(o, enc, owner)),
    ...page.prefixes.map((p) => el('CommonPrefixes', leaf('Prefix', enc(p)))),
  );
  return { status: 200, headers: { 'Content-Type': XML_CONTENT_TYPE }, body };
}
