/**
 * The CloudTrail API through @aws-sdk/client-cloudtrail: LookupEvents over ACM calls made with
 * @aws-sdk/client-acm (successful and failed, by the root user and an IAM user, in two regions
 * and two accounts), every lookup attribute, time windows, the 90-day window, pagination and
 * each documented error; then every trail operation with its errors. cloudtrail.md §6, §7.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ACMClient, AddTagsToCertificateCommand, DescribeCertificateCommand, GetAccountConfigurationCommand, ListCertificatesCommand,
  RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import {
  AddTagsCommand, CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, DescribeTrailsCommand, GetEventSelectorsCommand,
  GetTrailCommand, GetTrailStatusCommand, ListEventDataStoresCommand, ListPublicKeysCommand, ListTagsCommand, ListTrailsCommand,
  LookupEventsCommand, PutEventSelectorsCommand, RemoveTagsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand,
  paginateLookupEvents, type Event, type LookupAttributeKey, type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { queryDatabase } from '../helpers/backend.ts';
import { ROOT, acmClient, startServer, type RunningServer } from '../helpers/server.ts';
import { ACCOUNT, UUID, createAccount, credsOf, expectError, unknownArn, type AwsError } from '../helpers/acm.ts';

type Creds = { accessKeyId: string; secretAccessKey: string };
const ROOT_CREDS: Creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const DAY = 86_400_000;
const OLD_DAYS = 91;

let dir: string;
let server: RunningServer;
let acm: ACMClient;
let ct: CloudTrailClient;
let alice: Creds & { AccessKeyId: string };
let other: { AccountId: string; creds: Creds };
const clients: { destroy(): void }[] = [];

const ctClient = (creds: Creds = ROOT_CREDS, region = 'us-east-1') => {
  const c = new CloudTrailClient({ endpoint: server.url, region, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};
const acmAs = (creds: Creds = ROOT_CREDS, region = 'us-east-1') => {
  const c = acmClient(server.url, creds, region);
  clients.push(c);
  return c;
};

function certtrail(...args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir }, encoding: 'utf8',
  }));
}

/** What the ACM callers got back: request ids (x-amzn-RequestId) and ARNs. */
const calls = {} as {
  old: { arn: string; requestId: string };
  request: { arn: string; requestId: string };
  describe: string;
  addTags: string;
  describeMissing: string;
  badRequest: string;
  aliceRequest: { arn: string; requestId: string };
  aliceList: string;
  eu: { arn: string; requestId: string };
  other: { arn: string; requestId: string };
  startedAt: number;
};

async function failedRequestId(p: Promise<unknown>, code: string): Promise<string> {
  const err = await expectError(p, code, 400);
  return (err as AwsError & { $metadata: { requestId?: string } }).$metadata.requestId!;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certtrail-ct-'));
  // An event from 91 days ago: a server whose clock runs that far behind, and a client that
  // signs with the same skew, record it; the real server then opens the same data.
  const old = await startServer({ CERTTRAIL_CLOCK_OFFSET_SECONDS: String((-OLD_DAYS * DAY) / 1000) }, dir);
  const oldAcm = new ACMClient({ endpoint: old.url, region: 'us-east-1', credentials: ROOT_CREDS, maxAttempts: 1, systemClockOffset: -OLD_DAYS * DAY });
  const o = await oldAcm.send(new RequestCertificateCommand({ DomainName: 'old.example.com' }));
  calls.old = { arn: o.CertificateArn!, requestId: o.$metadata.requestId! };
  oldAcm.destroy();
  // What it answered is committed (synchronous=FULL), so a stop that lingers may be cut short.
  const cut = setTimeout(() => old.proc.kill('SIGKILL'), 15_000);
  await old.stop();
  clearTimeout(cut);

  server = await startServer({}, dir);
  acm = acmAs();
  ct = ctClient();
  certtrail('users', 'create', ACCOUNT, 'alice', '--admin');
  const k = certtrail('access-keys', 'create', ACCOUNT, 'alice');
  alice = { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, AccessKeyId: k.AccessKeyId };
  const acc = createAccount(server);
  other = { AccountId: acc.AccountId, creds: credsOf(acc) };

  calls.startedAt = Date.now();
  const r = await acm.send(new RequestCertificateCommand({ DomainName: 'a.example.com' }));
  calls.request = { arn: r.CertificateArn!, requestId: r.$metadata.requestId! };
  calls.describe = (await acm.send(new DescribeCertificateCommand({ CertificateArn: r.CertificateArn }))).$metadata.requestId!;
  calls.addTags = (await acm.send(new AddTagsToCertificateCommand({ CertificateArn: r.CertificateArn, Tags: [{ Key: 'k', Value: 'v' }] }))).$metadata.requestId!;
  calls.describeMissing = await failedRequestId(acm.send(new DescribeCertificateCommand({ CertificateArn: unknownArn() })), 'ResourceNotFoundException');
  calls.badRequest = await failedRequestId(acm.send(new RequestCertificateCommand({ DomainName: 'not a domain' })), 'ValidationException');
  const aliceAcm = acmAs(alice);
  const ar = await aliceAcm.send(new RequestCertificateCommand({ DomainName: 'b.example.com' }));
  calls.aliceRequest = { arn: ar.CertificateArn!, requestId: ar.$metadata.requestId! };
  calls.aliceList = (await aliceAcm.send(new ListCertificatesCommand({}))).$metadata.requestId!;
  const eu = await acmAs(ROOT_CREDS, 'eu-west-1').send(new RequestCertificateCommand({ DomainName: 'eu.example.com' }));
  calls.eu = { arn: eu.CertificateArn!, requestId: eu.$metadata.requestId! };
  const ot = await acmAs(other.creds).send(new RequestCertificateCommand({ DomainName: 'other.example.com' }));
  calls.other = { arn: ot.CertificateArn!, requestId: ot.$metadata.requestId! };
});

after(async () => {
  for (const c of clients) c.destroy();
  await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lookup = (input: LookupEventsCommandInput = {}, client = ct) => client.send(new LookupEventsCommand(input));
const by = async (key: LookupAttributeKey, value: string, client = ct, extra: LookupEventsCommandInput = {}) =>
  (await lookup({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], ...extra }, client)).Events ?? [];
const record = (e: Event) => JSON.parse(e.CloudTrailEvent!);
const requestIds = (events: Event[]) => events.map((e) => record(e).requestID);
/** Only the setup's ACM calls (lookups made by the tests are events too). */
const acmOnly = (events: Event[]) => events.filter((e) => e.EventSource === 'acm.amazonaws.com');

describe('LookupEvents: attributes', () => {
  test('EventName: the Event shape, newest first, CloudTrailEvent is the record with the caller\'s request id', async () => {
    const events = await by('EventName', 'RequestCertificate');
    assert.deepEqual(requestIds(events), [calls.aliceRequest.requestId, calls.badRequest, calls.request.requestId]);
    const [a, failed, root] = events;
    assert.match(a.EventId!, UUID);
    assert.deepEqual({ ...a, EventId: undefined, EventTime: undefined, CloudTrailEvent: undefined }, {
      EventId: undefined, EventName: 'RequestCertificate', ReadOnly: 'false', AccessKeyId: alice.AccessKeyId, EventTime: undefined,
      EventSource: 'acm.amazonaws.com', Username: 'alice', Resources: [{ ResourceType: 'AWS::ACM::Certificate', ResourceName: calls.aliceRequest.arn }],
      CloudTrailEvent: undefined,
    });
    assert.ok(a.EventTime instanceof Date && a.EventTime.getTime() % 1000 === 0, 'whole seconds, like the record');
    assert.ok(a.EventTime.getTime() >= Math.floor(calls.startedAt / 1000) * 1000 && a.EventTime.getTime() <= Date.now());
    const rec = record(a);
    assert.equal(rec.eventID, a.EventId);
    assert.equal(rec.eventName, 'RequestCertificate');
    assert.equal(rec.eventTime, a.EventTime.toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(rec.userIdentity, { type: 'IAMUser', principalId: rec.userIdentity.principalId, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: alice.AccessKeyId, userName: 'alice' });
    assert.deepEqual(rec.responseElements, { certificateArn: calls.aliceRequest.arn });
    assert.equal(rec.readOnly, false);
    // The failed call is an event too, with AWS's error and no resource.
    assert.equal(record(failed).errorCode, 'ValidationException');
    assert.deepEqual(failed.Resources, []);
    assert.equal(root.Username, 'root');
    assert.equal(root.AccessKeyId, 'test');
    assert.equal(record(root).userIdentity.type, 'Root');
  });

  test('EventId: exactly that event', async () => {
    const [any] = await by('EventName', 'AddTagsToCertificate');
    const events = await by('EventId', any.EventId!);
    assert.deepEqual(events, [any]);
    assert.equal(record(any).requestID, calls.addTags);
    assert.deepEqual(await by('EventId', '00000000-0000-4000-8000-000000000000'), []);
  });

  test('ReadOnly: "true" and "false"', async () => {
    const ro = acmOnly(await by('ReadOnly', 'true'));
    assert.ok(ro.every((e) => e.ReadOnly === 'true' && record(e).readOnly === true));
    assert.ok(requestIds(ro).includes(calls.describe) && requestIds(ro).includes(calls.aliceList) && requestIds(ro).includes(calls.describeMissing));
    const rw = acmOnly(await by('ReadOnly', 'false'));
    assert.ok(rw.every((e) => e.ReadOnly === 'false' && record(e).readOnly === false));
    assert.deepEqual(requestIds(rw), [calls.aliceRequest.requestId, calls.badRequest, calls.addTags, calls.request.requestId]);
  });

  test('Username and AccessKeyId: the IAM user\'s calls; root is "root"', async () => {
    const mine = [calls.aliceList, calls.aliceRequest.requestId];
    assert.deepEqual(requestIds(await by('Username', 'alice')), mine);
    assert.deepEqual(requestIds(await by('AccessKeyId', alice.AccessKeyId)), mine);
    const root = acmOnly(await by('Username', 'root'));
    assert.deepEqual(requestIds(root), [calls.badRequest, calls.describeMissing, calls.addTags, calls.describe, calls.request.requestId]);
    assert.deepEqual(requestIds(acmOnly(await by('AccessKeyId', 'test'))), requestIds(root));
    assert.deepEqual(await by('Username', 'Alice'), [], 'values are case-sensitive');
  });

  test('ResourceType and ResourceName: the certificate\'s calls, failed ones included', async () => {
    const typed = await by('ResourceType', 'AWS::ACM::Certificate');
    assert.ok(typed.every((e) => e.Resources![0].ResourceType === 'AWS::ACM::Certificate'));
    // ListCertificates and the rejected RequestCertificate name no certificate.
    assert.deepEqual(requestIds(typed), [calls.aliceRequest.requestId, calls.describeMissing, calls.addTags, calls.describe, calls.request.requestId]);
    const named = await by('ResourceName', calls.request.arn);
    assert.deepEqual(named.map((e) => e.EventName), ['AddTagsToCertificate', 'DescribeCertificate', 'RequestCertificate']);
    assert.deepEqual(requestIds(named), [calls.addTags, calls.describe, calls.request.requestId]);
    const [missing] = await by('ResourceName', unknownArn());
    assert.equal(record(missing).requestID, calls.describeMissing);
    assert.equal(record(missing).errorCode, 'ResourceNotFoundException');
    assert.equal(missing.ReadOnly, 'true');
  });

  test('EventSource: ACM\'s calls, and CloudTrail\'s own (LookupEvents is an event too)', async () => {
    const acmEvents = await by('EventSource', 'acm.amazonaws.com');
    assert.ok(acmEvents.length >= 7 && acmEvents.every((e) => e.EventSource === 'acm.amazonaws.com'));
    const probe = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'NoSuchEvent' }] });
    const own = await by('EventSource', 'cloudtrail.amazonaws.com');
    assert.ok(own.every((e) => e.EventSource === 'cloudtrail.amazonaws.com'));
    const [mine] = own.filter((e) => record(e).requestID === probe.$metadata.requestId);
    assert.equal(mine.EventName, 'LookupEvents');
    assert.equal(mine.ReadOnly, 'true');
    assert.deepEqual(record(mine).requestParameters, { lookupAttributes: [{ attributeKey: 'EventName', attributeValue: 'NoSuchEvent' }] });
    assert.equal(record(mine).responseElements, null);
  });

  test('without attributes: every event of the account and region, newest first', async () => {
    const events = (await lookup()).Events!;
    const times = events.map((e) => e.EventTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const ids = requestIds(events);
    assert.ok(ids.includes(calls.request.requestId) && ids.includes(calls.aliceRequest.requestId));
    assert.ok(!ids.includes(calls.eu.requestId) && !ids.includes(calls.other.requestId) && !ids.includes(calls.old.requestId));
  });
});

describe('LookupEvents: time', () => {
  test('StartTime and EndTime are inclusive, to the second', async () => {
    const [ev] = await by('ResourceName', calls.request.arn);
    const t = ev.EventTime!;
    const within = await by('EventId', ev.EventId!, ct, { StartTime: t, EndTime: t });
    assert.equal(within.length, 1);
    // An end inside the event's second still includes it.
    assert.equal((await by('EventId', ev.EventId!, ct, { StartTime: t, EndTime: new Date(t.getTime() + 500) })).length, 1);
    assert.deepEqual(await by('EventId', ev.EventId!, ct, { StartTime: new Date(t.getTime() + 1000) }), []);
    assert.deepEqual(await by('EventId', ev.EventId!, ct, { EndTime: new Date(t.getTime() - 1000) }), []);
    assert.deepEqual((await lookup({ StartTime: new Date(Date.now() + DAY) })).Events, []);
  });

  test('StartTime after EndTime: InvalidTimeRangeException', async () => {
    const now = Date.now();
    await expectError(lookup({ StartTime: new Date(now), EndTime: new Date(now - 1000) }), 'InvalidTimeRangeException', 400);
  });

  test('events older than 90 days are never returned, whatever StartTime says', async () => {
    // The old event is stored...
    const stored = await queryDatabase<{ event_time: number }>(dir, 'SELECT event_time FROM events WHERE resource_name = ?', [calls.old.arn]);
    assert.equal(stored.length, 1);
    assert.ok(Date.now() - stored[0].event_time > 90 * DAY);
    // ...and LookupEvents does not show it.
    assert.deepEqual(await by('ResourceName', calls.old.arn), []);
    assert.deepEqual(await by('ResourceName', calls.old.arn, ct, { StartTime: new Date(Date.now() - 100 * DAY) }), []);
    assert.ok(!requestIds(await by('EventName', 'RequestCertificate', ct, { StartTime: new Date(0) })).includes(calls.old.requestId));
  });
});

describe('LookupEvents: pagination', () => {
  const N = 60;
  let made: string[] = [];
  const gac = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'GetAccountConfiguration' }] };

  before(async () => {
    made = [];
    for (let i = 0; i < N; i += 20)
      made.push(...(await Promise.all(Array.from({ length: 20 }, async () => (await acm.send(new GetAccountConfigurationCommand({}))).$metadata.requestId!))));
  });

  test('more than 50 events: a full page of 50 (the default) and a NextToken, then the rest', async () => {
    const p1 = await lookup(gac);
    assert.equal(p1.Events!.length, 50);
    assert.ok(p1.NextToken);
    const p2 = await lookup({ ...gac, NextToken: p1.NextToken });
    assert.equal(p2.Events!.length, N - 50);
    assert.equal(p2.NextToken, undefined);
    const all = [...p1.Events!, ...p2.Events!];
    assert.deepEqual(new Set(requestIds(all)), new Set(made));
    const times = all.map((e) => e.EventTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('MaxResults pages, the SDK paginator, and events arriving meanwhile neither repeat nor shift pages', async () => {
    const whole = requestIds([...(await lookup(gac)).Events!, ...(await lookup({ ...gac, NextToken: (await lookup(gac)).NextToken })).Events!]);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await lookup({ ...gac, MaxResults: 7, NextToken: token });
      assert.ok(p.Events!.length <= 7);
      seen.push(...requestIds(p.Events!));
      token = p.NextToken;
      pages++;
      // A new matching event between pages is newer than the cursor: it is not in this run.
      if (pages === 2) await acm.send(new GetAccountConfigurationCommand({}));
    } while (token);
    assert.equal(pages, Math.ceil(N / 7));
    assert.deepEqual(seen, whole);
    const viaPaginator: string[] = [];
    for await (const page of paginateLookupEvents({ client: ct, pageSize: 25 }, gac)) viaPaginator.push(...requestIds(page.Events ?? []));
    assert.equal(viaPaginator.length, N + 1);
    assert.deepEqual(viaPaginator.slice(1), whole);
  });

  test('NextToken: garbage, tampered, other parameters, another account: InvalidNextTokenException', async () => {
    const { NextToken } = await lookup({ ...gac, MaxResults: 5 });
    assert.ok(NextToken);
    await expectError(lookup({ ...gac, NextToken: 'garbage' }), 'InvalidNextTokenException', 400);
    const raw = Buffer.from(NextToken, 'base64url').toString();
    const tampered = Buffer.from(raw.replace(/^\d/, (d) => String((Number(d) + 1) % 10))).toString('base64url');
    await expectError(lookup({ ...gac, NextToken: tampered }), 'InvalidNextTokenException', 400);
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ListCertificates' }], NextToken }), 'InvalidNextTokenException', 400);
    await expectError(lookup({ ...gac, StartTime: new Date(0), NextToken }), 'InvalidNextTokenException', 400);
    await expectError(lookup({ ...gac, NextToken }, ctClient(other.creds)), 'InvalidNextTokenException', 400);
    await expectError(lookup({ ...gac, NextToken }, ctClient(ROOT_CREDS, 'eu-west-1')), 'InvalidNextTokenException', 400);
    // The same parameters with another MaxResults go on.
    assert.equal((await lookup({ ...gac, MaxResults: 2, NextToken })).Events!.length, 2);
  });
});

describe('LookupEvents: errors', () => {
  test('more than one lookup attribute: InvalidLookupAttributesException', async () => {
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RequestCertificate' }, { AttributeKey: 'Username', AttributeValue: 'root' }] }), 'InvalidLookupAttributesException', 400);
  });

  test('bad keys and values: InvalidLookupAttributesException', async () => {
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'Bogus' as LookupAttributeKey, AttributeValue: 'x' }] }), 'InvalidLookupAttributesException', 400);
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'yes' }] }), 'InvalidLookupAttributesException', 400);
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] }), 'InvalidLookupAttributesException', 400);
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'x'.repeat(2001) }] }), 'InvalidLookupAttributesException', 400);
    // '_', ' ', ',' and newline count twice towards the 2000 (LookupAttribute doc).
    assert.deepEqual(await by('EventName', '_'.repeat(1000)), []);
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '_'.repeat(1001) }] }), 'InvalidLookupAttributesException', 400);
  });

  test('MaxResults outside 1–50: InvalidMaxResultsException', async () => {
    await expectError(lookup({ MaxResults: 0 }), 'InvalidMaxResultsException', 400);
    await expectError(lookup({ MaxResults: 51 }), 'InvalidMaxResultsException', 400);
    assert.equal((await lookup({ MaxResults: 1 })).Events!.length, 1);
  });

  test('EventCategory: insight finds nothing here; anything else is InvalidEventCategoryException', async () => {
    assert.deepEqual((await lookup({ EventCategory: 'insight' })).Events, []);
    assert.deepEqual((await lookup({ EventCategory: 'insight', LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RequestCertificate' }] })).Events, []);
    await expectError(lookup({ EventCategory: 'management' as 'insight' }), 'InvalidEventCategoryException', 400);
    await expectError(lookup({ EventCategory: 'insight', LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'root' }] }), 'InvalidLookupAttributesException', 400);
  });
});

describe('LookupEvents: account and region isolation', () => {
  test('another region sees only its own events', async () => {
    const eu = ctClient(ROOT_CREDS, 'eu-west-1');
    assert.deepEqual(requestIds(await by('EventName', 'RequestCertificate', eu)), [calls.eu.requestId]);
    assert.deepEqual(await by('ResourceName', calls.request.arn, eu), []);
    assert.deepEqual(await by('ResourceName', calls.eu.arn), []);
  });

  test('another account sees only its own events, and its root is "root" too', async () => {
    const theirs = ctClient(other.creds);
    const events = await by('EventName', 'RequestCertificate', theirs);
    assert.deepEqual(requestIds(events), [calls.other.requestId]);
    assert.equal(events[0].Username, 'root');
    assert.equal(record(events[0]).recipientAccountId, other.AccountId);
    assert.deepEqual(await by('ResourceName', calls.request.arn, theirs), []);
    assert.deepEqual(await by('ResourceName', calls.other.arn), []);
  });
});

// ---- trails ------------------------------------------------------------------------------

const trailArnOf = (name: string, region = 'us-east-1', account = ACCOUNT) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const create = (Name: string, extra: Partial<ConstructorParameters<typeof CreateTrailCommand>[0]> = {}, client = ct) =>
  client.send(new CreateTrailCommand({ Name, S3BucketName: 'certtrail-logs', ...extra }));

describe('trails: create, get, describe, list', () => {
  test('CreateTrail: the settings and ARN, defaults as AWS; the new trail does not log', async () => {
    const out = await create('basic-trail');
    const { $metadata, ...body } = out;
    assert.equal($metadata.httpStatusCode, 200);
    assert.deepEqual(body, {
      Name: 'basic-trail', S3BucketName: 'certtrail-logs', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false,
      TrailARN: trailArnOf('basic-trail'), LogFileValidationEnabled: false, IsOrganizationTrail: false,
    });
    const status = await ct.send(new GetTrailStatusCommand({ Name: 'basic-trail' }));
    assert.equal(status.IsLogging, false);
    assert.equal(status.StartLoggingTime, undefined);
    assert.equal(status.TimeLoggingStarted, '');
  });

  test('CreateTrail with every setting', async () => {
    const out = await create('full-trail', {
      S3KeyPrefix: 'prefix/x', SnsTopicName: 'my-topic', IncludeGlobalServiceEvents: false, EnableLogFileValidation: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:ct:*`, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/ct`,
      KmsKeyId: '12345678-1234-1234-1234-123456789012', TagsList: [{ Key: 'env', Value: 'test' }, { Key: 'bare' }],
    });
    assert.equal(out.S3KeyPrefix, 'prefix/x');
    assert.equal(out.SnsTopicARN, `arn:aws:sns:us-east-1:${ACCOUNT}:my-topic`);
    assert.equal(out.KmsKeyId, `arn:aws:kms:us-east-1:${ACCOUNT}:key/12345678-1234-1234-1234-123456789012`);
    assert.equal(out.LogFileValidationEnabled, true);
    assert.equal(out.IncludeGlobalServiceEvents, false);
    const { Trail } = await ct.send(new GetTrailCommand({ Name: 'full-trail' }));
    assert.deepEqual(Trail, {
      Name: 'full-trail', S3BucketName: 'certtrail-logs', S3KeyPrefix: 'prefix/x', SnsTopicName: 'my-topic', SnsTopicARN: out.SnsTopicARN,
      IncludeGlobalServiceEvents: false, IsMultiRegionTrail: false, HomeRegion: 'us-east-1', TrailARN: trailArnOf('full-trail'),
      LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: out.CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: out.CloudWatchLogsRoleArn,
      KmsKeyId: out.KmsKeyId, HasCustomEventSelectors: false, HasInsightSelectors: false, IsOrganizationTrail: false,
    });
    const tags = await ct.send(new ListTagsCommand({ ResourceIdList: [trailArnOf('full-trail')] }));
    assert.deepEqual(tags.ResourceTagList, [{ ResourceId: trailArnOf('full-trail'), TagsList: [{ Key: 'env', Value: 'test' }, { Key: 'bare' }] }]);
  });

  test('CreateTrail errors', async () => {
    await expectError(create('basic-trail'), 'TrailAlreadyExistsException', 400, `Trail basic-trail already exists for customer: ${ACCOUNT}`);
    await expectError(create('ab'), 'InvalidTrailNameException', 400, 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.');
    await expectError(create('a'.repeat(129)), 'InvalidTrailNameException', 400, /too long/);
    for (const name of ['-abc', 'abc-', 'ab--c', 'a._b', 'my trail', '192.168.5.4', 'trail/x']) await expectError(create(name), 'InvalidTrailNameException', 400);
    for (const bucket of ['Bad_Bucket', 'ab', '192.168.1.1', 'a..b', '-abc', 'x'.repeat(64)])
      await expectError(create('bucket-trail', { S3BucketName: bucket }), 'InvalidS3BucketNameException', 400);
    await expectError(create('prefix-trail', { S3KeyPrefix: 'p'.repeat(201) }), 'InvalidS3PrefixException', 400);
    await expectError(create('sns-trail', { SnsTopicName: 'bad topic' }), 'InvalidSnsTopicNameException', 400);
    await expectError(create('kms-trail', { KmsKeyId: 'not a key' }), 'InvalidKmsKeyIdException', 400);
    await expectError(create('cw-trail', { CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/ct` }), 'InvalidParameterCombinationException', 400);
    await expectError(create('cw-trail', { CloudWatchLogsLogGroupArn: 'nope', CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/ct` }), 'InvalidCloudWatchLogsLogGroupArnException', 400);
    await expectError(create('cw-trail', { CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:ct:*`, CloudWatchLogsRoleArn: 'nope' }), 'InvalidCloudWatchLogsRoleArnException', 400);
    await expectError(create('mr-trail', { IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false }), 'InvalidParameterCombinationException', 400);
    await expectError(create('org-trail', { IsOrganizationTrail: true }), 'OrganizationsNotInUseException', 400);
    await expectError(create('tag-trail', { TagsList: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}` })) }), 'TagsLimitExceededException', 400);
    await expectError(create('tag-trail', { TagsList: [{ Key: 'aws:reserved' }] }), 'InvalidTagParameterException', 400);
    await expectError(create('tag-trail', { TagsList: [{ Key: 'dup' }, { Key: 'dup', Value: 'x' }] }), 'InvalidTagParameterException', 400);
    await expectError(create('tag-trail', { TagsList: [{ Key: 'k', Value: '' }] }), 'InvalidTagParameterException', 400);
    // None of them left a trail behind.
    const names = (await ct.send(new ListTrailsCommand({}))).Trails!.map((t) => t.Name);
    assert.ok(!names.some((n) => /^(bucket|prefix|sns|kms|cw|mr|org|tag)-trail$/.test(n!)));
  });

  test('five trails per region: MaximumNumberOfTrailsExceededException', async () => {
    const theirs = ctClient(other.creds);
    for (let i = 1; i <= 5; i++) await create(`limit-${i}`, {}, theirs);
    await expectError(create('limit-6', {}, theirs), 'MaximumNumberOfTrailsExceededException', 400, `User: ${other.AccountId} already has 5 trails in us-east-1.`);
    // Another region has room; the other account's trails are not ours.
    await create('limit-6', {}, ctClient(other.creds, 'us-west-2'));
    const ours = (await ct.send(new ListTrailsCommand({}))).Trails!.map((t) => t.Name);
    assert.ok(!ours.includes('limit-1'));
    await expectError(ct.send(new GetTrailCommand({ Name: trailArnOf('limit-1', 'us-east-1', other.AccountId) })), 'TrailNotFoundException', 400);
  });

  test('GetTrail by name or ARN; unknown trail and bad ARNs', async () => {
    const byName = await ct.send(new GetTrailCommand({ Name: 'basic-trail' }));
    const byArn = await ct.send(new GetTrailCommand({ Name: trailArnOf('basic-trail') }));
    assert.deepEqual(byName.Trail, byArn.Trail);
    await expectError(ct.send(new GetTrailCommand({ Name: 'no-such-trail' })), 'TrailNotFoundException', 400, `Unknown trail: no-such-trail for the user: ${ACCOUNT}`);
    await expectError(ct.send(new GetTrailCommand({ Name: trailArnOf('no-such-trail') })), 'TrailNotFoundException', 400);
    await expectError(ct.send(new GetTrailCommand({ Name: 'arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/x' })), 'CloudTrailARNInvalidException', 400);
    await expectError(ct.send(new GetTrailCommand({ Name: 'arn:aws:s3:::bucket' })), 'CloudTrailARNInvalidException', 400);
    await expectError(ct.send(new GetTrailCommand({ Name: 'x' })), 'InvalidTrailNameException', 400);
  });
});

describe('trails: multi-region trails and their shadows', () => {
  const west = () => ctClient(ROOT_CREDS, 'us-west-2');
  before(async () => {
    await create('everywhere', { IsMultiRegionTrail: true });
  });

  test('DescribeTrails: own trails, shadows unless includeShadowTrails is false, names and ARNs', async () => {
    const home = (await ct.send(new DescribeTrailsCommand({}))).trailList!;
    assert.ok(['basic-trail', 'full-trail', 'everywhere'].every((n) => home.some((t) => t.Name === n)));
    const fromWest = (await west().send(new DescribeTrailsCommand({}))).trailList!;
    assert.deepEqual(fromWest.map((t) => [t.Name, t.HomeRegion, t.IsMultiRegionTrail]), [['everywhere', 'us-east-1', true]]);
    assert.deepEqual((await west().send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList, []);
    // A name means this region's own trail; a shadow is reached by its ARN.
    assert.deepEqual((await west().send(new DescribeTrailsCommand({ trailNameList: ['everywhere'] }))).trailList, []);
    assert.deepEqual((await west().send(new DescribeTrailsCommand({ trailNameList: [trailArnOf('everywhere')] }))).trailList!.map((t) => t.TrailARN), [trailArnOf('everywhere')]);
    assert.deepEqual((await west().send(new DescribeTrailsCommand({ trailNameList: [trailArnOf('everywhere')], includeShadowTrails: false }))).trailList, []);
    const some = (await ct.send(new DescribeTrailsCommand({ trailNameList: ['basic-trail', trailArnOf('full-trail'), 'missing-trail'] }))).trailList!;
    assert.deepEqual(some.map((t) => t.Name).sort(), ['basic-trail', 'full-trail']);
    await expectError(ct.send(new DescribeTrailsCommand({ trailNameList: ['x'] })), 'InvalidTrailNameException', 400);
    await expectError(ct.send(new DescribeTrailsCommand({ trailNameList: ['arn:aws:cloudtrail:us-east-1:000000000000:nope'] })), 'CloudTrailARNInvalidException', 400);
  });

  test('ListTrails: the region\'s trails and the shadows of multi-region ones', async () => {
    const trails = (await west().send(new ListTrailsCommand({}))).Trails;
    assert.deepEqual(trails, [{ TrailARN: trailArnOf('everywhere'), Name: 'everywhere', HomeRegion: 'us-east-1' }]);
    const home = (await ct.send(new ListTrailsCommand({}))).Trails!;
    assert.ok(home.some((t) => t.Name === 'basic-trail' && t.HomeRegion === 'us-east-1'));
  });

  test('a shadow is read by ARN; changes need the home region: InvalidHomeRegionException', async () => {
    const w = west();
    const arn = trailArnOf('everywhere');
    assert.equal((await w.send(new GetTrailCommand({ Name: arn }))).Trail!.HomeRegion, 'us-east-1');
    await expectError(w.send(new GetTrailCommand({ Name: 'everywhere' })), 'TrailNotFoundException', 400);
    assert.equal((await w.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging, false);
    assert.ok((await w.send(new GetEventSelectorsCommand({ TrailName: arn }))).EventSelectors);
    assert.deepEqual((await w.send(new ListTagsCommand({ ResourceIdList: [arn] }))).ResourceTagList, [{ ResourceId: arn, TagsList: [] }]);
    await expectError(w.send(new StartLoggingCommand({ Name: arn })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new StopLoggingCommand({ Name: arn })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new UpdateTrailCommand({ Name: arn, S3BucketName: 'other-bucket' })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new DeleteTrailCommand({ Name: arn })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new PutEventSelectorsCommand({ TrailName: arn, EventSelectors: [{ ReadWriteType: 'All' }] })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'k' }] })), 'InvalidHomeRegionException', 400);
    await expectError(w.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'k' }] })), 'InvalidHomeRegionException', 400);
    // Its name is taken in every region; a single-region trail is not seen elsewhere.
    await expectError(create('everywhere', {}, w), 'TrailAlreadyExistsException', 400);
    await expectError(w.send(new GetTrailCommand({ Name: trailArnOf('basic-trail') })), 'TrailNotFoundException', 400);
    await expectError(w.send(new GetTrailStatusCommand({ Name: 'basic-trail' })), 'TrailNotFoundException', 400, `Unknown trail: ${trailArnOf('basic-trail', 'us-west-2')} for the user: ${ACCOUNT}`);
  });

  test('turning a trail multi-region needs its name free everywhere', async () => {
    await create('twin-trail', {}, west());
    await create('twin-trail');
    await expectError(ct.send(new UpdateTrailCommand({ Name: 'twin-trail', IsMultiRegionTrail: true })), 'TrailAlreadyExistsException', 400);
    await create('twin-trail-2', { IsMultiRegionTrail: false });
    const out = await ct.send(new UpdateTrailCommand({ Name: 'twin-trail-2', IsMultiRegionTrail: true }));
    assert.equal(out.IsMultiRegionTrail, true);
    assert.ok((await west().send(new ListTrailsCommand({}))).Trails!.some((t) => t.Name === 'twin-trail-2'));
    await ct.send(new DeleteTrailCommand({ Name: 'twin-trail-2' }));
    await ct.send(new DeleteTrailCommand({ Name: 'twin-trail' }));
    await west().send(new DeleteTrailCommand({ Name: 'twin-trail' }));
  });
});

describe('trails: logging, update, delete', () => {
  test('StartLogging and StopLogging, as GetTrailStatus shows them', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    assert.equal((await ct.send(new StartLoggingCommand({ Name: 'basic-trail' }))).$metadata.httpStatusCode, 200);
    const on = await ct.send(new GetTrailStatusCommand({ Name: 'basic-trail' }));
    assert.equal(on.IsLogging, true);
    assert.ok(on.StartLoggingTime!.getTime() >= t0 && on.StartLoggingTime!.getTime() <= Date.now());
    assert.equal(on.TimeLoggingStarted, on.StartLoggingTime!.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.equal(on.TimeLoggingStopped, '');
    // Starting again changes nothing.
    await ct.send(new StartLoggingCommand({ Name: trailArnOf('basic-trail') }));
    assert.deepEqual((await ct.send(new GetTrailStatusCommand({ Name: 'basic-trail' }))).StartLoggingTime, on.StartLoggingTime);
    await ct.send(new StopLoggingCommand({ Name: 'basic-trail' }));
    const off = await ct.send(new GetTrailStatusCommand({ Name: trailArnOf('basic-trail') }));
    assert.equal(off.IsLogging, false);
    assert.ok(off.StopLoggingTime!.getTime() >= on.StartLoggingTime!.getTime());
    assert.deepEqual(off.StartLoggingTime, on.StartLoggingTime);
    for (const Cmd of [StartLoggingCommand, StopLoggingCommand, GetTrailStatusCommand])
      await expectError(ct.send(new Cmd({ Name: 'no-such-trail' })), 'TrailNotFoundException', 400);
    await expectError(ct.send(new StartLoggingCommand({ Name: 'x' })), 'InvalidTrailNameException', 400);
  });

  test('UpdateTrail changes the given settings only; an empty string clears one', async () => {
    const out = await ct.send(new UpdateTrailCommand({ Name: 'full-trail', S3BucketName: 'new-bucket', EnableLogFileValidation: false, S3KeyPrefix: '' }));
    assert.equal(out.S3BucketName, 'new-bucket');
    assert.equal(out.LogFileValidationEnabled, false);
    assert.equal(out.S3KeyPrefix, undefined);
    assert.equal(out.SnsTopicName, 'my-topic');
    assert.equal((await ct.send(new GetTrailCommand({ Name: 'full-trail' }))).Trail!.S3BucketName, 'new-bucket');
    await expectError(ct.send(new UpdateTrailCommand({ Name: 'no-such-trail', S3BucketName: 'b-1-2' })), 'TrailNotFoundException', 400);
    await expectError(ct.send(new UpdateTrailCommand({ Name: 'full-trail', S3BucketName: 'Bad_Bucket' })), 'InvalidS3BucketNameException', 400);
    await expectError(ct.send(new UpdateTrailCommand({ Name: 'full-trail', IsOrganizationTrail: true })), 'OrganizationsNotInUseException', 400);
  });

  test('DeleteTrail', async () => {
    await create('doomed-trail');
    assert.equal((await ct.send(new DeleteTrailCommand({ Name: trailArnOf('doomed-trail') }))).$metadata.httpStatusCode, 200);
    await expectError(ct.send(new GetTrailCommand({ Name: 'doomed-trail' })), 'TrailNotFoundException', 400);
    await expectError(ct.send(new DeleteTrailCommand({ Name: 'doomed-trail' })), 'TrailNotFoundException', 400);
    // The name is free again.
    await create('doomed-trail');
    await ct.send(new DeleteTrailCommand({ Name: 'doomed-trail' }));
  });
});

describe('trails: event selectors', () => {
  test('the default, basic selectors, advanced selectors (each replaces the other)', async () => {
    await create('selector-trail');
    const def = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selector-trail' }));
    assert.equal(def.TrailARN, trailArnOf('selector-trail'));
    assert.deepEqual(def.EventSelectors, [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    assert.equal(def.AdvancedEventSelectors, undefined);

    const put = await ct.send(new PutEventSelectorsCommand({ TrailName: 'selector-trail', EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }));
    const want = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];
    assert.deepEqual(put.EventSelectors, want);
    assert.deepEqual((await ct.send(new GetEventSelectorsCommand({ TrailName: trailArnOf('selector-trail') }))).EventSelectors, want);
    assert.equal((await ct.send(new GetTrailCommand({ Name: 'selector-trail' }))).Trail!.HasCustomEventSelectors, true);

    const adv = [{ Name: 'mgmt writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }];
    const put2 = await ct.send(new PutEventSelectorsCommand({ TrailName: 'selector-trail', AdvancedEventSelectors: adv }));
    assert.deepEqual(put2.AdvancedEventSelectors, adv);
    const got = await ct.send(new GetEventSelectorsCommand({ TrailName: 'selector-trail' }));
    assert.deepEqual(got.AdvancedEventSelectors, adv);
    assert.equal(got.EventSelectors, undefined);
  });

  test('PutEventSelectors errors', async () => {
    const put = (input: Omit<ConstructorParameters<typeof PutEventSelectorsCommand>[0], 'TrailName'>, TrailName = 'selector-trail') =>
      ct.send(new PutEventSelectorsCommand({ TrailName, ...input }));
    const bad = 'InvalidEventSelectorsException';
    await expectError(put({ EventSelectors: [{}], AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }), bad, 400);
    await expectError(put({}), bad, 400);
    await expectError(put({ EventSelectors: Array.from({ length: 6 }, () => ({})) }), bad, 400);
    await expectError(put({ EventSelectors: [{ ReadWriteType: 'Sometimes' as 'All' }] }), bad, 400);
    await expectError(put({ EventSelectors: [{ DataResources: [{ Type: 'AWS::ACM::Certificate', Values: ['x'] }] }] }), bad, 400);
    await expectError(put({ EventSelectors: [{ ExcludeManagementEventSources: ['acm.amazonaws.com'] }] }), bad, 400);
    await expectError(put({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }] }), bad, 400);
    await expectError(put({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'bogusField', Equals: ['x'] }, { Field: 'eventCategory', Equals: ['Management'] }] }] }), bad, 400);
    await expectError(put({ EventSelectors: [{}] }, 'no-such-trail'), 'TrailNotFoundException', 400);
    await expectError(ct.send(new GetEventSelectorsCommand({ TrailName: 'no-such-trail' })), 'TrailNotFoundException', 400, `Unknown trail: ${trailArnOf('no-such-trail')} for the user: ${ACCOUNT}`);
  });
});

describe('trails: tags', () => {
  test('AddTags, ListTags, RemoveTags', async () => {
    const arn = trailArnOf('basic-trail');
    await ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }, { Key: 'flag' }] }));
    await ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'env', Value: 'dev' }] }));
    const list = async () => (await ct.send(new ListTagsCommand({ ResourceIdList: [arn] }))).ResourceTagList![0].TagsList;
    assert.deepEqual(await list(), [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }, { Key: 'flag' }]);
    await ct.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'team', Value: 'other' }, { Key: 'flag' }] }));
    assert.deepEqual(await list(), [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
    await ct.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'team', Value: 'a' }] }));
    assert.deepEqual(await list(), [{ Key: 'env', Value: 'dev' }]);
    const both = await ct.send(new ListTagsCommand({ ResourceIdList: [arn, trailArnOf('full-trail')] }));
    assert.deepEqual(both.ResourceTagList!.map((r) => r.ResourceId), [arn, trailArnOf('full-trail')]);
  });

  test('tag errors', async () => {
    const arn = trailArnOf('basic-trail');
    const add = (ResourceId: string, TagsList: { Key: string; Value?: string }[]) => ct.send(new AddTagsCommand({ ResourceId, TagsList }));
    await expectError(add('basic-trail', [{ Key: 'k' }]), 'CloudTrailARNInvalidException', 400);
    await expectError(add(trailArnOf('no-such-trail'), [{ Key: 'k' }]), 'ResourceNotFoundException', 400);
    await expectError(add(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/00000000-0000-4000-8000-000000000000`, [{ Key: 'k' }]), 'EventDataStoreNotFoundException', 400);
    await expectError(add(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:channel/abc`, [{ Key: 'k' }]), 'ChannelNotFoundException', 400);
    await expectError(add(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:widget/abc`, [{ Key: 'k' }]), 'ResourceTypeNotSupportedException', 400);
    await expectError(add(arn, [{ Key: 'aws:x' }]), 'InvalidTagParameterException', 400);
    await expectError(add(arn, [{ Key: 'bad<char>' }]), 'InvalidTagParameterException', 400);
    await expectError(add(arn, [{ Key: 'k'.repeat(129) }]), 'InvalidTagParameterException', 400);
    await add(arn, Array.from({ length: 49 }, (_, i) => ({ Key: `n${i}` })));
    await expectError(add(arn, [{ Key: 'one-more' }, { Key: 'two-more' }]), 'TagsLimitExceededException', 400, 'The number of tags per trail has exceeded the permitted amount. Currently, the limit is 50.');
    await expectError(ct.send(new ListTagsCommand({ ResourceIdList: [arn, trailArnOf('no-such-trail')] })), 'ResourceNotFoundException', 400);
    await expectError(ct.send(new RemoveTagsCommand({ ResourceId: trailArnOf('no-such-trail'), TagsList: [{ Key: 'k' }] })), 'ResourceNotFoundException', 400);
  });
});

describe('the rest of the API', () => {
  test('ListPublicKeys: the region\'s current key (test/e2e/public-keys.test.ts has the rest); its time range is checked', async () => {
    assert.equal((await ct.send(new ListPublicKeysCommand({}))).PublicKeyList?.length, 1);
    await expectError(ct.send(new ListPublicKeysCommand({ StartTime: new Date(2000), EndTime: new Date(1000) })), 'InvalidTimeRangeException', 400);
  });

  test('an operation certtrail does not have yet: UnknownOperationException saying so', async () => {
    await expectError(ct.send(new ListEventDataStoresCommand({})), 'UnknownOperationException', 400, 'Operation ListEventDataStores is not implemented by certtrail yet.');
  });

  test('trail calls are events: eventSource cloudtrail.amazonaws.com, resource AWS::CloudTrail::Trail, failures too', async () => {
    const events = await by('ResourceName', trailArnOf('full-trail'));
    assert.equal(events.at(-1)!.EventName, 'CreateTrail');
    assert.ok(events.every((e) => e.EventSource === 'cloudtrail.amazonaws.com' && e.Resources![0].ResourceType === 'AWS::CloudTrail::Trail'));
    const created = record(events.at(-1)!);
    assert.equal(created.requestParameters.name, 'full-trail');
    assert.equal(created.responseElements.trailARN, trailArnOf('full-trail'));
    const failures = (await by('EventName', 'CreateTrail')).filter((e) => record(e).errorCode === 'TrailAlreadyExistsException');
    assert.equal(failures.length, 1);
    assert.equal(record(failures[0]).errorMessage, `Trail basic-trail already exists for customer: ${ACCOUNT}`);
    assert.deepEqual(failures[0].Resources, [], 'a trail named by name only has no resource');
  });
});
