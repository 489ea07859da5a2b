/**
 * certtrail's S3 API through @aws-sdk/client-s3 the way a user points it at certtrail
 * (forcePathStyle, endpoint override, test/test in us-east-1): every operation, metadata, ranges,
 * ListObjects v1 and V2 paging, errors as the SDK surfaces them, another account's buckets, bad
 * signatures, and raw HTTP for what the SDK would not send.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketLocationCommand,
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createAccount, credsOf, expectError, type AccountKey } from '../helpers/acm.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { rawS3, s3Client, xmlText } from '../helpers/s3.ts';

const CAP = 3 * 1024 * 1024;
let server: RunningServer;
let s3: S3Client;
let other: AccountKey;
let otherS3: S3Client;

before(async () => {
  server = await startServer({ CERTTRAIL_S3_MAX_OBJECT_BYTES: String(CAP) });
  s3 = s3Client(server.url);
  other = createAccount(server);
  otherS3 = s3Client(server.url, credsOf(other));
});
after(async () => {
  s3?.destroy();
  otherS3?.destroy();
  await server?.dispose();
});

async function expectStatus(call: Promise<unknown>, status: number): Promise<void> {
  const err = await call.then(() => undefined, (e: { $metadata?: { httpStatusCode?: number } }) => e);
  assert.ok(err, `expected HTTP ${status}, but the call succeeded`);
  assert.equal(err.$metadata?.httpStatusCode, status);
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const text = async (r: { Body?: { transformToString(): Promise<string> } }) => r.Body!.transformToString();
let n = 0;
const bucketName = (tag: string) => `sdk-${tag}-${n++}`;

async function bucketWith(keys: string[], tag = 'list'): Promise<string> {
  const b = bucketName(tag);
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: Buffer.from(k) }));
  return b;
}

describe('buckets', () => {
  test('CreateBucket, HeadBucket, GetBucketLocation, ListBuckets, DeleteBucket', async () => {
    const b = bucketName('life');
    const created = await s3.send(new CreateBucketCommand({ Bucket: b }));
    assert.equal(created.Location, `/${b}`);
    assert.equal(created.$metadata.httpStatusCode, 200);
    assert.match(created.$metadata.requestId!, /^[0-9A-F]{16}$/);
    assert.ok(created.$metadata.extendedRequestId);
    const head = await s3.send(new HeadBucketCommand({ Bucket: b }));
    assert.equal(head.BucketRegion, 'us-east-1');
    // us-east-1 is the empty LocationConstraint.
    assert.ok(!(await s3.send(new GetBucketLocationCommand({ Bucket: b }))).LocationConstraint);
    const list = await s3.send(new ListBucketsCommand({}));
    const mine = list.Buckets!.find((x) => x.Name === b);
    assert.ok(mine);
    assert.equal(mine.BucketRegion, 'us-east-1');
    assert.ok(Math.abs(mine.CreationDate!.getTime() - Date.now()) < 60_000);
    assert.match(list.Owner!.ID!, /^[0-9a-f]{64}$/);
    const names = list.Buckets!.map((x) => x.Name!);
    assert.deepEqual(names, [...names].sort());
    // Re-creating your own us-east-1 bucket is 200 there (S3's legacy behaviour).
    assert.equal((await s3.send(new CreateBucketCommand({ Bucket: b }))).$metadata.httpStatusCode, 200);
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    await expectError(s3.send(new HeadBucketCommand({ Bucket: b })), 'NotFound', 404);
    await expectError(s3.send(new DeleteBucketCommand({ Bucket: b })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
  });

  test('regions: LocationConstraint from us-east-1 and from the region itself; S3\'s constraint errors', async () => {
    const eu = bucketName('eu');
    await s3.send(new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: eu }))).LocationConstraint, 'eu-west-1');
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket: eu }))).BucketRegion, 'eu-west-1');
    // Not in us-east-1, a second create by the owner is BucketAlreadyOwnedByYou.
    await expectError(
      s3.send(new CreateBucketCommand({ Bucket: eu, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.',
    );
    const frankfurt = s3Client(server.url, undefined, 'eu-central-1');
    try {
      const b = bucketName('fra');
      await frankfurt.send(new CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
      assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: b }))).LocationConstraint, 'eu-central-1');
      // The SDK adds its region as the constraint when none is given; raw HTTP sends none.
      const unspecified = await rawS3(server.url, { method: 'PUT', path: `/${bucketName('x')}`, sign: { region: 'eu-central-1' } });
      assert.equal(unspecified.status, 400);
      assert.equal(xmlText(unspecified.text, 'Code'), 'IllegalLocationConstraintException');
      assert.equal(xmlText(unspecified.text, 'Message'), 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
      await expectError(
        frankfurt.send(new CreateBucketCommand({ Bucket: bucketName('x'), CreateBucketConfiguration: { LocationConstraint: 'eu-west-2' } })),
        'IllegalLocationConstraintException', 400, /^The eu-west-2 location constraint is incompatible/,
      );
    } finally {
      frankfurt.destroy();
    }
    await expectError(
      s3.send(new CreateBucketCommand({ Bucket: bucketName('x'), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })),
      'InvalidLocationConstraint', 400, 'The specified location-constraint is not valid',
    );
    await expectError(
      s3.send(new CreateBucketCommand({ Bucket: bucketName('x'), CreateBucketConfiguration: { LocationConstraint: 'moon-base-1x' as never } })),
      'InvalidLocationConstraint', 400,
    );
  });

  test('names: invalid names are InvalidBucketName; a taken name is BucketAlreadyExists for another account', async () => {
    for (const bad of ['ab', 'Upper', 'under_score', '-dash', 'dots..dots', '192.168.0.1', 'xn--punycode', 'a'.repeat(64)]) {
      await expectError(s3.send(new CreateBucketCommand({ Bucket: bad })), 'InvalidBucketName', 400, 'The specified bucket is not valid.');
    }
    const b = bucketName('taken');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await expectError(otherS3.send(new CreateBucketCommand({ Bucket: b })), 'BucketAlreadyExists', 409, /^The requested bucket name is not available/);
  });

  test('DeleteBucket of a bucket with objects is BucketNotEmpty', async () => {
    const b = await bucketWith(['one']);
    await expectError(s3.send(new DeleteBucketCommand({ Bucket: b })), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'one' }));
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
  });

  test('ListBuckets: prefix and max-buckets paging', async () => {
    const prefix = `page-${process.pid}-`;
    const names = ['c', 'a', 'b'].map((x) => `${prefix}${x}`);
    for (const x of names) await s3.send(new CreateBucketCommand({ Bucket: x }));
    const p1 = await s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2 }));
    assert.deepEqual(p1.Buckets!.map((x) => x.Name), [`${prefix}a`, `${prefix}b`]);
    assert.ok(p1.ContinuationToken);
    const p2 = await s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ContinuationToken: p1.ContinuationToken }));
    assert.deepEqual(p2.Buckets!.map((x) => x.Name), [`${prefix}c`]);
    assert.equal(p2.ContinuationToken, undefined);
  });
});

describe('objects', () => {
  let b: string;
  before(async () => {
    b = bucketName('obj');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
  });

  test('PutObject/GetObject/HeadObject: body, ETag, metadata and the stored headers round-trip', async () => {
    const body = Buffer.from('{"Records":[{"eventName":"RequestCertificate"}]}');
    const put = await s3.send(new PutObjectCommand({
      Bucket: b, Key: 'AWSLogs/logs.json', Body: body, ContentType: 'application/json', ContentEncoding: 'identity',
      CacheControl: 'no-store', ContentDisposition: 'attachment; filename="logs.json"', Metadata: { signature: 'abc', 'Mixed-Case': 'Value Here' },
    }));
    assert.equal(put.ETag, `"${md5(body)}"`);
    assert.ok(put.ChecksumCRC32, 'the SDK\'s CRC32 is echoed');
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'AWSLogs/logs.json' }));
    assert.equal(await text(got), body.toString());
    assert.equal(got.ETag, `"${md5(body)}"`);
    assert.equal(got.ContentType, 'application/json');
    assert.equal(got.ContentEncoding, 'identity');
    assert.equal(got.CacheControl, 'no-store');
    assert.equal(got.ContentDisposition, 'attachment; filename="logs.json"');
    assert.equal(got.ContentLength, body.length);
    assert.equal(got.AcceptRanges, 'bytes');
    // Metadata names travel as (lowercased) header names; values as they were.
    assert.deepEqual(got.Metadata, { signature: 'abc', 'mixed-case': 'Value Here' });
    assert.equal(got.LastModified!.getTime() % 1000, 0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'AWSLogs/logs.json' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, got.ETag);
    assert.deepEqual(head.Metadata, got.Metadata);
    assert.equal(head.LastModified!.getTime(), got.LastModified!.getTime());
    // response-* parameters override what GetObject answers with.
    const overridden = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'AWSLogs/logs.json', ResponseContentType: 'text/plain' }));
    assert.equal(overridden.ContentType, 'text/plain');
  });

  test('a stream body (aws-chunked with a CRC32 trailer) and an empty body are stored exactly', async () => {
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(10, 2), Buffer.from('end')];
    const whole = Buffer.concat(chunks);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'streamed', Body: Readable.from(chunks), ContentLength: whole.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'streamed' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), whole);
    assert.equal(got.ContentEncoding, undefined, 'aws-chunked is not stored as the object\'s encoding');
    assert.equal(got.ETag, `"${md5(whole)}"`);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'empty', Body: Buffer.alloc(0) }));
    const empty = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'empty' }));
    assert.equal(await text(empty), '');
    assert.equal(empty.ContentLength, 0);
  });

  test('a 1 MiB object round-trips; a body over the cap is EntityTooLarge', async () => {
    const big = Buffer.alloc(1024 * 1024, 0);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32BE(i, i);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'big', Body: big }));
    const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'big' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), big);
    await expectError(s3.send(new PutObjectCommand({ Bucket: b, Key: 'too-big', Body: Buffer.alloc(CAP + 1) })), 'EntityTooLarge', 400,
      'Your proposed upload exceeds the maximum allowed size');
    await expectError(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'too-big' })), 'NotFound', 404);
  });

  test('ranges: bytes=0-9, bytes=-5, bytes=10-; past the end is 416 InvalidRange', async () => {
    const body = Buffer.from('0123456789abcdefghij');
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'ranged', Body: body }));
    const first = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=0-9' }));
    assert.equal(first.$metadata.httpStatusCode, 206);
    assert.equal(await text(first), '0123456789');
    assert.equal(first.ContentRange, 'bytes 0-9/20');
    assert.equal(first.ContentLength, 10);
    const suffix = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=-5' }));
    assert.equal(await text(suffix), 'fghij');
    assert.equal(suffix.ContentRange, 'bytes 15-19/20');
    const open = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=10-' }));
    assert.equal(await text(open), 'abcdefghij');
    const clipped = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=15-99' }));
    assert.equal(clipped.ContentRange, 'bytes 15-19/20');
    const err = await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=20-' })), 'InvalidRange', 416,
      'The requested range is not satisfiable');
    assert.ok(err);
    const headRange = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'ranged', Range: 'bytes=0-3' }));
    assert.equal(headRange.ContentLength, 4);
    assert.equal(headRange.ContentRange, 'bytes 0-3/20');
  });

  test('preconditions: If-None-Match is 304, a failed If-Match is 412; PutObject If-None-Match: * writes once', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'cond', Body: 'v1' }));
    // A 304 has no body, so the SDK can only name it by status (as against S3 itself).
    await expectStatus(s3.send(new GetObjectCommand({ Bucket: b, Key: 'cond', IfNoneMatch: put.ETag })), 304);
    await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'cond', IfMatch: '"00000000000000000000000000000000"' })), 'PreconditionFailed', 412);
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: b, Key: 'cond', IfMatch: put.ETag }))), 'v1');
    await expectError(s3.send(new PutObjectCommand({ Bucket: b, Key: 'cond', Body: 'v2', IfNoneMatch: '*' })), 'PreconditionFailed', 412);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'cond-new', Body: 'v1', IfNoneMatch: '*' }));
  });

  test('missing things: NoSuchKey (404, XML) for GetObject, NotFound for HeadObject, NoSuchBucket; DeleteObject of nothing is 204', async () => {
    await expectError(s3.send(new GetObjectCommand({ Bucket: b, Key: 'nope/none' })), 'NoSuchKey', 404, 'The specified key does not exist.');
    await expectError(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'nope/none' })), 'NotFound', 404);
    await expectError(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
    await expectError(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })), 'NoSuchBucket', 404);
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'nope/none' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await expectError(s3.send(new PutObjectCommand({ Bucket: b, Key: 'k'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 400);
  });

  test('DeleteObject and DeleteObjects remove objects', async () => {
    for (const k of ['d1', 'd2', 'd3']) await s3.send(new PutObjectCommand({ Bucket: b, Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'd1' }));
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'd2' }, { Key: 'd3' }, { Key: 'never-was' }] } }));
    assert.deepEqual(r.Deleted!.map((x) => x.Key).sort(), ['d2', 'd3', 'never-was']);
    assert.equal(r.Errors, undefined);
    for (const k of ['d1', 'd2', 'd3']) await expectError(s3.send(new HeadObjectCommand({ Bucket: b, Key: k })), 'NotFound', 404);
  });

  test('a presigned GET URL works without an Authorization header, and stops working when tampered with', async () => {
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'shared file.txt', Body: 'shared' }));
    const u = new URL(server.url);
    const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    // As @aws-sdk/s3-request-presigner does: S3 presigned URLs sign UNSIGNED-PAYLOAD.
    const req = new HttpRequest({
      method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: `/${b}/shared%20file.txt`,
      headers: { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const signed = await signer.presign(req, { expiresIn: 300 });
    const qs = Object.entries(signed.query!).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v as string)}`).join('&');
    const ok = await fetch(`${server.url}/${b}/shared%20file.txt?${qs}`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'shared');
    const tampered = await fetch(`${server.url}/${b}/shared%20file.txt?${qs.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=600')}`);
    assert.equal(tampered.status, 403);
    assert.equal(xmlText(await tampered.text(), 'Code'), 'SignatureDoesNotMatch');
  });
});

describe('listing', () => {
  // Keys in UTF-8 byte order: 'Z' < 'a' < '~' < 'é' (C3 A9) < U+FFFD (EF BF BD) < U+1F600 (F0 …).
  const keys = ['Z', 'a b', 'a+b', 'a/1', 'a/2', 'a/sub/x', 'b/1', 'b/2', 'c', '~', 'é', '\uFFFD', '\u{1F600}'];
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  let b: string;
  before(async () => {
    b = await bucketWith([...keys].reverse());
  });

  test('ListObjects v1 pages over the whole bucket with Marker in UTF-8 byte order', async () => {
    assert.deepEqual(sorted, ['Z', 'a b', 'a+b', 'a/1', 'a/2', 'a/sub/x', 'b/1', 'b/2', 'c', '~', 'é', '\uFFFD', '\u{1F600}']);
    const seen: string[] = [];
    let marker: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const r = await s3.send(new ListObjectsCommand({ Bucket: b, Marker: marker, MaxKeys: 4 }));
      assert.equal(r.MaxKeys, 4);
      assert.equal(r.NextMarker, undefined, 'NextMarker only comes with a delimiter');
      const page = r.Contents!.map((c) => c.Key!);
      seen.push(...page);
      for (const c of r.Contents!) {
        assert.equal(c.ETag, `"${md5(c.Key!)}"`);
        assert.equal(c.Size, Buffer.byteLength(c.Key!));
        assert.equal(c.StorageClass, 'STANDARD');
        assert.match(c.Owner!.ID!, /^[0-9a-f]{64}$/);
      }
      if (!r.IsTruncated) break;
      marker = page[page.length - 1];
    }
    assert.deepEqual(seen, sorted);
  });

  test('ListObjects v1 with encoding-type=url: Key, Prefix, Marker and NextMarker come URL-encoded', async () => {
    const r = await s3.send(new ListObjectsCommand({ Bucket: b, EncodingType: 'url', Marker: 'a b', Delimiter: '/', MaxKeys: 2 }));
    assert.equal(r.EncodingType, 'url');
    assert.equal(r.Marker, 'a+b');
    assert.deepEqual(r.Contents!.map((c) => c.Key), ['a%2Bb']);
    assert.deepEqual(r.CommonPrefixes!.map((p) => p.Prefix), ['a/']);
    assert.equal(r.NextMarker, 'a/');
    assert.equal(r.IsTruncated, true);
    const all = await s3.send(new ListObjectsCommand({ Bucket: b, EncodingType: 'url' }));
    const decoded = all.Contents!.map((c) => decodeURIComponent(c.Key!.replace(/\+/g, ' ')));
    assert.deepEqual(decoded, sorted);
    assert.ok(all.Contents!.some((c) => c.Key === '%C3%A9'));
    assert.ok(all.Contents!.some((c) => c.Key === '%F0%9F%98%80'));
  });

  test('delimiter and prefix: CommonPrefixes count as entries and a next page does not repeat them', async () => {
    const top = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/' }));
    assert.deepEqual(top.Contents!.map((c) => c.Key), ['Z', 'a b', 'a+b', 'c', '~', 'é', '\uFFFD', '\u{1F600}']);
    assert.deepEqual(top.CommonPrefixes!.map((p) => p.Prefix), ['a/', 'b/']);
    const under = await s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(under.Contents!.map((c) => c.Key), ['a/1', 'a/2']);
    assert.deepEqual(under.CommonPrefixes!.map((p) => p.Prefix), ['a/sub/']);
    assert.equal(under.KeyCount, 3);
    // Page by page with a delimiter, one entry at a time, V1 NextMarker and V2 tokens alike.
    const v1: string[] = [];
    for (let marker: string | undefined, i = 0; i < 20; i++) {
      const r = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 1, Marker: marker }));
      v1.push(...(r.Contents ?? []).map((c) => c.Key!), ...(r.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!r.IsTruncated) break;
      marker = r.NextMarker;
    }
    assert.deepEqual(v1, ['Z', 'a b', 'a+b', 'a/', 'b/', 'c', '~', 'é', '\uFFFD', '\u{1F600}']);
    const v2: string[] = [];
    for (let token: string | undefined, i = 0; i < 20; i++) {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      assert.equal(r.KeyCount, 1);
      v2.push(...(r.Contents ?? []).map((c) => c.Key!), ...(r.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!r.IsTruncated) break;
      token = r.NextContinuationToken;
    }
    assert.deepEqual(v2, v1);
  });

  test('ListObjectsV2: MaxKeys, ContinuationToken, StartAfter, KeyCount, FetchOwner', async () => {
    const p1 = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 5 }));
    assert.equal(p1.KeyCount, 5);
    assert.equal(p1.IsTruncated, true);
    assert.equal(p1.Contents![0].Owner, undefined, 'no owner unless FetchOwner');
    const p2 = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 100, ContinuationToken: p1.NextContinuationToken, StartAfter: 'zzz' }));
    assert.equal(p2.ContinuationToken, p1.NextContinuationToken);
    assert.equal(p2.IsTruncated, false);
    assert.equal(p2.NextContinuationToken, undefined);
    assert.deepEqual([...p1.Contents!, ...p2.Contents!].map((c) => c.Key), sorted, 'the token wins over StartAfter');
    const after = await s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: 'b/2', FetchOwner: true }));
    assert.equal(after.StartAfter, 'b/2');
    assert.deepEqual(after.Contents!.map((c) => c.Key), sorted.slice(sorted.indexOf('b/2') + 1));
    assert.match(after.Contents![0].Owner!.ID!, /^[0-9a-f]{64}$/);
    const enc = await s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'a', StartAfter: 'a b', EncodingType: 'url', MaxKeys: 1 }));
    assert.equal(enc.StartAfter, 'a+b');
    assert.deepEqual(enc.Contents!.map((c) => c.Key), ['a%2Bb']);
    const none = await s3.send(new ListObjectsV2Command({ Bucket: b, MaxKeys: 0 }));
    assert.equal(none.KeyCount, 0);
    assert.equal(none.Contents, undefined);
    await expectError(s3.send(new ListObjectsV2Command({ Bucket: b, ContinuationToken: 'bm90IGEgdG9rZW4=' })), 'InvalidArgument', 400,
      'The continuation token provided is incorrect');
    await expectError(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket-here' })), 'NoSuchBucket', 404);
  });

  test('bad listing arguments: max-keys and encoding-type are InvalidArgument', async () => {
    let r = await rawS3(server.url, { path: `/${b}?max-keys=ten` });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.text, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(r.text, 'ArgumentName'), 'max-keys');
    r = await rawS3(server.url, { path: `/${b}?encoding-type=base64` });
    assert.equal(xmlText(r.text, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(r.text, 'Message'), 'Invalid Encoding Method specified in Request');
  });
});

describe('accounts and authentication', () => {
  test('another account: AccessDenied (403) on the bucket and its objects; ListBuckets shows only its own', async () => {
    const b = await bucketWith(['secret.json'], 'private');
    const denied = (p: Promise<unknown>) => expectError(p, 'AccessDenied', 403, 'Access Denied');
    await denied(otherS3.send(new GetObjectCommand({ Bucket: b, Key: 'secret.json' })));
    await denied(otherS3.send(new PutObjectCommand({ Bucket: b, Key: 'planted', Body: 'x' })));
    await denied(otherS3.send(new DeleteObjectCommand({ Bucket: b, Key: 'secret.json' })));
    await denied(otherS3.send(new ListObjectsCommand({ Bucket: b })));
    await denied(otherS3.send(new ListObjectsV2Command({ Bucket: b })));
    await denied(otherS3.send(new GetBucketLocationCommand({ Bucket: b })));
    await denied(otherS3.send(new DeleteBucketCommand({ Bucket: b })));
    // HEAD answers carry no body: the SDK sees only the status.
    await expectStatus(otherS3.send(new HeadBucketCommand({ Bucket: b })), 403);
    await expectStatus(otherS3.send(new HeadObjectCommand({ Bucket: b, Key: 'secret.json' })), 403);
    const own = bucketName('theirs');
    await otherS3.send(new CreateBucketCommand({ Bucket: own }));
    const theirs = (await otherS3.send(new ListBucketsCommand({}))).Buckets!.map((x) => x.Name);
    assert.deepEqual(theirs, [own]);
    assert.ok(!(await s3.send(new ListBucketsCommand({}))).Buckets!.some((x) => x.Name === own));
    assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket: b, Key: 'secret.json' }))), 'secret.json');
  });

  test('a wrong secret is SignatureDoesNotMatch (403), an unknown key InvalidAccessKeyId (403), no signature AccessDenied', async () => {
    const wrong = s3Client(server.url, { accessKeyId: 'test', secretAccessKey: 'not-test' });
    const unknown = s3Client(server.url, { accessKeyId: 'AKIADOESNOTEXIST0000', secretAccessKey: 'x' });
    try {
      await expectError(wrong.send(new ListBucketsCommand({})), 'SignatureDoesNotMatch', 403,
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      await expectError(wrong.send(new PutObjectCommand({ Bucket: 'any-bucket', Key: 'k', Body: 'x' })), 'SignatureDoesNotMatch', 403);
      await expectError(unknown.send(new ListBucketsCommand({})), 'InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
    } finally {
      wrong.destroy();
      unknown.destroy();
    }
    const r = await rawS3(server.url, { path: '/', sign: false });
    assert.equal(r.status, 403);
    assert.equal(xmlText(r.text, 'Code'), 'AccessDenied');
    const mismatch = await rawS3(server.url, { path: '/', sign: { credentials: { accessKeyId: 'test', secretAccessKey: 'nope' } } });
    assert.equal(xmlText(mismatch.text, 'AWSAccessKeyId'), 'test');
    assert.match(xmlText(mismatch.text, 'CanonicalRequest') ?? '', /^GET\n\/\n/);
    assert.match(xmlText(mismatch.text, 'StringToSign') ?? '', /^AWS4-HMAC-SHA256\n/);
    const wrongService = await rawS3(server.url, { path: '/', sign: { service: 'acm' } });
    assert.equal(wrongService.status, 400);
    assert.equal(xmlText(wrongService.text, 'Code'), 'AuthorizationHeaderMalformed');
  });

  test('a body that does not match its signed x-amz-content-sha256 is XAmzContentSHA256Mismatch', async () => {
    const b = await bucketWith([], 'hash');
    const hash = createHash('sha256').update('the body that was signed').digest('hex');
    const r = await rawS3(server.url, { method: 'PUT', path: `/${b}/k`, body: 'a different body', sign: { payloadHash: hash } });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.text, 'Code'), 'XAmzContentSHA256Mismatch');
    assert.equal(xmlText(r.text, 'ClientComputedContentSHA256'), hash);
    await expectError(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })), 'NotFound', 404);
    const unsigned = await rawS3(server.url, { method: 'PUT', path: `/${b}/k`, body: 'unsigned body', sign: { payloadHash: 'UNSIGNED-PAYLOAD' } });
    assert.equal(unsigned.status, 200);
    assert.equal(unsigned.headers.get('etag'), `"${md5('unsigned body')}"`);
  });
});

describe('the wire', () => {
  test('errors are S3 XML with Code, Message, the resource, RequestId and HostId; headers x-amz-request-id and x-amz-id-2', async () => {
    const r = await rawS3(server.url, { path: '/no-such-bucket-here/some/key' });
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('content-type'), 'application/xml');
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code>/);
    assert.equal(xmlText(r.text, 'Message'), 'The specified bucket does not exist');
    assert.equal(xmlText(r.text, 'BucketName'), 'no-such-bucket-here');
    assert.equal(xmlText(r.text, 'RequestId'), r.headers.get('x-amz-request-id'));
    assert.equal(xmlText(r.text, 'HostId'), r.headers.get('x-amz-id-2'));
    assert.match(r.headers.get('x-amz-request-id')!, /^[0-9A-F]{16}$/);
    const b = await bucketWith(['k'], 'wire');
    const missing = await rawS3(server.url, { path: `/${b}/a%20missing%2Bkey` });
    assert.equal(xmlText(missing.text, 'Code'), 'NoSuchKey');
    assert.equal(xmlText(missing.text, 'Key'), 'a missing+key');
    const head = await rawS3(server.url, { method: 'HEAD', path: `/${b}/nothing` });
    assert.equal(head.status, 404);
    assert.equal(head.text, '', 'HEAD answers have no body');
    const ok = await rawS3(server.url, { method: 'HEAD', path: `/${b}/k` });
    assert.equal(ok.headers.get('content-length'), '1');
    assert.equal(ok.headers.get('last-modified'), new Date(ok.headers.get('last-modified')!).toUTCString());
  });

  test('multipart uploads and other operations certtrail does not serve are NotImplemented (501)', async () => {
    const b = await bucketWith([], 'mpu');
    await expectError(s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'big' })), 'NotImplemented', 501, 'CreateMultipartUpload is not implemented by certtrail.');
    const acl = await rawS3(server.url, { path: `/${b}?acl` });
    assert.equal(acl.status, 501);
    assert.equal(xmlText(acl.text, 'Code'), 'NotImplemented');
    const patch = await rawS3(server.url, { method: 'PATCH', path: `/${b}/k` });
    assert.equal(patch.status, 405);
    assert.equal(xmlText(patch.text, 'Code'), 'MethodNotAllowed');
  });

  test('the JSON services keep their routing: POST / without X-Amz-Target is still their UnknownOperation', async () => {
    const r = await rawS3(server.url, { method: 'POST', path: '/', body: '{}', headers: { 'content-type': 'application/x-amz-json-1.1' }, sign: { service: 'acm' } });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.text).__type, 'UnknownOperationException');
  });
});

describe('CloudTrail', () => {
  test('bucket-level management calls are events of s3.amazonaws.com; object calls are not', async () => {
    const ct = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const b = bucketName('audited');
      const created = await s3.send(new CreateBucketCommand({ Bucket: b }));
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }));
      await expectError(otherS3.send(new CreateBucketCommand({ Bucket: b })), 'BucketAlreadyExists', 409);
      const events = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: `arn:aws:s3:::${b}` }] }))).Events!;
      const mine = events.map((e) => JSON.parse(e.CloudTrailEvent!));
      const create = mine.find((e) => e.eventName === 'CreateBucket' && !e.errorCode);
      assert.ok(create, JSON.stringify(mine));
      assert.equal(create.eventSource, 's3.amazonaws.com');
      assert.equal(create.requestID, created.$metadata.requestId);
      assert.equal(create.requestParameters.bucketName, b);
      assert.equal(create.readOnly, false);
      assert.equal(create.awsRegion, 'us-east-1');
      assert.equal(events.find((e) => JSON.parse(e.CloudTrailEvent!).eventID === create.eventID)?.Resources?.[0]?.ResourceType, 'AWS::S3::Bucket');
      assert.ok(!mine.some((e) => e.eventName === 'PutObject'), 'data events are not recorded');
      const theirs = (await new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: credsOf(other), maxAttempts: 1 })
        .send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateBucket' }] }))).Events!
        .map((e) => JSON.parse(e.CloudTrailEvent!));
      const refused = theirs.find((e) => e.requestParameters?.bucketName === b);
      assert.equal(refused?.errorCode, 'BucketAlreadyExists');
    } finally {
      ct.destroy();
    }
  });
});
