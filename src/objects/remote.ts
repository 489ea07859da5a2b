import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ObjectStoreError, type ObjectStore, type ObjectSummary, type PutOptions, type StoredObject } from './ports.js';

export interface S3ObjectStoreConfig {
  endpoint: string;
  region: string;
  /** Both or neither; without them the SDK's default credential chain applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style addressing (`<endpoint>/<bucket>/<key>`); what S3-compatible stores expect. Default true. */
  forcePathStyle?: boolean;
  maxAttempts?: number;
}

/**
 * An external S3-compatible store (AWS S3 itself, MinIO, another certtrail) as an ObjectStore.
 * S3's PutObject is atomic (a reader sees the old object or the whole new one) and acknowledged
 * only once stored durably, which is what the port asks.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(config: S3ObjectStoreConfig) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle ?? true,
      maxAttempts: config.maxAttempts ?? 3,
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    });
  }

  async put(bucket: string, key: string, body: Buffer, opts: PutOptions = {}): Promise<void> {
    await this.call(
      this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: opts.contentType,
          ContentEncoding: opts.contentEncoding,
          CacheControl: opts.cacheControl,
          ContentDisposition: opts.contentDisposition,
          ContentLanguage: opts.contentLanguage,
          ...(opts.expires !== undefined ? { Expires: new Date(opts.expires) } : {}),
          Metadata: opts.metadata,
          IfNoneMatch: opts.ifNoneMatch,
          ...(opts.ifMatch !== undefined ? { IfMatch: `"${opts.ifMatch}"` } : {}),
        }),
      ),
    );
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = Buffer.from(await r.Body!.transformToByteArray());
      return {
        body,
        size: body.length,
        etag: unquote(r.ETag ?? ''),
        lastModified: r.LastModified ?? new Date(0),
        ...(r.ContentType !== undefined ? { contentType: r.ContentType } : {}),
        ...(r.ContentEncoding !== undefined ? { contentEncoding: r.ContentEncoding } : {}),
        ...(r.CacheControl !== undefined ? { cacheControl: r.CacheControl } : {}),
        ...(r.ContentDisposition !== undefined ? { contentDisposition: r.ContentDisposition } : {}),
        ...(r.ContentLanguage !== undefined ? { contentLanguage: r.ContentLanguage } : {}),
        ...(r.ExpiresString !== undefined ? { expires: r.ExpiresString } : {}),
        metadata: r.Metadata ?? {},
      };
    } catch (e) {
      if (errorName(e) === 'NoSuchKey') return undefined;
      throw translate(e);
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.call(this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
  }

  async list(bucket: string, opts: { prefix?: string; after?: string; limit: number }): Promise<ObjectSummary[]> {
    const out: ObjectSummary[] = [];
    let token: string | undefined;
    while (out.length < opts.limit) {
      const r = await this.call(
        this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: opts.prefix || undefined,
            // StartAfter only counts on the first page; the token carries the position after that.
            StartAfter: token ? undefined : opts.after || undefined,
            ContinuationToken: token,
            MaxKeys: Math.min(1000, opts.limit - out.length),
          }),
        ),
      );
      for (const o of r.Contents ?? []) {
        out.push({ key: o.Key!, size: o.Size ?? 0, etag: unquote(o.ETag ?? ''), lastModified: o.LastModified ?? new Date(0) });
      }
      if (!r.IsTruncated || !r.NextContinuationToken) break;
      token = r.NextContinuationToken;
    }
    return out.slice(0, opts.limit);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || errorName(e) === 'NotFound' || errorName(e) === 'NoSuchBucket') return false;
      throw translate(e);
    }
  }

  close(): void {
    this.client.destroy();
  }

  private async call<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      throw translate(e);
    }
  }
}

function errorName(e: unknown): string | undefined {
  return (e as { name?: string } | undefined)?.name;
}

/** The store's own errors (NoSuchBucket, AccessDenied, …) become ObjectStoreErrors with S3's code; network failures pass through. */
function translate(e: unknown): unknown {
  const name = errorName(e);
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name && status !== undefined && status >= 400 && status < 500) return new ObjectStoreError(name, (e as Error).message);
  return e;
}

function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}
