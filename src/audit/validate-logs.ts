import { sha256Hex, digestKeyTime, digestTime, gunzipFirstMember, publicKeyFromDer, verifyDigest } from './digest.js';

/**
 * `validate-logs`: the check `aws cloudtrail validate-logs` (CLI 2.9.19,
 * awscli/customizations/cloudtrail/validation.py) makes, with its output, walk order and exit
 * codes (cloudtrail.md §5.5). From the newest digest in range it follows previousDigestS3Object
 * back to the start time: each digest must come from where it says it lives, be signed by a key
 * ListPublicKeys lists, and each log file it names must hash to its hashValue. A digest with no
 * predecessor is a chain break ("No log files were delivered…"), not an error.
 *
 * Everything it reads comes through a ValidationSource, so it runs over HTTP against a server
 * (validate-logs-sdk.ts) or over objects in memory in tests.
 */

/** A trail as DescribeTrails lists it (the members the CLI reads). */
export interface TrailInfo {
  TrailARN?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  IsOrganizationTrail?: boolean;
}

export interface PublicKeyInfo {
  Fingerprint?: string;
  /** The DER key (the blob ListPublicKeys returns, base64 decoded). */
  Value?: Uint8Array;
}

export interface SourceObject {
  body: Uint8Array;
  /** x-amz-meta-* headers, names lowercase without the prefix. */
  metadata: Record<string, string>;
}

/** What validate-logs reads, in the CLI's region: CloudTrail, Organizations and S3. */
export interface ValidationSource {
  describeTrails(): Promise<TrailInfo[]>;
  /** Organizations DescribeOrganization's Organization.Id (organization trails only). */
  organizationId(): Promise<string>;
  listPublicKeys(start: Date, end: Date): Promise<PublicKeyInfo[]>;
  /**
   * The bucket's keys after `marker`, in S3's (lexicographic) order, all pages, under `prefix`
   * when given. The caller may stop early.
   */
  listKeys(bucket: string, marker: string, prefix?: string): AsyncIterable<string>;
  /** Throws NoSuchKeyError for S3's 404 NoSuchKey. */
  getObject(bucket: string, key: string): Promise<SourceObject>;
}

/** S3's NoSuchKey: the one service error validate-logs reports as "not found" instead of stopping. */
export class NoSuchKeyError extends Error {}

/**
 * Any other error a service returned. Ends the run: exit 254 with
 * "An error occurred (<code>) when calling the <operation> operation: <message>".
 */
export class ServiceCallError extends Error {
  constructor(readonly code: string, readonly operation: string, message: string) {
    super(`An error occurred (${code}) when calling the ${operation} operation: ${message}`);
  }
}

/** A bad argument: exit 252 (the CLI's ParamValidationError). */
export class ParamValidationError extends Error {}

/**
 * Anything else that stops the run or fails a digest (exit 255 when it ends the run): the
 * CLI's general exceptions, with the text Python's exception would have.
 */
export class GeneralError extends Error {}

/** A digest that is not valid; the message is the whole INVALID line. */
class DigestError extends Error {}

export const EXIT = { valid: 0, invalid: 1, param: 252, config: 253, service: 254, general: 255 } as const;

export interface ValidateLogsOptions {
  trailArn: string;
  startTime: Date;
  /** Default: now. */
  endTime?: Date;
  s3Bucket?: string;
  s3Prefix?: string;
  accountId?: string;
  verbose?: boolean;
  /** The time "now" stands for when there is no end time. */
  now: Date;
}

export interface ValidationOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Python's `str()` of a value as the CLI would print it. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A time as dateutil's parser reads the forms CloudTrail and users write: ISO-8601, with or
 * without separators, fractional seconds and zone. Returns the instant and the wall-clock time
 * read as UTC (the CLI's normalize_date replaces a zone rather than converting to UTC).
 */
export function parseCliDate(text: unknown): { instant: Date; wallClock: Date } {
  if (typeof text !== 'string') throw new GeneralError(`Parser must be a string or character stream, not ${pyType(text)}`);
  const m = ISO.exec(text.trim());
  const fail = () => new ParamValidationError(`Unable to parse date value: ${text}`);
  if (!m) throw fail();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(wall);
  if (Number.isNaN(wall) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw fail();
  let offsetMin = 0;
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5) || 0));
  }
  return { instant: new Date(wall - offsetMin * 60_000), wallClock: new Date(wall) };
}

const normalized = (text: unknown) => parseCliDate(text).wallClock;
const keyDate = (key: string) => normalized(key.slice(-24, -8));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\\-/]/g, '\\$&');

interface TrailLocation {
  bucket: string;
  prefix?: string;
  accountId: string;
  trailName: string;
  homeRegion: string;
  sourceRegion: string;
  organizationId?: string;
}

type Digest = Record<string, unknown> & { logFiles?: unknown };

interface NextCallback {
  bucket: string;
  nextKey: string | null;
  lastKey: string;
  nextEndDate: Date | null;
  lastStartDate: Date;
  message?: string;
}

/**
 * Runs validate-logs for `region` (the CLI's --region: the source region whose digests are
 * checked, and the region asked for public keys). Returns the exit code; everything it has to
 * say is written to `out`, exactly as the AWS CLI writes it.
 */
export async function validateLogs(opts: ValidateLogsOptions & { region: string }, source: ValidationSource, out: ValidationOutput): Promise<number> {
  try {
    return await new Validation(opts, source, out).run();
  } catch (e) {
    out.stderr(`\n${e instanceof Error ? e.message : String(e)}\n`);
    if (e instanceof ParamValidationError) return EXIT.param;
    if (e instanceof ServiceCallError) return EXIT.service;
    return EXIT.general;
  }
}

class Validation {
  private validDigests = 0;
  private invalidDigests = 0;
  private validLogs = 0;
  private invalidLogs = 0;
  private lastStatusDoubleSpace = true;
  private readonly start: Date;
  private readonly end: Date;
  private foundStart: Date;
  private foundEnd?: Date;

  constructor(private readonly o: ValidateLogsOptions & { region: string }, private readonly source: ValidationSource, private readonly out: ValidationOutput) {
    this.start = o.startTime;
    this.end = o.endTime ?? o.now;
    if (this.start > this.end) throw new ParamValidationError('Invalid time range specified: start-time must occur before end-time');
    // Until a digest starts later, the requested start stands (shown only once a digest is valid).
    this.foundStart = this.start;
  }

  async run(): Promise<number> {
    const loc = await this.locate();
    this.out.stdout(`Validating log files for trail ${this.o.trailArn} between ${digestTime(this.start)} and ${digestTime(this.end)}\n\n`);
    for await (const digest of this.traverse(loc)) {
      // Only valid digests are yielded, and only they move the found times.
      this.trackFoundTimes(digest);
      this.validDigests++;
      this.status(`Digest file\ts3://${pyStr(digest.digestS3Bucket)}/${pyStr(digest.digestS3Object)}\tvalid`);
      if (!('logFiles' in digest)) throw new GeneralError("'logFiles'");
      const logs = digest.logFiles;
      if (!logs || (Array.isArray(logs) && logs.length === 0)) continue;
      if (!Array.isArray(logs)) throw new GeneralError(`'logFiles' is not a list: ${pyStr(logs)}`);
      for (const log of logs) await this.checkLog(log as Record<string, unknown>);
    }
    this.summary();
    return this.invalidDigests > 0 || this.invalidLogs > 0 ? EXIT.invalid : EXIT.valid;
  }

  /** The trail's bucket, prefix and names (create_digest_traverser). */
  private async locate(): Promise<TrailLocation> {
    const arn = this.o.trailArn;
    if (!/^arn:.+:cloudtrail:.+:\d{12}:trail\/.+/.test(arn)) throw new ParamValidationError(`Invalid trail ARN provided: ${arn}`);
    let bucket = this.o.s3Bucket;
    let prefix = this.o.s3Prefix;
    let organizationId: string | undefined;
    if (bucket === undefined) {
      // The bucket and prefix the trail has now; --s3-prefix only counts with --s3-bucket.
      const trail = (await this.source.describeTrails()).find((t) => t.TrailARN === arn);
      if (!trail) throw new GeneralError(`A trail could not be found for ${arn}`);
      bucket = trail.S3BucketName ?? '';
      prefix = trail.S3KeyPrefix;
      if (trail.IsOrganizationTrail) {
        if (!this.o.accountId) throw new ParamValidationError("Missing required parameter for organization trail: '--account-id'");
        organizationId = await this.source.organizationId();
      }
    }
    const parts = arn.split(':');
    return {
      bucket,
      prefix: prefix || undefined,
      accountId: this.o.accountId || parts[4]!,
      trailName: arn.split('/').at(-1)!,
      homeRegion: parts[3]!,
      sourceRegion: this.o.region || parts[3]!,
      organizationId,
    };
  }

  private awsLogsPrefix(loc: TrailLocation): string {
    const logs = `AWSLogs/${loc.organizationId ? `${loc.organizationId}/` : ''}${loc.accountId}/CloudTrail-Digest/${loc.sourceRegion}/`;
    return loc.prefix ? `${loc.prefix}/${logs}` : logs;
  }

  /** The digest keys of the trail whose timestamp is in [start, end + 1 h] (load_digest_keys_in_range). */
  private async digestKeys(loc: TrailLocation, bucket: string, start: Date, end: Date): Promise<string[]> {
    // The listing starts after the key a digest ending a minute before the start would have.
    const m = new Date(start.getTime() - 60_000);
    const ymd = `${m.getUTCFullYear()}/${String(m.getUTCMonth() + 1).padStart(2, '0')}/${String(m.getUTCDate()).padStart(2, '0')}`;
    const names = `${loc.accountId}_CloudTrail-Digest_${loc.sourceRegion}_${loc.trailName}_${loc.homeRegion}_`;
    const under = this.awsLogsPrefix(loc);
    const marker = `${under}${ymd}/${names}${digestKeyTime(m)}.json.gz`;
    const pattern = new RegExp(`^${escapeRe(under)}\\d+/\\d+/\\d+/${escapeRe(names)}.+\\.json\\.gz$`);
    const from = digestKeyTime(start);
    // Digests up to an hour after the end: they hold the logs that spilled over.
    const to = digestKeyTime(new Date(end.getTime() + 3600_000));
    const keys: string[] = [];
    // CLI 2.9.19 lists the whole rest of the bucket from the marker (aws-cli#4250); the keys it
    // can keep all start with the region's digest folder, so listing only that folder finds the same.
    let listed = false;
    for await (const key of this.source.listKeys(bucket, marker, under)) {
      listed = true;
      if (!pattern.test(key)) continue;
      const stamp = key.slice(-24, -8);
      if (stamp > to) break;
      if (stamp >= from) keys.push(key);
    }
    // 2.9.19 meets a first page without Contents (nothing in the whole bucket after the
    // marker) as a None key, and its regex match fails with Python's TypeError: the run stops.
    if (!listed && !(await this.anyKeyAfter(bucket, marker))) throw new GeneralError("expected string or bytes-like object, got 'NoneType'");
    return keys;
  }

  private async anyKeyAfter(bucket: string, marker: string): Promise<boolean> {
    for await (const _ of this.source.listKeys(bucket, marker)) return true;
    return false;
  }

  private async publicKeys(start: Date, end: Date): Promise<Map<string, PublicKeyInfo>> {
    const keys = new Map((await this.source.listPublicKeys(start, end)).map((k) => [String(k.Fingerprint), k]));
    if (!keys.size) throw new GeneralError(`No public keys found between ${digestTime(start)} and ${digestTime(end)}`);
    return keys;
  }

  /** Valid digests, newest first, following each one's predecessor (DigestTraverser.traverse). */
  private async *traverse(loc: TrailLocation): AsyncGenerator<Digest> {
    const startDate = this.start;
    let endDate: Date | null = this.end;
    let bucket = loc.bucket;
    let digests = await this.digestKeys(loc, bucket, startDate, endDate);
    const publicKeys = await this.publicKeys(startDate, endDate);
    let key: string | null;
    [key, endDate] = this.lastDigest(digests);
    let lastStartDate = endDate!;
    while (key && startDate <= lastStartDate) {
      try {
        let digest: Digest;
        [digest, endDate] = await this.loadAndValidate(loc, publicKeys, bucket, key);
        lastStartDate = normalized(digest.digestStartTime);
        const previousBucket = digest.previousDigestS3Bucket ?? null;
        yield digest;
        if (previousBucket === null) {
          // The chain starts here: go on with the next older digest in the listing, if any.
          [key, endDate] = this.findNext(digests, { bucket, lastKey: key, lastStartDate }, (c) => this.onGap(c), true);
        } else {
          if (!('previousDigestS3Object' in digest)) throw new GeneralError("'previousDigestS3Object'");
          const prev = digest.previousDigestS3Object;
          key = prev === null || prev === undefined || prev === '' ? null : pyStr(prev);
          if (previousBucket !== bucket) {
            bucket = pyStr(previousBucket);
            // The bucket changed, so the listing is of the new bucket.
            digests = await this.digestKeys(loc, bucket, startDate, endDate!);
          }
        }
      } catch (e) {
        if (e instanceof ServiceCallError) throw e;
        if (e instanceof NoSuchKeyError) [key, endDate] = this.findNext(digests, { bucket, lastKey: key!, lastStartDate }, (c) => this.onMissingDigest(c));
        else {
          const message = e instanceof DigestError ? e.message : `Digest file\ts3://${bucket}/${key}\tINVALID: ${e instanceof Error ? e.message : String(e)}`;
          [key, endDate] = this.findNext(digests, { bucket, lastKey: key!, lastStartDate, message }, (c) => this.onInvalidDigest(c));
        }
      }
    }
  }

  private findNext(digests: string[], at: Omit<NextCallback, 'nextKey' | 'nextEndDate'>, cb: (c: NextCallback) => void, onlyIfNext = false): [string | null, Date | null] {
    const [nextKey, nextEndDate] = this.lastDigest(digests, at.lastKey);
    if (!onlyIfNext || nextKey) cb({ ...at, nextKey, nextEndDate });
    return [nextKey, nextEndDate];
  }

  /** Takes from the listing the newest digest, or the newest older than `before` (_get_last_digest). */
  private lastDigest(digests: string[], before?: string): [string | null, Date | null] {
    if (!digests.length) return [null, null];
    if (before === undefined) {
      const k = digests.pop()!;
      return [k, keyDate(k)];
    }
    const beforeDate = keyDate(before);
    while (digests.length) {
      const k = digests.pop()!;
      const d = keyDate(k);
      if (d < beforeDate) return [k, d];
    }
    return [null, null];
  }

  private async loadAndValidate(loc: TrailLocation, publicKeys: Map<string, PublicKeyInfo>, bucket: string, key: string): Promise<[Digest, Date]> {
    const obj = await this.source.getObject(bucket, key);
    let raw: Buffer;
    let digest: unknown;
    try {
      raw = gunzipFirstMember(obj.body, true);
      digest = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw));
    } catch {
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
    }
    if (!('signature' in obj.metadata) || !('signature-algorithm' in obj.metadata))
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: signature verification failed`);
    if (Array.isArray(digest)) throw new GeneralError('list indices must be integers or slices, not str');
    if (digest === null || typeof digest !== 'object') throw new GeneralError(`'${pyType(digest)}' object does not support item assignment`);
    const d = digest as Digest;
    for (const required of ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'])
      if (!(required in d)) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: invalid format`);
    if (d.digestS3Bucket !== bucket || d.digestS3Object !== key)
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: has been moved from its original location`);
    const fingerprint = pyStr(d.digestPublicKeyFingerprint);
    const publicKey = publicKeys.get(fingerprint);
    if (!publicKey || typeof d.digestPublicKeyFingerprint !== 'string')
      throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: public key not found in region ${loc.homeRegion} for fingerprint ${fingerprint}`);
    this.verify(bucket, key, publicKey, d, raw, obj.metadata.signature!);
    return [d, normalized(d.digestEndTime)];
  }

  /**
   * Sha256RSADigestValidator.validate. 2.9.19 turns any ValueError on the way (a key that is not
   * DER, a signature that is not hex) into "Unable to load PKCS #1 key".
   */
  private verify(bucket: string, key: string, publicKey: PublicKeyInfo, d: Digest, raw: Buffer, signature: string): void {
    const unloadable = () => new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: Unable to load PKCS #1 key with fingerprint ${pyStr(d.digestPublicKeyFingerprint)}`);
    let k;
    try {
      k = publicKeyFromDer(publicKey.Value ?? new Uint8Array());
    } catch {
      throw unloadable();
    }
    if (signature.length % 2 || !/^[0-9a-fA-F]*$/.test(signature)) throw unloadable();
    const members = {
      digestEndTime: pyStr(d.digestEndTime),
      digestS3Bucket: pyStr(d.digestS3Bucket),
      digestS3Object: pyStr(d.digestS3Object),
      previousDigestSignature: d.previousDigestSignature === null ? null : pyStr(d.previousDigestSignature),
    };
    let ok = false;
    try {
      ok = verifyDigest(raw, members, signature, k);
    } catch {
      ok = false;
    }
    if (!ok) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: signature verification failed`);
  }

  /** _download_log: the log file must exist and hash (uncompressed, first gzip member) to hashValue. */
  private async checkLog(log: Record<string, unknown>): Promise<void> {
    const where = `s3://${pyStr(log.s3Bucket)}/${pyStr(log.s3Object)}`;
    try {
      if (!('s3Bucket' in log)) throw new GeneralError("'s3Bucket'");
      const obj = await this.source.getObject(pyStr(log.s3Bucket), pyStr(log.s3Object));
      const hash = sha256Hex(gunzipFirstMember(obj.body));
      if (!('hashValue' in log)) throw new GeneralError("'hashValue'");
      if (hash !== log.hashValue) {
        this.invalidLogs++;
        this.status(`Log file\t${where}\tINVALID: hash value doesn't match`, true);
      } else {
        this.validLogs++;
        this.status(`Log file\t${where}\tvalid`);
      }
    } catch (e) {
      if (e instanceof ServiceCallError) throw e;
      this.invalidLogs++;
      this.status(`Log file\t${where}\tINVALID: ${e instanceof NoSuchKeyError ? 'not found' : 'invalid format'}`, true);
    }
  }

  /** _track_found_times as 2.9.19 has it: the last digest (oldest) starting after the requested start, the first one's end. */
  private trackFoundTimes(d: Digest): void {
    const start = parseCliDate(d.digestStartTime).instant;
    if (start > this.start) this.foundStart = start;
    if (!this.foundEnd) {
      const end = parseCliDate(d.digestEndTime).instant;
      this.foundEnd = end < this.end ? end : this.end;
    }
  }

  private onMissingDigest(c: NextCallback): void {
    this.invalidDigests++;
    this.status(`Digest file\ts3://${c.bucket}/${c.lastKey}\tINVALID: not found`, true);
  }

  private onInvalidDigest(c: NextCallback): void {
    this.invalidDigests++;
    this.status(c.message!, true);
  }

  private onGap(c: NextCallback): void {
    this.status(`No log files were delivered by CloudTrail between ${digestTime(c.nextEndDate!)} and ${digestTime(c.lastStartDate)}`, true);
  }

  /** INVALID lines and gaps go to stderr, set off by blank lines; valid lines to stdout with --verbose only. */
  private status(message: string, isError = false): void {
    if (isError) {
      this.out.stderr(this.lastStatusDoubleSpace ? `${message}\n\n` : `\n${message}\n\n`);
      this.lastStatusDoubleSpace = true;
    } else if (this.o.verbose) {
      this.lastStatusDoubleSpace = false;
      this.out.stdout(`${message}\n`);
    }
  }

  private summary(): void {
    let s = this.lastStatusDoubleSpace ? '' : '\n';
    s += `Results requested for ${digestTime(this.start)} to ${digestTime(this.end)}\n`;
    if (!this.validDigests && !this.invalidDigests) {
      this.out.stdout(`${s}No digests found\n`);
      return;
    }
    s += this.foundEnd ? `Results found for ${digestTime(this.foundStart)} to ${digestTime(this.foundEnd)}:\n` : 'No valid digests found in range\n';
    s += ratio(this.validDigests, this.invalidDigests, 'digest') + ratio(this.validLogs, this.invalidLogs, 'log');
    this.out.stdout(`${s}\n`);
  }
}

function ratio(valid: number, invalid: number, name: string): string {
  const total = valid + invalid;
  if (!total) return '';
  return `\n${valid}/${total} ${name} files valid` + (invalid ? `, ${invalid}/${total} ${name} files INVALID` : '');
}
