/**
 * Path-style S3 addressing (`/<bucket>/<key>`) and the subresource query parameters that pick an
 * operation, as the S3 API Reference lays out each operation's request line. Operations certtrail
 * does not serve still get their name here, so they answer NotImplemented (501) rather than being
 * mistaken for a plain GetObject or ListObjects.
 */
import { InvalidURI, MethodNotAllowed } from './errors.js';

export interface S3Target {
  operation: string;
  bucket?: string;
  key?: string;
}

export type Params = Map<string, string>;

/** Query parameters decoded; `+` is a space, as S3 reads a query string. */
export function parseParams(query: string): Params {
  const params: Params = new Map();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeQuery(eq < 0 ? part : part.slice(0, eq));
    if (!params.has(name)) params.set(name, decodeQuery(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return params;
}

function decodeQuery(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw InvalidURI();
  }
}

function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw InvalidURI();
  }
}

const VERBS: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

/** Bucket subresources certtrail knows by name but does not serve: the operation's noun. */
const BUCKET_SUBRESOURCES: Record<string, string> = {
  acl: 'BucketAcl', policy: 'BucketPolicy', policyStatus: 'BucketPolicyStatus', versioning: 'BucketVersioning', tagging: 'BucketTagging',
  cors: 'BucketCors', lifecycle: 'BucketLifecycleConfiguration', website: 'BucketWebsite', logging: 'BucketLogging',
  notification: 'BucketNotificationConfiguration', encryption: 'BucketEncryption', replication: 'BucketReplication',
  requestPayment: 'BucketRequestPayment', accelerate: 'BucketAccelerateConfiguration', ownershipControls: 'BucketOwnershipControls',
  publicAccessBlock: 'PublicAccessBlock', 'object-lock': 'ObjectLockConfiguration', analytics: 'BucketAnalyticsConfiguration',
  inventory: 'BucketInventoryConfiguration', metrics: 'BucketMetricsConfiguration', 'intelligent-tiering': 'BucketIntelligentTieringConfiguration',
  metadataTable: 'BucketMetadataTableConfiguration', session: 'Session',
};

const OBJECT_SUBRESOURCES: Record<string, string> = {
  acl: 'ObjectAcl', tagging: 'ObjectTagging', retention: 'ObjectRetention', 'legal-hold': 'ObjectLegalHold', torrent: 'ObjectTorrent',
  attributes: 'ObjectAttributes',
};

export function route(method: string, path: string, params: Params, headers: Record<string, string | string[] | undefined>): S3Target {
  const m = method.toUpperCase();
  const rest = path.replace(/^\/+/, '');
  if (rest === '') {
    if (m === 'GET' || m === 'HEAD') return { operation: 'ListBuckets' };
    throw MethodNotAllowed(m, 'SERVICE');
  }
  const slash = rest.indexOf('/');
  const bucket = decodePath(slash < 0 ? rest : rest.slice(0, slash));
  const rawKey = slash < 0 ? '' : rest.slice(slash + 1);
  if (rawKey === '') return { bucket, operation: bucketOperation(m, params) };
  return { bucket, key: decodePath(rawKey), operation: objectOperation(m, params, headers) };
}

function bucketOperation(m: string, p: Params): string {
  for (const [sub, noun] of Object.entries(BUCKET_SUBRESOURCES)) {
    if (p.has(sub) && VERBS[m]) return `${VERBS[m]}${noun}`;
  }
  switch (m) {
    case 'GET':
      if (p.has('location')) return 'GetBucketLocation';
      if (p.has('uploads')) return 'ListMultipartUploads';
      if (p.has('versions')) return 'ListObjectVersions';
      if (p.get('list-type') === '2') return 'ListObjectsV2';
      return 'ListObjects';
    case 'HEAD':
      return 'HeadBucket';
    case 'PUT':
      return 'CreateBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'POST':
      if (p.has('delete')) return 'DeleteObjects';
      return 'PostObject';
    default:
      throw MethodNotAllowed(m, 'BUCKET');
  }
}

function objectOperation(m: string, p: Params, headers: Record<string, string | string[] | undefined>): string {
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (p.has('uploadId')) {
    if (m === 'PUT') return copy ? 'UploadPartCopy' : 'UploadPart';
    if (m === 'GET') return 'ListParts';
    if (m === 'POST') return 'CompleteMultipartUpload';
    if (m === 'DELETE') return 'AbortMultipartUpload';
  }
  if (m === 'POST') {
    if (p.has('uploads')) return 'CreateMultipartUpload';
    if (p.has('restore')) return 'RestoreObject';
    if (p.has('select')) return 'SelectObjectContent';
    throw MethodNotAllowed(m, 'OBJECT');
  }
  for (const [sub, noun] of Object.entries(OBJECT_SUBRESOURCES)) {
    if (p.has(sub) && VERBS[m]) return `${VERBS[m]}${noun}`;
  }
  switch (m) {
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      return copy ? 'CopyObject' : 'PutObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      throw MethodNotAllowed(m, 'OBJECT');
  }
}
