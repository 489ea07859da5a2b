import { createHash, createPublicKey, sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';
import { constants as zc, gzipSync, inflateRawSync } from 'node:zlib';

/**
 * CloudTrail's log and digest file formats (cloudtrail.md §4, §5): object keys, the digest JSON
 * in AWS's field order, the string CloudTrail signs and the signature, and the log file body.
 * Pure functions: time and randomness come in as arguments.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const compactDate = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const withPrefix = (prefix: string | undefined, key: string) => (prefix ? `${prefix}/${key}` : key);
const awsLogs = (accountId: string, organizationId?: string) => `AWSLogs/${organizationId ? `${organizationId}/` : ''}${accountId}`;

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of every time in a digest (and of validate-logs' output). */
export function digestTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** `YYYYMMDDTHHMMSSZ`: a digest key's timestamp (the CLI reads it back as `key[-24:-8]`). */
export function digestKeyTime(d: Date): string {
  return `${compactDate(d)}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

export interface LogFileKeyInput {
  prefix?: string;
  accountId: string;
  /** Where the events happened (a multi-region trail writes each region under its own folder). */
  region: string;
  /** Delivery time: the date folders and the minute in the name. */
  deliveredAt: Date;
  unique: string;
  /** Organization trails only: `AWSLogs/<o-id>/<acct>/…`. */
  organizationId?: string;
}

/**
 * `<prefix/>AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`
 * (UG/cloudtrail-find-log-files).
 */
export function logFileKey(i: LogFileKeyInput): string {
  const d = i.deliveredAt;
  const minute = `${compactDate(d)}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  return withPrefix(i.prefix, `${awsLogs(i.accountId, i.organizationId)}/CloudTrail/${i.region}/${ymd(d)}/${i.accountId}_CloudTrail_${i.region}_${minute}_${i.unique}.json.gz`);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 16 meaningless alphanumerics that keep log file names apart (e.g. `Mu0KsOhtH1ar15ZZ`). */
export function uniqueString(randomBytes: Uint8Array): string {
  if (randomBytes.length < 16) throw new RangeError('uniqueString needs 16 random bytes');
  let s = '';
  for (let i = 0; i < 16; i++) s += ALNUM[randomBytes[i]! % ALNUM.length];
  return s;
}

export interface DigestKeyInput {
  prefix?: string;
  accountId: string;
  /** The region whose log files the digest covers. */
  sourceRegion: string;
  trailName: string;
  /** Where the trail was created. */
  homeRegion: string;
  /** The digest's end time: date folders and the timestamp (seconds). */
  end: Date;
  organizationId?: string;
}

/**
 * `<prefix/>AWSLogs/<acct>/CloudTrail-Digest/<src>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<src>_<trail>_<home>_<YYYYMMDDTHHMMSSZ>.json.gz`
 * (cloudtrail.md §5.1). validate-logs 2.9.19 finds digests by exactly this shape.
 */
export function digestKey(i: DigestKeyInput): string {
  const tail = `${i.accountId}_CloudTrail-Digest_${i.sourceRegion}_${i.trailName}_${i.homeRegion}_${digestKeyTime(i.end)}.json.gz`;
  return withPrefix(i.prefix, `${awsLogs(i.accountId, i.organizationId)}/CloudTrail-Digest/${i.sourceRegion}/${ymd(i.end)}/${tail}`);
}

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Lowercase hex SHA-256 of the uncompressed log file. */
  hashValue: string;
  oldestEventTime: Date;
  newestEventTime: Date;
}

/** The digest before this one in the chain. */
export interface DigestPrevious {
  s3Bucket: string;
  s3Object: string;
  /** Lowercase hex SHA-256 of the previous digest's uncompressed bytes. */
  hashValue: string;
  /** The previous digest's signature (its x-amz-meta-signature). */
  signature: string;
}

export interface DigestFields {
  awsAccountId: string;
  digestStartTime: Date;
  digestEndTime: Date;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  /** Absent or null: a starting digest (validation enabled, re-enabled, or logging restarted). */
  previous?: DigestPrevious | null;
  logFiles: readonly DigestLogFile[];
}

export interface BuiltDigest {
  /** The uncompressed digest file: the exact bytes to gzip, hash and sign. */
  body: Buffer;
  /** Lowercase hex SHA-256 of `body` (the next digest's previousDigestHashValue). */
  hashValue: string;
  /** UTF-8 of the §5.3 string to sign, for `sign(data)`. */
  stringToSign: Buffer;
}

/**
 * The digest file, fields in AWS's order (UG/cloudtrail-log-file-validation-digest-file-structure):
 * compact JSON, times `YYYY-MM-DDTHH:MM:SSZ`, null where AWS writes null (the five
 * previousDigest* fields of a starting digest; newest/oldestEventTime with no log files).
 */
export function buildDigest(f: DigestFields): BuiltDigest {
  const p = f.previous ?? null;
  const times = f.logFiles.flatMap((l) => [l.oldestEventTime.getTime(), l.newestEventTime.getTime()]);
  const doc = {
    awsAccountId: f.awsAccountId,
    digestStartTime: digestTime(f.digestStartTime),
    digestEndTime: digestTime(f.digestEndTime),
    digestS3Bucket: f.digestS3Bucket,
    digestS3Object: f.digestS3Object,
    digestPublicKeyFingerprint: f.digestPublicKeyFingerprint,
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: times.length ? digestTime(new Date(Math.max(...times))) : null,
    oldestEventTime: times.length ? digestTime(new Date(Math.min(...times))) : null,
    previousDigestS3Bucket: p ? p.s3Bucket : null,
    previousDigestS3Object: p ? p.s3Object : null,
    previousDigestHashValue: p ? p.hashValue : null,
    previousDigestHashAlgorithm: p ? 'SHA-256' : null,
    previousDigestSignature: p ? p.signature : null,
    logFiles: f.logFiles.map((l) => ({
      s3Bucket: l.s3Bucket,
      s3Object: l.s3Object,
      hashValue: l.hashValue,
      hashAlgorithm: 'SHA-256',
      newestEventTime: digestTime(l.newestEventTime),
      oldestEventTime: digestTime(l.oldestEventTime),
    })),
  };
  const body = Buffer.from(JSON.stringify(doc), 'utf8');
  const stringToSign = digestStringToSign(doc, body);
  return { body, hashValue: sha256Hex(body), stringToSign: Buffer.from(stringToSign, 'utf8') };
}

/** The members of a digest (as written in its JSON) that go into the string to sign. */
export interface SignedDigestMembers {
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  previousDigestSignature: string | null;
}

/**
 * cloudtrail.md §5.3: `digestEndTime \n bucket/object \n hex(sha256(body)) \n previousSignature`,
 * with a null previous signature written `null` ("to match the Java implementation", VAL).
 * The values are the JSON's own strings and `body` the exact uncompressed bytes.
 */
export function digestStringToSign(d: SignedDigestMembers, body: Uint8Array): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256Hex(body)}\n${d.previousDigestSignature ?? 'null'}`;
}

/** Anything that can sign: a private key, or a signer from DigestKeys (which keeps its key). */
export type DigestSigningKey = KeyObject | string | { sign(data: Buffer): string };

/** Lowercase hex SHA256withRSA (RSASSA-PKCS1-v1_5, deterministic) over the digest's string to sign. */
export function signDigest(body: Buffer, fields: Pick<DigestFields, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previous'>, key: DigestSigningKey): string {
  const data = Buffer.from(digestStringToSign({
    digestEndTime: digestTime(fields.digestEndTime),
    digestS3Bucket: fields.digestS3Bucket,
    digestS3Object: fields.digestS3Object,
    previousDigestSignature: fields.previous?.signature ?? null,
  }, body), 'utf8');
  return typeof key === 'object' && 'sign' in key ? key.sign(data) : signBytes(data, key);
}

/** RSASSA-PKCS1-v1_5 with SHA-256, lowercase hex. */
export function signBytes(data: Buffer, privateKey: KeyObject | string): string {
  return rsaSign('sha256', data, privateKey).toString('hex');
}

/** An RSA public key from DER: PKCS#1 RSAPublicKey (what CloudTrail serves) or SubjectPublicKeyInfo. */
export function publicKeyFromDer(der: Uint8Array): KeyObject {
  const key = Buffer.from(der);
  try {
    return createPublicKey({ key, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key, format: 'der', type: 'spki' });
  }
}

/**
 * Whether `signatureHex` is CloudTrail's signature of this digest. `digest` is the parsed JSON
 * of `body` (its own strings go into the string to sign, as the CLI does).
 */
export function verifyDigest(body: Uint8Array, digest: SignedDigestMembers, signatureHex: string, publicKey: KeyObject | Uint8Array): boolean {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(signatureHex)) return false;
  const key = publicKey instanceof Uint8Array ? publicKeyFromDer(publicKey) : publicKey;
  const data = Buffer.from(digestStringToSign(digest, body), 'utf8');
  return rsaVerify('sha256', data, key, Buffer.from(signatureHex, 'hex'));
}

/** Fingerprint of a public key: lowercase hex MD5 of the DER bytes ListPublicKeys serves (§5.4). */
export function publicKeyFingerprint(der: Uint8Array): string {
  return createHash('md5').update(der).digest('hex');
}

export function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** `{"Records":[…]}` from records already serialised as JSON. */
export function logFileBody(records: readonly string[]): Buffer {
  return Buffer.from(`{"Records":[${records.join(',')}]}`, 'utf8');
}

/**
 * Single-member gzip. validate-logs inflates only the first member (cloudtrail.md §4), so a
 * file must never be written as several.
 */
export function gzip(body: Uint8Array): Buffer {
  return gzipSync(body);
}

/** A log file ready to put: gzipped body and the hash its digest lists. */
export function packLogFile(records: readonly string[]): { body: Buffer; gzipped: Buffer; hashValue: string } {
  const body = logFileBody(records);
  return { body, gzipped: gzip(body), hashValue: sha256Hex(body) };
}

export class GzipFormatError extends Error {}

/** CRC-32 (IEEE), for gzip trailers (zlib.crc32 only exists from Node 20.15). */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Inflates the first gzip member as validate-logs does, anything after it ignored. By default as
 * Python's `zlib.decompressobj(MAX_WBITS | 16)` reads log files: a truncated member gives what
 * could be inflated. With `whole`, as `zlib.decompress(…, MAX_WBITS | 16)` reads digests: a
 * truncated or empty file is an error too. A bad header, bad deflate data, or a CRC or length
 * mismatch in the trailer is always a format error.
 */
export function gunzipFirstMember(buf: Uint8Array, whole = false): Buffer {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const truncated = () => {
    if (whole) throw new GzipFormatError('incomplete or truncated stream');
    return Buffer.alloc(0);
  };
  if (b.length >= 1 && b[0] !== 0x1f) throw new GzipFormatError('incorrect header check');
  if (b.length >= 2 && b[1] !== 0x8b) throw new GzipFormatError('incorrect header check');
  if (b.length >= 3 && b[2] !== 8) throw new GzipFormatError('unknown compression method');
  if (b.length < 10) return truncated();
  const flags = b[3]!;
  let at = 10;
  if (flags & 4) at += 2 + (at + 1 < b.length ? b.readUInt16LE(at) : 0);
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (at < b.length && b[at] !== 0) at++;
    at++;
  }
  if (flags & 2) at += 2;
  if (at >= b.length) return truncated();
  let out: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    out = inflateRawSync(b.subarray(at), { info: true, finishFlush: zc.Z_SYNC_FLUSH }) as unknown as typeof out;
  } catch (e) {
    throw new GzipFormatError((e as Error).message);
  }
  const trailer = at + out.engine.bytesWritten;
  if (trailer + 8 > b.length) {
    if (whole) throw new GzipFormatError('incomplete or truncated stream');
    return out.buffer;
  }
  if (b.readUInt32LE(trailer) !== crc32(out.buffer)) throw new GzipFormatError('incorrect data check');
  if (b.readUInt32LE(trailer + 4) !== (out.buffer.length >>> 0)) throw new GzipFormatError('incorrect length check');
  return out.buffer;
}
