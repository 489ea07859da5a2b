/**
 * Delivery survives SIGKILL (issue 4, "Done when": the kill test). Clients keep calling ACM
 * while a trail with log file validation delivers every 200 ms; the server is SIGKILLed again
 * and again at random moments and restarted on the same data dir. Afterwards every call that
 * got a 2xx has its event in exactly one log file, no event is in two, and the real AWS CLI's
 * `validate-logs` finds the digest chain and every log file valid.
 */
import assert from 'node:assert/strict';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { rawClient, ok } from '../helpers/raw.ts';
import { startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { awsCli, s3ToLoopbackEnv } from '../helpers/aws-cli.ts';
import { deliveredLogs, digests, s3Client } from '../helpers/trail-logs.ts';
import { CreateBucketCommand } from '@aws-sdk/client-s3';

const KILLS = 5;
const CLIENTS = 8;
/** Answered calls per round before its kill. */
const PER_ROUND = 60;
const ENV = {
  CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '0.2',
  CERTTRAIL_DIGEST_INTERVAL_SECONDS: '1',
  CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600',
  CERTTRAIL_QUOTA_CERTIFICATES: '100000',
  CERTTRAIL_QUOTA_REQUESTS_PER_YEAR: '100000',
};
const BUCKET = 'ct-kill';
const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:000000000000:trail/kill-trail';

const dataDir = mkdtempSync(join(tmpdir(), 'certtrail-kill-'));
const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RunningServer> {
  const s = await startServer(ENV, dataDir);
  servers.push(s);
  return s;
}

/** Calls until told to stop or the server goes away; collects the request ids of 2xx answers. */
async function load(url: string, answered: string[], stop: { now: boolean }, client: number): Promise<void> {
  const acm = rawClient(url);
  const r = await acm('CertificateManager.RequestCertificate', JSON.stringify({ DomainName: `k${client}.example.com` }), { timeoutMs: 5_000 });
  if (r.status !== 200) return;
  answered.push(r.headers.get('x-amzn-RequestId')!);
  const arn = JSON.parse(r.text).CertificateArn;
  for (let n = 0; !stop.now; n++) {
    const c = n % 3 === 0
      ? await acm('CertificateManager.AddTagsToCertificate', JSON.stringify({ CertificateArn: arn, Tags: [{ Key: `k${n % 40}`, Value: String(n) }] }), { timeoutMs: 5_000 })
      : await acm('CertificateManager.DescribeCertificate', JSON.stringify({ CertificateArn: arn }), { timeoutMs: 5_000 });
    if (c.status === 0) return;
    if (c.status >= 200 && c.status < 300) answered.push(c.headers.get('x-amzn-RequestId')!);
  }
}

test('SIGKILL during sustained load with delivery running: each 2xx event in exactly one log file, validate-logs passes', { timeout: 180_000 }, async () => {
  let server = await start();
  const started = new Date(Date.now() - 1000);
  const s3 = s3Client(server.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  const ct = rawClient(server.url, { service: 'cloudtrail' });
  const T = (op: string) => `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${op}`;
  await ok(ct, T('CreateTrail'), { Name: 'kill-trail', S3BucketName: BUCKET, EnableLogFileValidation: true });
  await ok(ct, T('StartLogging'), { Name: 'kill-trail' });

  const answered: string[] = [];
  for (let k = 0; k < KILLS; k++) {
    const stop = { now: false };
    const clients = Array.from({ length: CLIENTS }, (_, i) => load(server.url, answered, stop, k * CLIENTS + i));
    // Kill once this round has had its share of answers (however slow the machine), at a random moment after.
    const want = answered.length + PER_ROUND;
    const deadline = Date.now() + 30_000;
    while (answered.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, Math.random() * 500));
    server.proc.kill('SIGKILL');
    stop.now = true;
    await Promise.all(clients);
    await new Promise<void>((r) => (server.proc.exitCode !== null || server.proc.signalCode !== null ? r() : server.proc.once('exit', () => r())));
    server = await start();
  }
  assert.ok(answered.length >= 200, `only ${answered.length} calls were answered`);

  const s3b = s3Client(server.url);
  const logs = await waitFor(async () => {
    const l = await deliveredLogs(s3b, BUCKET);
    const seen = new Set(l.flatMap((f) => f.records.map((r: any) => r.requestID)));
    return answered.every((id) => seen.has(id)) ? l : undefined;
  }, 60_000, 500);
  const records = logs.flatMap((l) => l.records);
  const perEvent = new Map<string, number>();
  for (const r of records) perEvent.set(r.eventID, (perEvent.get(r.eventID) ?? 0) + 1);
  const twice = [...perEvent].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no event is in two log files');
  const perRequest = new Map<string, number>();
  for (const r of records) perRequest.set(r.requestID, (perRequest.get(r.requestID) ?? 0) + 1);
  for (const id of answered) assert.equal(perRequest.get(id), 1, `the event of answered call ${id} is delivered exactly once`);

  // The digest chain covers every log file, across the kills.
  const keys = new Set(logs.map((l) => l.key));
  await waitFor(async () => {
    const listed = new Set((await digests(s3b, BUCKET)).flatMap((d) => d.digest.logFiles.map((f: any) => f.s3Object)));
    return [...keys].every((k) => listed.has(k)) ? true : undefined;
  }, 30_000, 250);
  s3b.destroy();

  const aws = awsCli(server.url, undefined, undefined, s3ToLoopbackEnv(server.url));
  const v = await aws.run('cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', started.toISOString(), '--verbose');
  assert.equal(v.code, 0, `validate-logs: ${v.stdout}\n${v.stderr}`);
  assert.doesNotMatch(v.stdout + v.stderr, /INVALID/);
  for (const k of keys) assert.ok(v.stdout.includes(`Log file\ts3://${BUCKET}/${k}\tvalid`), `validate-logs checked ${k}`);
});
