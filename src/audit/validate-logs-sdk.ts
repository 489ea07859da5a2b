import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketLocationCommand, GetObjectCommand, ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { GeneralError, NoSuchKeyError, ServiceCallError, type ValidationSource } from './validate-logs.js';

/**
 * validate-logs' source over HTTP: CloudTrail (DescribeTrails, ListPublicKeys) with
 * @aws-sdk/client-cloudtrail and S3 (GetBucketLocation, ListObjects v1, GetObject) with
 * @aws-sdk/client-s3 in path style, as the AWS CLI reads them (cloudtrail.md §5.5). Like the
 * CLI's S3ClientProvider, a bucket's region is asked once with a client in the CLI's region,
 * and its objects are then read with a client in the bucket's region.
 */
export interface SdkSourceOptions {
  region: string;
  endpoint: string;
  /** S3's endpoint when it is not the CloudTrail one. */
  s3Endpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface SdkSource extends ValidationSource {
  destroy(): void;
}

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** SDK errors as the CLI would report them: NoSuchKey, another service error, or no connection. */
function translate(e: unknown, operation: string, endpoint: string): Error {
  const err = (e ?? {}) as SdkError;
  const code = err.Code ?? err.name ?? 'Unknown';
  if (err.$metadata?.httpStatusCode !== undefined && err.$metadata.httpStatusCode >= 300) {
    if (code === 'NoSuchKey') return new NoSuchKeyError(err.message ?? 'The specified key does not exist.');
    return new ServiceCallError(code, operation, err.message || 'Unknown');
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN'].includes(err.code ?? ''))
    return new GeneralError(`Could not connect to the endpoint URL: "${endpoint}"`);
  return e instanceof Error ? e : new Error(String(e));
}

export function sdkSource(o: SdkSourceOptions): SdkSource {
  const s3Endpoint = o.s3Endpoint ?? o.endpoint;
  const cloudtrail = new CloudTrailClient({ region: o.region, endpoint: o.endpoint, credentials: o.credentials, maxAttempts: 3 });
  const s3Clients = new Map<string, S3Client>();
  const bucketRegions = new Map<string, string>();
  const s3 = (region: string) => {
    let c = s3Clients.get(region);
    if (!c) {
      c = new S3Client({
        region, endpoint: s3Endpoint, forcePathStyle: true, credentials: o.credentials, maxAttempts: 3,
        // The CLI follows no redirects and checks no response checksums.
        followRegionRedirects: false, responseChecksumValidation: 'WHEN_REQUIRED', requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      s3Clients.set(region, c);
    }
    return c;
  };
  const call = async <T>(operation: string, endpoint: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw translate(e, operation, endpoint);
    }
  };
  const clientFor = async (bucket: string) => {
    let region = bucketRegions.get(bucket);
    if (region === undefined) {
      const out = await call('GetBucketLocation', `${s3Endpoint}/${bucket}?location`, () => s3(o.region).send(new GetBucketLocationCommand({ Bucket: bucket })));
      // An empty LocationConstraint is us-east-1.
      region = out.LocationConstraint || 'us-east-1';
      bucketRegions.set(bucket, region);
    }
    return s3(region);
  };

  return {
    async describeTrails() {
      const out = await call('DescribeTrails', `${o.endpoint}/`, () => cloudtrail.send(new DescribeTrailsCommand({})));
      return out.trailList ?? [];
    },
    async organizationId() {
      // certtrail has no AWS Organizations (and so no organization trails).
      throw new GeneralError('Organizations DescribeOrganization is not available: certtrail has no organization trails');
    },
    async listPublicKeys(start, end) {
      const out = await call('ListPublicKeys', `${o.endpoint}/`, () => cloudtrail.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end })));
      return (out.PublicKeyList ?? []).map((k) => ({ Fingerprint: k.Fingerprint, Value: k.Value }));
    },
    async *listKeys(bucket, marker, prefix) {
      const client = await clientFor(bucket);
      let next: string | undefined = marker;
      for (;;) {
        const page = await call('ListObjects', `${s3Endpoint}/${bucket}`, () => client.send(new ListObjectsCommand({ Bucket: bucket, Marker: next, Prefix: prefix })));
        const keys = (page.Contents ?? []).map((c) => c.Key!).filter((k) => k !== undefined);
        for (const k of keys) yield k;
        if (!page.IsTruncated) return;
        // ListObjects v1 gives NextMarker only with a delimiter; otherwise the last key is the marker.
        const after: string | undefined = page.NextMarker ?? keys.at(-1);
        if (after === undefined || after === next) return;
        next = after;
      }
    },
    async getObject(bucket, key) {
      const client = await clientFor(bucket);
      return call('GetObject', `${s3Endpoint}/${bucket}/${key}`, async () => {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
        const metadata: Record<string, string> = {};
        for (const [k, v] of Object.entries(out.Metadata ?? {})) metadata[k.toLowerCase()] = v;
        return { body, metadata };
      });
    },
    destroy() {
      cloudtrail.destroy();
      for (const c of s3Clients.values()) c.destroy();
    },
  };
}
