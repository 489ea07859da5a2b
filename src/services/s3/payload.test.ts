/**
 * aws-chunked payloads against AWS's published example ("Signature Calculations for the
 * Authorization Header: Transferring Payload in Multiple Chunks", S3 API Reference: 66560 bytes
 * of 'a' as a 64 KiB chunk, a 1 KiB chunk and the empty last one, under the documentation's
 * example key), the trailer signature of the same chain as aws-crt's signer tests compute it,
 * and the unsigned-with-trailer body the AWS SDK for JavaScript v3 sends for a stream.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSigV4, verifySigV4, type IncomingSigned, type SigV4Claim } from '../../auth/sigv4.js';
import { checksum, decodeChunked, decodePayload } from './payload.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNKS = [
  { size: 65536, signature: 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648' },
  { size: 1024, signature: '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497' },
  { size: 0, signature: 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9' },
];
const TRAILER_SIGNATURE = 'df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c';

function exampleBody(opts: { corrupt?: boolean; trailer?: string } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const c of CHUNKS) {
    const data = Buffer.alloc(c.size, 'a');
    if (opts.corrupt && c.size === 1024) data[10] = 0x62;
    parts.push(Buffer.from(`${c.size.toString(16)};chunk-signature=${c.signature}\r\n`), data);
    if (c.size > 0) parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(opts.trailer ?? '\r\n'));
  return Buffer.concat(parts);
}

function exampleRequest(body: Buffer): IncomingSigned {
  return {
    method: 'PUT',
    path: '/examplebucket/chunkObject.txt',
    query: '',
    headers: {
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': String(body.length),
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, ' +
        `Signature=${SEED}`,
    },
    body,
  };
}

const NOW = new Date(Date.UTC(2013, 4, 24, 0, 1));

test('the seed signature of the AWS example verifies with S3 canonicalisation', async () => {
  const req = exampleRequest(exampleBody());
  assert.equal(req.body.length, 66824, 'the Content-Length AWS gives');
  const claim = parseSigV4(req, NOW);
  await verifySigV4(req, claim, SECRET, { skipPayloadCheck: true });
  // Without skipPayloadCheck the declared STREAMING-… hash is not the body's hash.
  await assert.rejects(verifySigV4(req, claim, SECRET), /x-amz-content-sha256/);
  let seen: { canonicalRequest: string; stringToSign: string } | undefined;
  await assert.rejects(
    verifySigV4(req, claim, 'wrong secret', { skipPayloadCheck: true, mismatch: (d) => ((seen = d), new Error('mismatch')) }),
    /mismatch/,
  );
  assert.match(seen!.canonicalRequest, /^PUT\n\/examplebucket\/chunkObject\.txt\n\n/);
  assert.match(seen!.stringToSign, /^AWS4-HMAC-SHA256\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n/);
});

test('the AWS example body decodes to its 66560 bytes, each chunk signature verified', () => {
  const body = exampleBody();
  const req = exampleRequest(body);
  const claim = parseSigV4(req, NOW);
  const out = decodePayload(body, req.headers, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', { claim, secretAccessKey: SECRET });
  assert.equal(out.body.length, 66560);
  assert.ok(out.body.equals(Buffer.alloc(66560, 'a')));
  assert.deepEqual(out.checksums, {});
});

test('a changed chunk, a wrong key and a short body are refused', () => {
  const req = exampleRequest(exampleBody());
  const claim = parseSigV4(req, NOW);
  assert.throws(() => decodeChunked(exampleBody({ corrupt: true }), { claim, secretAccessKey: SECRET }, false), { code: 'SignatureDoesNotMatch' });
  assert.throws(() => decodeChunked(exampleBody(), { claim, secretAccessKey: 'other' }, false), { code: 'SignatureDoesNotMatch' });
  assert.throws(() => decodeChunked(exampleBody().subarray(0, 66000), { claim, secretAccessKey: SECRET }, false), { code: 'IncompleteBody' });
  const wrongLength = { ...req.headers, 'x-amz-decoded-content-length': '66561' };
  assert.throws(() => decodePayload(exampleBody(), wrongLength, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', { claim, secretAccessKey: SECRET }), { code: 'IncompleteBody' });
});

test('the trailer signature chains from the final chunk signature', () => {
  const claim: SigV4Claim = { ...parseSigV4(exampleRequest(exampleBody()), NOW) };
  const trailer = `first:1st\r\nsecond:2nd\r\nthird:3rd\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n\r\n`;
  const out = decodeChunked(exampleBody({ trailer }), { claim, secretAccessKey: SECRET }, true);
  assert.equal(out.body.length, 66560);
  assert.deepEqual([...out.trailers], [['first', '1st'], ['second', '2nd'], ['third', '3rd']]);
  const tampered = trailer.replace('2nd', '2ND');
  assert.throws(() => decodeChunked(exampleBody({ trailer: tampered }), { claim, secretAccessKey: SECRET }, true), { code: 'SignatureDoesNotMatch' });
});

test('the SDK\'s unsigned stream with a CRC32 trailer decodes and its checksum is checked', () => {
  const claim = parseSigV4(exampleRequest(exampleBody()), NOW);
  const raw = Buffer.from('5\r\nhello\r\n7\r\n stream\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n', 'latin1');
  const headers = { 'x-amz-decoded-content-length': '12', 'x-amz-trailer': 'x-amz-checksum-crc32' };
  const out = decodePayload(raw, headers, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', { claim, secretAccessKey: SECRET });
  assert.equal(out.body.toString(), 'hello stream');
  assert.deepEqual(out.checksums, { 'x-amz-checksum-crc32': 'gtnkmQ==' });
  const bad = Buffer.from(raw.toString('latin1').replace('gtnkmQ==', 'AAAAAA=='), 'latin1');
  assert.throws(() => decodePayload(bad, headers, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', { claim, secretAccessKey: SECRET }), { code: 'BadDigest' });
});

test('whole-body hashes and checksums: x-amz-content-sha256, Content-MD5, x-amz-checksum-*', () => {
  const claim = parseSigV4(exampleRequest(exampleBody()), NOW);
  const signed = { claim, secretAccessKey: SECRET };
  const body = Buffer.from('hello world');
  const sha = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9';
  assert.equal(decodePayload(body, {}, sha, signed).body, body);
  assert.throws(() => decodePayload(Buffer.from('hello world!'), {}, sha, signed), { code: 'XAmzContentSHA256Mismatch' });
  assert.throws(() => decodePayload(body, {}, 'not-a-hash', signed), { code: 'InvalidArgument' });
  assert.equal(decodePayload(body, {}, 'UNSIGNED-PAYLOAD', signed).body, body);
  assert.equal(decodePayload(body, { 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' }, sha, signed).body, body);
  assert.throws(() => decodePayload(body, { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' }, sha, signed), { code: 'BadDigest' });
  assert.throws(() => decodePayload(body, { 'content-md5': 'short' }, sha, signed), { code: 'InvalidDigest' });
  // The SDK's own header for this body (captured from PutObject).
  assert.deepEqual(decodePayload(body, { 'x-amz-checksum-crc32': 'DUoRhQ==' }, sha, signed).checksums, { 'x-amz-checksum-crc32': 'DUoRhQ==' });
  assert.throws(() => decodePayload(body, { 'x-amz-checksum-crc32': 'AAAAAA==' }, sha, signed), { code: 'BadDigest' });
  // CRC-32C check value of "123456789" (RFC 3720 appendix B.4): 0xE3069283.
  assert.equal(checksum('crc32c', Buffer.from('123456789')), Buffer.from('e3069283', 'hex').toString('base64'));
  assert.equal(checksum('sha256', body), Buffer.from(sha, 'hex').toString('base64'));
});
