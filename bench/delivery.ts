/**
 * Trail delivery under sustained load: DescribeCertificate at full speed (every call is an event)
 * while a trail with log file validation delivers every second; meanwhile probe calls, a few a
 * second, are timed from their answer to the moment their event can be read from a log file in
 * the bucket (the delivery lag). Throughput = events written into log files per second over the
 * loaded window; afterwards every event must be in exactly one log file.
 */
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/helpers/server.js';
import { EventSeeder } from './seed-events.js';
import { CLOUDTRAIL, Signer, call, keepAliveAgent, send } from './client.js';
import { percentile, presignedPool, runLoad, type LoadResult } from './load.js';

export interface DeliveryResult {
  concurrency: number;
  deliveryIntervalSeconds: number;
  digestIntervalSeconds: number;
  load: LoadResult;
  /** Events written into log files per wall second, load start → last event of the load delivered. */
  deliveredPerSecond: number;
  deliveredEvents: number;
  logFiles: number;
  duplicates: number;
  missingProbes: number;
  lag: { p50: number; p99: number; max: number; samples: number };
  /** After the load stopped: until the last event was in a log file. */
  drainSeconds: number;
  /** A stored backlog delivered after a restart (server start included). */
  backlog?: { events: number; delivered: number; seconds: number; perSecond: number; logFiles: number };
}

const client = (url: string) => new S3Client({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });

async function storedEvents(file: string): Promise<number> {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Lists the bucket's log files every 100 ms and reads each new one once. */
class BucketWatcher {
  readonly seen = new Map<string, number>();
  readonly eventIds = new Map<string, number>();
  readonly files = new Set<string>();
  private watching = true;

  constructor(private readonly s3: S3Client) {}

  stop(): void {
    this.watching = false;
  }

  async run(): Promise<void> {
    while (this.watching) {
      let token: string | undefined;
      do {
        const r = await this.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/000000000000/CloudTrail/', ContinuationToken: token }));
        for (const c of r.Contents ?? []) {
          if (this.files.has(c.Key!)) continue;
          this.files.add(c.Key!);
          const g = await this.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: c.Key! }));
          const at = performance.now();
          const doc = JSON.parse(gunzipSync(Buffer.from(await g.Body!.transformToByteArray())).toString('utf8'));
          for (const rec of doc.Records) {
            this.seen.set(rec.requestID, at);
            this.eventIds.set(rec.eventID, (this.eventIds.get(rec.eventID) ?? 0) + 1);
          }
        }
        token = r.NextContinuationToken;
      } while (token);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const BUCKET = 'bench-trail';

export async function deliveryBench(o: { backlog: number; concurrency: number; warmupS: number; measureS: number; env: Record<string, string>; log: (m: string) => void }): Promise<{ result: DeliveryResult; server: RunningServer }> {
  const interval = 1;
  const digestInterval = 60;
  const env = {
    ...o.env,
    CERTTRAIL_DELIVERY_INTERVAL_SECONDS: String(interval),
    CERTTRAIL_DIGEST_INTERVAL_SECONDS: String(digestInterval),
    CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600',
    CERTTRAIL_KEY_POOL_SIZE: '1',
  };
  const server = await startServer(env);
  let restarted: RunningServer | undefined;
  const s3 = client(server.url);
  const agent = keepAliveAgent(o.concurrency + 2);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const ct = new Signer(server.port, CLOUDTRAIL);
    await call(agent, ct, 'CreateTrail', { Name: 'bench', S3BucketName: BUCKET, EnableLogFileValidation: true });
    await call(agent, ct, 'StartLogging', { Name: 'bench' });
    const acm = new Signer(server.port);
    const { out } = await call(agent, acm, 'RequestCertificate', { DomainName: 'delivery.bench.example.com', ValidationMethod: 'DNS' });
    const input = { CertificateArn: out.CertificateArn };
    const ref = await call(agent, acm, 'DescribeCertificate', input);
    const expectLength = Buffer.byteLength(JSON.stringify(ref.out));

    const watcher = new BucketWatcher(s3);
    const seen = watcher.seen;
    const eventIds = watcher.eventIds;
    const files = watcher.files;
    const watch = watcher.run();

    // Probes: one DescribeCertificate every 200 ms, its answer time by request id.
    const probes = new Map<string, number>();
    let probing = true;
    const probeAgent = keepAliveAgent(1);
    const probe = (async () => {
      while (probing) {
        const p = await acm.sign('DescribeCertificate', input);
        const r = await send(probeAgent, server.port, p, true);
        if (r.status === 200) probes.set(r.requestId!, performance.now());
        await new Promise((res) => setTimeout(res, 200));
      }
    })();

    o.log(`delivery: DescribeCertificate load, warm-up ${o.warmupS} s, measure ${o.measureS} s at concurrency ${o.concurrency}, delivery every ${interval} s`);
    const pool = await presignedPool(64, (at) => acm.sign('DescribeCertificate', input, at));
    const t0 = performance.now();
    const load = await runLoad({ agent, port: server.port, next: pool.next, concurrency: o.concurrency, warmupMs: o.warmupS * 1000, measureMs: o.measureS * 1000, expectLength, serverPid: server.proc.pid });
    pool.stop();
    probing = false;
    await probe;
    const loadEnd = performance.now();
    const expected = load.okIncludingWarmup + probes.size;
    // Drain: until every 200 (load and probes) is in a log file, or 60 s.
    const deadline = loadEnd + 60_000;
    while (eventIds.size < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const drained = performance.now();
    o.log(`delivery: ${load.okIncludingWarmup} load 200s (${Math.round(load.rps)} req/s) + ${probes.size} probes; ${eventIds.size} events delivered`);
    watcher.stop();
    await watch;
    probeAgent.destroy();

    const lags = [...probes].filter(([id]) => seen.has(id)).map(([id, t]) => seen.get(id)! - t).sort((a, b) => a - b);
    const result: DeliveryResult = {
      concurrency: o.concurrency,
      deliveryIntervalSeconds: interval,
      digestIntervalSeconds: digestInterval,
      load,
      deliveredEvents: eventIds.size,
      deliveredPerSecond: eventIds.size / ((drained - t0) / 1000),
      logFiles: files.size,
      duplicates: [...eventIds.values()].filter((n) => n > 1).length,
      missingProbes: probes.size - lags.length,
      lag: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN, samples: lags.length },
      drainSeconds: (drained - loadEnd) / 1000,
    };
    s3.destroy();

    // Capacity: a backlog of stored events the trail has not delivered yet (written into the
    // stopped server's database, as if calls had been made during an outage), timed from the
    // restart until the last of them is in a log file.
    o.log(`delivery: backlog of ${o.backlog} events`);
    const before = eventIds.size;
    const code = await server.stop();
    if (code !== 0) throw new Error(`delivery server exited ${code}`);
    await new EventSeeder().grow(join(server.dataDir, 'certtrail.db'), await storedEvents(join(server.dataDir, 'certtrail.db')) + o.backlog, Date.now());
    const t1 = performance.now();
    restarted = await startServer(env, server.dataDir);
    const s3b = client(restarted.url);
    const w2 = new BucketWatcher(s3b);
    for (const k of files) w2.files.add(k);
    const run2 = w2.run();
    const until = performance.now() + 600_000;
    while (before + w2.eventIds.size < before + o.backlog && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    const backlogSeconds = (performance.now() - t1) / 1000;
    w2.stop();
    await run2;
    s3b.destroy();
    result.backlog = { events: o.backlog, delivered: w2.eventIds.size, seconds: backlogSeconds, perSecond: w2.eventIds.size / backlogSeconds, logFiles: w2.files.size - files.size };
    o.log(`delivery: ${Math.round(result.deliveredPerSecond)} events/s into ${files.size} log files, lag p50 ${result.lag.p50.toFixed(0)} ms p99 ${result.lag.p99.toFixed(0)} ms, drain ${result.drainSeconds.toFixed(1)} s`);
    return { result, server: restarted };
  } catch (e) {
    await (restarted ?? server).stop();
    throw e;
  } finally {
    agent.destroy();
    s3.destroy();
  }
}

export function deliveryMarkdown(d: DeliveryResult): string[] {
  const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
  return [
    `### Trail delivery under load (concurrency ${d.concurrency})`,
    '',
    '| Load (DescribeCertificate) req/s | Events into log files /s | Log files | Delivery lag p50 / p99 / max ms | Drain after load | Duplicates | Probes not delivered | Server CPU (cores) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${f0(d.load.rps)} | ${f0(d.deliveredPerSecond)} | ${f0(d.logFiles)} | ${f0(d.lag.p50)} / ${f0(d.lag.p99)} / ${f0(d.lag.max)} (${d.lag.samples} probes) | ${d.drainSeconds.toFixed(1)} s | ${d.duplicates} | ${d.missingProbes} | ${d.load.serverCpu?.toFixed(2) ?? '–'} |`,
    '',
    ...(d.backlog
      ? [
          `Backlog: ${f0(d.backlog.events)} stored events not yet delivered (written into the stopped server's database by \`bench/seed-events.ts\`, as calls made while delivery was behind), delivered in ${d.backlog.seconds.toFixed(1)} s after a restart (server start included) into ${f0(d.backlog.logFiles)} log files: **${f0(d.backlog.perSecond)} events/s** (${f0(d.backlog.delivered)} delivered) — the delivery engine's capacity, where the row above is bounded by how fast the API makes events.`,
          '',
        ]
      : []),
    `A trail with log file validation (digest every ${d.digestIntervalSeconds} s) delivers every ${d.deliveryIntervalSeconds} s (CERTTRAIL_DELIVERY_INTERVAL_SECONDS; AWS's cadence, the default, is about 5 minutes) while DescribeCertificate runs at full speed, every call an event. ` +
      'Events into log files /s: distinct events read back from the bucket per second, from the start of the load until the last one was delivered. ' +
      'Lag: a probe DescribeCertificate every 200 ms, from its answer to the moment a watcher listing the bucket every 100 ms (S3 ListObjectsV2 + GetObject on certtrail itself) had read its event from a log file — so it includes up to one delivery interval of waiting plus up to 100 ms of polling.',
    '',
  ];
}
