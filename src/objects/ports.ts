/**
 * The object-store port: where trail log files and digests go. Two implementations, one
 * contract (contract.ts): certtrail's own buckets under the data dir (local.ts) and any
 * S3-compatible store reached with @aws-sdk/client-s3 (remote.ts).
 *
 * Conventions every implementation keeps:
 *  - keys are arbitrary UTF-8 strings of at most 1024 bytes, compared as UTF-8 bytes;
 *  - `etag` is the entity tag without its quotes (for a single-part upload, the body's MD5 hex);
 *  - `lastModified` has whole-second precision (what HTTP dates can carry);
 *  - a missing bucket is `ObjectStoreError('NoSuchBucket')` for every call but `bucketExists`;
 *    a missing key is `undefined` from `get` and a no-op for `delete`, as S3 has it.
 */
export interface PutOptions {
  contentType?: string;
  contentEncoding?: string;
  metadata?: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  /** The Expires header exactly as given. */
  expires?: string;
  /** `*`: only if no object has the key (else ObjectStoreError('PreconditionFailed')), checked atomically with the write. */
  ifNoneMatch?: '*';
  /** Only if the current object has this entity tag (unquoted), checked atomically with the write. */
  ifMatch?: string;
}

export interface StoredObject {
  body: Buffer;
  size: number;
  etag: string;
  lastModified: Date;
  contentType?: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
}

export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/** Where trail log files and digests go: certtrail's own buckets, or an external S3-compatible store. */
export interface ObjectStore {
  /** Atomic and durable: once it resolves the whole object is visible and survives a crash; before, readers see the old object or none. Throws ObjectStoreError('NoSuchBucket') if the bucket is missing. */
  put(bucket: string, key: string, body: Buffer, opts?: PutOptions): Promise<void>;
  get(bucket: string, key: string): Promise<StoredObject | undefined>;
  delete(bucket: string, key: string): Promise<void>;
  /** Keys in UTF-8 binary order, strictly after `after`, starting with `prefix`. */
  list(bucket: string, opts: { prefix?: string; after?: string; limit: number }): Promise<ObjectSummary[]>;
  bucketExists(bucket: string): Promise<boolean>;
}

export class ObjectStoreError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
