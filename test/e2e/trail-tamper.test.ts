/**
 * Tampering with delivered logs (issue 4, "Done when": the tamper tests). A trail delivers real
 * log files and digests; then a log file is modified, a log file deleted, a digest deleted, a
 * digest altered, and foreign files inserted, one at a time (each undone before the next).
 * AWS's own `aws cloudtrail validate-logs` (2.9.19) and `certtrail validate-logs` must both
 * report each case as AWS does — and say exactly the same thing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AddTagsToCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { runValidateLogs } from '../../src/cli/validate-logs.ts';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { awsCli, s3ToLoopbackEnv, type AwsCli } from '../helpers/aws-cli.ts';
import { deliveredLogs, digests, getObject, s3Client } from '../helpers/trail-logs.ts';

const BUCKET = 'ct-tamper';
const TRAIL = 'tamper-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:000000000000:trail/${TRAIL}`;

let server: RunningServer;
let aws: AwsCli;
let s3: S3Client;
let started: Date;
/** A fixed --end-time, so both validators' reports (which quote it) can be compared byte for byte. */
let ended: Date;
let logKeys: string[];
let digestKeys: string[];

before(async () => {
  server = await startServer({ CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '0.5', CERTTRAIL_DIGEST_INTERVAL_SECONDS: '2' });
  aws = awsCli(server.url, undefined, undefined, s3ToLoopbackEnv(server.url));
  s3 = s3Client(server.url);
  const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
  const ct = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  const acm = acmClient(server.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, EnableLogFileValidation: true }));
  started = new Date(Date.now() - 1000);
  await ct.send(new StartLoggingCommand({ Name: TRAIL }));
  // Three bursts of calls, each in its own log file and digest window.
  for (let burst = 0; burst < 3; burst++) {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: `t${burst}.example.com` }));
    await acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags: [{ Key: 'b', Value: String(burst) }] }));
    await new Promise((r) => setTimeout(r, 2_200));
  }
  await ct.send(new StopLoggingCommand({ Name: TRAIL }));
  // Done when the StopLogging event's log file is in a digest (the session's final one).
  await waitFor(async () => {
    const logs = await deliveredLogs(s3, BUCKET);
    const stop = logs.find((l) => l.records.some((r) => r.eventName === 'StopLogging'));
    if (!stop) return undefined;
    const d = await digests(s3, BUCKET);
    return d.some((x) => x.digest.logFiles.some((f: any) => f.s3Object === stop.key)) ? true : undefined;
  }, 30_000, 250);
  const d = (await digests(s3, BUCKET)).sort((a, b) => a.digest.digestEndTime.localeCompare(b.digest.digestEndTime));
  digestKeys = d.map((x) => x.key);
  logKeys = d.flatMap((x) => x.digest.logFiles.map((f: any) => f.s3Object));
  assert.ok(logKeys.length >= 2, `expected several log files, got ${logKeys.length}`);
  assert.ok(digestKeys.length >= 3);
  ended = new Date(Date.now() + 1000);
  acm.destroy();
  ct.destroy();
});
after(async () => {
  s3?.destroy();
  await server?.dispose();
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function both(): Promise<{ aws: Outcome; ours: Outcome }> {
  const t = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const args = ['--trail-arn', TRAIL_ARN, '--start-time', t(started), '--end-time', t(ended), '--verbose'];
  const cli = await aws.run('cloudtrail', 'validate-logs', ...args);
  let stdout = '';
  let stderr = '';
  const code = await runValidateLogs([...args, '--endpoint-url', server.url, '--region', 'us-east-1'], { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { aws: cli, ours: { code, stdout, stderr } };
}

/** Runs both validators with a change in place, then undoes it. */
async function tampered(change: () => Promise<() => Promise<void>>): Promise<Outcome> {
  const undo = await change();
  try {
    const r = await both();
    assert.equal(r.ours.code, r.aws.code, `exit codes differ:\nAWS: ${r.aws.stderr}\nours: ${r.ours.stderr}`);
    assert.equal(r.ours.stderr, r.aws.stderr);
    assert.equal(r.ours.stdout, r.aws.stdout);
    return r.aws;
  } finally {
    await undo();
  }
}

const put = (key: string, body: Buffer, metadata?: Record<string, string>) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, Metadata: metadata }));
const del = (key: string) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
const restore = (key: string) => async () => {
  const o = original.get(key)!;
  await put(key, o.body, o.metadata);
};
const original = new Map<string, { body: Buffer; metadata: Record<string, string> }>();
async function keep(key: string) {
  original.set(key, await getObject(s3, BUCKET, key));
}

describe('validate-logs on tampered delivery', () => {
  test('intact: every digest and log file is valid (exit 0), both validators alike', async () => {
    const r = await both();
    assert.equal(r.aws.code, 0, r.aws.stderr);
    assert.equal(r.ours.code, 0, r.ours.stderr);
    assert.equal(r.ours.stdout, r.aws.stdout);
    assert.match(r.aws.stdout, new RegExp(`${logKeys.length}/${logKeys.length} log files valid`));
    for (const k of logKeys) assert.ok(r.aws.stdout.includes(`Log file\ts3://${BUCKET}/${k}\tvalid`));
  });

  test('a modified log file: INVALID: hash value doesn\'t match', async () => {
    const key = logKeys[1];
    await keep(key);
    const r = await tampered(async () => {
      const doc = JSON.parse(gunzipSync(original.get(key)!.body).toString('utf8'));
      doc.Records[0].sourceIPAddress = '203.0.113.66';
      await put(key, gzipSync(Buffer.from(JSON.stringify(doc))));
      return restore(key);
    });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Log file\ts3://${BUCKET}/${key}\tINVALID: hash value doesn't match`), r.stderr);
  });

  test('a deleted log file: INVALID: not found', async () => {
    const key = logKeys[0];
    await keep(key);
    const r = await tampered(async () => {
      await del(key);
      return restore(key);
    });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Log file\ts3://${BUCKET}/${key}\tINVALID: not found`), r.stderr);
  });

  test('a deleted digest: INVALID: not found', async () => {
    const key = digestKeys[1];
    await keep(key);
    const r = await tampered(async () => {
      await del(key);
      return restore(key);
    });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Digest file\ts3://${BUCKET}/${key}\tINVALID: not found`), r.stderr);
  });

  test('an altered digest: INVALID: signature verification failed', async () => {
    const key = digestKeys[digestKeys.length - 2];
    await keep(key);
    const r = await tampered(async () => {
      const o = original.get(key)!;
      const doc = JSON.parse(gunzipSync(o.body).toString('utf8'));
      doc.logFiles = [];
      await put(key, gzipSync(Buffer.from(JSON.stringify(doc))), o.metadata);
      return restore(key);
    });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`Digest file\ts3://${BUCKET}/${key}\tINVALID: signature verification failed`), r.stderr);
  });

  test('foreign files: a log file no digest lists is not reported; a forged digest is INVALID', async () => {
    const newest = digestKeys[digestKeys.length - 1];
    const foreignLog = logKeys[0].replace(/_[A-Za-z0-9]{16}\.json\.gz$/, '_Forged0000000000.json.gz');
    const log = await tampered(async () => {
      await put(foreignLog, gzipSync(Buffer.from('{"Records":[]}')));
      return () => del(foreignLog).then(() => undefined);
    });
    assert.equal(log.code, 0, log.stderr);
    assert.ok(!log.stdout.includes(foreignLog), 'validate-logs checks only the files digests list');

    // A digest one second after the newest, pretending to continue the chain, signed by nobody.
    const end = /_(\d{8}T\d{6}Z)\.json\.gz$/.exec(newest)![1];
    const t = new Date(`${end.slice(0, 4)}-${end.slice(4, 6)}-${end.slice(6, 8)}T${end.slice(9, 11)}:${end.slice(11, 13)}:${end.slice(13, 15)}Z`);
    const forgedAt = new Date(t.getTime() + 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const forgedKey = newest.replace(end, forgedAt);
    const real = JSON.parse(gunzipSync((await getObject(s3, BUCKET, newest)).body).toString('utf8'));
    const forged = { ...real, digestStartTime: real.digestEndTime, digestS3Object: forgedKey, logFiles: [] };
    const digest = await tampered(async () => {
      await put(forgedKey, gzipSync(Buffer.from(JSON.stringify(forged))), { signature: '00'.repeat(256), 'signature-algorithm': 'SHA256withRSA' });
      return () => del(forgedKey).then(() => undefined);
    });
    assert.equal(digest.code, 1);
    assert.ok(digest.stderr.includes(`Digest file\ts3://${BUCKET}/${forgedKey}\tINVALID: signature verification failed`), digest.stderr);
  });
});
