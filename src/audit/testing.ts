import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildDigest, digestKey, gzip, logFileBody, logFileKey, publicKeyFingerprint, sha256Hex, signBytes, uniqueString, type DigestLogFile, type DigestPrevious } from './digest.js';
import { NoSuchKeyError, type PublicKeyInfo, type SourceObject, type TrailInfo, type ValidationSource } from './validate-logs.js';

/**
 * Test helpers: a trail's bucket in memory, written the way CloudTrail writes it (with
 * digest.ts), and a ValidationSource over it. Used by the validate-logs unit tests and by the
 * end-to-end test that serves the same objects over HTTP to both validators.
 */

export interface KeyMaterial {
  privateKey: KeyObject;
  der: Buffer;
  fingerprint: string;
}

export function makeKey(): KeyMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  return { privateKey, der, fingerprint: publicKeyFingerprint(der) };
}

export type Buckets = Map<string, Map<string, SourceObject>>;

export interface FakeTrailOptions {
  bucket: string;
  prefix?: string;
  accountId: string;
  trailName: string;
  homeRegion: string;
  /** The region whose logs and digests this writes. */
  region: string;
  key: KeyMaterial;
}

export class FakeTrail {
  readonly buckets: Buckets;
  private previous?: DigestPrevious;
  private windowStart: Date;
  private pending: (DigestLogFile & { deliveredAt: Date })[] = [];
  private n = 0;

  constructor(readonly o: FakeTrailOptions, start: Date, buckets: Buckets = new Map()) {
    this.buckets = buckets;
    this.windowStart = start;
  }

  get arn(): string {
    return `arn:aws:cloudtrail:${this.o.homeRegion}:${this.o.accountId}:trail/${this.o.trailName}`;
  }

  bucket(name = this.o.bucket): Map<string, SourceObject> {
    let b = this.buckets.get(name);
    if (!b) this.buckets.set(name, (b = new Map()));
    return b;
  }

  /** Delivers a log file of these records (event times as given) at `deliveredAt`. */
  log(eventTimes: Date[], deliveredAt: Date): string {
    this.n++;
    const records = eventTimes.map((t, i) => JSON.stringify({ eventVersion: '1.11', eventTime: t.toISOString().replace(/\.\d+Z$/, 'Z'), eventName: `Call${this.n}_${i}` }));
    const body = logFileBody(records);
    const key = logFileKey({ prefix: this.o.prefix, accountId: this.o.accountId, region: this.o.region, deliveredAt, unique: uniqueString(Buffer.alloc(16, this.n)) });
    this.bucket().set(key, { body: gzip(body), metadata: {} });
    const times = eventTimes.map((t) => t.getTime());
    this.pending.push({
      s3Bucket: this.o.bucket, s3Object: key, hashValue: sha256Hex(body),
      oldestEventTime: new Date(Math.min(...times)), newestEventTime: new Date(Math.max(...times)), deliveredAt,
    });
    return key;
  }

  /** Writes the digest of the window ending at `end`, signed with `key` (default: the trail's). */
  digest(end: Date, key: KeyMaterial = this.o.key): string {
    const s3Object = digestKey({ prefix: this.o.prefix, accountId: this.o.accountId, sourceRegion: this.o.region, trailName: this.o.trailName, homeRegion: this.o.homeRegion, end });
    const logFiles = this.pending.filter((f) => f.deliveredAt <= end);
    this.pending = this.pending.filter((f) => f.deliveredAt > end);
    const built = buildDigest({
      awsAccountId: this.o.accountId, digestStartTime: this.windowStart, digestEndTime: end, digestS3Bucket: this.o.bucket, digestS3Object: s3Object,
      digestPublicKeyFingerprint: key.fingerprint, previous: this.previous, logFiles,
    });
    const signature = signBytes(built.stringToSign, key.privateKey);
    this.bucket().set(s3Object, { body: gzip(built.body), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' } });
    this.previous = { s3Bucket: this.o.bucket, s3Object, hashValue: built.hashValue, signature };
    this.windowStart = end;
    return s3Object;
  }

  /** Logging (or validation) stopped and started again at `at`: the next digest starts a new chain. */
  restart(at: Date): void {
    this.previous = undefined;
    this.windowStart = at;
    this.pending = [];
  }

  trailInfo(): TrailInfo {
    return { TrailARN: this.arn, S3BucketName: this.o.bucket, ...(this.o.prefix ? { S3KeyPrefix: this.o.prefix } : {}), IsOrganizationTrail: false };
  }
}

/** Counts of what a memory source was asked, for assertions on the walk. */
export interface SourceCalls {
  describeTrails: number;
  listPublicKeys: { start: Date; end: Date }[];
  listKeys: { bucket: string; marker: string; prefix?: string }[];
  getObject: string[];
}

export function memorySource(buckets: Buckets, opts: { trails?: TrailInfo[]; keys?: PublicKeyInfo[]; organizationId?: string } = {}): ValidationSource & { calls: SourceCalls } {
  const calls: SourceCalls = { describeTrails: 0, listPublicKeys: [], listKeys: [], getObject: [] };
  return {
    calls,
    async describeTrails() {
      calls.describeTrails++;
      return opts.trails ?? [];
    },
    async organizationId() {
      if (!opts.organizationId) throw new Error('no organization');
      return opts.organizationId;
    },
    async listPublicKeys(start, end) {
      calls.listPublicKeys.push({ start, end });
      return opts.keys ?? [];
    },
    async *listKeys(bucket, marker, prefix) {
      calls.listKeys.push({ bucket, marker, prefix });
      const keys = [...(buckets.get(bucket)?.keys() ?? [])].sort();
      for (const k of keys) if (k > marker && (!prefix || k.startsWith(prefix))) yield k;
    },
    async getObject(bucket, key) {
      calls.getObject.push(`${bucket}/${key}`);
      const o = buckets.get(bucket)?.get(key);
      if (!o) throw new NoSuchKeyError('The specified key does not exist.');
      return o;
    },
  };
}
