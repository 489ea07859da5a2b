/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */
import { MAX_KEY_BYTES, type ObjectInfo } from '../../objects/local.js';
import { ObjectStoreError, type PutOptions } from '../../objects/ports.js';
import { ownedBucket } from './access.js';
import {
  InvalidArgument, InvalidRange, KeyTooLongError, MalformedXML, MetadataTooLarge, NoSuchBucket, NoSuchKey, NotImplemented, PreconditionFailed,
} from './errors.js';
import { header, type S3Call, type S3Deps, type S3Response } from './types.js';
import { XML_CONTENT_TYPE, document, el, httpDate, leaf, parseXmlBody } from './xml.js';

/** User-defined metadata: at most 2 KB of names and values (S3 User Guide, "Working with object metadata"). */
const MAX_METADATA_BYTES = 2048;
/** DeleteObjects takes up to 1,000 keys. */
const MAX_DELETE_KEYS = 1000;

const quoted = (etag: string) => `"${etag}"`;

function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) throw KeyTooLongError(size, MAX_KEY_BYTES);
}

function metadataOf(call: S3Call): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of Object.entries(call.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    const v = Array.isArray(value) ? value.join(',') : value;
    out[key] = v;
    size += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (size > MAX_METADATA_BYTES) throw MetadataTooLarge(size, MAX_METADATA_BYTES);
  return out;
}

export async function putObject(call: S3Call, d: S3Deps): Promise<S3Response> {
  checkKey(call.key!);
  await ownedBucket(call, d);
  // aws-chunked is how the body travelled, not how it is stored (S3 drops it the same way).
  const encoding = header(call, 'content-encoding')?.split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked').join(',');
  const ifNoneMatch = header(call, 'if-none-match');
  const ifMatch = header(call, 'if-match');
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') throw NotImplemented('PutObject with an If-None-Match other than *');
  const opts: PutOptions = {
    contentType: header(call, 'content-type') ?? 'binary/octet-stream',
    ...(encoding ? { contentEncoding: encoding } : {}),
    metadata: metadataOf(call),
    ...optional('cacheControl', header(call, 'cache-control')),
    ...optional('contentDisposition', header(call, 'content-disposition')),
    ...optional('contentLanguage', header(call, 'content-language')),
    ...optional('expires', header(call, 'expires')),
    ...(ifNoneMatch === '*' ? { ifNoneMatch: '*' as const } : {}),
    ...(ifMatch !== undefined ? { ifMatch: ifMatch.replace(/^"(.*)"$/, '$1') } : {}),
  };
  let stored: ObjectInfo;
  try {
    stored = await d.buckets.putObject(call.bucket!, call.key!, call.body, opts);
  } catch (e) {
    if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') throw NoSuchBucket(call.bucket!);
    if (e instanceof ObjectStoreError && e.code === 'PreconditionFailed') throw PreconditionFailed(ifNoneMatch !== undefined ? 'If-None-Match' : 'If-Match');
    throw e;
  }
  return { status: 200, headers: { ETag: quoted(stored.etag), ...call.checksums }, body: '' };
}

function optional<K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, string>);
}

/** GetObject's response-* parameters override these headers of the answer. */
const OVERRIDES: [param: string, header: string][] = [
  ['response-content-type', 'Content-Type'],
  ['response-content-language', 'Content-Language'],
  ['response-expires', 'Expires'],
  ['response-cache-control', 'Cache-Control'],
  ['response-content-disposition', 'Content-Disposition'],
  ['response-content-encoding', 'Content-Encoding'],
];

function objectHeaders(call: S3Call, o: ObjectInfo): Record<string, string> {
  const h: Record<string, string> = {
    'Last-Modified': httpDate(o.lastModified),
    ETag: quoted(o.etag),
    'Accept-Ranges': 'bytes',
    'Content-Type': o.contentType ?? 'binary/octet-stream',
  };
  if (o.contentEncoding) h['Content-Encoding'] = o.contentEncoding;
  if (o.cacheControl) h['Cache-Control'] = o.cacheControl;
  if (o.contentDisposition) h['Content-Disposition'] = o.contentDisposition;
  if (o.contentLanguage) h['Content-Language'] = o.contentLanguage;
  if (o.expires) h.Expires = o.expires;
  for (const [k, v] of Object.entries(o.metadata)) h[`x-amz-meta-${k}`] = v;
  for (const [param, name] of OVERRIDES) {
    const v = call.params.get(param);
    if (v !== undefined) h[name] = v;
  }
  return h;
}

/**
 * RFC 7232 preconditions in the order RFC 7232 §6 evaluates them: If-Match, If-Unmodified-Since
 * (unless If-Match was given), If-None-Match, If-Modified-Since (unless If-None-Match was given).
 * 412 for the first pair, 304 for the second.
 */
function preconditions(call: S3Call, o: ObjectInfo): S3Response | undefined {
  const etagMatches = (list: string) => list.split(',').map((s) => s.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).some((t) => t === '*' || t === o.etag);
  const ifMatch = header(call, 'if-match');
  const ifUnmodified = header(call, 'if-unmodified-since');
  const ifNoneMatch = header(call, 'if-none-match');
  const ifModified = header(call, 'if-modified-since');
  const time = (s: string) => {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  };
  if (ifMatch !== undefined && !etagMatches(ifMatch)) throw PreconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodified !== undefined) {
    const t = time(ifUnmodified);
    if (t !== undefined && o.lastModified.getTime() > t) throw PreconditionFailed('If-Unmodified-Since');
  }
  const notModified = (): S3Response => ({ status: 304, headers: { ETag: quoted(o.etag), 'Last-Modified': httpDate(o.lastModified) }, body: '' });
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch)) return notModified();
  if (ifNoneMatch === undefined && ifModified !== undefined) {
    const t = time(ifModified);
    if (t !== undefined && o.lastModified.getTime() <= t) return notModified();
  }
  return undefined;
}

/**
 * One byte range of `size` bytes from a Range header, or undefined for the whole object. As
 * RFC 7233 has it, a header that does not parse is ignored; S3 serves a single range only, so a
 * multi-range header is ignored too. A syntactically valid range past the end is InvalidRange.
 */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw InvalidRange(value, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw InvalidRange(value, size);
  return { start, end };
}

async function fetchObject(call: S3Call, d: S3Deps, withBody: boolean) {
  checkKey(call.key!);
  await ownedBucket(call, d);
  if (call.params.has('versionId') && call.params.get('versionId') !== 'null') throw InvalidArgument('Invalid version id specified', 'versionId', call.params.get('versionId'));
  try {
    const o = withBody ? await d.buckets.get(call.bucket!, call.key!) : await d.buckets.head(call.bucket!, call.key!);
    if (!o) throw NoSuchKey(call.key!);
    return o;
  } catch (e) {
    if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') throw NoSuchBucket(call.bucket!);
    throw e;
  }
}

export async function getObject(call: S3Call, d: S3Deps): Promise<S3Response> {
  const o = (await fetchObject(call, d, true)) as ObjectInfo & { body: Buffer };
  return answer(call, o, o.body);
}

export async function headObject(call: S3Call, d: S3Deps): Promise<S3Response> {
  return answer(call, await fetchObject(call, d, false), undefined);
}

function answer(call: S3Call, o: ObjectInfo, body: Buffer | undefined): S3Response {
  const early = preconditions(call, o);
  if (early) return early;
  const headers = objectHeaders(call, o);
  const range = parseRange(header(call, 'range'), o.size);
  if (!range) return { status: 200, headers: { ...headers, 'Content-Length': String(o.size) }, body: body ?? '' };
  const length = range.end - range.start + 1;
  return {
    status: 206,
    headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${o.size}`, 'Content-Length': String(length) },
    body: body ? body.subarray(range.start, range.end + 1) : '',
  };
}

export async function deleteObject(call: S3Call, d: S3Deps): Promise<S3Response> {
  checkKey(call.key!);
  await ownedBucket(call, d);
  try {
    await d.buckets.delete(call.bucket!, call.key!);
  } catch (e) {
    if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') throw NoSuchBucket(call.bucket!);
    throw e;
  }
  return { status: 204, headers: {}, body: '' };
}

export async function deleteObjects(call: S3Call, d: S3Deps): Promise<S3Response> {
  await ownedBucket(call, d);
  const doc = parseXmlBody(call.body, 'Delete');
  const objects = (doc.Object ?? []) as { Key?: unknown }[];
  if (!Array.isArray(objects) || objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw MalformedXML();
  const quiet = String(doc.Quiet ?? '').toLowerCase() === 'true';
  const parts: string[] = [];
  for (const o of objects) {
    const key = typeof o?.Key === 'string' ? o.Key : undefined;
    if (key === undefined || key === '') throw MalformedXML();
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
      parts.push(el('Error', leaf('Key', key), leaf('Code', 'KeyTooLongError'), leaf('Message', 'Your key is too long')));
      continue;
    }
    try {
      await d.buckets.delete(call.bucket!, key);
      if (!quiet) parts.push(el('Deleted', leaf('Key', key)));
    } catch (e) {
      if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') throw NoSuchBucket(call.bucket!);
      d.logger.error('DeleteObjects: one key failed', { requestId: call.requestId, error: e instanceof Error ? e.message : String(e) });
      parts.push(el('Error', leaf('Key', key), leaf('Code', 'InternalError'), leaf('Message', 'We encountered an internal error. Please try again.')));
    }
  }
  return { status: 200, headers: { 'Content-Type': XML_CONTENT_TYPE }, body: document('DeleteResult', ...parts) };
}
