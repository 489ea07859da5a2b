import type { Clock } from '../../kernel/clock.js';
import type { Ids } from '../../kernel/ids.js';
import type { Logger } from '../../kernel/logger.js';
import type { Metrics } from '../../kernel/metrics.js';
import { Poller } from '../../kernel/poller.js';
import { ObjectStoreError, type ObjectStore } from '../../objects/ports.js';
import type { Store } from '../../storage/ports.js';
import type { DeliveredLogFile, DeliverySessionRecord, EventRecord, TrailRecord } from '../../storage/records.js';
import { buildDigest, digestKey, gzip, logFileBody, logFileKey, sha256Hex, uniqueString } from '../digest.js';
import { trailWants } from './select.js';
import { ceilSecond, newChain } from './sessions.js';

/** Signs a digest: the key of `region` valid at `at` (cloudtrail.md §5.3–5.4). */
export type DigestSigner = (region: string, at: Date) => Promise<{ fingerprint: string; sign(data: Buffer): string }>;

export interface DelivererDeps {
  store: Store;
  objects: ObjectStore;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  signer: DigestSigner;
  deliveryIntervalMs: number;
  /** Whole seconds (digest times carry seconds). */
  digestIntervalMs: number;
  /** Rounds run and how far delivery is behind (absent: not kept). */
  metrics?: Pick<Metrics, 'deliveryRound' | 'deliveryLag'>;
}

/** A log file holds at most this many records (AWS splits large deliveries too). */
const MAX_RECORDS_PER_FILE = 5_000;
const MAX_BYTES_PER_FILE = 16 * 1024 * 1024;
const READ_BATCH = 2_000;

interface LogFilePlan {
  region: string;
  records: EventRecord[];
}

/**
 * Trail delivery: a restartable reader of the stored events. Each round, for every open
 * logging session, it finishes the log files it had begun, writes the next ones, then the
 * digests that are due. Every step is either idempotent or fixed in the store before any
 * object is written, so a crash at any moment followed by a restart writes each event into
 * exactly one log file per trail and keeps the digest chain whole.
 */
export class Deliverer {
  private readonly poller: Poller;

  constructor(private readonly d: DelivererDeps) {
    this.poller = new Poller(() => this.round(), Math.min(d.deliveryIntervalMs, d.digestIntervalMs), (e) =>
      d.logger.error('delivery round failed', { error: e instanceof Error ? e.message : String(e) }),
    );
  }

  start(): void {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    // This node no longer delivers: whatever is behind is the next leader's to report.
    this.d.metrics?.deliveryLag(0);
  }

  wake(): void {
    this.poller.wake();
  }

  /** One round over every open session; exported for tests. */
  async round(): Promise<void> {
    try {
      const after: DeliverySessionRecord[] = [];
      for (const s of await this.d.store.read((tx) => tx.deliveries.listActive())) {
        try {
          after.push(await this.step(s));
        } catch (e) {
          after.push(s);
          this.d.logger.error('delivery failed', { trail: s.trailArn, error: e instanceof Error ? e.message : String(e) });
        }
      }
      if (this.d.metrics) this.d.metrics.deliveryLag(await this.lagSeconds(after));
    } finally {
      this.d.metrics?.deliveryRound();
    }
  }

  /**
   * How long the oldest event a logging trail has yet to deliver has waited: the first event past
   * the furthest-behind cursor (a cursor passes the events its trail does not log too). 0 when
   * every event is delivered.
   */
  private async lagSeconds(sessions: DeliverySessionRecord[]): Promise<number> {
    const delivering = sessions.filter((s) => !s.finalAt);
    if (!delivering.length) return 0;
    const cursor = Math.min(...delivering.map((s) => s.cursor));
    const [oldest] = await this.d.store.read((tx) => tx.events.after(cursor, 1));
    return oldest ? Math.max(0, (this.d.clock.now().getTime() - oldest.eventTime.getTime()) / 1000) : 0;
  }

  /** Moves one session as far as it goes this round; its state after. */
  private async step(session: DeliverySessionRecord): Promise<DeliverySessionRecord> {
    let s = session;
    if (s.pending) s = await this.complete(s);
    if (s.pending) return s; // the objects could not be written; retried next round
    if (!s.finalAt) s = await this.deliver(s);
    if (s.pending) return s;
    s = await this.followValidation(s);
    s = await this.writeDueDigests(s);
    if (s.finalAt && !s.digests) await this.update(s.id, (x) => ({ ...x, finished: true }));
    return s;
  }

  /** The trail's settings now: the live trail while it logs, else as it was when it stopped. */
  private async trailOf(s: DeliverySessionRecord): Promise<TrailRecord> {
    if (s.stop) return s.trail;
    const t = await this.d.store.read((tx) => tx.trails.get(s.accountId, s.homeRegion, s.trailName));
    return t && t.arn === s.trailArn ? t : s.trail;
  }

  /**
   * The events after the cursor, up to `upto`, that the trail logs, cut into log files by
   * region. Deterministic for a given session state, so a pending delivery is rebuilt exactly.
   */
  private async plan(s: DeliverySessionRecord, trail: TrailRecord, upto: number): Promise<{ files: LogFilePlan[]; last: number; reachedStop: boolean }> {
    const byRegion = new Map<string, EventRecord[]>();
    let last = s.cursor;
    let reachedStop = false;
    const stopMark = s.stop ? `"requestID":"${s.stop.requestId}"` : undefined;
    scan: for (;;) {
      const batch = await this.d.store.read((tx) => tx.events.after(last, READ_BATCH));
      if (!batch.length) break;
      for (const e of batch) {
        if (e.seq! > upto) break scan;
        last = e.seq!;
        if (trailWants(trail, e)) {
          const list = byRegion.get(e.region) ?? [];
          list.push(e);
          byRegion.set(e.region, list);
        }
        if (stopMark && e.eventSource === 'cloudtrail.amazonaws.com' && e.record.includes(stopMark)) {
          reachedStop = true;
          break scan;
        }
      }
      if (batch.length < READ_BATCH) break;
    }
    const files: LogFilePlan[] = [];
    for (const region of [...byRegion.keys()].sort()) {
      let current: EventRecord[] = [];
      let bytes = 0;
      for (const e of byRegion.get(region)!) {
        if (current.length && (current.length >= MAX_RECORDS_PER_FILE || bytes + e.record.length > MAX_BYTES_PER_FILE)) {
          files.push({ region, records: current });
          current = [];
          bytes = 0;
        }
        current.push(e);
        bytes += e.record.length + 1;
      }
      if (current.length) files.push({ region, records: current });
    }
    return { files, last, reachedStop };
  }

  /** Fixes the next log files' keys in the store (the intent), then writes them. */
  private async deliver(s: DeliverySessionRecord): Promise<DeliverySessionRecord> {
    const trail = await this.trailOf(s);
    const upto = await this.d.store.read((tx) => tx.events.lastSeq());
    if (upto <= s.cursor) return s;
    const { files, last, reachedStop } = await this.plan(s, trail, upto);
    const now = this.d.clock.now();
    const next = await this.update(s.id, (x) => {
      // StopLogging came meanwhile: plan again next round with its stop in view.
      if (x.stop?.requestId !== s.stop?.requestId || x.cursor !== s.cursor) return undefined;
      if (!files.length) return { ...x, cursor: last, finalAt: reachedStop ? ceilSecond(now) : undefined };
      return {
        ...x,
        pending: {
          upto: last,
          deliveredAt: now,
          bucket: trail.s3BucketName,
          files: files.map((f) => ({ region: f.region, key: logFileKey({ prefix: trail.s3KeyPrefix, accountId: trail.accountId, region: f.region, deliveredAt: now, unique: uniqueString(this.d.ids.bytes(16)) }) })),
        },
      };
    });
    if (!next) return s;
    return next.pending ? this.complete(next) : next;
  }

  /** Writes the pending log files (again, after a crash: same keys, same bytes) and moves the cursor. */
  private async complete(s: DeliverySessionRecord): Promise<DeliverySessionRecord> {
    const pending = s.pending!;
    const trail = await this.trailOf(s);
    const { files, reachedStop } = await this.plan(s, trail, pending.upto);
    const delivered: { region: string; file: DeliveredLogFile }[] = [];
    try {
      for (let i = 0; i < pending.files.length; i++) {
        const records = files[i]?.records ?? [];
        const body = logFileBody(records.map((r) => r.record));
        const key = pending.files[i].key;
        await this.d.objects.put(pending.bucket, key, gzip(body), { contentType: 'application/json' });
        const times = records.map((r) => r.eventTime.getTime());
        delivered.push({
          region: pending.files[i].region,
          file: {
            s3Bucket: pending.bucket,
            s3Object: key,
            hashValue: sha256Hex(body),
            oldestEventTime: new Date(Math.min(...times)),
            newestEventTime: new Date(Math.max(...times)),
            deliveredAt: pending.deliveredAt,
          },
        });
      }
    } catch (e) {
      const code = e instanceof ObjectStoreError ? e.code : 'InternalError';
      this.d.logger.warn('log file delivery failed', { trail: s.trailArn, bucket: pending.bucket, code });
      const now = this.d.clock.now();
      return (await this.update(s.id, (x) => ({ ...x, latestDeliveryAttemptTime: now, latestDeliveryError: code }))) ?? s;
    }
    const now = this.d.clock.now();
    return (
      (await this.update(s.id, (x) => {
        const digests = x.digests ? { ...x.digests } : undefined;
        if (digests)
          for (const { region, file } of delivered) {
            const chain = digests[region] ?? newChain(pending.deliveredAt);
            digests[region] = { ...chain, files: [...chain.files, file] };
          }
        return {
          ...x,
          cursor: pending.upto,
          pending: undefined,
          digests,
          finalAt: reachedStop ? ceilSecond(now) : x.finalAt,
          latestDeliveryTime: pending.deliveredAt,
          latestDeliveryAttemptTime: now,
          latestDeliveryAttemptSucceeded: now,
          latestDeliveryError: undefined,
        };
      })) ?? s
    );
  }

  /** Validation turned on starts digest chains; turned off (or the session ending) closes them. */
  private async followValidation(s: DeliverySessionRecord): Promise<DeliverySessionRecord> {
    if (s.finalAt) return s;
    const trail = await this.trailOf(s);
    if (trail.logFileValidationEnabled && !s.digests) {
      const now = this.d.clock.now();
      return (await this.update(s.id, (x) => ({ ...x, digests: { [x.homeRegion]: newChain(now) } }))) ?? s;
    }
    if (!trail.logFileValidationEnabled && s.digests) return this.writeDueDigests(s, ceilSecond(this.d.clock.now()));
    return s;
  }

  /**
   * Every digest whose window has ended; with `closeAt` (or a final time), each chain's last
   * digest ends there and the chains are closed.
   */
  private async writeDueDigests(session: DeliverySessionRecord, closeAt?: Date): Promise<DeliverySessionRecord> {
    let s = session;
    const close = closeAt ?? s.finalAt;
    if (!s.digests) return s;
    for (const region of Object.keys(s.digests).sort()) {
      for (;;) {
        const chain = s.digests![region];
        const due = new Date(chain.windowStart.getTime() + this.d.digestIntervalMs);
        const now = this.d.clock.now();
        let end: Date;
        if (due < now && (!close || due < close)) end = due;
        else if (close) end = close;
        else break;
        const next = await this.writeDigest(s, region, end);
        if (!next) return s;
        s = next;
        if (close && end === close) break;
      }
    }
    if (close) s = (await this.update(s.id, (x) => ({ ...x, digests: undefined }))) ?? s;
    return s;
  }

  private async writeDigest(s: DeliverySessionRecord, region: string, end: Date): Promise<DeliverySessionRecord | undefined> {
    const trail = await this.trailOf(s);
    const chain = s.digests![region];
    const files = chain.files.filter((f) => f.deliveredAt <= end);
    const key = digestKey({ prefix: trail.s3KeyPrefix, accountId: s.accountId, sourceRegion: region, trailName: s.trailName, homeRegion: s.homeRegion, end });
    const signer = await this.d.signer(region, end);
    const digest = buildDigest({
      awsAccountId: s.accountId,
      digestStartTime: chain.windowStart,
      digestEndTime: end,
      digestS3Bucket: trail.s3BucketName,
      digestS3Object: key,
      digestPublicKeyFingerprint: signer.fingerprint,
      previous: chain.previous,
      logFiles: files,
    });
    const signature = signer.sign(digest.stringToSign);
    const now = this.d.clock.now();
    try {
      await this.d.objects.put(trail.s3BucketName, key, gzip(digest.body), {
        contentType: 'application/json',
        metadata: { signature, 'signature-algorithm': 'SHA256withRSA' },
      });
    } catch (e) {
      const code = e instanceof ObjectStoreError ? e.code : 'InternalError';
      this.d.logger.warn('digest delivery failed', { trail: s.trailArn, code });
      await this.update(s.id, (x) => ({ ...x, latestDigestAttemptTime: now, latestDigestDeliveryError: code }));
      return undefined;
    }
    return this.update(s.id, (x) => {
      const c = x.digests?.[region];
      if (!c || c.windowStart.getTime() !== chain.windowStart.getTime()) return undefined;
      return {
        ...x,
        digests: {
          ...x.digests,
          [region]: {
            windowStart: end,
            previous: { s3Bucket: trail.s3BucketName, s3Object: key, hashValue: digest.hashValue, signature },
            files: c.files.filter((f) => f.deliveredAt > end),
          },
        },
        latestDigestDeliveryTime: now,
        latestDigestAttemptTime: now,
        latestDigestAttemptSucceeded: now,
        latestDigestDeliveryError: undefined,
      };
    });
  }

  /** Re-reads the session in a write transaction and applies `fn` (undefined: leave it as it is). */
  private update(id: string, fn: (s: DeliverySessionRecord) => DeliverySessionRecord | undefined): Promise<DeliverySessionRecord | undefined> {
    return this.d.store.write(async (tx) => {
      const cur = await tx.deliveries.get(id);
      const next = cur && fn(cur);
      if (next) await tx.deliveries.put(next);
      return next;
    });
  }
}

