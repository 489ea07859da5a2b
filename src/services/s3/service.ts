/**
 * certtrail's S3 API: path-style REST-XML on the same endpoint as the JSON services. The flow of
 * one call: authenticate (SigV4, service s3, payload decoded and checked), route by method, path
 * and subresource, check the bucket's owner, run the operation, record the CloudTrail event of a
 * bucket-level management call, answer (XML errors with x-amz-request-id and x-amz-id-2).
 *
 * Object-level calls (GetObject, PutObject, …) are data events, which CloudTrail records only
 * for trails that select them; certtrail does not record them yet.
 */
import { toEventRecord } from '../../audit/event.js';
import type { EventProfile } from '../../audit/masks.js';
import type { EventWriter } from '../../audit/writer.js';
import type { CredentialCache } from '../../auth/credentials.js';
import type { Principal } from '../../auth/principal.js';
import { isServiceError, type ServiceError } from '../../kernel/errors.js';
import { truncateUtf8 } from '../../kernel/text.js';
import type { CallSummary, RawRequest } from '../../pipeline/handle.js';
import type { Authorizer } from '../../auth/authorizer.js';
import { accessDeniedMessage } from '../../auth/policy/denied.js';
import { authenticate } from './auth.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import { AccessDenied, EntityTooLarge, InternalError, NotImplemented } from './errors.js';
import { listObjects, listObjectsV2 } from './listing.js';
import { deleteObject, deleteObjects, getObject, headObject, putObject } from './objects.js';
import { parseParams, route, type Params, type S3Target } from './router.js';
import type { S3Call, S3Deps, S3Handler, S3Response } from './types.js';
import { XML_CONTENT_TYPE, errorDocument } from './xml.js';

export type S3Operation =
  | 'ListBuckets' | 'CreateBucket' | 'DeleteBucket' | 'HeadBucket' | 'GetBucketLocation'
  | 'ListObjects' | 'ListObjectsV2'
  | 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'DeleteObjects';

export const operations: Record<S3Operation, S3Handler> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
};

/**
 * Operations clients commonly send that certtrail does not serve: NotImplemented (501). `aws s3
 * cp` switches to multipart uploads at 8 MiB. The router names further subresource operations
 * (GetBucketAcl, PutObjectTagging, …); those answer NotImplemented too.
 */
export const notImplemented = [
  'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
  'ListMultipartUploads', 'CopyObject', 'ListObjectVersions', 'PostObject', 'RestoreObject', 'SelectObjectContent',
] as const;

/** Bucket-level management calls: CloudTrail management events of eventSource s3.amazonaws.com. */
const MANAGEMENT: ReadonlySet<string> = new Set<S3Operation>(['CreateBucket', 'DeleteBucket', 'ListBuckets', 'GetBucketLocation', 'HeadBucket']);
const READ_ONLY: ReadonlySet<string> = new Set<S3Operation>(['ListBuckets', 'GetBucketLocation', 'HeadBucket']);

export interface S3ServiceDeps extends S3Deps {
  credentials: CredentialCache;
  /** Decides each call of a principal other than root by its IAM policies. */
  authorizer?: Authorizer;
  events: EventWriter;
  eventProfile: EventProfile;
}

const header = (h: RawRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export function createS3Handler(d: S3ServiceDeps) {
  const ids = () => ({ requestId: d.ids.bytes(8).toString('hex').toUpperCase(), hostId: d.ids.bytes(48).toString('base64') });

  /** The 400 for a body over the cap, before it was read (the edge calls this). */
  function tooLarge(method: string, proposed: number, max: number): S3Answer {
    const { requestId, hostId } = ids();
    return errorResponse(EntityTooLarge(proposed, max), method, requestId, hostId, { requestId, service: 's3', operation: 'Unknown' });
  }

  async function handle(req: RawRequest): Promise<S3Answer> {
    const { requestId, hostId } = ids();
    const now = d.clock.now();
    let principal: Principal | undefined;
    let region = '';
    let operation = '';
    let bucket: string | undefined;
    // The router's names are its own fixed set (see CallSummary); a request it could not route is "Unknown".
    const summary = (): CallSummary => ({ requestId, service: 's3', operation: operation || 'Unknown' });

    const record = async (error?: ServiceError) => {
      if (!principal || !MANAGEMENT.has(operation)) return;
      const host = header(req.headers, 'host');
      await d.events.append(
        toEventRecord(
          {
            requestId,
            eventId: d.ids.uuid(),
            eventTime: d.clock.now(),
            eventSource: 's3.amazonaws.com',
            eventName: operation,
            region,
            sourceIp: req.sourceIp,
            userAgent: truncateUtf8(header(req.headers, 'user-agent') ?? '', 1024),
            principal,
            readOnly: READ_ONLY.has(operation),
            input: {
              ...(bucket !== undefined ? { bucketName: bucket } : {}),
              ...(host !== undefined ? { Host: host } : {}),
              ...(operation === 'GetBucketLocation' ? { location: '' } : {}),
            },
            ...(bucket !== undefined ? { resource: { type: 'AWS::S3::Bucket', name: `arn:aws:s3:::${bucket}` } } : {}),
            ...(error ? { error } : {}),
          },
          d.eventProfile,
        ),
      );
    };

    try {
      // Routed before authenticating, so a failed call of a known operation is recorded as that
      // operation; a routing error is still only answered once the caller is authenticated.
      let routed: { params: Params; target: S3Target } | undefined;
      let routeError: unknown;
      try {
        const params = parseParams(req.query);
        routed = { params, target: route(req.method, req.path, params, req.headers) };
        operation = routed.target.operation;
        bucket = routed.target.bucket;
      } catch (e) {
        routeError = e;
      }
      const auth = await authenticate(req, now, d.credentials, (p, r) => {
        principal = p;
        region = r;
      });
      if (!routed) throw routeError;
      const { params, target } = routed;
      const handler: S3Handler | undefined = Object.hasOwn(operations, operation) ? operations[operation as S3Operation] : undefined;
      if (!handler) throw NotImplemented(operation);
      const call: S3Call = {
        requestId, hostId, now, principal: auth.principal, region, operation, method: req.method.toUpperCase(),
        bucket: target.bucket, key: target.key, params, headers: req.headers, body: auth.body, checksums: auth.checksums,
      };
      if (d.authorizer && auth.principal.type !== 'Root') {
        const ctx = { requestId, now, sourceIp: req.sourceIp, userAgent: '', tls: req.tls, service: 's3', operation, region, principal: auth.principal };
        const { action, resource } = s3Access(operation as S3Operation, target.bucket, target.key);
        const decision = await d.authorizer.decide(ctx, action, { resource, context: {} });
        // S3's own wording: the resource in quotes (S3 "Access denied error messages").
        if (decision.decision !== 'Allow') throw AccessDenied(accessDeniedMessage(auth.principal.arn, action, `"${resource}"`, decision));
      }
      const out = await handler(call, d);
      await record();
      return finish(out, requestId, hostId, summary());
    } catch (e) {
      let err = toS3Error(e, requestId, operation);
      try {
        await record(err);
      } catch (writeErr) {
        // No event, no success: a call whose event cannot be written fails.
        err = toS3Error(writeErr, requestId, operation);
      }
      return errorResponse(err, req.method, requestId, hostId, summary());
    }
  }

  function toS3Error(e: unknown, requestId: string, operation: string): ServiceError {
    if (isServiceError(e)) return e;
    d.logger.error('internal failure', { requestId, operation, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    return InternalError(requestId);
  }

  return { handle, tooLarge };
}

/** An answer of the S3 API with what the edge logs and counts of it. */
export type S3Answer = S3Response & { call: CallSummary };

function finish(out: S3Response, requestId: string, hostId: string, call: CallSummary): S3Answer {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, ...out.headers };
  // No Content-Length on 204 and 304 (RFC 9110 §8.6); every other answer says its length, which for
  // HEAD is the object's, not the (empty) body's.
  if (headers['Content-Length'] === undefined && out.status !== 204 && out.status !== 304) headers['Content-Length'] = String(Buffer.byteLength(out.body));
  return { status: out.status, headers, body: out.body, call };
}

/** S3's XML error; a HEAD answer carries only the status and headers. */
function errorResponse(err: ServiceError, method: string, requestId: string, hostId: string, call: CallSummary): S3Answer {
  const body = method.toUpperCase() === 'HEAD' ? '' : errorDocument(err, requestId, hostId);
  return finish({ status: err.status, headers: { 'Content-Type': XML_CONTENT_TYPE }, body }, requestId, hostId, call);
}

/** The IAM action and resource of an S3 call (Service Authorization Reference, Amazon S3). */
function s3Access(op: S3Operation, bucket: string | undefined, key: string | undefined): { action: string; resource: string } {
  const action: Record<S3Operation, string> = {
    ListBuckets: 's3:ListAllMyBuckets', CreateBucket: 's3:CreateBucket', DeleteBucket: 's3:DeleteBucket', HeadBucket: 's3:ListBucket',
    GetBucketLocation: 's3:GetBucketLocation', ListObjects: 's3:ListBucket', ListObjectsV2: 's3:ListBucket', PutObject: 's3:PutObject',
    GetObject: 's3:GetObject', HeadObject: 's3:GetObject', DeleteObject: 's3:DeleteObject', DeleteObjects: 's3:DeleteObject',
  };
  const resource = bucket === undefined ? '*' : key !== undefined ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`;
  return { action: action[op], resource };
}
