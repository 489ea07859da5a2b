/**
 * What a trail delivers and where: a multi-region trail writes each region's events under its
 * own region folder with its own digest chain (validated by `aws cloudtrail validate-logs
 * --region <source>`); event selectors choose read or write events; a missing bucket shows as
 * GetTrailStatus' LatestDeliveryError and delivery resumes once it exists; and a trail whose
 * objects go to an external S3-compatible store (here a second certtrail) delivers there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, GetTrailStatusCommand, UpdateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { awsCli, s3ToLoopbackEnv } from '../helpers/aws-cli.ts';
import { deliveredLogs, digests, s3Client } from '../helpers/trail-logs.ts';

const ACCOUNT = '000000000000';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const ENV = { CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '0.5', CERTTRAIL_DIGEST_INTERVAL_SECONDS: '2' };
const cloudtrail = (url: string, region = 'us-east-1') => new CloudTrailClient({ endpoint: url, region, credentials: creds, maxAttempts: 1 });
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

let server: RunningServer;
let s3: S3Client;
let ct: CloudTrailClient;
before(async () => {
  server = await startServer(ENV);
  s3 = s3Client(server.url);
  ct = cloudtrail(server.url);
});
after(async () => {
  s3?.destroy();
  ct?.destroy();
  await server?.dispose();
});

describe('trail delivery options', () => {
  test('a multi-region trail: each region under its own folder, each with a digest chain validate-logs accepts', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ct-multi' }));
    await ct.send(new CreateTrailCommand({ Name: 'everywhere', S3BucketName: 'ct-multi', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    const started = new Date(Date.now() - 1000);
    await ct.send(new StartLoggingCommand({ Name: 'everywhere' }));
    const east = acmClient(server.url);
    const west = acmClient(server.url, creds, 'us-west-2');
    const e = await east.send(new RequestCertificateCommand({ DomainName: 'east.example.com' }));
    const w = await west.send(new RequestCertificateCommand({ DomainName: 'west.example.com' }));
    east.destroy();
    west.destroy();
    const logs = await waitFor(async () => {
      const l = await deliveredLogs(s3, 'ct-multi');
      const ids = new Set(l.flatMap((f) => f.records.map((r) => r.requestID)));
      return ids.has(e.$metadata.requestId) && ids.has(w.$metadata.requestId) ? l : undefined;
    }, 20_000, 250);
    for (const l of logs) {
      const region = /\/CloudTrail\/([a-z0-9-]+)\//.exec(l.key)![1];
      assert.ok(l.key.includes(`/${ACCOUNT}_CloudTrail_${region}_`), l.key);
      for (const r of l.records) assert.equal(r.awsRegion, region, `${r.eventName} in ${region}'s folder`);
    }
    assert.ok(logs.some((l) => l.key.includes('/CloudTrail/us-west-2/')));
    // The west chain: digests named for source region us-west-2 and home region us-east-1.
    await waitFor(async () => {
      const d = await digests(s3, 'ct-multi');
      const westLogs = logs.filter((l) => l.key.includes('/CloudTrail/us-west-2/')).map((l) => l.key);
      const listed = new Set(d.filter((x) => x.key.includes('/CloudTrail-Digest/us-west-2/')).flatMap((x) => x.digest.logFiles.map((f: any) => f.s3Object)));
      return westLogs.every((k) => listed.has(k)) ? true : undefined;
    }, 20_000, 250);
    const d = await digests(s3, 'ct-multi');
    assert.ok(d.some((x) => x.key.includes(`/CloudTrail-Digest/us-west-2/`) && x.key.includes(`_CloudTrail-Digest_us-west-2_everywhere_us-east-1_`)));

    const aws = awsCli(server.url, creds, undefined, s3ToLoopbackEnv(server.url));
    for (const region of ['us-east-1', 'us-west-2']) {
      const r = await aws.run('cloudtrail', 'validate-logs', '--region', region, '--trail-arn', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/everywhere`, '--start-time', iso(started), '--verbose');
      assert.equal(r.code, 0, `${region}: ${r.stdout}\n${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /INVALID/);
      assert.match(r.stdout, /[1-9]\d*\/\d+ log files valid/);
    }
    await ct.send(new StopLoggingCommand({ Name: 'everywhere' }));
  });

  test('event selectors: a WriteOnly trail gets no read events; a single-region trail no other region', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ct-writes' }));
    await ct.send(new CreateTrailCommand({ Name: 'writes', S3BucketName: 'ct-writes' }));
    await ct.send(new PutEventSelectorsCommand({ TrailName: 'writes', EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }));
    await ct.send(new StartLoggingCommand({ Name: 'writes' }));
    const east = acmClient(server.url);
    const west = acmClient(server.url, creds, 'us-west-2');
    const r = await east.send(new RequestCertificateCommand({ DomainName: 'w.example.com' }));
    await east.send(new DescribeCertificateCommand({ CertificateArn: r.CertificateArn }));
    await east.send(new ListCertificatesCommand({}));
    await west.send(new RequestCertificateCommand({ DomainName: 'elsewhere.example.com' }));
    const marker = await east.send(new RequestCertificateCommand({ DomainName: 'last.example.com' }));
    east.destroy();
    west.destroy();
    const logs = await waitFor(async () => {
      const l = await deliveredLogs(s3, 'ct-writes');
      return l.some((f) => f.records.some((x) => x.requestID === marker.$metadata.requestId)) ? l : undefined;
    }, 20_000, 250);
    const records = logs.flatMap((l) => l.records);
    assert.ok(records.some((x) => x.requestID === r.$metadata.requestId));
    assert.deepEqual(records.filter((x) => x.readOnly), [], 'no read-only events');
    assert.deepEqual(records.filter((x) => x.awsRegion !== 'us-east-1'), [], 'only the home region');
    await ct.send(new StopLoggingCommand({ Name: 'writes' }));
  });

  test('a missing bucket: LatestDeliveryError NoSuchBucket, then delivery once the bucket exists', async () => {
    await ct.send(new CreateTrailCommand({ Name: 'nobucket', S3BucketName: 'ct-not-yet' }));
    await ct.send(new StartLoggingCommand({ Name: 'nobucket' }));
    const status = await waitFor(async () => {
      const s = await ct.send(new GetTrailStatusCommand({ Name: 'nobucket' }));
      return s.LatestDeliveryError ? s : undefined;
    }, 20_000, 250);
    assert.equal(status.LatestDeliveryError, 'NoSuchBucket');
    assert.match(status.LatestDeliveryAttemptTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(status.LatestDeliveryTime, undefined);
    await s3.send(new CreateBucketCommand({ Bucket: 'ct-not-yet' }));
    const later = await waitFor(async () => {
      const s = await ct.send(new GetTrailStatusCommand({ Name: 'nobucket' }));
      return s.LatestDeliveryTime && !s.LatestDeliveryError ? s : undefined;
    }, 20_000, 250);
    assert.ok(later.LatestDeliveryTime instanceof Date);
    const logs = await deliveredLogs(s3, 'ct-not-yet');
    assert.ok(logs.flatMap((l) => l.records).some((r) => r.eventName === 'StartLogging'), 'the events waited for the bucket');
    await ct.send(new StopLoggingCommand({ Name: 'nobucket' }));
  });
});

describe('validation turned on and off, and DeleteTrail while logging', () => {
  test('UpdateTrail turns digests on (a starting digest) and off (a final one); DeleteTrail delivers its own event last', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ct-toggle' }));
    await ct.send(new CreateTrailCommand({ Name: 'toggle', S3BucketName: 'ct-toggle' }));
    await ct.send(new StartLoggingCommand({ Name: 'toggle' }));
    await new Promise((r) => setTimeout(r, 1_500));
    assert.deepEqual(await digests(s3, 'ct-toggle'), [], 'no digests without validation');
    await ct.send(new UpdateTrailCommand({ Name: 'toggle', EnableLogFileValidation: true }));
    const first = await waitFor(async () => {
      const d = await digests(s3, 'ct-toggle');
      return d.length ? d : undefined;
    }, 20_000, 250);
    const starting = first.sort((a, b) => a.digest.digestEndTime.localeCompare(b.digest.digestEndTime))[0];
    assert.equal(starting.digest.previousDigestSignature, null, 'enabling validation starts a chain');
    await ct.send(new UpdateTrailCommand({ Name: 'toggle', EnableLogFileValidation: false }));
    // The final digest comes at the next round; then the count stays put.
    let last = -1;
    const settled = await waitFor(async () => {
      const n = (await digests(s3, 'ct-toggle')).length;
      const stable = n === last;
      last = n;
      return stable ? n : undefined;
    }, 30_000, 2_000);
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await digests(s3, 'ct-toggle')).length, settled, 'no digests once validation is off');

    await ct.send(new DeleteTrailCommand({ Name: 'toggle' }));
    const logs = await waitFor(async () => {
      const l = await deliveredLogs(s3, 'ct-toggle');
      return l.some((f) => f.records.some((r) => r.eventName === 'DeleteTrail')) ? l : undefined;
    }, 20_000, 250);
    const records = logs.flatMap((l) => l.records).sort((a, b) => a.eventTime.localeCompare(b.eventTime));
    assert.equal(records.filter((r) => r.eventName === 'DeleteTrail').length, 1);
    assert.ok(records.some((r) => r.eventName === 'UpdateTrail'));
  });
});

describe('an external S3-compatible store', () => {
  let store: RunningServer;
  let front: RunningServer;
  after(async () => {
    await front?.dispose();
    await store?.dispose();
  });

  test('log files and digests go to the configured endpoint, and validate-logs accepts them there', async () => {
    store = await startServer();
    const remote = s3Client(store.url);
    await remote.send(new CreateBucketCommand({ Bucket: 'ext-logs' }));
    front = await startServer({
      ...ENV,
      CERTTRAIL_BUCKETS_ENDPOINT: store.url,
      CERTTRAIL_BUCKETS_ACCESS_KEY_ID: 'test',
      CERTTRAIL_BUCKETS_SECRET_ACCESS_KEY: 'test',
    });
    const fct = cloudtrail(front.url);
    await fct.send(new CreateTrailCommand({ Name: 'external', S3BucketName: 'ext-logs', EnableLogFileValidation: true }));
    const started = new Date(Date.now() - 1000);
    await fct.send(new StartLoggingCommand({ Name: 'external' }));
    const acm = acmClient(front.url);
    const r = await acm.send(new RequestCertificateCommand({ DomainName: 'external.example.com' }));
    acm.destroy();
    const logs = await waitFor(async () => {
      const l = await deliveredLogs(remote, 'ext-logs');
      return l.some((f) => f.records.some((x) => x.requestID === r.$metadata.requestId)) ? l : undefined;
    }, 20_000, 250);
    await waitFor(async () => {
      const listed = new Set((await digests(remote, 'ext-logs')).flatMap((x) => x.digest.logFiles.map((f: any) => f.s3Object)));
      return logs.every((l) => listed.has(l.key)) ? true : undefined;
    }, 20_000, 250);
    // CloudTrail calls to the front, S3 calls to the store.
    const aws = awsCli(front.url, creds, undefined, s3ToLoopbackEnv(store.url));
    const v = await aws.run('cloudtrail', 'validate-logs', '--trail-arn', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/external`, '--start-time', iso(started), '--verbose');
    assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`);
    assert.doesNotMatch(v.stdout + v.stderr, /INVALID/);
    remote.destroy();
    fct.destroy();
  });
});
