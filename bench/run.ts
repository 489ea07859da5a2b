/**
 * `npm run bench`: certtrail's throughput, issuance latency and event history, written to
 * BENCHMARKS.md.
 *
 *   1. DescribeCertificate on an issued certificate,
 *   2. ListCertificates with 100 issued RSA_2048 certificates in the account,
 *   3. AddTagsToCertificate (a state change and its event in one durable transaction), once
 *      with CERTTRAIL_SQLITE_SYNCHRONOUS=FULL (the default) and once with NORMAL,
 *   4. a bare node:http server answering a canned DescribeCertificate body (the ceiling),
 *   5. RequestCertificate → ISSUED for a burst of 50, EC_prime256v1 and RSA_2048,
 *   6. LookupEvents by EventName, ResourceName and Username (a common and a rare value each)
 *      with 10k, 100k and 1M events stored (seeded into the stopped server's database),
 *   7. PostgreSQL beside SQLite (part `postgres`): 1, 2 and 3 certtrail nodes on one database,
 *      DescribeCertificate and AddTagsToCertificate with the load spread over the nodes (the
 *      one-node figures stand beside 1 and 3 on SQLite), and 6 on PostgreSQL. Skipped, with a
 *      note, when no server answers at CERTTRAIL_BENCH_DATABASE_URL, else a postgres:// one in
 *      CERTTRAIL_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test; each phase has
 *      a schema of its own, dropped after.
 *
 * Environment: BENCH_SECONDS (measured seconds per phase, default 10), BENCH_WARMUP_SECONDS
 * (default 2), BENCH_CONCURRENCY (default 32), BENCH_SIGNING=presigned|live (default
 * presigned), BENCH_BURST (default 50),
 * BENCH_ONLY=throughput|mutate|burst|lookup|postgres|delivery|bus (one part, or several
 * comma-separated; the ceiling runs with throughput and with mutate),
 * BENCH_LOOKUP_MAX (largest event count, SQLite and PostgreSQL, default 1000000),
 * BENCH_LOOKUP_SECONDS (measured seconds per lookup, default min(BENCH_SECONDS, 2)),
 * BENCH_LOOKUP_CONCURRENCY (default 8),
 * BENCH_CPU_PROF=<dir> (CPU-profile the certtrail servers), BENCH_DEBUG=1 (burst poll timeline).
 */
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT, freePort, startServer, type RunningServer } from '../test/helpers/server.js';
import { AcmError, CLOUDTRAIL, Signer, call, keepAliveAgent, send, type Api, type Prepared } from './client.js';
import { percentile, presignedPool, runLoad, type LoadResult } from './load.js';
import { commandCpuSeconds, waitQuiet } from './proc.js';
import { deliveryBench, deliveryMarkdown, type DeliveryResult } from './delivery.js';
import { busBench, busMarkdown, type BusBenchResult } from './bus.js';
import {
  machine, markdown, writeBenchmarks,
  type BurstResult, type LookupAttribute, type LookupReport, type LookupRow, type LookupStage, type MutateRow, type PgNodesRow, type PostgresReport, type Report, type ThroughputRow,
} from './report.js';
import { sqliteEvents, postgresEvents, type EventStore, type Launch } from './event-stores.js';
import { BENCH_DATABASE_URL, createSchema, isLocal, pgQuery, probe, redact } from './pg.js';
import { EventSeeder, RARE_COUNT, RARE_EVENT_NAME, RARE_USER, REGION, SPAN_MS } from './seed-events.js';

const num = (name: string, dflt: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${v}'`);
  return n;
};

const MEASURE_S = num('BENCH_SECONDS', 10);
const WARMUP_S = num('BENCH_WARMUP_SECONDS', 2);
const CONCURRENCY = Math.max(1, Math.floor(num('BENCH_CONCURRENCY', 32)));
const BURST = Math.max(1, Math.floor(num('BENCH_BURST', 50)));
const SIGNING = (process.env.BENCH_SIGNING || 'presigned') as 'presigned' | 'live';
if (SIGNING !== 'presigned' && SIGNING !== 'live') throw new Error(`BENCH_SIGNING must be 'presigned' or 'live'`);
const PARTS = ['throughput', 'mutate', 'burst', 'lookup', 'postgres', 'delivery', 'bus'] as const;
type Part = (typeof PARTS)[number];
const ONLY = new Set((process.env.BENCH_ONLY || '').split(',').map((x) => x.trim()).filter(Boolean));
for (const p of ONLY) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY must be one or more (comma-separated) of ${PARTS.join(', ')}; got '${p}'`);
const runs = (p: Part) => ONLY.size === 0 || ONLY.has(p);
const LOOKUP_SIZES_ALL = [10_000, 100_000, 1_000_000];
const LOOKUP_MAX = num('BENCH_LOOKUP_MAX', 1_000_000);
const LOOKUP_SIZES = LOOKUP_SIZES_ALL.filter((n) => n <= LOOKUP_MAX);
if (LOOKUP_SIZES.length === 0) throw new Error(`BENCH_LOOKUP_MAX must be at least ${LOOKUP_SIZES_ALL[0]}`);
const LOOKUP_SECONDS = num('BENCH_LOOKUP_SECONDS', Math.min(MEASURE_S, 2));
// Short: each server has had its own warm-up (LOOKUP_SERVER_WARMUP_S) before the first phase.
const LOOKUP_WARMUP_S = Math.min(WARMUP_S, 0.5);
const LOOKUP_CONCURRENCY = Math.max(1, Math.floor(num('BENCH_LOOKUP_CONCURRENCY', 8)));
const LOOKUP_PAGE = 50;
/** Untimed lookups against each freshly started lookup server, before its first phase. */
const LOOKUP_SERVER_WARMUP_S = 2;
const DEBUG = Boolean(process.env.BENCH_DEBUG);
const PROFILE_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const POOL = 64;
const LIST_CERTS = 100;
const BURST_POLL_MS = 50;

/**
 * "Quiet" = the server used under this much of a core for QUIET_SECONDS in a row. Refilling the
 * key pool keeps a core busy (one generation at a time on 2 cores), while certtrail's idle
 * lifecycle polling costs a few % here (it grows with the number of issued certificates).
 */
const QUIET_CORES = 0.2;
const QUIET_SECONDS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const notes: string[] = [];
let setupErrors = 0;
let fatal = 0;

/** One part of the run; a failure is reported and the next part still runs. */
async function part(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const msg = e instanceof AcmError ? `${e.message}` : e instanceof Error ? e.stack ?? e.message : String(e);
    fatal++;
    log(`FAILED (${what}): ${msg}`);
    notes.push(`The ${what} part stopped early: ${msg.split('\n')[0]}`);
  }
}

/** Env for a certtrail child; with BENCH_CPU_PROF it is profiled (see bench/cpu-profile.mjs). */
function certtrailEnv(env: Record<string, string>, tag: string): Record<string, string> {
  if (!PROFILE_DIR) return env;
  mkdirSync(PROFILE_DIR, { recursive: true });
  const file = join(PROFILE_DIR, `certtrail-${tag}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  notes.push(`CPU profile of the ${tag} server: ${file}`);
  const preload = `--import=${pathToFileURL(join(ROOT, 'bench/cpu-profile.mjs')).href}`;
  return { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim(), BENCH_CPU_PROF_FILE: file };
}

async function stopServer(s: RunningServer, name: string, keepData = false): Promise<void> {
  const code = await s.stop();
  if (!keepData) rmSync(s.dataDir, { recursive: true, force: true });
  if (code !== 0) {
    setupErrors++;
    notes.push(`${name} exited with code ${code} at the end of the run.`);
  }
  const errs = s
    .output()
    .split('\n')
    .filter((l) => l.includes('"level":"error"'));
  if (errs.length) {
    setupErrors += errs.length;
    notes.push(`${name} logged ${errs.length} error line(s), e.g. \`${errs[0].slice(0, 200)}\`.`);
  }
}

/**
 * A phase's input: the same for every request, or one per request (`at` = its signing time,
 * `node` = the index of the server it goes to when the load is spread over several).
 */
type Input = unknown | ((at: Date, node: number) => unknown);
const inputAt = (input: Input, at: Date, node: number) => (typeof input === 'function' ? (input as (at: Date, node: number) => unknown)(at, node) : input);

/** Requests for a phase: a pre-signed pool, or a signer called for every request. */
async function requestSource(signer: Signer, operation: string, input: Input, node = 0): Promise<{ next: () => Prepared | Promise<Prepared>; stop: () => void }> {
  if (SIGNING === 'presigned') return presignedPool(POOL, (at) => signer.sign(operation, inputAt(input, at, node), at));
  return { next: () => signer.sign(operation, inputAt(input, new Date(), node)), stop: () => undefined };
}

interface PhaseOptions {
  api?: Api;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  concurrency?: number;
  warmupS?: number;
  measureS?: number;
  /** Several servers: the workers are spread evenly over them (port and serverPid are then unused). */
  nodes?: { port: number; pid?: number }[];
  /** CPU seconds of the database server so far, for the phase's database CPU column. */
  dbCpuSeconds?: () => number | undefined;
}

async function phase(name: string, port: number, serverPid: number | undefined, operation: string, input: Input, expectLength: number, o: PhaseOptions = {}): Promise<ThroughputRow> {
  const concurrency = o.concurrency ?? CONCURRENCY;
  const warmupS = o.warmupS ?? WARMUP_S;
  const measureS = o.measureS ?? MEASURE_S;
  log(`${name}: warm-up ${warmupS} s, measure ${measureS} s at concurrency ${concurrency}`);
  const nodes = o.nodes ?? [{ port, pid: serverPid }];
  const agent = keepAliveAgent(concurrency);
  // One source per server: a request is signed for the host:port it is sent to.
  const srcs = await Promise.all(nodes.map((n, i) => requestSource(new Signer(n.port, o.api, o.credentials), operation, input, i)));
  try {
    const targets = nodes.map((n, i) => ({ port: n.port, pid: n.pid, next: srcs[i].next }));
    const r = await runLoad({ agent, port: targets[0].port, next: targets[0].next, targets, concurrency, warmupMs: warmupS * 1000, measureMs: measureS * 1000, expectLength, dbCpuSeconds: o.dbCpuSeconds });
    const cpu = [r.serverCpu === undefined ? '' : `server ${r.serverCpu.toFixed(2)}`, r.dbCpu === undefined ? '' : `database ${r.dbCpu.toFixed(2)}`, `load-gen ${r.loadgenCpu.toFixed(2)}`].filter(Boolean).join(', ');
    log(`${name}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, errors ${r.errors}; CPU cores: ${cpu}`);
    return { name, r };
  } finally {
    for (const src of srcs) src.stop();
    agent.destroy();
  }
}

/** Waits for the server's background work (key pool refill) to finish before a timed phase. */
async function settle(s: { proc: ChildProcess }, what: string): Promise<{ seconds: number; quiet: boolean }> {
  const w = await waitQuiet(s.proc.pid!, { threshold: QUIET_CORES, quietSeconds: QUIET_SECONDS, timeoutSeconds: 300 });
  log(`${what}: server quiet after ${w.seconds.toFixed(0)} s${w.quiet ? '' : ' (did NOT go quiet — timed out or not measurable)'}`);
  if (!w.quiet) notes.push(`${what}: the server did not go quiet (CPU < ${QUIET_CORES * 100} % of a core for ${QUIET_SECONDS} s) within ${w.seconds.toFixed(0)} s; background work may have overlapped the measurement.`);
  return w;
}

async function waitAllIssued(agent: ReturnType<typeof keepAliveAgent>, signer: Signer, arns: Set<string>, keyTypes: string[], timeoutMs: number): Promise<Map<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { out } = await call(agent, signer, 'ListCertificates', { Includes: { keyTypes }, MaxItems: 1000 });
    const mine = (out.CertificateSummaryList as any[]).filter((c) => arns.has(c.CertificateArn));
    const bad = mine.filter((c) => c.Status !== 'ISSUED' && c.Status !== 'PENDING_VALIDATION');
    if (bad.length) throw new Error(`${bad.length} certificate(s) ended ${bad[0].Status}`);
    if (mine.length === arns.size && mine.every((c) => c.Status === 'ISSUED')) return new Map(mine.map((c) => [c.CertificateArn, c]));
    if (Date.now() > deadline) throw new Error(`only ${mine.filter((c) => c.Status === 'ISSUED').length}/${arns.size} ISSUED after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

// ─── 1 + 2: DescribeCertificate and ListCertificates ─────────────────────────────────────────

async function certtrailThroughput(): Promise<{ rows: ThroughputRow[]; describeBody: string }> {
  log('starting certtrail (throughput)');
  const server = await startServer(
    certtrailEnv({ CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '0', CERTTRAIL_LIFECYCLE_POLL_MS: '250', CERTTRAIL_KEY_POOL_SIZE: '8' }, 'throughput'),
  );
  try {
    const agent = keepAliveAgent(8);
    const signer = new Signer(server.port);
    log(`requesting ${LIST_CERTS} RSA_2048 certificates`);
    const arns: string[] = [];
    let i = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (i < LIST_CERTS) {
          const n = i++;
          const { out } = await call(agent, signer, 'RequestCertificate', { DomainName: `list-${n}.bench.example.com`, ValidationMethod: 'DNS', KeyAlgorithm: 'RSA_2048' });
          arns.push(out.CertificateArn);
        }
      }),
    );
    const t0 = Date.now();
    await waitAllIssued(agent, signer, new Set(arns), ['RSA_2048'], 300_000);
    log(`all ${LIST_CERTS} issued ${((Date.now() - t0) / 1000).toFixed(1)} s after the last request`);
    await settle(server, 'throughput server');

    // Reference answers: what every measured response must look like.
    const arn = arns[0];
    const d = await call(agent, signer, 'DescribeCertificate', { CertificateArn: arn });
    if (d.out.Certificate?.Status !== 'ISSUED') throw new Error(`DescribeCertificate reference answer is not ISSUED: ${JSON.stringify(d.out).slice(0, 300)}`);
    const describeBody = JSON.stringify(d.out);
    const l = await call(agent, signer, 'ListCertificates', {});
    const summaries = l.out.CertificateSummaryList as any[];
    if (summaries.length !== LIST_CERTS || summaries.some((c) => c.Status !== 'ISSUED'))
      throw new Error(`ListCertificates reference answer has ${summaries.length} summaries (expected ${LIST_CERTS} ISSUED)`);
    const listLength = Buffer.byteLength(JSON.stringify(l.out));
    agent.destroy();
    notes.push(
      `DescribeCertificate answer: ${Buffer.byteLength(describeBody)} bytes; ListCertificates answer: ${listLength} bytes (${LIST_CERTS} summaries, one page).`,
    );

    const rows = [
      await phase('certtrail DescribeCertificate', server.port, server.proc.pid, 'DescribeCertificate', { CertificateArn: arn }, Buffer.byteLength(describeBody)),
      await phase(`certtrail ListCertificates (${LIST_CERTS} certs)`, server.port, server.proc.pid, 'ListCertificates', {}, listLength),
    ];
    const credentials = await policyHeavyUser(server.url, arn);
    rows.push(await phase(`certtrail DescribeCertificate as an IAM user (${AUTHZ_POLICIES} policies × ${AUTHZ_STATEMENTS} statements)`, server.port, server.proc.pid, 'DescribeCertificate', { CertificateArn: arn }, Buffer.byteLength(describeBody), { credentials }));
    return { rows, describeBody };
  } finally {
    await stopServer(server, 'certtrail (throughput)');
  }
}

const AUTHZ_POLICIES = 10;
const AUTHZ_STATEMENTS = 20;

/**
 * An IAM user whose DescribeCertificate is decided by 10 attached managed policies of 20
 * statements each: wildcard actions and resources, conditions on tags, keys and source IP, a
 * few denies that do not apply — and the one Allow that does in the last statement of the last
 * policy, so every call walks all of them.
 */
async function policyHeavyUser(url: string, arn: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = new IAMClient({ endpoint: url, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    await iam.send(new CreateUserCommand({ UserName: 'bench-authz' }));
    for (let p = 0; p < AUTHZ_POLICIES; p++) {
      const Statement = Array.from({ length: AUTHZ_STATEMENTS }, (_, i) => {
        if (p === AUTHZ_POLICIES - 1 && i === AUTHZ_STATEMENTS - 1) return { Effect: 'Allow', Action: 'acm:Describe*', Resource: arn.replace(/[^/]+$/, '*'), Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104'] } } };
        if (i % 5 === 0) return { Effect: 'Deny', Action: ['acm:Delete*', 'acm:Revoke*'], Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/team': `t${p}-${i}` } } };
        if (i % 5 === 1) return { Effect: 'Allow', Action: 'acm:ListCertificates', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } };
        if (i % 5 === 2) return { Effect: 'Allow', Action: ['acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'], Resource: `arn:aws:acm:*:*:certificate/p${p}-${i}-*`, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } };
        if (i % 5 === 3) return { Effect: 'Allow', Action: 'acm:RequestCertificate', Resource: '*', Condition: { StringEquals: { 'acm:KeyAlgorithm': 'EC_prime256v1' }, StringLike: { 'aws:RequestTag/env': `env-${p}-*` } } };
        return { Effect: 'Allow', Action: 'acm:Describe*', Resource: `arn:aws:acm:eu-west-${(p % 3) + 1}:*:certificate/*`, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } };
      });
      const pol = await iam.send(new CreatePolicyCommand({ PolicyName: `bench-authz-${p}`, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'bench-authz', PolicyArn: pol.Policy!.Arn }));
    }
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bench-authz' }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}

// ─── 3: AddTagsToCertificate, the state change and its event in one durable transaction ──────

/** The file system type under `dir` (for the durability note: fsync on tmpfs is free). */
function fsType(dir: string): string {
  try {
    return execFileSync('df', ['--output=fstype', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop()!.trim();
  } catch {
    return 'unknown';
  }
}

/** What one fsync costs on the disk under `dir`: fdatasync after a 4 KiB write, as a WAL commit does. */
function fsyncLatency(dir: string, n = 200): { p50: number; p99: number } {
  const f = join(dir, `certtrail-bench-fsync-${process.pid}`);
  const fd = openSync(f, 'w');
  const buf = Buffer.alloc(4096, 1);
  const ms: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      writeSync(fd, buf, 0, buf.length, i * buf.length);
      const t0 = performance.now();
      fdatasyncSync(fd);
      ms.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(f, { force: true });
  }
  const st = stats(ms);
  return { p50: st.p50, p99: st.p99 };
}

async function mutate(synchronous: 'FULL' | 'NORMAL'): Promise<{ row: MutateRow; describeBody: string }> {
  const env = {
    CERTTRAIL_SQLITE_SYNCHRONOUS: synchronous,
    CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '0',
    CERTTRAIL_LIFECYCLE_POLL_MS: '250',
    CERTTRAIL_KEY_POOL_SIZE: '1',
  };
  log(`starting certtrail (mutate): ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  const server = await startServer(certtrailEnv(env, `mutate-${synchronous.toLowerCase()}`));
  let stopped = false;
  try {
    const agent = keepAliveAgent(2);
    const signer = new Signer(server.port);
    const { out } = await call(agent, signer, 'RequestCertificate', { DomainName: 'tags.bench.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1' });
    const arn = out.CertificateArn as string;
    await waitAllIssued(agent, signer, new Set([arn]), ['EC_prime256v1'], 60_000);
    await settle(server, `mutate server (${synchronous})`);
    const d = await call(agent, signer, 'DescribeCertificate', { CertificateArn: arn });
    const describeBody = JSON.stringify(d.out);
    // Every request sets the same tag to another value, so every call changes the certificate.
    const input = (at: Date) => ({ CertificateArn: arn, Tags: [{ Key: 'bench', Value: `v-${at.getTime()}` }] });
    const ref = await call(agent, signer, 'AddTagsToCertificate', input(new Date(0)));
    const refLength = Buffer.byteLength(JSON.stringify(ref.out));
    agent.destroy();
    const { r } = await phase(`certtrail AddTagsToCertificate (synchronous=${synchronous})`, server.port, server.proc.pid, 'AddTagsToCertificate', input, refLength);

    // Every 200 must have its event: count them in the database once the server has stopped.
    await stopServer(server, `certtrail (mutate, ${synchronous})`, true);
    stopped = true;
    const db = new Database(join(server.dataDir, 'certtrail.db'), { readonly: true });
    let events: number;
    try {
      events = (
        db.prepare("SELECT count(*) AS n FROM events WHERE event_name = 'AddTagsToCertificate' AND resource_name = ? AND json_extract(record, '$.errorCode') IS NULL").get(arn) as { n: number }
      ).n;
    } finally {
      db.close();
    }
    const expected = r.okIncludingWarmup + 1;
    if (events !== expected) {
      setupErrors++;
      notes.push(`AddTagsToCertificate (synchronous=${synchronous}): ${expected} calls answered 200 but ${events} successful AddTagsToCertificate events are stored.`);
    }
    return { row: { synchronous, r, answered200: expected, events, fsType: fsType(server.dataDir) }, describeBody };
  } finally {
    if (!stopped) await stopServer(server, `certtrail (mutate, ${synchronous})`, true);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

// ─── 4: the bare-Node ceiling ─────────────────────────────────────────────────────────────────

async function bareCeiling(describeBody: string, arn: string): Promise<ThroughputRow> {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-bench-bare-'));
  const bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, describeBody);
  const port = await freePort();
  log('starting bare node:http server');
  const proc = spawn(process.execPath, [join(ROOT, 'bench/bare-server.mjs')], { env: { ...process.env, PORT: String(port), BODY_FILE: bodyFile }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((res, rej) => {
      let out = '';
      proc.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('listening')) res();
      });
      proc.once('exit', (code) => rej(new Error(`bare server exited early (${code})`)));
    });
    await sleep(500);
    // The same DescribeCertificate request certtrail got, signed for this port.
    return await phase('bare node:http, canned DescribeCertificate body (ceiling)', port, proc.pid, 'DescribeCertificate', { CertificateArn: arn }, Buffer.byteLength(describeBody));
  } finally {
    await new Promise<void>((res) => {
      if (proc.exitCode !== null) return res();
      proc.once('exit', () => res());
      proc.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ─── 5: RequestCertificate → ISSUED burst ────────────────────────────────────────────────────

function stats(xs: number[]): { p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
}

async function burst(server: RunningServer, algorithm: 'EC_prime256v1' | 'RSA_2048', pool: { seconds: number; quiet: boolean }): Promise<BurstResult> {
  const port = server.port;
  const signer = new Signer(port);
  const agent = keepAliveAgent(BURST);
  const pollAgent = keepAliveAgent(2);
  const errorNotes: string[] = [];
  const tag = algorithm === 'RSA_2048' ? 'rsa' : 'ec';
  try {
    // Pre-signed so the burst leaves at once; connections opened beforehand, as a warm client's would be.
    const reqs = await Promise.all(
      Array.from({ length: BURST }, (_, i) => signer.sign('RequestCertificate', { DomainName: `burst-${tag}-${i}.bench.example.com`, ValidationMethod: 'DNS', KeyAlgorithm: algorithm })),
    );
    await Promise.all(Array.from({ length: BURST }, () => call(agent, signer, 'GetAccountConfiguration', {})));
    await call(pollAgent, signer, 'GetAccountConfiguration', {});

    log(`burst: ${BURST} × RequestCertificate ${algorithm}`);
    const t0 = performance.now();
    const polls: { at: number; ms: number; issued: Set<string>; failed: string[] }[] = [];
    let done = false;
    let arnSet: Set<string> | undefined;
    const poller = (async () => {
      const deadline = t0 + 300_000;
      while (!done) {
        try {
          const { out, receivedAt, sentAt } = await call(pollAgent, signer, 'ListCertificates', { Includes: { keyTypes: [algorithm] }, MaxItems: 1000 });
          const list = out.CertificateSummaryList as any[];
          if (DEBUG) log(`poll sent +${Math.round(sentAt - t0)} ms answered +${Math.round(receivedAt - t0)} ms: ${list.length} listed, ${list.filter((c) => c.Status === 'ISSUED').length} ISSUED`);
          polls.push({
            at: receivedAt,
            ms: receivedAt - sentAt,
            issued: new Set(list.filter((c) => c.Status === 'ISSUED').map((c) => c.CertificateArn)),
            failed: list.filter((c) => c.Status !== 'ISSUED' && c.Status !== 'PENDING_VALIDATION').map((c) => `${c.CertificateArn}: ${c.Status}`),
          });
          const last = polls[polls.length - 1];
          if (last.failed.length) break;
          if (arnSet && [...arnSet].every((a) => last.issued.has(a))) break;
        } catch (e) {
          errorNotes.push(`poll failed: ${e instanceof Error ? e.message : String(e)}`);
          break;
        }
        if (performance.now() > deadline) {
          errorNotes.push('not all ISSUED within 300 s');
          break;
        }
        await sleep(BURST_POLL_MS);
      }
    })();
    const replies = await Promise.all(
      reqs.map(async (p) => {
        const sentAt = performance.now();
        const r = await send(agent, port, p, true);
        return { sentAt, ms: performance.now() - sentAt, r };
      }),
    );
    const ok = replies.filter((x) => x.r.status === 200);
    for (const x of replies.filter((x) => x.r.status !== 200).slice(0, 3)) errorNotes.push(`RequestCertificate → ${x.r.status} ${x.r.error ?? x.r.text?.slice(0, 150)}`);
    const sentAtByArn = new Map(ok.map((x) => [JSON.parse(x.r.text!).CertificateArn as string, x.sentAt]));
    arnSet = new Set(sentAtByArn.keys());
    await poller;
    done = true;
    for (const p of polls) if (p.failed.length) errorNotes.push(`${p.failed.length} certificate(s) not issued: ${p.failed[0]}`);

    const firstSeen = new Map<string, number>();
    for (const p of polls) for (const a of p.issued) if (arnSet.has(a) && !firstSeen.has(a)) firstSeen.set(a, p.at);
    const lastSeen = Math.max(...firstSeen.values());

    // The server's own timestamps, from one final listing.
    const { out } = await call(pollAgent, signer, 'ListCertificates', { Includes: { keyTypes: [algorithm] }, MaxItems: 1000 });
    const mine = (out.CertificateSummaryList as any[]).filter((c) => arnSet!.has(c.CertificateArn) && c.Status === 'ISSUED' && c.IssuedAt !== undefined);
    const serverMs = mine.map((c) => (c.IssuedAt - c.CreatedAt) * 1000);
    const serverTotalMs = mine.length ? (Math.max(...mine.map((c) => c.IssuedAt)) - Math.min(...mine.map((c) => c.CreatedAt))) * 1000 : NaN;
    const clientMs = [...firstSeen.entries()].map(([a, at]) => at - sentAtByArn.get(a)!);

    const notIssued = BURST - mine.length;
    if (notIssued > 0 && !errorNotes.some((n) => n.includes('not issued'))) errorNotes.push(`${notIssued} certificate(s) not ISSUED`);
    const errors = replies.length - ok.length + notIssued + errorNotes.filter((n) => n.startsWith('poll failed')).length;
    const result: BurstResult = {
      algorithm,
      size: BURST,
      request: stats(replies.map((x) => x.ms)),
      serverToIssued: stats(serverMs),
      clientToIssued: stats(clientMs),
      serverTotalMs,
      clientTotalMs: firstSeen.size ? lastSeen - t0 : NaN,
      issued: mine.length,
      polls: polls.length,
      pollLatency: stats(polls.map((p) => p.ms)),
      errors,
      errorNotes,
      pollMs: BURST_POLL_MS,
      poolWaitSeconds: pool.seconds,
      poolQuiet: pool.quiet,
    };
    log(
      `burst ${algorithm}: RequestCertificate p50 ${result.request.p50.toFixed(1)} ms p99 ${result.request.p99.toFixed(1)} ms; to ISSUED p50 ${Math.round(result.serverToIssued.p50)} ms max ${Math.round(result.serverToIssued.max)} ms; whole burst ${Math.round(serverTotalMs)} ms; errors ${errors}`,
    );
    return result;
  } finally {
    agent.destroy();
    pollAgent.destroy();
  }
}

async function bursts(): Promise<BurstResult[]> {
  log('starting certtrail (burst): CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS=0 CERTTRAIL_LIFECYCLE_POLL_MS=50 CERTTRAIL_KEY_POOL_SIZE=64');
  const server = await startServer(
    certtrailEnv({ CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '0', CERTTRAIL_LIFECYCLE_POLL_MS: '50', CERTTRAIL_KEY_POOL_SIZE: '64' }, 'burst'),
  );
  try {
    const out: BurstResult[] = [];
    for (const alg of ['EC_prime256v1', 'RSA_2048'] as const) {
      const pool = await settle(server, `key pool fill before the ${alg} burst`);
      out.push(await burst(server, alg, pool));
    }
    return out;
  } finally {
    await stopServer(server, 'certtrail (burst)');
  }
}

// ─── 6: LookupEvents with 10k, 100k and 1M stored events ─────────────────────────────────────

const LOOKUP_COLUMN: Record<LookupAttribute, string> = { EventName: 'event_name', ResourceName: 'resource_name', Username: 'username' };

/** The reference answer must be the right page: the newest matching events, newest first. */
function checkLookupAnswer(q: { attribute: LookupAttribute; value: string }, out: any, matches: number): number {
  const events = out.Events as any[];
  const want = Math.min(LOOKUP_PAGE, matches);
  const field = (e: any) => (q.attribute === 'ResourceName' ? e.Resources?.[0]?.ResourceName : e[q.attribute]);
  const bad = events.find((e) => field(e) !== q.value);
  const unordered = events.some((e, i) => i > 0 && e.EventTime > events[i - 1].EventTime);
  if (events.length !== want || bad || unordered || (matches > LOOKUP_PAGE) !== (out.NextToken !== undefined))
    throw new Error(
      `LookupEvents ${q.attribute}=${q.value}: reference answer has ${events.length} events (expected ${want} of ${matches} stored)${bad ? `, one with ${q.attribute} ${field(bad)}` : ''}${unordered ? ', not newest first' : ''}, NextToken ${out.NextToken === undefined ? 'absent' : 'present'}`,
    );
  return events.length;
}

/** Starts a certtrail child for the lookup phase (see bench/event-stores.ts). */
const launch: Launch = (env, tag, dataDir) => startServer(certtrailEnv(env, tag), dataDir);
/** No key pool: nothing in the background; SQLite's default synchronous=FULL. */
const LOOKUP_ENV = { CERTTRAIL_KEY_POOL_SIZE: '0', CERTTRAIL_LIFECYCLE_POLL_MS: '250' };

async function lookups(store: EventStore): Promise<LookupReport> {
  const pg = store.backend === 'PostgreSQL';
  const what = pg ? 'lookup on PostgreSQL' : 'lookup';
  const tag = pg ? 'pg-lookup' : 'lookup';
  const seeder = new EventSeeder();
  const queries: { attribute: LookupAttribute; kind: 'common' | 'rare'; value: string }[] = [
    { attribute: 'EventName', kind: 'common', value: 'DescribeCertificate' },
    { attribute: 'EventName', kind: 'rare', value: RARE_EVENT_NAME },
    { attribute: 'ResourceName', kind: 'common', value: seeder.hotCert },
    { attribute: 'ResourceName', kind: 'rare', value: seeder.rareCert },
    { attribute: 'Username', kind: 'common', value: seeder.commonUser },
    { attribute: 'Username', kind: 'rare', value: RARE_USER },
  ];
  const rows: LookupRow[] = queries.map((q) => ({ ...q, cells: [] }));
  const stages: LookupStage[] = [];
  try {
    // The server creates the schema (on PostgreSQL also the weekly partitions the seeded times
    // fall in); the events go in while it is stopped.
    log(`${what}: creating the database`);
    await stopServer(await store.start(`${tag}-init`), `certtrail (${what}, schema)`, true);
    const now = Date.now();
    for (const size of LOOKUP_SIZES) {
      const sizeText = size.toLocaleString('en-US');
      log(`${what}: seeding up to ${sizeText} events`);
      const g = await store.grow(seeder, size, now);
      log(`${what}: ${g.inserted.toLocaleString('en-US')} events inserted in ${g.seconds.toFixed(1)} s${g.vacuumSeconds === undefined ? '' : ` (then VACUUM ANALYZE ${g.vacuumSeconds.toFixed(1)} s)`} (${g.total.toLocaleString('en-US')} stored)`);
      const matches = await Promise.all(queries.map((q) => store.matches(LOOKUP_COLUMN[q.attribute], q.value)));
      const t0 = performance.now();
      const server = await store.start(`${tag}-${size}`);
      const startSeconds = (performance.now() - t0) / 1000;
      try {
        await settle(server, `${what} server (${sizeText} events)`);
        const signer = new Signer(server.port, CLOUDTRAIL);
        const inputs = queries.map((q) => ({ LookupAttributes: [{ AttributeKey: q.attribute, AttributeValue: q.value }], MaxResults: LOOKUP_PAGE }));
        // A fresh server's first phase would otherwise also pay for JIT compilation: all the
        // lookups, round-robin, before the first one is measured.
        const agent = keepAliveAgent(LOOKUP_CONCURRENCY);
        const warmEnd = performance.now() + LOOKUP_SERVER_WARMUP_S * 1000;
        let k = 0;
        await Promise.all(
          Array.from({ length: LOOKUP_CONCURRENCY }, async () => {
            while (performance.now() < warmEnd) await call(agent, signer, 'LookupEvents', inputs[k++ % inputs.length]);
          }),
        );
        for (const [i, q] of queries.entries()) {
          const input = inputs[i];
          const ref = await call(agent, signer, 'LookupEvents', input);
          const returned = checkLookupAnswer(q, ref.out, matches[i]);
          const { r } = await phase(`LookupEvents ${q.attribute} ${q.kind} (${sizeText} events${pg ? ', PostgreSQL' : ''})`, server.port, server.proc.pid, 'LookupEvents', input, Buffer.byteLength(JSON.stringify(ref.out)), {
            api: CLOUDTRAIL,
            concurrency: LOOKUP_CONCURRENCY,
            warmupS: LOOKUP_WARMUP_S,
            measureS: LOOKUP_SECONDS,
            dbCpuSeconds: pg ? PG_CPU : undefined,
          });
          rows[i].cells.push({ size, matches: matches[i], returned, r });
        }
        agent.destroy();
      } finally {
        await stopServer(server, `certtrail (${what}, ${sizeText} events)`, true);
      }
      const storedAtEnd = await store.total();
      // The next stage starts from the synthetic mix alone: drop the events of this stage's own calls.
      await store.dropOwnEvents();
      stages.push({ size, inserted: g.inserted, seedSeconds: g.seconds, vacuumSeconds: g.vacuumSeconds, storedAtStart: g.total, storedAtEnd, dbBytes: await store.bytes(), serverStartSeconds: startSeconds });
    }
  } finally {
    await store.dispose();
  }
  return {
    concurrency: LOOKUP_CONCURRENCY,
    warmupSeconds: LOOKUP_WARMUP_S,
    measureSeconds: LOOKUP_SECONDS,
    pageSize: LOOKUP_PAGE,
    serverWarmupSeconds: LOOKUP_SERVER_WARMUP_S,
    stages,
    rows,
    rareCount: RARE_COUNT,
    spanDays: SPAN_MS / 86_400_000,
    fsType: store.diskDir ? fsType(store.diskDir) : 'unknown',
  };
}

// ─── 7: PostgreSQL beside SQLite ─────────────────────────────────────────────────────────────

const PG_NODE_COUNTS = [1, 2, 3];
const nodesLabel = (n: number) => `${n} node${n > 1 ? 's' : ''}`;
/** The PostgreSQL server's processes, when it runs on this machine. */
const PG_CPU = isLocal(BENCH_DATABASE_URL) ? () => commandCpuSeconds('postgres') : undefined;

/**
 * `n` certtrail nodes on one fresh schema: DescribeCertificate, then AddTagsToCertificate, with
 * the same CONCURRENCY workers in all, spread evenly over the nodes. The certificates are requested from the first
 * node (the background leader issues them); every node must then answer them alike.
 */
async function pgNodes(n: number, base: string, masterKey: string): Promise<PgNodesRow> {
  const schema = await createSchema(base);
  const env = {
    CERTTRAIL_DATABASE_URL: schema.url,
    CERTTRAIL_MASTER_KEY: masterKey,
    CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '0',
    CERTTRAIL_LIFECYCLE_POLL_MS: '250',
    // A small pool per node: it is refilled (and the nodes gone quiet) sooner; none is taken while measured.
    CERTTRAIL_KEY_POOL_SIZE: '1',
  };
  const servers: RunningServer[] = [];
  let stopped = false;
  const stopAll = async () => {
    stopped = true;
    for (const [i, s] of servers.entries()) await stopServer(s, `certtrail (PostgreSQL, node ${i + 1} of ${n})`);
  };
  try {
    log(`starting ${nodesLabel(n)} on PostgreSQL schema ${schema.name}`);
    // One after the other: the first one creates the schema.
    for (let i = 0; i < n; i++) servers.push(await startServer(certtrailEnv({ ...env, CERTTRAIL_NODE_ID: `bench-node-${i + 1}` }, `pg-${n}-nodes-${i + 1}`)));
    const agent = keepAliveAgent(2);
    const signer = new Signer(servers[0].port);
    const request = async (KeyAlgorithm: string, DomainName: string) =>
      (await call(agent, signer, 'RequestCertificate', { DomainName, ValidationMethod: 'DNS', KeyAlgorithm })).out.CertificateArn as string;
    const describeArn = await request('RSA_2048', 'describe.bench.example.com');
    const tagsArn = await request('EC_prime256v1', 'tags.bench.example.com');
    await waitAllIssued(agent, signer, new Set([describeArn, tagsArn]), ['RSA_2048', 'EC_prime256v1'], 120_000);
    await Promise.all(servers.map((s, i) => settle(s, `PostgreSQL node ${i + 1} of ${n}`)));

    // Reference answers, from every node: they must agree.
    const bodies = await Promise.all(servers.map(async (s) => JSON.stringify((await call(agent, new Signer(s.port), 'DescribeCertificate', { CertificateArn: describeArn })).out)));
    if (JSON.parse(bodies[0]).Certificate?.Status !== 'ISSUED' || bodies.some((b) => b !== bodies[0]))
      throw new Error(`DescribeCertificate reference answers differ between nodes or are not ISSUED: ${bodies.map((b) => b.slice(0, 120)).join(' | ')}`);
    // Each node's requests set their own values, so that every call changes the certificate.
    const tagsInput = (at: Date, node: number) => ({ CertificateArn: tagsArn, Tags: [{ Key: 'bench', Value: `n${node}-${at.getTime()}` }] });
    const ref = await call(agent, signer, 'AddTagsToCertificate', tagsInput(new Date(0), 0));
    agent.destroy();

    const nodes = servers.map((s) => ({ port: s.port, pid: s.proc.pid }));
    const label = nodesLabel(n);
    const o = { nodes, dbCpuSeconds: PG_CPU };
    const describe = await phase(`PostgreSQL DescribeCertificate (${label})`, nodes[0].port, undefined, 'DescribeCertificate', { CertificateArn: describeArn }, Buffer.byteLength(bodies[0]), o);
    const tags = await phase(`PostgreSQL AddTagsToCertificate (${label})`, nodes[0].port, undefined, 'AddTagsToCertificate', tagsInput, Buffer.byteLength(JSON.stringify(ref.out)), o);

    // As for SQLite: every 200 must have its event, counted once the nodes have stopped.
    await stopAll();
    const [{ n: events }] = await pgQuery<{ n: string }>(
      schema.url,
      "SELECT count(*) AS n FROM events WHERE event_name = 'AddTagsToCertificate' AND resource_name = $1 AND (record::jsonb) ->> 'errorCode' IS NULL",
      [tagsArn],
    );
    const answered200 = tags.r.okIncludingWarmup + 1;
    if (Number(events) !== answered200) {
      setupErrors++;
      notes.push(`PostgreSQL AddTagsToCertificate (${label}): ${answered200} calls answered 200 but ${events} successful AddTagsToCertificate events are stored.`);
    }
    return { nodes: n, describe: describe.r, addTags: { r: tags.r, answered200, events: Number(events) } };
  } finally {
    if (!stopped) await stopAll();
    await schema.drop();
  }
}

async function postgresBench(): Promise<PostgresReport> {
  const base = BENCH_DATABASE_URL;
  const p = await probe(base);
  if ('error' in p) {
    log(`postgres: skipped, ${p.error}`);
    return { url: redact(base), skipped: p.error, nodes: [], cpuCount: machine(ROOT).cpuCount };
  }
  const [settings] = await pgQuery<Record<string, string>>(
    base,
    "SELECT current_setting('shared_buffers') AS shared_buffers, current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync, current_setting('max_wal_size') AS max_wal_size",
  );
  log(`postgres: PostgreSQL ${p.version} at ${redact(base)}`);
  const report: PostgresReport = { url: redact(base), version: p.version, settings, nodes: [], cpuMeasured: PG_CPU !== undefined, cpuCount: machine(ROOT).cpuCount };
  // Nodes on one database must share it: every phase's nodes get this one.
  const masterKey = randomBytes(32).toString('hex');
  for (const n of PG_NODE_COUNTS) await part(`PostgreSQL ${n}-node throughput`, async () => void report.nodes.push(await pgNodes(n, base, masterKey)));
  await part('PostgreSQL LookupEvents', async () => void (report.lookup = await lookups(await postgresEvents(launch, LOOKUP_ENV, base, masterKey))));
  return report;
}

// ─── main ────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const m = machine(ROOT);
  log(`${m.cpuModel} × ${m.cpuCount}, Node ${m.node}, commit ${m.commit}; ${MEASURE_S} s per phase, signing: ${SIGNING}`);
  const throughput: ThroughputRow[] = [];
  let burstResults: BurstResult[] = [];
  const mutateRows: MutateRow[] = [];
  let lookup: LookupReport | undefined;
  let describeBody: string | undefined;
  let fsync: { p50: number; p99: number } | undefined;
  if (runs('throughput'))
    await part('throughput', async () => {
      const t = await certtrailThroughput();
      throughput.push(...t.rows);
      describeBody = t.describeBody;
    });
  if (runs('mutate'))
    await part('AddTagsToCertificate', async () => {
      fsync = fsyncLatency(tmpdir());
      log(`fdatasync on ${tmpdir()}: p50 ${fsync.p50.toFixed(3)} ms, p99 ${fsync.p99.toFixed(3)} ms`);
      for (const sync of ['FULL', 'NORMAL'] as const) {
        const m = await mutate(sync);
        mutateRows.push(m.row);
        describeBody ??= m.describeBody;
      }
    });
  // The ceiling, once, for both the read and the write phases.
  if (describeBody) {
    const body = describeBody;
    await part('bare-Node ceiling', async () => {
      throughput.unshift(await bareCeiling(body, JSON.parse(body).Certificate.CertificateArn));
    });
  }
  if (runs('burst')) await part('burst', async () => void (burstResults = await bursts()));
  if (runs('lookup')) await part('LookupEvents', async () => void (lookup = await lookups(sqliteEvents(launch, LOOKUP_ENV))));
  let busResult: BusBenchResult | undefined;
  if (runs('bus')) await part('event bus', async () => void (busResult = await busBench({ rules: 1000, events: Math.floor(num('BENCH_BUS_EVENTS', 50_000)), log })));
  let postgres: PostgresReport | undefined;
  if (runs('postgres')) await part('PostgreSQL', async () => void (postgres = await postgresBench()));
  let delivery: DeliveryResult | undefined;
  if (runs('delivery'))
    await part('trail delivery', async () => {
      const d = await deliveryBench({ backlog: Math.floor(num('BENCH_DELIVERY_BACKLOG', 100_000)), concurrency: CONCURRENCY, warmupS: WARMUP_S, measureS: MEASURE_S, env: certtrailEnv({}, 'delivery'), log });
      delivery = d.result;
      await stopServer(d.server, 'delivery server');
      if (d.result.duplicates || d.result.missingProbes) setupErrors++;
    });

  const bare = throughput.find((t) => t.name.startsWith('bare'))?.r;
  const desc = throughput.find((t) => t.name === 'certtrail DescribeCertificate')?.r;
  const authz = throughput.find((t) => t.name.includes('as an IAM user'))?.r;
  const list = throughput.find((t) => t.name.includes('ListCertificates'))?.r;
  const lookupLoads = lookup?.rows.flatMap((r) => r.cells.map((c) => ({ name: `LookupEvents ${r.attribute}=${r.value} (${c.size} events)`, r: c.r }))) ?? [];
  const mutateLoads = mutateRows.map((m) => ({ name: `AddTagsToCertificate (synchronous=${m.synchronous})`, r: m.r }));
  const pgLoads = [
    ...(postgres?.nodes.flatMap((n) => [
      ...(n.describe ? [{ name: `PostgreSQL DescribeCertificate (${nodesLabel(n.nodes)})`, r: n.describe }] : []),
      ...(n.addTags ? [{ name: `PostgreSQL AddTagsToCertificate (${nodesLabel(n.nodes)})`, r: n.addTags.r }] : []),
    ]) ?? []),
    ...(postgres?.lookup?.rows.flatMap((r) => r.cells.map((c) => ({ name: `PostgreSQL LookupEvents ${r.attribute}=${r.value} (${c.size} events)`, r: c.r }))) ?? []),
  ];
  const loads = [...throughput, ...mutateLoads, ...lookupLoads, ...pgLoads, ...(delivery ? [{ name: 'DescribeCertificate (trail delivery)', r: delivery.load }] : [])];
  const totalErrors = loads.reduce((a, t) => a + t.r.errors, 0) + burstResults.reduce((a, b) => a + b.errors, 0) + setupErrors + fatal;
  for (const t of loads) if (t.r.firstError) notes.push(`${t.name}: first error: ${t.r.firstError}`);

  if (runs('throughput'))
    notes.push(
      `Throughput server: certtrail with CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS=0 (to issue the ${LIST_CERTS} certificates quickly), CERTTRAIL_LIFECYCLE_POLL_MS=250 and CERTTRAIL_KEY_POOL_SIZE=8 (the defaults); the timed phases start once its CPU has been below ${QUIET_CORES * 100} % of a core for ${QUIET_SECONDS} s (key pool refilled). Only one server runs at a time; the bare-Node server gets the same pre-signed DescribeCertificate requests.`,
    );
  if (runs('mutate'))
    notes.push(
      `AddTagsToCertificate servers: a fresh certtrail per setting with CERTTRAIL_SQLITE_SYNCHRONOUS=FULL or NORMAL (WAL mode either way), one issued EC_prime256v1 certificate, CERTTRAIL_KEY_POOL_SIZE=1, measured once its CPU has been below ${QUIET_CORES * 100} % of a core for ${QUIET_SECONDS} s. Every request sets tag \`bench\` to a value of its own (so every call changes the certificate), over the same ${CONCURRENCY} connections as the other throughput phases. Each call commits the certificate and its CloudTrail event in one transaction before answering; after the phase the server is stopped and the bench counts the successful AddTagsToCertificate events in the database: it must equal the 200s it received, warm-up included.`,
    );
  if (runs('burst'))
    notes.push(
      `Burst server: CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS=0, CERTTRAIL_LIFECYCLE_POLL_MS=50, CERTTRAIL_KEY_POOL_SIZE=64; each burst starts once the server has been quiet (as above) for ${QUIET_SECONDS} s, i.e. the key pool is full (${burstResults.map((b) => `${b.poolWaitSeconds.toFixed(0)} s wait before ${b.algorithm}${b.poolQuiet ? '' : ', NOT confirmed'}`).join(', ') || '–'}). The ${BURST} requests are pre-signed and sent at once over ${BURST} already-open keep-alive connections (DNS validation).`,
      `"Time to ISSUED (server timestamps)" is IssuedAt − CreatedAt of each certificate; "seen by client" is the first ListCertificates poll (one at a time, ${BURST_POLL_MS} ms apart) that showed it ISSUED, answer received, minus the moment its RequestCertificate was sent: an upper bound that includes the poll's own answer time (last column; a slow poll means the server's event loop was busy issuing). "Whole burst" is last IssuedAt − first CreatedAt (server) and burst sent → last certificate seen ISSUED (client).`,
    );
  notes.push(
    'p50/p99 are nearest-rank over every request that started in the measured window; latency is from sending the request to the last byte of the answer. Errors = any non-200 answer, network error, or a 200 whose body size differs from the reference answer fetched (and checked) before the phase. CPU columns are CPU-seconds per wall-second in the measured window (1.00 = one core busy), from /proc.',
  );

  const rep: Report = {
    machine: m,
    settings: { concurrency: CONCURRENCY, warmupSeconds: WARMUP_S, measureSeconds: MEASURE_S, signing: SIGNING, poolSize: POOL },
    throughput,
    ceilingPct: bare && desc && list ? { describe: desc.rps / bare.rps, list: list.rps / bare.rps, ...(authz ? { authz: authz.rps / bare.rps, authzVsRoot: authz.rps / desc.rps } : {}) } : undefined,
    mutate: mutateRows.length ? { rows: mutateRows, ceilingRps: bare?.rps, fsync } : undefined,
    lookup,
    postgres,
    bursts: burstResults,
    notes,
    totalErrors,
  };
  const md = markdown(rep) + (delivery ? '\n' + deliveryMarkdown(delivery).join('\n') : '') + (busResult ? '\n' + busMarkdown(busResult).join('\n') : '');
  writeBenchmarks(join(ROOT, 'BENCHMARKS.md'), md);
  process.stdout.write(md + '\n');
  log(`wrote ${join(ROOT, 'BENCHMARKS.md')}`);
  if (PROFILE_DIR) log(`CPU profiles in ${PROFILE_DIR} (summarise: npx tsx bench/profile-summary.ts <file>)`);
  if (totalErrors > 0) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`[bench] ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
