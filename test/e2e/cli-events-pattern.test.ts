/**
 * `certtrail events --pattern '<EventBridge event pattern>'` on the data dir of a running server:
 * only events whose "AWS API Call via CloudTrail" event (cloudTrailEnvelope of the stored
 * record) matches are printed, from the listed events and, with --follow, the new ones; the
 * other filters still apply; an invalid pattern is a usage error carrying EventBridge's message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  AddTagsToCertificateCommand, DescribeCertificateCommand, GetAccountConfigurationCommand, ListCertificatesCommand,
  RequestCertificateCommand, type ACMClient,
} from '@aws-sdk/client-acm';
import { queryDatabase } from '../helpers/backend.ts';
import { ROOT, acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { ACCOUNT, REGION, unknownArn } from '../helpers/acm.ts';

const CLI = join(ROOT, 'bin/certtrail.js');

let server: RunningServer;
let client: ACMClient;
let arn: string;
const followers: ChildProcess[] = [];

const env = () => ({ ...process.env, CERTTRAIL_DATA_DIR: server.dataDir, AWS_REGION: '', AWS_DEFAULT_REGION: '' });

function certtrail(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: env(), timeout: 20_000 }, (err, stdout, stderr) => {
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

/** Stored records of the default account and region, oldest first, that pass `where`. */
async function stored(where: (r: Record<string, any>) => boolean): Promise<string[]> {
  const rows = await queryDatabase<{ record: string }>(server.dataDir, 'SELECT record FROM events WHERE account_id = ? AND region = ? ORDER BY event_time, seq', [ACCOUNT, REGION]);
  return rows.map((r) => r.record).filter((r) => where(JSON.parse(r)));
}

before(async () => {
  server = await startServer();
  client = acmClient(server.url);
  arn = (await client.send(new RequestCertificateCommand({ DomainName: 'pattern.example.com' }))).CertificateArn!;
  await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'team', Value: 'trail' }] }));
  await client.send(new DescribeCertificateCommand({ CertificateArn: unknownArn() })).catch(() => undefined);
  // More list calls than one --max, so a pattern must look past the newest events.
  for (let i = 0; i < 25; i++) await client.send(new ListCertificatesCommand({}));
  await client.send(new GetAccountConfigurationCommand({}));
});

after(async () => {
  for (const f of followers) if (f.exitCode === null && f.signalCode === null) f.kill('SIGKILL');
  await server?.dispose();
});

test('--pattern keeps the listed events whose EventBridge event matches, newest --max of them', async () => {
  const tags = JSON.stringify({ source: ['aws.acm'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['AddTagsToCertificate', 'RequestCertificate'] } });
  const [mutating, errors, byPrefix, nothing, limited] = await Promise.all([
    lines('--pattern', tags),
    lines('--max', '1000', '--pattern', '{"detail": {"errorCode": [{"exists": true}]}}'),
    lines('--max', '1000', '--pattern', '{"detail": {"eventName": [{"prefix": "Get"}]}, "account": ["' + ACCOUNT + '"], "region": ["' + REGION + '"]}'),
    lines('--pattern', '{"source": ["aws.sts"]}'),
    lines('--max', '2', '--pattern', '{"detail": {"eventName": ["ListCertificates"]}}'),
  ]);
  // Far more than 20 calls came after these two, yet both are found.
  assert.deepEqual(mutating, await stored((r) => r.eventName === 'AddTagsToCertificate' || r.eventName === 'RequestCertificate'));
  assert.equal(mutating.length, 2);
  assert.deepEqual(errors, await stored((r) => r.errorCode !== undefined));
  assert.equal(JSON.parse(errors[0]!).errorCode, 'ResourceNotFoundException');
  assert.deepEqual(byPrefix, await stored((r) => r.eventName.startsWith('Get')));
  assert.equal(byPrefix.length, 1);
  assert.deepEqual(nothing, []);
  assert.deepEqual(limited, (await stored((r) => r.eventName === 'ListCertificates')).slice(-2));
});

test('--pattern with the other filters, and with --table', async () => {
  const [both, table] = await Promise.all([
    lines('--max', '1000', '--lookup-attribute', 'EventName=ListCertificates', '--pattern', '{"detail": {"readOnly": [false]}}'),
    lines('--table', '--pattern', '{"detail": {"eventName": ["AddTagsToCertificate"]}}'),
  ]);
  assert.deepEqual(both, []);
  assert.equal(table.length, 2);
  assert.match(table[1]!, /AddTagsToCertificate +root +127\.0\.0\.1 +- +arn:aws:acm:/);
});

test('--follow --pattern prints only new events whose EventBridge event matches', async () => {
  const proc = spawn(process.execPath, [CLI, 'events', '--follow', '--max', '0', '--pattern', '{"source": ["aws.acm"], "detail": {"eventName": ["AddTagsToCertificate"], "requestParameters": {"tags": {"key": ["followed"]}}}}'], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  followers.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  // The follower prints nothing until a match, and how long it takes to start depends on the
  // machine: matching probe calls, repeated until one is printed, show that it is running.
  const isProbe = (line: string) => JSON.parse(line).requestParameters?.tags?.[0]?.value === 'probe';
  await waitFor(async () => {
    await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'followed', Value: 'probe' }] }));
    await new Promise((r) => setTimeout(r, 250));
    return out.includes('\n') ? true : undefined;
  }, 60_000, 0);
  await client.send(new ListCertificatesCommand({}));
  await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'other', Value: 'x' }] }));
  const wanted = await client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'followed', Value: 'yes' }] }));
  const seen = await waitFor(async () => (out.split('\n').some((l) => l !== '' && !isProbe(l)) ? out : undefined), 30_000, 50);
  await new Promise((r) => setTimeout(r, 600));
  const lines = out.replace(/\n$/, '').split('\n');
  const got = lines.filter((l) => !isProbe(l));
  assert.equal(got.length, 1, seen);
  assert.equal(JSON.parse(got[0]!).requestID, wanted.$metadata.requestId);
  // Every other printed line is a probe, so the ListCertificates call and the other tag were not printed.
  assert.ok(lines.every((l) => isProbe(l) || l === got[0]));
  proc.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.equal(err, '');
});

test('an invalid --pattern: a non-zero exit, EventBridge\'s reason and the usage on stderr, nothing on stdout', async () => {
  const bad: [string, RegExp][] = [
    ['{"source": "aws.acm"}', /^certtrail: --pattern: Event pattern is not valid\. Reason: "source" must be an object or an array\n at \[Source: \(String\)"\{"source": "aws\.acm"\}"; line: 1, column: 13\]\n/],
    ['not json', /^certtrail: --pattern: Event pattern is not valid\. Reason: Unrecognized token 'not'/],
    ['{"a": [{"numeric": [">", 5, "<", 1]}]}', /Reason: Bottom must be less than top/],
  ];
  const runs = await Promise.all(bad.map(([p]) => certtrail(['events', '--follow', '--pattern', p])));
  runs.forEach((r, i) => {
    assert.notEqual(r.code, 0, bad[i]![0]);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, bad[i]![1]);
    assert.match(r.stderr, /^usage: certtrail events .*\[--pattern EVENT-PATTERN-JSON\]$/m);
  });
});
