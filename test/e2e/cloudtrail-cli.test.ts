/**
 * The CloudTrail API through the real AWS CLI v2 (/usr/bin/aws, Debian awscli 2.9.19):
 * lookup-events by attribute, time window, MaxResults and the CLI's own pagination
 * (auto-paging, --max-items/--starting-token), the trail life cycle, and errors as the CLI
 * reports them. cloudtrail.md §6, §7. Each CLI run costs about a second of Python start-up, so
 * the calls being looked up are made with the SDK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetAccountConfigurationCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { acmClient, startServer, type RunningServer } from '../helpers/server.ts';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';

let server: RunningServer;
let aws: AwsCli;
let sdk: ACMClient;
/** x-amzn-RequestId of each RequestCertificate, oldest first. */
const requested: string[] = [];
const GAC_CALLS = 55;

before(async () => {
  server = await startServer();
  aws = awsCli(server.url);
  sdk = acmClient(server.url);
  for (let i = 0; i < 5; i++) requested.push((await sdk.send(new RequestCertificateCommand({ DomainName: `cli${i}.example.com` }))).$metadata.requestId!);
  await Promise.all(Array.from({ length: GAC_CALLS }, () => sdk.send(new GetAccountConfigurationCommand({}))));
});
after(async () => {
  sdk?.destroy();
  await server?.dispose();
});

const REQUESTS = ['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=RequestCertificate'];
const lookupJson = (...args: string[]) => aws.json('cloudtrail', 'lookup-events', ...args);
const ids = (events: any[]) => events.map((e) => JSON.parse(e.CloudTrailEvent).requestID);

describe('lookup-events', () => {
  test('every lookup attribute finds the newest RequestCertificate event through the CLI', async () => {
    const { Events } = await lookupJson(...REQUESTS, '--max-results', '1');
    const newest = Events[0];
    const rec = JSON.parse(newest.CloudTrailEvent);
    const attributes: [string, string][] = [
      ['EventId', newest.EventId],
      ['EventName', 'RequestCertificate'],
      ['ReadOnly', 'false'],
      ['Username', 'root'],
      ['ResourceType', 'AWS::ACM::Certificate'],
      ['ResourceName', newest.Resources[0].ResourceName],
      ['EventSource', 'acm.amazonaws.com'],
      ['AccessKeyId', 'test'],
    ];
    for (const [key, value] of attributes) {
      // The CLI pages through every match (its own lookups are root's events too, and newer).
      const page = await lookupJson('--lookup-attributes', `AttributeKey=${key},AttributeValue=${value}`);
      assert.ok(page.Events.some((e: any) => e.EventId === rec.eventID), `${key}=${value} did not find the event`);
      for (const e of page.Events) {
        const r = JSON.parse(e.CloudTrailEvent);
        if (key === 'EventName') assert.equal(r.eventName, value);
        if (key === 'ReadOnly') assert.equal(String(r.readOnly), value);
        if (key === 'EventSource') assert.equal(r.eventSource, value);
        if (key === 'AccessKeyId') assert.equal(r.userIdentity.accessKeyId, value);
        if (key === 'EventId') assert.equal(r.eventID, value);
      }
    }
  });

  test('--lookup-attributes EventName: the events, newest first, each with its record', async () => {
    const { Events, NextToken } = await lookupJson(...REQUESTS);
    assert.equal(NextToken, undefined);
    assert.deepEqual(ids(Events), [...requested].reverse());
    for (const e of Events) {
      assert.equal(e.EventName, 'RequestCertificate');
      assert.equal(e.EventSource, 'acm.amazonaws.com');
      assert.equal(e.ReadOnly, 'false');
      assert.equal(e.Username, 'root');
      assert.equal(e.AccessKeyId, 'test');
      assert.equal(e.Resources[0].ResourceType, 'AWS::ACM::Certificate');
      assert.match(e.Resources[0].ResourceName, /^arn:aws:acm:us-east-1:000000000000:certificate\//);
      // The CLI prints timestamps in ISO 8601; the record has the same instant.
      const rec = JSON.parse(e.CloudTrailEvent);
      assert.equal(new Date(e.EventTime).getTime(), new Date(rec.eventTime).getTime());
      assert.equal(rec.eventID, e.EventId);
      assert.deepEqual(rec.responseElements, { certificateArn: e.Resources[0].ResourceName });
    }
    // The CLI's own lookup is an event of cloudtrail.amazonaws.com, with the CLI's user agent.
    const own = await lookupJson('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=cloudtrail.amazonaws.com', '--max-results', '1');
    const rec = JSON.parse(own.Events[0].CloudTrailEvent);
    assert.equal(rec.eventName, 'LookupEvents');
    assert.match(rec.userAgent, /^aws-cli\/2\./);
    assert.deepEqual(rec.requestParameters, { lookupAttributes: [{ attributeKey: 'EventName', attributeValue: 'RequestCertificate' }] });
  });

  test('--start-time/--end-time: inclusive, in ISO 8601 or epoch seconds', async () => {
    const { Events } = await lookupJson(...REQUESTS);
    const target = Events[2];
    const t = new Date(target.EventTime);
    const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
    const window = await lookupJson(...REQUESTS, '--start-time', iso(t), '--end-time', iso(t));
    assert.ok(ids(window.Events).includes(ids([target])[0]));
    assert.ok(window.Events.every((e: any) => new Date(e.EventTime).getTime() === t.getTime()));
    const later = await lookupJson(...REQUESTS, '--start-time', String(t.getTime() / 1000 + 1));
    assert.ok(!ids(later.Events).includes(ids([target])[0]));
    assert.ok(later.Events.every((e: any) => new Date(e.EventTime) > t));
    const r = await aws.run('cloudtrail', 'lookup-events', '--start-time', iso(new Date(t.getTime() + 1000)), '--end-time', iso(t));
    assertCliError(r, 'InvalidTimeRangeException', 'LookupEvents');
  });

  test('--max-results: one page and the API NextToken; --next-token goes on', async () => {
    const p1 = await lookupJson(...REQUESTS, '--max-results', '2');
    assert.equal(p1.Events.length, 2);
    assert.ok(p1.NextToken);
    const p2 = await lookupJson(...REQUESTS, '--max-results', '3', '--next-token', p1.NextToken);
    assert.deepEqual([...ids(p1.Events), ...ids(p2.Events)], [...requested].reverse());
    assert.equal(p2.NextToken, undefined);
  });

  test('the CLI\'s pagination: auto-paging past 50, --page-size, --max-items with --starting-token', async () => {
    const GAC = ['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=GetAccountConfiguration'];
    const all = await lookupJson(...GAC);
    assert.equal(all.Events.length, GAC_CALLS);
    assert.equal(new Set(ids(all.Events)).size, GAC_CALLS);
    const paged = await lookupJson(...GAC, '--page-size', '20');
    assert.deepEqual(ids(paged.Events), ids(all.Events));
    const first = await lookupJson(...GAC, '--max-items', '30');
    assert.equal(first.Events.length, 30);
    assert.ok(first.NextToken);
    const rest = await lookupJson(...GAC, '--max-items', '30', '--starting-token', first.NextToken);
    assert.equal(rest.NextToken, undefined);
    assert.deepEqual([...ids(first.Events), ...ids(rest.Events)], ids(all.Events));
  });

  test('errors: two attributes, a bad key, MaxResults over 50, a bad token', async () => {
    assertCliError(
      await aws.run('cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=RequestCertificate', 'AttributeKey=Username,AttributeValue=root'),
      'InvalidLookupAttributesException', 'LookupEvents',
    );
    assertCliError(await aws.run('cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Nope,AttributeValue=x'), 'InvalidLookupAttributesException', 'LookupEvents');
    assertCliError(await aws.run('cloudtrail', 'lookup-events', '--max-results', '51'), 'InvalidMaxResultsException', 'LookupEvents');
    assertCliError(await aws.run('cloudtrail', 'lookup-events', '--next-token', 'not-a-token'), 'InvalidNextTokenException', 'LookupEvents');
  });
});

describe('trails', () => {
  const ARN = 'arn:aws:cloudtrail:us-east-1:000000000000:trail/cli-trail';

  test('create-trail, describe-trails, get-trail-status, start-logging, stop-logging, delete-trail', async () => {
    const created = await aws.json('cloudtrail', 'create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'certtrail-cli-logs', '--is-multi-region-trail');
    assert.deepEqual(created, {
      Name: 'cli-trail', S3BucketName: 'certtrail-cli-logs', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: true,
      TrailARN: ARN, LogFileValidationEnabled: false, IsOrganizationTrail: false,
    });
    const described = await aws.json('cloudtrail', 'describe-trails');
    assert.deepEqual(described.trailList.map((t: any) => [t.Name, t.HomeRegion, t.TrailARN]), [['cli-trail', 'us-east-1', ARN]]);
    const fromWest = await aws.json('cloudtrail', 'describe-trails', '--region', 'us-west-2', '--no-include-shadow-trails');
    assert.deepEqual(fromWest.trailList, []);

    assert.equal((await aws.json('cloudtrail', 'get-trail-status', '--name', 'cli-trail')).IsLogging, false);
    assert.deepEqual(await aws.json('cloudtrail', 'start-logging', '--name', 'cli-trail'), {});
    const on = await aws.json('cloudtrail', 'get-trail-status', '--name', ARN);
    assert.equal(on.IsLogging, true);
    assert.ok(Math.abs(new Date(on.StartLoggingTime).getTime() - Date.now()) < 60_000);
    // The string form is to the second (as AWS prints it); the timestamp keeps milliseconds.
    assert.equal(new Date(on.TimeLoggingStarted).getTime(), Math.floor(new Date(on.StartLoggingTime).getTime() / 1000) * 1000);
    await aws.json('cloudtrail', 'stop-logging', '--name', 'cli-trail');
    const off = await aws.json('cloudtrail', 'get-trail-status', '--name', 'cli-trail');
    assert.equal(off.IsLogging, false);
    assert.ok(off.StopLoggingTime);

    assert.deepEqual(await aws.json('cloudtrail', 'delete-trail', '--name', 'cli-trail'), {});
    assert.deepEqual((await aws.json('cloudtrail', 'describe-trails')).trailList, []);
    assertCliError(await aws.run('cloudtrail', 'get-trail-status', '--name', 'cli-trail'), 'TrailNotFoundException', 'GetTrailStatus',
      `Unknown trail: ${ARN} for the user: 000000000000`);
  });

  test('errors: a bad trail name, a taken name, a bad bucket, an unknown trail', async () => {
    assertCliError(await aws.run('cloudtrail', 'create-trail', '--name', 'x', '--s3-bucket-name', 'certtrail-cli-logs'), 'InvalidTrailNameException', 'CreateTrail',
      'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters.');
    await aws.json('cloudtrail', 'create-trail', '--name', 'taken-trail', '--s3-bucket-name', 'certtrail-cli-logs');
    assertCliError(await aws.run('cloudtrail', 'create-trail', '--name', 'taken-trail', '--s3-bucket-name', 'certtrail-cli-logs'), 'TrailAlreadyExistsException', 'CreateTrail');
    assertCliError(await aws.run('cloudtrail', 'create-trail', '--name', 'bucket-trail', '--s3-bucket-name', 'Not_A_Bucket'), 'InvalidS3BucketNameException', 'CreateTrail');
    assertCliError(await aws.run('cloudtrail', 'start-logging', '--name', 'no-such-trail'), 'TrailNotFoundException', 'StartLogging');
    // The trail calls, failed ones too, are events of cloudtrail.amazonaws.com.
    const { Events } = await lookupJson('--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateTrail');
    assert.deepEqual(Events.map((e: any) => JSON.parse(e.CloudTrailEvent).errorCode ?? null), ['InvalidS3BucketNameException', 'TrailAlreadyExistsException', null, 'InvalidTrailNameException', null]);
  });
});
