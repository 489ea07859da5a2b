/**
 * EventBridge end to end (issue "Events as they happen", Done when): the AWS CLI creates a
 * connection, an API destination pointing at an HTTP receiver in the test, a rule matching
 * ExportCertificate calls and a rule matching "ACM Certificate Approaching Expiration"; both
 * fire with the right bodies, and only they do. Then: a target that fails 3 times and recovers
 * gets the event once it does; one that never recovers lands in the dead-letter store.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DescribeCertificateCommand, ExportCertificateCommand, ImportCertificateCommand, RequestCertificateCommand, type ACMClient,
} from '@aws-sdk/client-acm';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { waitStatus } from '../helpers/acm.ts';
import { awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { selfSigned } from '../helpers/pki.ts';
import { Receiver } from '../helpers/receiver.ts';
import { ROOT, acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/trail-logs.ts';

const ACCOUNT = '000000000000';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/eventbridge-invoke`;
let server: RunningServer;
let aws: AwsCli;
let acm: ACMClient;
let eb: EventBridgeClient;
const receiver = new Receiver();
const ENV = { CERTTRAIL_BUS_POLL_MS: '50', CERTTRAIL_EXPIRY_SCAN_SECONDS: '1', CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '60' };
let connectionArn: string;

before(async () => {
  await receiver.start();
  server = await startServer(ENV);
  aws = awsCli(server.url);
  acm = acmClient(server.url);
  eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  // "AWS API Call via CloudTrail" events need a trail that logs.
  const s3 = s3Client(server.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'eb-trail' }));
  s3.destroy();
  const ct = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  await ct.send(new CreateTrailCommand({ Name: 'eb-trail', S3BucketName: 'eb-trail' }));
  await ct.send(new StartLoggingCommand({ Name: 'eb-trail' }));
  ct.destroy();
  const conn = await aws.json('events', 'create-connection', '--name', 'hook-conn', '--authorization-type', 'API_KEY',
    '--auth-parameters', JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'hook-s3cret' } }));
  connectionArn = conn.ConnectionArn;
});
after(async () => {
  acm?.destroy();
  eb?.destroy();
  await server?.dispose();
  await receiver.close();
});

async function destination(name: string, path: string): Promise<string> {
  const d = await aws.json('events', 'create-api-destination', '--name', name, '--connection-arn', connectionArn,
    '--invocation-endpoint', `${receiver.url}${path}`, '--http-method', 'POST', '--invocation-rate-limit-per-second', '10');
  return d.ApiDestinationArn;
}

describe('rules made with the AWS CLI fire on ACM events', () => {
  test('ExportCertificate calls and ACM Certificate Approaching Expiration reach their API destinations, nothing else does', async () => {
    const exportsDest = await destination('exports-hook', '/exports');
    const expiryDest = await destination('expiry-hook', '/expiry');
    await aws.json('events', 'put-rule', '--name', 'exports', '--event-pattern',
      JSON.stringify({ source: ['aws.acm'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['acm.amazonaws.com'], eventName: ['ExportCertificate'] } }));
    await aws.json('events', 'put-targets', '--rule', 'exports', '--targets', JSON.stringify([{ Id: 'hook', Arn: exportsDest, RoleArn: ROLE }]));
    await aws.json('events', 'put-rule', '--name', 'expiring', '--event-pattern', JSON.stringify({ source: ['aws.acm'], 'detail-type': ['ACM Certificate Approaching Expiration'] }));
    await aws.json('events', 'put-targets', '--rule', 'expiring', '--targets', JSON.stringify([{ Id: 'hook', Arn: expiryDest, RoleArn: ROLE }]));

    // Calls that must not fire, then the one that must.
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'eb-export.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }));
    await waitStatus(acm, arn!);
    await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    const exported = await acm.send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: Buffer.from('eventbridge passphrase') }));
    const hit = await waitFor(async () => receiver.at('/exports')[0], 20_000, 100);
    const body = JSON.parse(hit.body);
    assert.equal(hit.method, 'POST');
    assert.equal(hit.headers['x-api-key'], 'hook-s3cret', "the connection's API key is sent");
    assert.match(String(hit.headers['content-type']), /^application\/json/);
    assert.equal(body.version, '0');
    assert.equal(body['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(body.source, 'aws.acm');
    assert.equal(body.account, ACCOUNT);
    assert.equal(body.region, 'us-east-1');
    assert.deepEqual(body.resources, []);
    assert.equal(body.detail.eventName, 'ExportCertificate');
    assert.equal(body.detail.requestID, exported.$metadata.requestId);
    assert.equal(body.detail.requestParameters.certificateArn, arn);
    assert.ok(!hit.body.includes('PRIVATE KEY'), 'no key material in the event');

    // An imported certificate 10 days from expiry: within the default 45 days.
    const leaf = selfSigned('eb-expiring.example.com', { days: 10 });
    const imported = await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(leaf.certPem), PrivateKey: Buffer.from(leaf.keyPem) }));
    const notice = await waitFor(async () => receiver.at('/expiry').find((r) => JSON.parse(r.body).resources?.[0] === imported.CertificateArn), 20_000, 100);
    const n = JSON.parse(notice.body);
    assert.equal(n['detail-type'], 'ACM Certificate Approaching Expiration');
    assert.equal(n.source, 'aws.acm');
    assert.ok(n.detail.DaysToExpiry === 9 || n.detail.DaysToExpiry === 10, `DaysToExpiry ${n.detail.DaysToExpiry}`);
    assert.equal(n.detail.CommonName, 'eb-expiring.example.com');

    // Scans go on every second: still one notice per certificate per day, and one export event.
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(receiver.at('/expiry').filter((r) => JSON.parse(r.body).resources?.[0] === imported.CertificateArn).length, 1);
    assert.equal(receiver.at('/exports').length, 1, 'only ExportCertificate fired the exports rule');
    for (const r of receiver.at('/expiry')) assert.equal(JSON.parse(r.body)['detail-type'], 'ACM Certificate Approaching Expiration');
  });
});

describe('retries and the dead-letter store', () => {
  const customRule = async (name: string, path: string, target: Record<string, unknown>) => {
    const dest = await destination(`${name}-dest`, path);
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['com.example.orders'], 'detail-type': [name] }) }));
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: dest, RoleArn: ROLE, ...target }] }));
  };

  test('a target that fails 3 times, then recovers, receives the event once it recovers', async () => {
    await customRule('flaky', '/flaky', {});
    receiver.fail('/flaky', 3, 503);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.orders', DetailType: 'flaky', Detail: JSON.stringify({ order: 42 }) }] }));
    assert.equal(put.FailedEntryCount, 0);
    const ok = await waitFor(async () => receiver.at('/flaky').find((r) => r.status === 200), 30_000, 100);
    const tries = receiver.at('/flaky');
    assert.deepEqual(tries.map((t) => t.status), [503, 503, 503, 200]);
    assert.ok(tries.every((t) => t.body === ok.body), 'every attempt carries the same event');
    assert.equal(JSON.parse(ok.body).id, put.Entries![0].EventId);
    assert.deepEqual(JSON.parse(ok.body).detail, { order: 42 });
  });

  test('a target that never recovers lands in the dead-letter store once its retry policy runs out', async () => {
    const dlq = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`;
    await customRule('down', '/down', { RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlq } });
    receiver.fail('/down', 1_000, 500);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.orders', DetailType: 'down', Detail: JSON.stringify({ order: 7 }) }] }));
    const letters = await waitFor(async () => {
      const out = await certtrail(['dead-letters', '--queue-arn', dlq]);
      const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return lines.length ? lines : undefined;
    }, 30_000, 500);
    assert.equal(letters.length, 1);
    assert.equal(JSON.parse(letters[0].Body).id, put.Entries![0].EventId);
    assert.equal(letters[0].MessageAttributes.ERROR_CODE, 'RETRY_ATTEMPTS_EXHAUSTED');
    assert.equal(letters[0].MessageAttributes.RETRY_ATTEMPTS, 2);
    assert.match(letters[0].MessageAttributes.RULE_ARN, /:rule\/down$/);
    assert.equal(receiver.at('/down').length, 3, 'the first try and 2 retries');
  });
});

describe('targets: auth kinds, input transformers, the local sink', () => {
  test('basic and OAuth client-credentials connections, an InputTransformer, and a log-group sink in the data dir', async () => {
    const basic = await aws.json('events', 'create-connection', '--name', 'basic-conn', '--authorization-type', 'BASIC',
      '--auth-parameters', JSON.stringify({ BasicAuthParameters: { Username: 'hook-user', Password: 'hook-pass' } }));
    const oauth = await aws.json('events', 'create-connection', '--name', 'oauth-conn', '--authorization-type', 'OAUTH_CLIENT_CREDENTIALS',
      '--auth-parameters', JSON.stringify({ OAuthParameters: { AuthorizationEndpoint: `${receiver.url}/oauth/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'cid', ClientSecret: 'csecret' },
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials', IsValueSecret: false }] } } }));
    const dest = async (name: string, conn: string, path: string) =>
      (await aws.json('events', 'create-api-destination', '--name', name, '--connection-arn', conn, '--invocation-endpoint', `${receiver.url}${path}`, '--http-method', 'POST')).ApiDestinationArn;
    const basicDest = await dest('basic-dest', basic.ConnectionArn, '/basic');
    const oauthDest = await dest('oauth-dest', oauth.ConnectionArn, '/oauth-hook');
    await eb.send(new PutRuleCommand({ Name: 'shipping', EventPattern: JSON.stringify({ source: ['com.example.shipping'], detail: { weight: [{ numeric: ['>', 10] }] } }) }));
    await eb.send(new PutTargetsCommand({
      Rule: 'shipping',
      Targets: [
        { Id: 'basic', Arn: basicDest, RoleArn: ROLE },
        { Id: 'oauth', Arn: oauthDest, RoleArn: ROLE, InputTransformer: { InputPathsMap: { w: '$.detail.weight', id: '$.detail.parcel' }, InputTemplate: '{"parcel": "<id>", "kg": <w>, "rule": "<aws.events.rule-name>"}' } },
        { Id: 'sink', Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/certtrail/shipping` },
      ],
    }));
    await eb.send(new PutEventsCommand({ Entries: [
      { Source: 'com.example.shipping', DetailType: 'Parcel', Detail: JSON.stringify({ parcel: 'p-1', weight: 5 }) },
      { Source: 'com.example.shipping', DetailType: 'Parcel', Detail: JSON.stringify({ parcel: 'p-2', weight: 12 }) },
    ] }));
    const b = await waitFor(async () => receiver.at('/basic')[0], 20_000, 100);
    assert.equal(b.headers.authorization, 'Basic ' + Buffer.from('hook-user:hook-pass').toString('base64'));
    assert.equal(JSON.parse(b.body).detail.parcel, 'p-2', 'only the heavy parcel matches numeric > 10');
    const o = await waitFor(async () => receiver.at('/oauth-hook')[0], 20_000, 100);
    assert.equal(o.headers.authorization, 'Bearer tok-123');
    assert.deepEqual(JSON.parse(o.body), { parcel: 'p-2', kg: 12, rule: 'shipping' });
    const token = receiver.at('/oauth/token')[0];
    assert.equal(token.headers.authorization, 'Basic ' + Buffer.from('cid:csecret').toString('base64'));
    assert.match(token.body, /grant_type=client_credentials/);
    const sinkFile = join(server.dataDir, 'event-sinks', 'certtrail_shipping.jsonl');
    const lines = await waitFor(async () => {
      try {
        const l = readFileSync(sinkFile, 'utf8').split('\n').filter(Boolean);
        return l.length ? l : undefined;
      } catch {
        return undefined;
      }
    }, 20_000, 100);
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]).detail.parcel, 'p-2');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.at('/basic').length, 1);
  });
});

describe('a restart', () => {
  test('an invocation still being retried when the server stops is delivered once after it starts again', async () => {
    const dest = await destination('restart-dest', '/restart');
    await eb.send(new PutRuleCommand({ Name: 'restart', EventPattern: JSON.stringify({ source: ['com.example.restart'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'restart', Targets: [{ Id: 't', Arn: dest, RoleArn: ROLE }] }));
    receiver.fail('/restart', 1_000, 503);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.restart', DetailType: 'Ping', Detail: '{"n":1}' }] }));
    await waitFor(async () => (receiver.at('/restart').length ? true : undefined), 20_000, 50);
    assert.equal(await server.stop(), 0);
    receiver.fail('/restart', 0);
    server = await startServer(ENV, server.dataDir);
    const ok = await waitFor(async () => receiver.at('/restart').find((r) => r.status === 200), 30_000, 100);
    assert.equal(JSON.parse(ok.body).id, put.Entries![0].EventId);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(receiver.at('/restart').filter((r) => r.status === 200).length, 1, 'delivered once');
  });
});

function certtrail(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], { cwd: ROOT, env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir }, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}
