/**
 * The body of an S3 request as the client meant it, checked against what it declared:
 *  - `x-amz-content-sha256` a hex SHA-256: the body must hash to it (XAmzContentSHA256Mismatch);
 *  - `UNSIGNED-PAYLOAD`: taken as is;
 *  - `STREAMING-…`: an aws-chunked body ("Signature Calculations for the Authorization Header:
 *    Transferring Payload in Multiple Chunks" and "… Including Trailing Headers" in the S3 API
 *    Reference). Each chunk of a signed stream carries a signature chained from the request's
 *    (seed) signature, verified here; trailers (the SDK's `x-amz-checksum-crc32`) are read and,
 *    for the signed-trailer form, their `x-amz-trailer-signature` verified.
 * Then `Content-MD5` and any `x-amz-checksum-<algorithm>` (header or trailer) must match.
 *
 * The AWS SDK for JavaScript v3 sends a Buffer body with a hex hash and an x-amz-checksum-crc32
 * header, and a stream with STREAMING-UNSIGNED-PAYLOAD-TRAILER and a CRC32 trailer.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { SigV4Claim } from '../../auth/sigv4.js';
import {
  BadDigest, IncompleteBody, InvalidArgument, InvalidDigest, InvalidRequest, SignatureDoesNotMatch, XAmzContentSHA256Mismatch,
} from './errors.js';

const UNSIGNED = 'UNSIGNED-PAYLOAD';
const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

type Headers = Record<string, string | string[] | undefined>;

const first = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export interface SignedStream {
  claim: SigV4Claim;
  secretAccessKey: string;
}

export interface Payload {
  body: Buffer;
  /** The x-amz-checksum-<algorithm> values the client sent (header or trailer), all verified or unknown. */
  checksums: Record<string, string>;
}

/** The decoded, verified body. `declared` is the x-amz-content-sha256 the signature covered. */
export function decodePayload(raw: Buffer, headers: Headers, declared: string | undefined, signed: SignedStream): Payload {
  let body = raw;
  let trailers: Map<string, string> | undefined;
  if (declared === undefined || declared === UNSIGNED) {
    // Nothing declared (presigned URLs, or a client that signed the body's own hash) or nothing promised.
  } else if (/^[0-9a-f]{64}$/i.test(declared)) {
    const actual = createHash('sha256').update(raw).digest('hex');
    if (actual !== declared.toLowerCase()) throw XAmzContentSHA256Mismatch(declared, actual);
  } else if (declared === STREAMING_UNSIGNED_TRAILER || declared === STREAMING_SIGNED || declared === STREAMING_SIGNED_TRAILER) {
    const decoded = decodeChunked(raw, declared === STREAMING_UNSIGNED_TRAILER ? undefined : signed, declared === STREAMING_SIGNED_TRAILER);
    body = decoded.body;
    trailers = decoded.trailers;
    const expected = first(headers, 'x-amz-decoded-content-length');
    if (expected !== undefined && Number(expected) !== body.length) throw IncompleteBody();
  } else if (declared.startsWith('STREAMING-')) {
    throw InvalidArgument(`${declared} is not supported by certtrail.`, 'x-amz-content-sha256', declared);
  } else {
    throw InvalidArgument(
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      'x-amz-content-sha256', declared,
    );
  }

  const md5 = first(headers, 'content-md5');
  if (md5 !== undefined) {
    const want = Buffer.from(md5, 'base64');
    if (want.length !== 16 || want.toString('base64') !== md5.trim()) throw InvalidDigest();
    if (!createHash('md5').update(body).digest().equals(want)) throw BadDigest();
  }
  const checksums: Record<string, string> = {};
  const sent: [string, string | string[] | undefined][] = [...Object.entries(headers), ...(trailers ?? [])];
  for (const [name, value] of sent) {
    if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-type' || name === 'x-amz-checksum-mode' || value === undefined) continue;
    const v = Array.isArray(value) ? value[0] : value;
    checkChecksum(name, v, body);
    checksums[name] = v.trim();
  }
  return { body, checksums };
}

interface Decoded {
  body: Buffer;
  trailers: Map<string, string>;
}

/** aws-chunked: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n` … `0…\r\n` [trailers] `\r\n`. */
export function decodeChunked(raw: Buffer, signed: SignedStream | undefined, signedTrailer: boolean): Decoded {
  const parts: Buffer[] = [];
  let pos = 0;
  let previous = signed?.claim.signature ?? '';
  const key = signed ? signingKey(signed) : undefined;
  const scope = signed ? `${signed.claim.date}/${signed.claim.region}/${signed.claim.service}/aws4_request` : '';
  for (;;) {
    const eol = raw.indexOf('\r\n', pos, 'latin1');
    if (eol < 0 || eol - pos > 4096) throw IncompleteBody('The request body is not a valid aws-chunked stream.');
    const line = raw.toString('latin1', pos, eol);
    pos = eol + 2;
    const [sizeHex, ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeHex.trim())) throw IncompleteBody('The request body is not a valid aws-chunked stream.');
    const size = parseInt(sizeHex.trim(), 16);
    if (pos + size > raw.length) throw IncompleteBody();
    const data = raw.subarray(pos, pos + size);
    if (key) {
      const sig = extensions.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length) ?? '';
      const stringToSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signed!.claim.amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${createHash('sha256').update(data).digest('hex')}`;
      const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
      if (!sameHex(expected, sig)) throw SignatureDoesNotMatch({ AWSAccessKeyId: signed!.claim.accessKeyId, StringToSign: stringToSign, SignatureProvided: sig });
      previous = expected;
    }
    if (size === 0) break;
    parts.push(data);
    pos += size;
    if (raw.toString('latin1', pos, pos + 2) !== '\r\n') throw IncompleteBody('The request body is not a valid aws-chunked stream.');
    pos += 2;
  }

  // Trailer lines up to an empty line (or the end: some clients omit the final CRLF).
  const trailers = new Map<string, string>();
  const lines: string[] = [];
  let trailerSignature: string | undefined;
  while (pos < raw.length) {
    let eol = raw.indexOf('\r\n', pos, 'latin1');
    if (eol < 0) eol = raw.length;
    const line = raw.toString('latin1', pos, eol);
    pos = eol + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw IncompleteBody('The request body is not a valid aws-chunked stream.');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers.set(name, value);
      lines.push(`${name}:${value}\n`);
    }
  }
  if (key && signedTrailer) {
    const canonical = lines.sort().join('');
    const stringToSign = `AWS4-HMAC-SHA256-TRAILER\n${signed!.claim.amzDate}\n${scope}\n${previous}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
    const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
    if (!sameHex(expected, trailerSignature ?? '')) {
      throw SignatureDoesNotMatch({ AWSAccessKeyId: signed!.claim.accessKeyId, StringToSign: stringToSign, SignatureProvided: trailerSignature ?? '' });
    }
  }
  return { body: parts.length === 1 ? parts[0] : Buffer.concat(parts), trailers };
}

/** kSigning = HMAC chain over the scope's date, region, service and "aws4_request". */
function signingKey(s: SignedStream): Buffer {
  let key = createHmac('sha256', `AWS4${s.secretAccessKey}`).update(s.claim.date, 'utf8').digest();
  for (const part of [s.claim.region, s.claim.service, 'aws4_request']) key = createHmac('sha256', key).update(part, 'utf8').digest();
  return key;
}

function sameHex(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const CHECKSUM_NAMES: Record<string, string> = { crc32: 'CRC32', crc32c: 'CRC32C', crc64nvme: 'CRC64NVME', sha1: 'SHA1', sha256: 'SHA256' };

function checkChecksum(header: string, value: string, body: Buffer): void {
  const alg = header.slice('x-amz-checksum-'.length);
  const label = CHECKSUM_NAMES[alg];
  if (!label) throw InvalidRequest(`The algorithm type you specified in ${header} header is invalid.`);
  const computed = checksum(alg, body);
  if (computed === undefined) return; // an algorithm certtrail cannot compute (CRC64NVME) is taken on trust
  if (Buffer.from(value, 'base64').length !== Buffer.from(computed, 'base64').length) throw InvalidRequest(`Value for ${header} header is invalid.`);
  if (computed !== value.trim()) throw BadDigest(`The ${label} you specified did not match the calculated checksum.`);
}

export function checksum(alg: string, body: Buffer): string | undefined {
  const be32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b.toString('base64');
  };
  switch (alg) {
    case 'crc32': return be32(crc32(body));
    case 'crc32c': return be32(crc32c(body));
    case 'sha1': return createHash('sha1').update(body).digest('base64');
    case 'sha256': return createHash('sha256').update(body).digest('base64');
    default: return undefined;
  }
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), which node:zlib does not offer. */
function crc32c(buf: Buffer): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = crc32cTable[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
