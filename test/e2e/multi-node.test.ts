/**
 * Several certtrail nodes on one PostgreSQL database (issue 9, "Done when"): three nodes share
 * the database, the master key and an external S3-compatible store (a separate certtrail serving
 * its own buckets), so they share no disk. Mixed ACM traffic goes through all three at once; the
 * node leading the background work is SIGKILLed mid-traffic; another takes over delivery, every
 * 2xx call's event is in exactly one log file, and the AWS CLI's validate-logs passes across the
 * failover. Then the races: one idempotency token at two nodes at once, 60 AddTags across nodes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { rawClient, ok } from '../helpers/raw.ts';
import { startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { awsCli, s3ToLoopbackEnv } from '../helpers/aws-cli.ts';
import { deliveredLogs, digests, s3Client } from '../helpers/trail-logs.ts';
import { freshSchema, onServer } from '../../src/storage/postgres/testing.ts';

const BUCKET = 'ct-multi';
const TRAIL = 'multi-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:000000000000:trail/${TRAIL}`;
const T = (op: string) => `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${op}`;

let s3Server: RunningServer;
let nodeEnv: Record<string, string>;
const nodes: RunningServer[] = [];
const skip = onServer ? false : 'needs a PostgreSQL server (CERTTRAIL_TEST_DATABASE_URL): PGlite lives inside one process';

before(async () => {
  if (skip) return;
  s3Server = await startServer();
  const s3 = s3Client(s3Server.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  const { url } = await freshSchema();
  nodeEnv = {
    CERTTRAIL_DATABASE_URL: url,
    CERTTRAIL_MASTER_KEY: randomBytes(32).toString('hex'),
    CERTTRAIL_BUCKETS_ENDPOINT: s3Server.url,
    CERTTRAIL_BUCKETS_ACCESS_KEY_ID: 'test',
    CERTTRAIL_BUCKETS_SECRET_ACCESS_KEY: 'test',
    CERTTRAIL_LEADER_CHECK_MS: '200',
    CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '0.2',
    CERTTRAIL_DIGEST_INTERVAL_SECONDS: '1',
    CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '1',
    CERTTRAIL_QUOTA_CERTIFICATES: '100000',
    CERTTRAIL_QUOTA_REQUESTS_PER_YEAR: '100000',
  };
  // One at a time: the first creates the schema and the CA hierarchy the others then find.
  for (let i = 0; i < 3; i++) nodes.push(await startServer({ ...nodeEnv, CERTTRAIL_NODE_ID: `node-${i}` }));
});
after(async () => {
  for (const n of nodes) if (n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill('SIGKILL');
  await s3Server?.dispose();
});

/** The node that logged taking the lead last (leaders log it; see storage/postgres/leadership.ts). */
function leaderOf(candidates: RunningServer[]): RunningServer | undefined {
  let best: { n: RunningServer; at: string } | undefined;
  for (const n of candidates) {
    for (const line of n.output().split('\n')) {
      if (!line.includes('"leading background work"')) continue;
      const at = JSON.parse(line).time as string;
      if (!best || at > best.at) best = { n, at };
    }
  }
  return best?.n;
}

const alive = (n: RunningServer) => n.proc.exitCode === null && n.proc.signalCode === null;

/** Mixed ACM calls through one node until told to stop (or the node dies); collects 2xx request ids. */
async function load(url: string, answered: string[], stop: { now: boolean }, client: number): Promise<void> {
  const acm = rawClient(url);
  const opts = { timeoutMs: 5_000 };
  const r = await acm('CertificateManager.RequestCertificate', JSON.stringify({ DomainName: `m${client}.example.com` }), opts);
  if (r.status !== 200) return;
  answered.push(r.headers.get('x-amzn-RequestId')!);
  const arn = JSON.parse(r.text).CertificateArn;
  for (let n = 0; !stop.now; n++) {
    const c = n % 4 === 0
      ? await acm('CertificateManager.AddTagsToCertificate', JSON.stringify({ CertificateArn: arn, Tags: [{ Key: `k${n % 30}`, Value: String(n) }] }), opts)
      : n % 4 === 1
        ? await acm('CertificateManager.ListCertificates', '{}', opts)
        : await acm('CertificateManager.DescribeCertificate', JSON.stringify({ CertificateArn: arn }), opts);
    if (c.status === 0) return;
    if (c.status >= 200 && c.status < 300) answered.push(c.headers.get('x-amzn-RequestId')!);
  }
}

test('three nodes, one database: the delivery leader SIGKILLed mid-traffic, no event lost or duplicated, validate-logs passes', { skip, timeout: 240_000 }, async () => {
  const started = new Date(Date.now() - 1000);
  const ct = rawClient(nodes[0].url, { service: 'cloudtrail' });
  await ok(ct, T('CreateTrail'), { Name: TRAIL, S3BucketName: BUCKET, EnableLogFileValidation: true });
  await ok(ct, T('StartLogging'), { Name: TRAIL });

  const first = await waitFor(async () => leaderOf(nodes), 10_000, 100);
  const answered: string[] = [];
  const stop = { now: false };
  const clients = nodes.flatMap((n, i) => Array.from({ length: 4 }, (_, k) => load(n.url, answered, stop, i * 4 + k)));
  await waitFor(async () => (answered.length >= 150 ? true : undefined), 60_000, 50);
  first.proc.kill('SIGKILL');
  // Traffic goes on through the survivors while one of them takes over.
  const survivors = nodes.filter((n) => n !== first);
  const second = await waitFor(async () => leaderOf(survivors), 15_000, 100);
  const more = answered.length + 150;
  await waitFor(async () => (answered.length >= more ? true : undefined), 60_000, 50);
  stop.now = true;
  await Promise.all(clients);
  assert.ok(alive(second), 'the new leader is a surviving node');

  const s3 = s3Client(s3Server.url);
  const logs = await waitFor(async () => {
    const l = await deliveredLogs(s3, BUCKET);
    const seen = new Set(l.flatMap((f) => f.records.map((r: any) => r.requestID)));
    return answered.every((id) => seen.has(id)) ? l : undefined;
  }, 60_000, 500);
  const perRequest = new Map<string, number>();
  const perEvent = new Map<string, number>();
  for (const r of logs.flatMap((l) => l.records)) {
    perRequest.set(r.requestID, (perRequest.get(r.requestID) ?? 0) + 1);
    perEvent.set(r.eventID, (perEvent.get(r.eventID) ?? 0) + 1);
  }
  assert.deepEqual([...perEvent].filter(([, n]) => n > 1), [], 'no event is in two log files');
  for (const id of answered) assert.equal(perRequest.get(id), 1, `the event of answered call ${id} is delivered exactly once`);

  const keys = new Set(logs.map((l) => l.key));
  await waitFor(async () => {
    const listed = new Set((await digests(s3, BUCKET)).flatMap((d) => d.digest.logFiles.map((f: any) => f.s3Object)));
    return [...keys].every((k) => listed.has(k)) ? true : undefined;
  }, 30_000, 250);
  s3.destroy();

  // validate-logs asks a surviving node for the trail and its keys, and the external store for the files.
  const aws = awsCli(second.url, undefined, undefined, s3ToLoopbackEnv(s3Server.url));
  const v = await aws.run('cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', started.toISOString(), '--verbose');
  assert.equal(v.code, 0, `validate-logs: ${v.stdout}\n${v.stderr}`);
  assert.doesNotMatch(v.stdout + v.stderr, /INVALID/);
  for (const k of keys) assert.ok(v.stdout.includes(`Log file\ts3://${BUCKET}/${k}\tvalid`), `validate-logs checked ${k}`);
});

test('races across nodes: one idempotency token at two nodes at once yields one certificate; 60 concurrent AddTags never exceed 50 tags', { skip, timeout: 60_000 }, async () => {
  const live = nodes.filter(alive);
  assert.ok(live.length >= 2);
  for (let round = 0; round < 5; round++) {
    const body = JSON.stringify({ DomainName: `race${round}.example.com`, IdempotencyToken: `tok${round}${randomBytes(4).toString('hex')}` });
    const replies = await Promise.all(live.slice(0, 2).map((n) => rawClient(n.url)('CertificateManager.RequestCertificate', body)));
    for (const r of replies) assert.equal(r.status, 200, r.text);
    const [a, b] = replies.map((r) => JSON.parse(r.text).CertificateArn);
    assert.equal(a, b, 'both nodes answer with the same certificate');
    const listed = JSON.parse((await rawClient(live[0].url)('CertificateManager.ListCertificates', '{"MaxItems":1000}')).text);
    assert.equal(listed.CertificateSummaryList.filter((c: any) => c.DomainName === `race${round}.example.com`).length, 1, 'one certificate was made');
  }

  const made = await rawClient(live[0].url)('CertificateManager.RequestCertificate', JSON.stringify({ DomainName: 'tags.example.com' }));
  const arn = JSON.parse(made.text).CertificateArn;
  const replies = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      rawClient(live[i % live.length].url)('CertificateManager.AddTagsToCertificate', JSON.stringify({ CertificateArn: arn, Tags: [{ Key: `t${i}`, Value: 'v' }] })),
    ),
  );
  const okCount = replies.filter((r) => r.status === 200).length;
  for (const r of replies.filter((r) => r.status !== 200)) assert.equal(JSON.parse(r.text).__type, 'TooManyTagsException', r.text);
  const tags = JSON.parse((await rawClient(live[1].url)('CertificateManager.ListTagsForCertificate', JSON.stringify({ CertificateArn: arn }))).text).Tags;
  assert.ok(tags.length <= 50, `${tags.length} tags`);
  assert.equal(tags.length, okCount, 'every accepted AddTags is there, and only those');
  assert.equal(okCount, 50, 'exactly the limit was reached');
});
