/**
 * `certtrail validate-logs` against the AWS CLI's `aws cloudtrail validate-logs`, on the same
 * bytes: a loopback server (test/helpers/fake-trail-server.ts) serves trails written with
 * src/audit/digest.ts, intact and tampered with, to both, through the AWS SDK on our side and
 * botocore on the CLI's. Exit code, stdout and stderr must be identical. cloudtrail.md §5.5–5.6.
 *
 * The CLI is Debian's 2.9.19 (/usr/bin/aws) when present, else the `aws` on PATH (a pip v1,
 * whose validate-logs is newer: it also lists backfill digests, and tracks the "Results found"
 * start differently when the oldest digest starts before --start-time, so the windows here
 * start before each chain). Skipped when there is no AWS CLI.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { gzip } from '../../src/audit/digest.js';
import { FakeTrail, makeKey, type KeyMaterial } from '../../src/audit/testing.js';
import type { PublicKeyInfo } from '../../src/audit/validate-logs.js';
import { runValidateLogs } from '../../src/cli/validate-logs.js';
import { s3ToLoopbackEnv } from '../helpers/aws-cli.js';
import { startFakeTrailServer, type FakeTrailServer, type FakeTrailState } from '../helpers/fake-trail-server.js';

function findCli(): string | undefined {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return 'aws';
  } catch {
    return undefined;
  }
}
const AWS = findCli();

const KEY = makeKey();
const OTHER = makeKey();
const EU_KEY = makeKey();
const T0 = Date.UTC(2024, 4, 1);
const at = (min: number) => new Date(T0 + min * 60_000);
const iso = (min: number) => at(min).toISOString().replace('.000Z', 'Z');
const pub = (k: KeyMaterial): PublicKeyInfo => ({ Fingerprint: k.fingerprint, Value: k.der });

const state: FakeTrailState = { buckets: new Map(), trails: [], keys: {}, pageSize: 2 };
let server: FakeTrailServer;
let home: string;

before(async () => {
  server = await startFakeTrailServer(state);
  home = mkdtempSync(join(tmpdir(), 'certtrail-validate-'));
});
after(async () => {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const CREDS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' };

function awsCli(args: string[]): Promise<Run> {
  const env = {
    PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', ...CREDS,
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    // 2.9.19 takes S3's endpoint from a replacement rule set; v1.29+ from AWS_ENDPOINT_URL_S3.
    ...s3ToLoopbackEnv(server.url), AWS_ENDPOINT_URL_S3: server.url,
  };
  return new Promise((resolve) => {
    execFile(AWS!, ['cloudtrail', 'validate-logs', '--endpoint-url', server.url, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function certtrail(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runValidateLogs(['--endpoint-url', server.url, ...args], { ...CREDS }, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Runs both on the current state; asserts they agree and returns what they said. */
async function both(args: string[]): Promise<Run> {
  const ours = await certtrail(args);
  const theirs = await awsCli(args);
  assert.deepEqual(ours, theirs, `certtrail and ${AWS} differ for ${args.join(' ')}`);
  return ours;
}

function trail(name: string, region = 'us-east-1', key = KEY, bucket = 'ct-bucket'): FakeTrail {
  const t = new FakeTrail({ bucket, accountId: '111122223333', trailName: name, homeRegion: 'us-east-1', region, key }, at(0), state.buckets);
  state.trails.push(t.trailInfo());
  return t;
}

/** Logs at 00:05 and 00:40 (digest 01:00), an empty hour (02:00), a log at 02:10 (03:00). */
function standard(name: string) {
  const t = trail(name);
  const l1 = t.log([at(1), at(4)], at(5));
  const l2 = t.log([at(30)], at(40));
  const d1 = t.digest(at(60));
  const d2 = t.digest(at(120));
  const l3 = t.log([at(125)], at(130));
  const d3 = t.digest(at(180));
  return { t, l1, l2, l3, d1, d2, d3, args: ['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', iso(-30), '--end-time', iso(180)] };
}

state.keys['us-east-1'] = [pub(KEY)];
state.keys['eu-west-1'] = [pub(EU_KEY)];

describe('certtrail validate-logs and aws cloudtrail validate-logs agree', { skip: AWS ? false : 'no AWS CLI installed' }, () => {
  test('a valid chain, --verbose: every line', async () => {
    const { args } = standard('valid');
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n3\/3 digest files valid\n3\/3 log files valid\n$/);
  });

  test('a valid chain without --verbose', async () => {
    const { args } = standard('quiet');
    const r = await both(args);
    assert.equal(r.code, 0);
  });

  test('a modified log file', async () => {
    const { t, l2, args } = standard('modified-log');
    t.bucket().get(l2)!.body = gzip(Buffer.from('{"Records":[]}'));
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INVALID: hash value doesn't match/);
  });

  test('a deleted log file', async () => {
    const { t, l1, args } = standard('deleted-log');
    t.bucket().delete(l1);
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INVALID: not found/);
  });

  test('a deleted digest', async () => {
    const { t, d2, args } = standard('deleted-digest');
    t.bucket().delete(d2);
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Digest file\ts3:\/\/ct-bucket\/\S+\tINVALID: not found\n\n$|^\nDigest file/);
  });

  test('an altered digest', async () => {
    const { t, d1, args } = standard('altered-digest');
    const o = t.bucket().get(d1)!;
    o.body = gzip(Buffer.from(gunzipSync(o.body).toString().replace('"awsAccountId":"111122223333"', '"awsAccountId":"999999999999"')));
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INVALID: signature verification failed/);
  });

  test('a digest signed with a key ListPublicKeys does not list', async () => {
    const t = trail('foreign-key');
    t.log([at(10)], at(12));
    t.digest(at(60));
    t.digest(at(120), OTHER);
    const r = await both(['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', iso(-30), '--end-time', iso(120), '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`INVALID: public key not found in region us-east-1 for fingerprint ${OTHER.fingerprint}`));
  });

  test('a moved digest', async () => {
    const { t, d3, args } = standard('moved-digest');
    const moved = d3.replace('20240501T030000Z', '20240501T031500Z');
    t.bucket().set(moved, t.bucket().get(d3)!);
    t.bucket().delete(d3);
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has been moved from its original location/);
  });

  test('empty digests only', async () => {
    const t = trail('empty');
    t.digest(at(60));
    t.digest(at(120));
    const r = await both(['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', iso(-30), '--end-time', iso(120), '--verbose']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n2\/2 digest files valid\n$/);
  });

  test('a chain restart (StopLogging, StartLogging): the gap on stderr, exit 0', async () => {
    const t = trail('restart');
    t.log([at(10)], at(12));
    t.digest(at(60));
    t.digest(at(75));
    t.restart(at(200));
    t.log([at(210)], at(212));
    t.digest(at(260));
    const r = await both(['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', iso(-30), '--end-time', iso(260), '--verbose']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '\nNo log files were delivered by CloudTrail between 2024-05-01T01:15:00Z and 2024-05-01T03:20:00Z\n\n');
  });

  test('--s3-bucket and --s3-prefix instead of DescribeTrails; no digests found; nothing at all after the marker', async () => {
    const { args } = standard('by-bucket');
    const before = server.requests.length;
    const ok = await both([...args, '--s3-bucket', 'ct-bucket']);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /\n3\/3 digest files valid\n3\/3 log files valid\n$/);
    assert.ok(!server.requests.slice(before).some((r) => r.op === 'DescribeTrails'));
    // A prefix under which there is nothing, with objects after it in the bucket.
    const none = await both([...args, '--s3-bucket', 'ct-bucket', '--s3-prefix', 'AAA']);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /No digests found\n$/);
    // Nothing in the bucket sorts after the marker: 2.9.19 stops on a TypeError of its own.
    const crash = await both([...args, '--s3-bucket', 'ct-bucket', '--s3-prefix', 'nothing/here']);
    assert.equal(crash.code, 255);
    assert.equal(crash.stderr, "\nexpected string or bytes-like object, got 'NoneType'\n");
  });

  test('a multi-region trail: the digests of eu-west-1 verify with the keys ListPublicKeys gives in eu-west-1, the --region', async () => {
    const t = trail('multi', 'eu-west-1', EU_KEY);
    t.log([at(10)], at(12));
    t.digest(at(60));
    t.digest(at(120));
    const before = server.requests.length;
    const args = ['--trail-arn', t.arn, '--start-time', iso(-30), '--end-time', iso(120), '--verbose'];
    const r = await both(['--region', 'eu-west-1', ...args]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n2\/2 digest files valid\n1\/1 log files valid\n$/);
    // Both validators asked eu-west-1 (the source region, not the trail's home us-east-1) for keys.
    const asked = server.requests.slice(before).filter((x) => x.op === 'ListPublicKeys');
    assert.deepEqual(asked.map((x) => x.region), ['eu-west-1', 'eu-west-1']);
    // Had the eu-west-1 digests been signed with the home region's key, the CLI would refuse them.
    const wrong = trail('multi-home-key', 'eu-west-1', KEY);
    wrong.digest(at(60));
    const w = await both(['--region', 'eu-west-1', '--trail-arn', wrong.arn, '--start-time', iso(-30), '--end-time', iso(60)]);
    assert.equal(w.code, 1);
    assert.match(w.stderr, new RegExp(`public key not found in region us-east-1 for fingerprint ${KEY.fingerprint}`));
  });

  test('2.9.19\'s found start: the oldest digest that starts after --start-time', async () => {
    const { args } = standard('found-start');
    const r = await both([...args.slice(0, 5), iso(0), ...args.slice(6), '--verbose']);
    assert.match(r.stdout, /Results found for 2024-05-01T01:00:00Z to 2024-05-01T03:00:00Z:/);
  });

  test('digests that cannot be read: no signature metadata, a bad signature, not gzip, not an object; a log that is not gzip', async () => {
    const { t, d1, d2, d3, l3, args } = standard('unreadable');
    t.bucket().get(d3)!.metadata = {};
    t.bucket().get(d2)!.metadata = { ...t.bucket().get(d2)!.metadata, signature: 'xyz' };
    t.bucket().get(d1)!.body = Buffer.from('not gzip');
    const r = await both([...args, '--verbose']);
    assert.equal(r.code, 1);
    const t2 = standard('unreadable2');
    t2.t.bucket().get(t2.d3)!.body = gzip(Buffer.from('[1,2]'));
    t2.t.bucket().get(t2.l1)!.body = Buffer.from('plain');
    const r2 = await both([...t2.args, '--verbose']);
    assert.equal(r2.code, 1);
    void [l3];
  });

  test('errors: bad ARN, bad time, start after end, unknown trail, no keys in the region, a missing bucket', async () => {
    const { t, args } = standard('errors');
    const runs = [
      ['--region', 'us-east-1', '--trail-arn', 'arn:aws:cloudtrail:us-east-1:1234:trail/x', '--start-time', iso(0)],
      ['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', 'yesterday-ish'],
      ['--region', 'us-east-1', '--trail-arn', t.arn, '--start-time', iso(100), '--end-time', iso(50)],
      ['--region', 'us-east-1', '--trail-arn', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/unknown', '--start-time', iso(0), '--end-time', iso(60)],
      ['--region', 'ap-south-1', '--trail-arn', t.arn, '--start-time', iso(0), '--end-time', iso(60)],
      [...args, '--s3-bucket', 'no-such-bucket'],
    ];
    const codes = [];
    for (const a of runs) codes.push((await both(a)).code);
    assert.deepEqual(codes, [252, 252, 252, 255, 255, 254]);
  });
});
