/**
 * `certtrail events` (`node bin/certtrail.js events …`) on the data dir of a running server:
 * the newest events as the stored CloudTrail records, --max, every LookupEvents filter, the time
 * window, --table, --follow (new calls appear with the SDK's request id; SIGINT/SIGTERM end it
 * cleanly) and usage errors. Expectations come from the events table itself, read beside the
 * server (SQLite or PostgreSQL), so "exactly the stored record" is checked byte for byte.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToCertificateCommand, DescribeCertificateCommand, GetAccountConfigurationCommand, ListCertificatesCommand,
  ListTagsForCertificateCommand, RequestCertificateCommand, type ACMClient,
} from '@aws-sdk/client-acm';
import { queryDatabase } from '../helpers/backend.ts';
import { ROOT, acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { ACCOUNT, REGION, credsOf, unknownArn, type AwsError } from '../helpers/acm.ts';

const CLI = join(ROOT, 'bin/certtrail.js');
const OTHER_REGION = 'eu-west-1';
const USER = 'events-watcher-with-a-long-user-name';
const USAGE_LINE = /^usage: certtrail events \[--max N\]/m;

let server: RunningServer;
let client: ACMClient;
let otherAccountClient: ACMClient;
let otherRegionClient: ACMClient;
let arn: string;
let userKeyId: string;
let addTagsRequestId: string;
let errorRequestId: string;
/** Request ids of the calls made after a pause, so they fall in a later second than the rest. */
let lateRequestIds: string[];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The default region comes from the environment; tests that do not set it must not inherit one.
const baseEnv = () => ({ ...process.env, CERTTRAIL_DATA_DIR: server.dataDir, AWS_REGION: '', AWS_DEFAULT_REGION: '' });

function certtrail(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...baseEnv(), ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function lines(...args: string[]): Promise<string[]> {
  const r = await certtrail(['events', ...args]);
  assert.equal(r.code, 0, `certtrail events ${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  return r.stdout === '' ? [] : r.stdout.replace(/\n$/, '').split('\n');
}

interface Row {
  seq: number;
  event_id: string;
  account_id: string;
  region: string;
  event_time: number;
  event_source: string;
  event_name: string;
  /** SQLite: 0 or 1; PostgreSQL: a boolean. */
  read_only: number | boolean;
  username: string | null;
  access_key_id: string | null;
  resource_type: string | null;
  resource_name: string | null;
  record: string;
}

function rows(): Promise<Row[]> {
  return queryDatabase<Row>(server.dataDir, 'SELECT * FROM events ORDER BY event_time, seq');
}

const inDefault = (r: Row) => r.account_id === ACCOUNT && r.region === REGION;

/** The stored records the command should print: matching, newest `max`, oldest first. */
async function stored(where: (r: Row) => boolean, max = 1000): Promise<string[]> {
  return (await rows()).filter(where).slice(-max).map((r) => r.record);
}

async function recordOf(requestId: string): Promise<string> {
  const r = (await rows()).find((x) => JSON.parse(x.record).requestID === requestId);
  assert.ok(r, `no stored event for request ${requestId}`);
  return r.record;
}

const requestId = (out: { $metadata: { requestId?: string } }) => out.$metadata.requestId!;

async function failedRequestId(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as AwsError & { $metadata: { requestId?: string } }).$metadata.requestId!;
  }
  throw new Error('expected the call to fail');
}

const followers: ChildProcess[] = [];

before(async () => {
  server = await startServer();
  client = acmClient(server.url);
  otherRegionClient = acmClient(server.url, undefined, OTHER_REGION);
  const [account, users] = await Promise.all([certtrail(['accounts', 'create']), certtrail(['users', 'create', ACCOUNT, USER, '--admin'])]);
  assert.equal(account.code, 0, account.stderr);
  assert.equal(users.code, 0, users.stderr);
  otherAccountClient = acmClient(server.url, credsOf(JSON.parse(account.stdout)));
  const key = await certtrail(['access-keys', 'create', ACCOUNT, USER]);
  assert.equal(key.code, 0, key.stderr);
  const userKey = JSON.parse(key.stdout) as { AccessKeyId: string; SecretAccessKey: string };
  userKeyId = userKey.AccessKeyId;
  const userClient = acmClient(server.url, { accessKeyId: userKey.AccessKeyId, secretAccessKey: userKey.SecretAccessKey });

  arn = (await client.send(new RequestCertificateCommand({ DomainName: 'events.example.com' }))).CertificateArn!;
  addTagsRequestId = requestId(await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'team', Value: 'trail' }] })));
  errorRequestId = await failedRequestId(client.send(new DescribeCertificateCommand({ CertificateArn: unknownArn() })));
  // More than the default 20 in the default account and region.
  await Promise.all(Array.from({ length: 20 }, () => client.send(new ListCertificatesCommand({}))));
  await userClient.send(new ListCertificatesCommand({}));
  await userClient.send(new DescribeCertificateCommand({ CertificateArn: arn })).catch(() => undefined);
  await otherRegionClient.send(new ListCertificatesCommand({}));
  await otherRegionClient.send(new ListCertificatesCommand({}));
  await otherAccountClient.send(new ListCertificatesCommand({}));

  // Records show time to the second: the late calls must land in a later second than the rest.
  await new Promise((r) => setTimeout(r, 1100));
  lateRequestIds = [
    requestId(await client.send(new GetAccountConfigurationCommand({}))),
    requestId(await client.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))),
  ];
});

after(async () => {
  for (const f of followers) if (f.exitCode === null && f.signalCode === null) f.kill('SIGKILL');
  await server?.dispose();
});

test('prints the newest 20 events of the default account and region as the stored records, oldest first', async () => {
  const out = await lines();
  assert.equal(out.length, 20);
  assert.deepEqual(out, await stored(inDefault, 20));
  const times = out.map((l) => JSON.parse(l).eventTime as string);
  assert.deepEqual([...times].sort(), times, 'oldest first');
  for (const l of out) {
    const r = JSON.parse(l);
    assert.equal(r.recipientAccountId, ACCOUNT);
    assert.equal(r.awsRegion, REGION);
  }
  // The last shown is the newest call.
  assert.equal(JSON.parse(out[19]!).requestID, lateRequestIds[1]);
});

test('--max: as many as asked for, the newest ones; 0 prints nothing', async () => {
  const [three, all, none] = await Promise.all([lines('--max=3'), lines('--max', '1000'), lines('--max', '0')]);
  assert.deepEqual(three, await stored(inDefault, 3));
  assert.deepEqual(all, await stored(inDefault));
  assert.ok(all.length > 25, `all events: ${all.length}`);
  assert.deepEqual(none, []);
});

test('--account-id and --region select another account or region; the region defaults from AWS_REGION, then AWS_DEFAULT_REGION', async () => {
  const otherAccount = (await rows()).find((r) => r.account_id !== ACCOUNT)!.account_id;
  const [byAccount, byRegion, fromEnv, fromDefaultEnv, envBeaten] = await Promise.all([
    lines('--account-id', otherAccount),
    lines('--region', OTHER_REGION),
    certtrail(['events'], { AWS_REGION: OTHER_REGION, AWS_DEFAULT_REGION: 'ap-south-1' }),
    certtrail(['events'], { AWS_DEFAULT_REGION: OTHER_REGION }),
    certtrail(['events', '--region', REGION], { AWS_REGION: OTHER_REGION }),
  ]);
  assert.deepEqual(byAccount, await stored((r) => r.account_id === otherAccount && r.region === REGION));
  assert.equal(byAccount.length, 1);
  assert.equal(JSON.parse(byAccount[0]!).recipientAccountId, otherAccount);
  const regional = await stored((r) => r.account_id === ACCOUNT && r.region === OTHER_REGION);
  assert.equal(regional.length, 2);
  assert.deepEqual(byRegion, regional);
  assert.equal(fromEnv.stdout, regional.join('\n') + '\n');
  assert.equal(fromDefaultEnv.stdout, regional.join('\n') + '\n');
  assert.equal(envBeaten.stdout, (await stored(inDefault, 20)).join('\n') + '\n', '--region wins over the environment');
});

test('--lookup-attribute: each LookupEvents attribute', async () => {
  const addTags = JSON.parse(await recordOf(addTagsRequestId));
  const cases: { attr: string; where: (r: Row) => boolean; check: (rec: any) => boolean; count?: number }[] = [
    { attr: `EventId=${addTags.eventID}`, where: (r) => r.event_id === addTags.eventID, check: (x) => x.eventID === addTags.eventID, count: 1 },
    { attr: 'EventName=AddTagsToCertificate', where: (r) => r.event_name === 'AddTagsToCertificate', check: (x) => x.eventName === 'AddTagsToCertificate', count: 1 },
    { attr: 'ReadOnly=false', where: (r) => !r.read_only, check: (x) => x.readOnly === false, count: 2 },
    { attr: `Username=${USER}`, where: (r) => r.username === USER, check: (x) => x.userIdentity.userName === USER, count: 2 },
    { attr: 'ResourceType=AWS::ACM::Certificate', where: (r) => r.resource_type === 'AWS::ACM::Certificate', check: (x) => JSON.stringify(x).includes(':certificate/') },
    { attr: `ResourceName=${arn}`, where: (r) => r.resource_name === arn, check: (x) => JSON.stringify(x).includes(arn) },
    { attr: 'EventSource=acm.amazonaws.com', where: () => true, check: (x) => x.eventSource === 'acm.amazonaws.com' },
    { attr: `AccessKeyId=${userKeyId}`, where: (r) => r.access_key_id === userKeyId, check: (x) => x.userIdentity.accessKeyId === userKeyId, count: 2 },
  ];
  const outs = await Promise.all(cases.map((c) => lines('--max', '1000', '--lookup-attribute', c.attr)));
  for (const [i, c] of cases.entries()) {
    const out = outs[i]!;
    assert.deepEqual(out, await stored((r) => inDefault(r) && c.where(r)), c.attr);
    if (c.count !== undefined) assert.equal(out.length, c.count, c.attr);
    else assert.ok(out.length > 1, `${c.attr}: ${out.length}`);
    for (const l of out) assert.ok(c.check(JSON.parse(l)), `${c.attr}: ${l}`);
  }
  // The resource filter found the certificate's own calls: requested, tagged, described, listed.
  const byResource = outs[cases.findIndex((c) => c.attr.startsWith('ResourceName='))]!;
  assert.ok(byResource.length >= 3);
  assert.ok(byResource.some((l) => JSON.parse(l).requestID === addTagsRequestId));
});

test('--start-time/--end-time: an inclusive window, to the second as records show time', async () => {
  const late = await Promise.all(lateRequestIds.map(async (id) => JSON.parse(await recordOf(id))));
  const start = late[0].eventTime as string;
  const early = (await stored(inDefault)).map((l) => JSON.parse(l)).filter((x) => !lateRequestIds.includes(x.requestID));
  const end = early[early.length - 1].eventTime as string;
  assert.ok(end < start, `${end} < ${start}`);
  const offset = new Date(Date.parse(start) + 2 * 3600_000).toISOString().replace(/\.000Z$/, '+02:00');
  const [from, until, shifted, naive, both] = await Promise.all([
    lines('--max', '1000', '--start-time', start),
    lines('--max', '1000', '--end-time', end),
    lines('--max', '1000', '--start-time', offset),
    lines('--max', '1000', '--start-time', start.replace(/Z$/, '')),
    // A date-only start, an end in the very second of the event it must include, and an attribute.
    lines('--max', '1000', '--start-time', '2000-01-01', '--end-time', start, '--lookup-attribute', 'EventName=GetAccountConfiguration'),
  ]);
  assert.deepEqual(from.map((l) => JSON.parse(l).requestID), lateRequestIds);
  assert.deepEqual(until, await stored((r) => inDefault(r) && r.event_time < Date.parse(end) + 1000));
  assert.deepEqual(until.map((l) => JSON.parse(l).requestID), early.map((x) => x.requestID), 'everything before the pause, nothing after');
  assert.deepEqual(shifted, from);
  assert.deepEqual(naive, from, 'a time without a zone is UTC, as in the records');
  assert.deepEqual(both.map((l) => JSON.parse(l).requestID), [lateRequestIds[0]]);
});

test('--table: a header and aligned rows (time, event, user, source IP, error or "-", resource), long cells cut', async () => {
  const out = await lines('--table', '--max', '1000');
  const events = (await stored(inDefault)).map((l) => JSON.parse(l));
  assert.equal(out.length, events.length + 1);
  const header = out[0]!;
  const titles = ['TIME', 'EVENT', 'USER', 'SOURCE IP', 'ERROR', 'RESOURCE'];
  const starts = titles.map((t) => header.indexOf(t));
  assert.deepEqual([...starts].sort((a, b) => a - b), starts, header);
  assert.equal(starts[0], 0);
  const cells = (line: string) => starts.map((s, i) => {
    // Columns are separated by at least two blanks, so every row lines up with the header.
    if (i > 0) assert.equal(line.slice(s - 2, s), '  ', `misaligned: ${line}`);
    return line.slice(s, starts[i + 1] ?? undefined).trimEnd();
  });
  assert.deepEqual(cells(header), titles);
  const table = out.slice(1).map(cells);
  for (const l of out) assert.equal(l, l.trimEnd(), 'no trailing blanks');

  table.forEach((c, i) => {
    assert.equal(c[0], events[i].eventTime);
    assert.equal(c[1], events[i].eventName);
    assert.equal(c[3], events[i].sourceIPAddress);
    assert.equal(c[4], events[i].errorCode ?? '-');
  });
  const row = (id: string) => table[events.findIndex((x) => x.requestID === id)]!;
  assert.deepEqual(row(addTagsRequestId), [events.find((x) => x.requestID === addTagsRequestId).eventTime, 'AddTagsToCertificate', 'root', '127.0.0.1', '-', arn]);
  assert.deepEqual(row(errorRequestId).slice(1), ['DescribeCertificate', 'root', '127.0.0.1', 'ResourceNotFoundException', unknownArn()]);
  assert.equal(row(lateRequestIds[0]!)[5], '-', 'no resource');
  // The user's long name is cut, visibly.
  const userRows = table.filter((c) => c[2]!.startsWith(USER.slice(0, 10)));
  assert.equal(userRows.length, 2);
  for (const c of userRows) {
    assert.ok(c[2]!.length < USER.length && c[2]!.endsWith('…'), c[2]);
    assert.ok(USER.startsWith(c[2]!.slice(0, -1)));
  }

  // No events still prints the header, so an empty result reads as one.
  const empty = await lines('--table', '--lookup-attribute', 'EventName=NoSuchOperation');
  assert.equal(empty.length, 1);
  assert.match(empty[0]!, /^TIME +EVENT +USER +SOURCE IP +ERROR +RESOURCE$/);
});

interface Follower {
  proc: ChildProcess;
  lines(): string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function follow(...args: string[]): Follower {
  const proc = spawn(process.execPath, [CLI, 'events', '--follow', ...args], { cwd: ROOT, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  followers.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  return { proc, lines: () => out.split('\n').slice(0, -1), stderr: () => err, exited };
}

const waitLines = (f: Follower, n: number) => waitFor(async () => (f.lines().length >= n ? f.lines() : undefined), 30_000, 50);

test('--follow: prints new events as they are committed, filtered like the rest, and ends cleanly on SIGINT/SIGTERM', async () => {
  const all = follow('--max', '2');
  const tagsOnly = follow('--max', '0', '--table', '--lookup-attribute', 'EventName=AddTagsToCertificate');
  const past = follow('--max', '0', '--table', '--end-time', '2000-01-01T00:00:00Z');
  // The initial output is printed after the follow position is taken: from then on nothing is missed.
  assert.deepEqual(await waitLines(all, 2), await stored(inDefault, 2));
  await waitLines(tagsOnly, 1);
  await waitLines(past, 1);

  const expected = [
    requestId(await client.send(new ListCertificatesCommand({}))),
    requestId(await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'followed', Value: 'yes' }] }))),
    await failedRequestId(client.send(new DescribeCertificateCommand({ CertificateArn: unknownArn() }))),
  ];
  const elsewhere = [
    requestId(await otherRegionClient.send(new ListCertificatesCommand({}))),
    requestId(await otherAccountClient.send(new ListCertificatesCommand({}))),
  ];
  expected.push(requestId(await client.send(new GetAccountConfigurationCommand({}))));
  const answered = Date.now();

  const seen = await waitLines(all, 2 + expected.length);
  assert.ok(Date.now() - answered < 10_000, `the last event took ${Date.now() - answered} ms to appear`);
  const fresh = seen.slice(2);
  assert.deepEqual(fresh.map((l) => JSON.parse(l).requestID), expected, 'in commit order, other accounts and regions left out');
  assert.deepEqual(fresh, await Promise.all(expected.map(recordOf)), 'each line is the stored record');
  for (const id of elsewhere) assert.ok(!seen.some((l) => l.includes(id)));

  const tagRow = await waitLines(tagsOnly, 2);
  // Give the filtered followers a few more polls to show anything they should not.
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(tagsOnly.lines().length, 2, tagsOnly.lines().join('\n'));
  assert.match(tagRow[1]!, /AddTagsToCertificate +root +127\.0\.0\.1 +- +arn:aws:acm:/);
  assert.equal(past.lines().length, 1, past.lines().join('\n'));
  assert.equal(all.lines().length, 2 + expected.length);

  all.proc.kill('SIGINT');
  tagsOnly.proc.kill('SIGTERM');
  past.proc.kill('SIGINT');
  for (const f of [all, tagsOnly, past]) {
    assert.deepEqual(await f.exited, { code: 0, signal: null });
    assert.equal(f.stderr(), '');
  }
});

test('bad arguments: a non-zero exit, the problem and the usage line on stderr, nothing on stdout', async () => {
  const start = JSON.parse(await recordOf(lateRequestIds[0]!)).eventTime as string;
  // Each with the problem it must name.
  const bad: [string[], RegExp][] = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--max', '1.5'], /--max must be a whole number/],
    [['--account-id', '123'], /--account-id must be 12 digits/],
    [['--lookup-attribute', 'eventname=ListCertificates'], /Key one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId/],
    [['--lookup-attribute', 'EventName'], /--lookup-attribute must be Key=Value/],
    [['--lookup-attribute', 'EventName=ListCertificates', '--lookup-attribute', 'EventSource=acm.amazonaws.com'], /only one --lookup-attribute/],
    [['--lookup-attribute', 'ReadOnly=yes'], /ReadOnly takes true or false/],
    [['--start-time', 'yesterday'], /--start-time must be an ISO-8601 time/],
    [['--end-time', '2026-02-30'], /--end-time must be an ISO-8601 time/],
    [['--start-time', start, '--end-time', '2000-01-01T00:00:00Z'], /--start-time is after --end-time/],
  ];
  // A mistyped data dir is an error, not a fresh empty database.
  const missing = join(mkdtempSync(join(tmpdir(), 'certtrail-none-')), 'data');
  try {
    const [overview, noData, ...runs] = await Promise.all([
      certtrail(['help']),
      certtrail(['events'], { CERTTRAIL_DATA_DIR: missing }),
      ...bad.map(([a]) => certtrail(['events', ...a])),
    ]);
    runs.forEach((r, i) => {
      const [args, problem] = bad[i]!;
      const what = args.join(' ');
      assert.notEqual(r.code, 0, what);
      assert.equal(r.stdout, '', what);
      assert.match(r.stderr, /^certtrail: \S.*\n/, what);
      assert.match(r.stderr.split('\n')[0]!, problem, what);
      assert.match(r.stderr, USAGE_LINE, what);
    });
    assert.equal(overview.code, 0);
    assert.match(overview.stdout, /^ {2}events \[--max N\] \[--follow\] \[--table\]/m);
    assert.equal(noData.code, 1);
    assert.match(noData.stderr, /no certtrail database in /);
    assert.equal(existsSync(missing), false);
  } finally {
    rmSync(join(missing, '..'), { recursive: true, force: true });
  }
});
