/**
 * A trail that logs, end to end with the real AWS CLI 2.9.19: bucket and trail made with the
 * CLI, ACM calls, log files in AWS's layout whose Records are the events LookupEvents returns,
 * hourly-style digests (3-second windows here), and `aws cloudtrail validate-logs` — run against
 * certtrail alone (cloudtrail.md §4–§5.6) — reporting every digest and log file valid; then
 * StopLogging's final digest. Tampering is in trail-tamper.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddTagsToCertificateCommand, DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { CloudTrailClient, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { S3Client } from '@aws-sdk/client-s3';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { awsCli, s3ToLoopbackEnv, type AwsCli } from '../helpers/aws-cli.ts';
import { deliveredLogs, digests, listKeys, s3Client } from '../helpers/trail-logs.ts';

const ACCOUNT = '000000000000';
const BUCKET = 'ct-logs-e2e';
const PREFIX = 'audit';
const TRAIL = 'acm-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${TRAIL}`;

let server: RunningServer;
let aws: AwsCli;
let acm: ACMClient;
let ct: CloudTrailClient;
let s3: S3Client;
let started: Date;
const calls: string[] = [];

before(async () => {
  server = await startServer({ CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '1', CERTTRAIL_DIGEST_INTERVAL_SECONDS: '3' });
  aws = awsCli(server.url, undefined, undefined, s3ToLoopbackEnv(server.url));
  acm = acmClient(server.url);
  ct = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  s3 = s3Client(server.url);
});
after(async () => {
  acm?.destroy();
  ct?.destroy();
  s3?.destroy();
  await server?.dispose();
});

/** Every event LookupEvents has since `since`, by eventId. */
async function lookedUp(since: Date): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  let token: string | undefined;
  do {
    const r = await ct.send(new LookupEventsCommand({ StartTime: since, NextToken: token, MaxResults: 50 }));
    for (const e of r.Events ?? []) out.set(e.EventId!, JSON.parse(e.CloudTrailEvent!));
    token = r.NextToken;
  } while (token);
  return out;
}

const LOG_KEY = new RegExp(`^${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/(\\d{4})/(\\d{2})/(\\d{2})/${ACCOUNT}_CloudTrail_us-east-1_(\\d{8})T(\\d{4})Z_[A-Za-z0-9]{16}\\.json\\.gz$`);
const DIGEST_KEY = new RegExp(`^${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/(\\d{4})/(\\d{2})/(\\d{2})/${ACCOUNT}_CloudTrail-Digest_us-east-1_${TRAIL}_us-east-1_(\\d{8})T(\\d{6})Z\\.json\\.gz$`);

describe('a logging trail with log file validation', () => {
  test('delivers the calls as AWS lays out log files, with the records LookupEvents returns', async () => {
    const mb = await aws.run('s3', 'mb', `s3://${BUCKET}`);
    assert.equal(mb.code, 0, mb.stderr);
    await aws.json('cloudtrail', 'create-trail', '--name', TRAIL, '--s3-bucket-name', BUCKET, '--s3-key-prefix', PREFIX, '--enable-log-file-validation');
    started = new Date(Date.now() - 1000);
    await aws.json('cloudtrail', 'start-logging', '--name', TRAIL);

    for (let i = 0; i < 3; i++) {
      const r = await acm.send(new RequestCertificateCommand({ DomainName: `log${i}.example.com` }));
      calls.push(r.$metadata.requestId!);
      calls.push((await acm.send(new DescribeCertificateCommand({ CertificateArn: r.CertificateArn }))).$metadata.requestId!);
      calls.push((await acm.send(new AddTagsToCertificateCommand({ CertificateArn: r.CertificateArn, Tags: [{ Key: 'n', Value: String(i) }] }))).$metadata.requestId!);
    }
    calls.push((await acm.send(new ListCertificatesCommand({}))).$metadata.requestId!);
    const failed = await acm.send(new DescribeCertificateCommand({ CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000` })).catch((e) => e);
    assert.equal(failed.name, 'ResourceNotFoundException');
    calls.push(failed.$metadata.requestId);

    const logs = await waitFor(async () => {
      const l = await deliveredLogs(s3, BUCKET);
      const seen = new Set(l.flatMap((f) => f.records.map((r) => r.requestID)));
      return calls.every((c) => seen.has(c)) ? l : undefined;
    }, 30_000, 250);

    for (const { key } of logs) {
      const m = LOG_KEY.exec(key);
      assert.ok(m, `log file key in AWS's layout: ${key}`);
      assert.equal(m[4], `${m[1]}${m[2]}${m[3]}`, 'the date folders are the delivery date of the file name');
    }
    const records = logs.flatMap((l) => l.records);
    const ids = records.map((r) => r.eventID);
    assert.equal(new Set(ids).size, ids.length, 'no event is delivered twice');
    const names = new Set(records.map((r) => r.eventName));
    for (const n of ['StartLogging', 'RequestCertificate', 'DescribeCertificate', 'AddTagsToCertificate', 'ListCertificates']) assert.ok(names.has(n), n);
    assert.ok(!names.has('CreateTrail'), 'calls before StartLogging are not delivered');
    assert.ok(records.some((r) => r.errorCode === 'ResourceNotFoundException'), 'failed calls are delivered too');

    const history = await lookedUp(new Date(started.getTime() - 60_000));
    for (const r of records) assert.deepEqual(r, history.get(r.eventID), `record ${r.eventName} ${r.eventID} is the event LookupEvents returns`);

    const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
    assert.equal(status.IsLogging, true);
    assert.ok(status.LatestDeliveryTime instanceof Date && status.LatestDeliveryTime >= started);
    assert.match(status.LatestDeliveryAttemptSucceeded!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(status.LatestDeliveryError, undefined);

    const listed = await aws.run('s3', 'ls', '--recursive', `s3://${BUCKET}/`);
    assert.equal(listed.code, 0, listed.stderr);
    for (const { key } of logs) assert.ok(listed.stdout.includes(key), `aws s3 ls --recursive lists ${key}`);
  });

  test('digests chain the log files and `aws cloudtrail validate-logs` finds every file valid', async () => {
    const logKeys = (await listKeys(s3, BUCKET, `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/`)).sort();
    // Wait for a digest that lists the newest log file, and one after it (an empty one).
    const all = await waitFor(async () => {
      const d = await digests(s3, BUCKET);
      const listedLogs = new Set(d.flatMap((x) => x.digest.logFiles.map((f: any) => f.s3Object)));
      return logKeys.every((k) => listedLogs.has(k)) && d.some((x) => x.digest.logFiles.length === 0) ? d : undefined;
    }, 30_000, 250);
    all.sort((a, b) => a.digest.digestEndTime.localeCompare(b.digest.digestEndTime));
    for (const { key, digest, metadata } of all) {
      assert.ok(DIGEST_KEY.test(key), `digest key in AWS's layout: ${key}`);
      assert.deepEqual(Object.keys(digest), [
        'awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint',
        'digestSignatureAlgorithm', 'newestEventTime', 'oldestEventTime', 'previousDigestS3Bucket', 'previousDigestS3Object',
        'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature', 'logFiles',
      ]);
      assert.equal(digest.digestS3Object, key);
      assert.match(metadata.signature, /^[0-9a-f]{512}$/);
      assert.equal(metadata['signature-algorithm'], 'SHA256withRSA');
    }
    assert.equal(all[0].digest.previousDigestS3Object, null, 'the first digest of a session starts the chain');
    for (let i = 1; i < all.length; i++) {
      assert.equal(all[i].digest.previousDigestS3Object, all[i - 1].key, 'each digest names the one before');
      assert.equal(all[i].digest.digestStartTime, all[i - 1].digest.digestEndTime, 'windows follow one another');
      assert.equal(all[i].digest.previousDigestSignature, all[i - 1].metadata.signature);
    }

    const r = await aws.run('cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', started.toISOString(), '--verbose');
    assert.equal(r.code, 0, `validate-logs: ${r.stdout}\n${r.stderr}`);
    const digestCount = Number(/(\d+)\/\1 digest files valid/.exec(r.stdout)?.[1]);
    const logCount = Number(/(\d+)\/\1 log files valid/.exec(r.stdout)?.[1]);
    assert.ok(digestCount >= all.length - 1, r.stdout);
    assert.ok(logCount >= logKeys.length, r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /INVALID/);
  });

  test('StopLogging ends the session with a final digest that includes the StopLogging event', async () => {
    const stop = await aws.run('cloudtrail', 'stop-logging', '--name', TRAIL);
    assert.equal(stop.code, 0, stop.stderr);
    const final = await waitFor(async () => {
      const logs = await deliveredLogs(s3, BUCKET);
      const stopFile = logs.find((l) => l.records.some((r) => r.eventName === 'StopLogging'));
      if (!stopFile) return undefined;
      const d = await digests(s3, BUCKET);
      return d.find((x) => x.digest.logFiles.some((f: any) => f.s3Object === stopFile.key));
    }, 30_000, 250);
    const before = (await digests(s3, BUCKET)).length;
    await new Promise((r) => setTimeout(r, 4_000));
    assert.equal((await digests(s3, BUCKET)).length, before, 'no digests once logging stopped');
    const logs = await deliveredLogs(s3, BUCKET);
    const newest = logs.flatMap((l) => l.records).sort((a, b) => a.eventTime.localeCompare(b.eventTime)).at(-1);
    assert.equal(newest.eventName, 'StopLogging', 'nothing after StopLogging is delivered');
    const status = await ct.send(new GetTrailStatusCommand({ Name: TRAIL }));
    assert.equal(status.IsLogging, false);
    assert.ok(status.LatestDigestDeliveryTime instanceof Date);
    assert.ok(final.digest.digestEndTime);

    const r = await aws.run('cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', started.toISOString(), '--verbose');
    assert.equal(r.code, 0, `validate-logs: ${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /INVALID/);
  });
});
