/**
 * certtrail's S3 API through the real AWS CLI v2 (/usr/bin/aws, Debian awscli 2.9.19) with
 * --endpoint-url: the high-level `aws s3` commands (mb, ls, cp both ways, rm, rb) and `aws s3api`
 * for head-object, ranges, metadata, list-objects with --marker and --encoding-type url over
 * keys that need encoding, and errors as the CLI prints them. Files stay under 8 MiB: beyond
 * that `aws s3 cp` switches to multipart uploads, which certtrail answers NotImplemented.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertCliError, awsCli, type AwsCli, type CliResult } from '../helpers/aws-cli.ts';
import { createAccount, credsOf } from '../helpers/acm.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let aws: AwsCli;

before(async () => {
  server = await startServer();
  aws = awsCli(server.url);
});
after(async () => {
  await server?.dispose();
});

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** A high-level `aws s3` failure: exit 1 and "<what> failed: … An error occurred (<Code>) …". */
function assertS3CommandError(r: CliResult, code: string, op: string, message: string): void {
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(`An error occurred (${code}) when calling the ${op} operation: ${message}`), r.stderr);
}

describe('aws s3', () => {
  const bucket = 'cli-high-level';
  let small: string;
  let big: string;
  let bigBody: Buffer;

  before(() => {
    small = join(aws.dir, 'small.txt');
    writeFileSync(small, 'hello from the CLI\n');
    big = join(aws.dir, 'big.bin');
    bigBody = Buffer.alloc(1024 * 1024 + 123);
    for (let i = 0; i < bigBody.length; i++) bigBody[i] = (i * 31) & 0xff;
    writeFileSync(big, bigBody);
  });

  test('mb, cp up (small and 1 MiB), ls, ls --recursive, cp down, rm, rb', async () => {
    const mb = await aws.run('s3', 'mb', `s3://${bucket}`);
    assert.equal(mb.code, 0, mb.stderr);
    assert.match(mb.stdout, new RegExp(`make_bucket: ${bucket}`));

    const ls = await aws.run('s3', 'ls');
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} ${bucket}$`, 'm'));

    for (const [file, key] of [[small, 'docs/small.txt'], [big, 'big.bin']]) {
      const up = await aws.run('s3', 'cp', file, `s3://${bucket}/${key}`);
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, new RegExp(`upload: .* to s3://${bucket}/${key}`));
    }

    const top = await aws.run('s3', 'ls', `s3://${bucket}`);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /^\s+PRE docs\/$/m);
    assert.match(top.stdout, new RegExp(`^\\S+ \\S+\\s+${bigBody.length} big\\.bin$`, 'm'));
    assert.doesNotMatch(top.stdout, /small\.txt/);

    const all = await aws.run('s3', 'ls', '--recursive', `s3://${bucket}`);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.trim().split(/\s+/).slice(2)), [[String(bigBody.length), 'big.bin'], ['19', 'docs/small.txt']]);

    const down = join(aws.dir, 'big.down');
    const get = await aws.run('s3', 'cp', `s3://${bucket}/big.bin`, down);
    assert.equal(get.code, 0, get.stderr);
    assert.ok(readFileSync(down).equals(bigBody), 'the 1 MiB file comes back byte for byte');
    const smallDown = join(aws.dir, 'small.down');
    assert.equal((await aws.run('s3', 'cp', `s3://${bucket}/docs/small.txt`, smallDown)).code, 0);
    assert.equal(readFileSync(smallDown, 'utf8'), 'hello from the CLI\n');

    // A bucket with objects is not removed…
    assertS3CommandError(await aws.run('s3', 'rb', `s3://${bucket}`), 'BucketNotEmpty', 'DeleteBucket', 'The bucket you tried to delete is not empty');
    const rm = await aws.run('s3', 'rm', `s3://${bucket}/big.bin`);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match(rm.stdout, new RegExp(`delete: s3://${bucket}/big.bin`));
    const rest = await aws.run('s3', 'rm', '--recursive', `s3://${bucket}`);
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stdout, new RegExp(`delete: s3://${bucket}/docs/small.txt`));
    // …an empty one is.
    const rb = await aws.run('s3', 'rb', `s3://${bucket}`);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(rb.stdout, new RegExp(`remove_bucket: ${bucket}`));
    assertCliError(await aws.run('s3', 'ls', `s3://${bucket}`), 'NoSuchBucket', 'ListObjectsV2', 'The specified bucket does not exist');
  });

  test('mb with an invalid name is InvalidBucketName; mb of a name another account holds is BucketAlreadyExists', async () => {
    assertS3CommandError(await aws.run('s3', 'mb', 's3://Not_A_Valid_Name'), 'InvalidBucketName', 'CreateBucket', 'The specified bucket is not valid.');
    assert.equal((await aws.run('s3', 'mb', 's3://cli-taken')).code, 0);
    const other = awsCli(server.url, credsOf(createAccount(server)));
    assertS3CommandError(await other.run('s3', 'mb', 's3://cli-taken'), 'BucketAlreadyExists', 'CreateBucket', 'The requested bucket name is not available.');
    assertCliError(await other.run('s3', 'ls', 's3://cli-taken'), 'AccessDenied', 'ListObjectsV2', 'Access Denied');
  });
});

describe('aws s3api', () => {
  const bucket = 'cli-api';
  // Keys that need encoding: a space, a '+', unicode, a '%'.
  const keys = ['a b.txt', 'a+b.txt', 'plain.txt', 'dir/één.txt', 'dir/\u{1F600}.txt', '100%.csv'];
  const sortedKeys = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));

  before(async () => {
    await aws.json('s3api', 'create-bucket', '--bucket', bucket);
    const body = join(aws.dir, 'body.txt');
    writeFileSync(body, '0123456789abcdefghij');
    for (const k of keys) await aws.json('s3api', 'put-object', '--bucket', bucket, '--key', k, '--body', body);
  });

  test('put-object --metadata, head-object and get-object --range', async () => {
    const file = join(aws.dir, 'meta.txt');
    writeFileSync(file, 'metadata body');
    const put = await aws.json('s3api', 'put-object', '--bucket', bucket, '--key', 'meta.txt', '--body', file,
      '--metadata', 'purpose=test,owner=certtrail', '--content-type', 'text/plain');
    assert.equal(put.ETag, `"${md5('metadata body')}"`);
    const head = await aws.json('s3api', 'head-object', '--bucket', bucket, '--key', 'meta.txt');
    assert.equal(head.ContentLength, 13);
    assert.equal(head.ETag, put.ETag);
    assert.equal(head.ContentType, 'text/plain');
    assert.equal(head.AcceptRanges, 'bytes');
    assert.deepEqual(head.Metadata, { purpose: 'test', owner: 'certtrail' });
    assert.ok(!Number.isNaN(Date.parse(head.LastModified)));

    const out = join(aws.dir, 'range.out');
    const ranged = await aws.json('s3api', 'get-object', '--bucket', bucket, '--key', 'a b.txt', '--range', 'bytes=5-9', out);
    assert.equal(ranged.ContentRange, 'bytes 5-9/20');
    assert.equal(ranged.ContentLength, 5);
    assert.equal(readFileSync(out, 'utf8'), '56789');
    const tail = await aws.json('s3api', 'get-object', '--bucket', bucket, '--key', 'a+b.txt', '--range', 'bytes=-3', out);
    assert.equal(tail.ContentRange, 'bytes 17-19/20');
    assert.equal(readFileSync(out, 'utf8'), 'hij');
    assertCliError(await aws.run('s3api', 'get-object', '--bucket', bucket, '--key', 'a+b.txt', '--range', 'bytes=50-', out),
      'InvalidRange', 'GetObject', 'The requested range is not satisfiable');
  });

  test('list-objects: keys come back decoded by the CLI, in UTF-8 order, across --marker pages', async () => {
    // The CLI asks for encoding-type=url on its own and decodes what comes back; --page-size
    // makes it follow the markers itself.
    const all = await aws.json('s3api', 'list-objects', '--bucket', bucket, '--page-size', '2');
    const listed = all.Contents.map((c: { Key: string }) => c.Key);
    assert.deepEqual(listed, [...sortedKeys, 'meta.txt'].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    const afterMarker = await aws.json('s3api', 'list-objects', '--bucket', bucket, '--marker', 'a b.txt');
    const expected = listed.slice(listed.indexOf('a b.txt') + 1);
    assert.deepEqual(afterMarker.Contents.map((c: { Key: string }) => c.Key), expected);
    assert.equal(afterMarker.Marker, 'a b.txt');
  });

  test('list-objects --encoding-type url: the CLI shows what S3 encoded (space as +, UTF-8 escapes)', async () => {
    const r = await aws.json('s3api', 'list-objects', '--bucket', bucket, '--encoding-type', 'url', '--marker', 'a b.txt', '--max-keys', '3');
    assert.equal(r.EncodingType, 'url');
    assert.deepEqual(r.Contents.map((c: { Key: string }) => c.Key), ['a%2Bb.txt', 'dir/%C3%A9%C3%A9n.txt', 'dir/%F0%9F%98%80.txt']);
    assert.equal(r.Marker, 'a+b.txt');
    assert.equal(r.IsTruncated, true);
    const delimited = await aws.json('s3api', 'list-objects', '--bucket', bucket, '--encoding-type', 'url', '--delimiter', '/');
    assert.deepEqual(delimited.CommonPrefixes, [{ Prefix: 'dir/' }]);
    assert.ok(delimited.Contents.some((c: { Key: string }) => c.Key === '100%25.csv'));
  });

  test('errors: NoSuchKey, NoSuchBucket, 404 for head-object, BucketNotEmpty, NotImplemented for multipart', async () => {
    const out = join(aws.dir, 'missing.out');
    assertCliError(await aws.run('s3api', 'get-object', '--bucket', bucket, '--key', 'missing.txt', out), 'NoSuchKey', 'GetObject', 'The specified key does not exist.');
    assertCliError(await aws.run('s3api', 'list-objects-v2', '--bucket', 'cli-no-such-bucket'), 'NoSuchBucket', 'ListObjectsV2', 'The specified bucket does not exist');
    assertCliError(await aws.run('s3api', 'head-object', '--bucket', bucket, '--key', 'missing.txt'), '404', 'HeadObject', 'Not Found');
    assertCliError(await aws.run('s3api', 'delete-bucket', '--bucket', bucket), 'BucketNotEmpty', 'DeleteBucket', 'The bucket you tried to delete is not empty');
    assertCliError(await aws.run('s3api', 'create-multipart-upload', '--bucket', bucket, '--key', 'big'), 'NotImplemented', 'CreateMultipartUpload');
    const loc = await aws.json('s3api', 'get-bucket-location', '--bucket', bucket);
    assert.equal(loc.LocationConstraint ?? null, null, 'us-east-1 is the empty constraint');
  });
});
