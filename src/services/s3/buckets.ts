/** CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation, ListBuckets. */
import { ObjectStoreError } from '../../objects/ports.js';
import { canonicalUserId, ownedBucket } from './access.js';
import {
  BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty, IllegalLocationConstraintException, InvalidArgument, InvalidBucketName,
  InvalidLocationConstraint, NoSuchBucket,
} from './errors.js';
import { bucketRegion, isValidBucketName } from './names.js';
import type { S3Call, S3Deps, S3Response } from './types.js';
import { XML_CONTENT_TYPE, document, el, isoTime, leaf, parseXmlBody } from './xml.js';

const empty = (status = 200, headers: Record<string, string> = {}): S3Response => ({ status, headers, body: '' });
const xml = (body: string, status = 200): S3Response => ({ status, headers: { 'Content-Type': XML_CONTENT_TYPE }, body });

export async function createBucket(call: S3Call, d: S3Deps): Promise<S3Response> {
  const name = call.bucket!;
  if (!isValidBucketName(name)) throw InvalidBucketName(name);
  let constraint: string | undefined;
  if (call.body.length > 0) {
    const config = parseXmlBody(call.body, 'CreateBucketConfiguration');
    const c = config.LocationConstraint;
    constraint = typeof c === 'string' ? c : undefined;
  }
  const placed = bucketRegion(call.region, constraint);
  if ('error' in placed) {
    throw placed.error === 'InvalidLocationConstraint' ? InvalidLocationConstraint(constraint ?? '') : IllegalLocationConstraintException(constraint);
  }
  const { created, bucket } = await d.buckets.createBucket(name, call.principal.accountId, placed.region);
  if (!created) {
    if (bucket.ownerAccountId !== call.principal.accountId) throw BucketAlreadyExists(name);
    // "For legacy compatibility, if you re-create an existing bucket that you already own in the
    // North Virginia Region, Amazon S3 returns 200 OK" (BucketAlreadyOwnedByYou, S3 API Reference).
    if (!(bucket.region === 'us-east-1' && placed.region === 'us-east-1')) throw BucketAlreadyOwnedByYou(name);
  }
  return empty(200, { Location: `/${name}` });
}

export async function deleteBucket(call: S3Call, d: S3Deps): Promise<S3Response> {
  await ownedBucket(call, d);
  try {
    await d.buckets.deleteBucket(call.bucket!);
  } catch (e) {
    if (e instanceof ObjectStoreError && e.code === 'BucketNotEmpty') throw BucketNotEmpty(call.bucket!);
    if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') throw NoSuchBucket(call.bucket!);
    throw e;
  }
  return empty(204);
}

export async function headBucket(call: S3Call, d: S3Deps): Promise<S3Response> {
  const b = await ownedBucket(call, d);
  return empty(200, { 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false' });
}

export async function getBucketLocation(call: S3Call, d: S3Deps): Promise<S3Response> {
  const b = await ownedBucket(call, d);
  // us-east-1 is the empty constraint (GetBucketLocation: "Buckets in Region us-east-1 have a
  // LocationConstraint of null").
  const value = b.region === 'us-east-1' ? '' : b.region;
  return xml(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${value}</LocationConstraint>`);
}

/** The caller's own buckets by name, with ListBuckets' optional prefix, bucket-region and paging. */
export async function listBuckets(call: S3Call, d: S3Deps): Promise<S3Response> {
  const prefix = call.params.get('prefix') ?? '';
  const region = call.params.get('bucket-region');
  const rawMax = call.params.get('max-buckets');
  let max = 10_000;
  if (rawMax !== undefined) {
    if (!/^\d+$/.test(rawMax) || +rawMax < 1 || +rawMax > 10_000) throw InvalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', rawMax);
    max = +rawMax;
  }
  const token = call.params.get('continuation-token');
  let after = '';
  if (token !== undefined && token !== '') {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!isValidBucketName(after)) throw InvalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  const all = (await d.buckets.listBuckets(call.principal.accountId)).filter(
    (b) => b.name.startsWith(prefix) && (region === undefined || b.region === region) && b.name > after,
  );
  const page = all.slice(0, max);
  const next = all.length > max ? Buffer.from(page[page.length - 1].name, 'utf8').toString('base64url') : undefined;
  return xml(
    document(
      'ListAllMyBucketsResult',
      el('Buckets', ...page.map((b) => el('Bucket', leaf('BucketRegion', b.region), leaf('CreationDate', isoTime(b.createdAt)), leaf('Name', b.name)))),
      el('Owner', leaf('ID', canonicalUserId(call.principal.accountId))),
      leaf('ContinuationToken', next),
      prefix ? leaf('Prefix', prefix) : '',
    ),
  );
}
