import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzip } from './digest.js';
import { FakeTrail, makeKey, memorySource, type KeyMaterial } from './testing.js';
import { ServiceCallError, validateLogs, type PublicKeyInfo, type TrailInfo, type ValidateLogsOptions, type ValidationSource } from './validate-logs.js';

const KEY = makeKey();
const OTHER = makeKey();
const T0 = Date.UTC(2024, 4, 1);
const at = (min: number) => new Date(T0 + min * 60_000);
const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/acm-trail';
const pub = (k: KeyMaterial): PublicKeyInfo => ({ Fingerprint: k.fingerprint, Value: k.der });

/**
 * The standard trail: a chain started at 00:00; logs delivered 00:05 and 00:40 (digest 01:00),
 * an empty hour (digest 02:00), a log at 02:10 (digest 03:00).
 */
function standard(opts: { start?: number; prefix?: string } = {}) {
  const t = new FakeTrail({ bucket: 'ct-bucket', prefix: opts.prefix, accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(opts.start ?? 0));
  const l1 = t.log([at(1), at(4)], at(5));
  const l2 = t.log([at(30)], at(40));
  const d1 = t.digest(at(60));
  const d2 = t.digest(at(120));
  const l3 = t.log([at(125)], at(130));
  const d3 = t.digest(at(180));
  return { t, l1, l2, l3, d1, d2, d3 };
}

async function run(source: ValidationSource, o: Partial<ValidateLogsOptions> & { region?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await validateLogs(
    { trailArn: ARN, startTime: at(-30), endTime: at(180), verbose: true, region: 'us-east-1', now: at(10_000), ...o },
    source,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
  );
  return { code, stdout, stderr };
}

const src = (t: FakeTrail, keys: PublicKeyInfo[] = [pub(KEY)], trails: TrailInfo[] = [t.trailInfo()]) => memorySource(t.buckets, { trails, keys });
const header = (start: string, end: string) => `Validating log files for trail ${ARN} between ${start} and ${end}\n\n`;
const d = (key: string, status = 'valid') => `Digest file\ts3://ct-bucket/${key}\t${status}`;
const l = (key: string, status = 'valid') => `Log file\ts3://ct-bucket/${key}\t${status}`;

test('a valid chain: newest digest first, each followed by its log files; the summary as the CLI writes it', async () => {
  const { t, l1, l2, l3, d1, d2, d3 } = standard();
  const source = src(t);
  const r = await run(source);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z') +
      [d(d3), l(l3), d(d2), d(d1), l(l1), l(l2)].join('\n') + '\n' +
      '\nResults requested for 2024-04-30T23:30:00Z to 2024-05-01T03:00:00Z\n' +
      'Results found for 2024-05-01T00:00:00Z to 2024-05-01T03:00:00Z:\n' +
      '\n3/3 digest files valid\n3/3 log files valid\n',
  );
  // DescribeTrails for the bucket; public keys for the requested range; one listing from the
  // key a digest ending a minute before the start would have.
  assert.equal(source.calls.describeTrails, 1);
  assert.deepEqual(source.calls.listPublicKeys, [{ start: at(-30), end: at(180) }]);
  assert.deepEqual(source.calls.listKeys, [{
    bucket: 'ct-bucket',
    marker: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/04/30/111122223333_CloudTrail-Digest_us-east-1_acm-trail_us-east-1_20240430T232900Z.json.gz',
    prefix: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/',
  }]);
});

test('without --verbose only the header and the summary; the found start is 2.9.19\'s (the oldest digest starting after the requested start)', async () => {
  const { t } = standard();
  const r = await run(src(t), { verbose: false, startTime: at(0) });
  assert.equal(r.code, 0);
  // 2.9.19's _track_found_times keeps the start of the last digest that began after the
  // requested start: here the 01:00 digest, although the 00:00 one covers the rest.
  assert.equal(
    r.stdout,
    header('2024-05-01T00:00:00Z', '2024-05-01T03:00:00Z') +
      'Results requested for 2024-05-01T00:00:00Z to 2024-05-01T03:00:00Z\n' +
      'Results found for 2024-05-01T01:00:00Z to 2024-05-01T03:00:00Z:\n' +
      '\n3/3 digest files valid\n3/3 log files valid\n',
  );
});

test('a modified log file: hash value doesn\'t match on stderr, exit 1', async () => {
  const { t, l1, l2, l3, d1, d2, d3 } = standard();
  t.bucket().get(l2)!.body = gzip(Buffer.from('{"Records":[{"forged":true}]}'));
  const r = await run(src(t));
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `\n${l(l2, "INVALID: hash value doesn't match")}\n\n`);
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z') + [d(d3), l(l3), d(d2), d(d1), l(l1)].join('\n') + '\n' +
      'Results requested for 2024-04-30T23:30:00Z to 2024-05-01T03:00:00Z\n' +
      'Results found for 2024-05-01T00:00:00Z to 2024-05-01T03:00:00Z:\n' +
      '\n3/3 digest files valid\n2/3 log files valid, 1/3 log files INVALID\n',
  );
});

test('a deleted log file: not found; a log file that is not gzip: invalid format', async () => {
  const { t, l1, l3 } = standard();
  t.bucket().delete(l1);
  t.bucket().get(l3)!.body = Buffer.from('{"Records":[]}');
  const r = await run(src(t), { verbose: false });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `${l(l3, 'INVALID: invalid format')}\n\n${l(l1, 'INVALID: not found')}\n\n`);
  assert.match(r.stdout, /\n3\/3 digest files valid\n1\/3 log files valid, 2\/3 log files INVALID\n$/);
});

test('a deleted digest: not found, and the walk goes on with the next older digest in the listing', async () => {
  const { t, l1, l2, l3, d1, d2, d3 } = standard();
  t.bucket().delete(d2);
  const r = await run(src(t));
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `\n${d(d2, 'INVALID: not found')}\n\n`);
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z') + [d(d3), l(l3)].join('\n') + '\n' + [d(d1), l(l1), l(l2)].join('\n') + '\n' +
      '\nResults requested for 2024-04-30T23:30:00Z to 2024-05-01T03:00:00Z\n' +
      'Results found for 2024-05-01T00:00:00Z to 2024-05-01T03:00:00Z:\n' +
      '\n2/3 digest files valid, 1/3 digest files INVALID\n3/3 log files valid\n',
  );
});

test('an altered digest: signature verification failed; its log files are not checked', async () => {
  const { t, l3, d1, d2, d3 } = standard();
  const obj = t.bucket().get(d2)!;
  const { gunzipSync } = await import('node:zlib');
  obj.body = gzip(Buffer.from(gunzipSync(obj.body).toString().replace('"logFiles":[]', `"logFiles":[{"s3Bucket":"ct-bucket","s3Object":"${l3}"}]`)));
  const r = await run(src(t), { verbose: false });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `${d(d2, 'INVALID: signature verification failed')}\n\n`);
  assert.match(r.stdout, /\n2\/3 digest files valid, 1\/3 digest files INVALID\n3\/3 log files valid\n$/);
  void d1;
  void d3;
});

test('missing signature metadata, a corrupt digest, a missing member: the CLI\'s messages', async () => {
  const { t, d1, d2, d3 } = standard();
  t.bucket().get(d3)!.metadata = { signature: 'ab' };
  t.bucket().get(d2)!.body = Buffer.from('not gzip');
  t.bucket().get(d1)!.body = gzip(Buffer.from('{"digestS3Bucket":"ct-bucket"}'));
  const r = await run(src(t), { verbose: false });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, [d(d3, 'INVALID: signature verification failed'), d(d2, 'INVALID: invalid format'), d(d1, 'INVALID: invalid format')].map((x) => `${x}\n\n`).join(''));
  assert.equal(r.stdout, header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z') + 'Results requested for 2024-04-30T23:30:00Z to 2024-05-01T03:00:00Z\nNo valid digests found in range\n\n0/3 digest files valid, 3/3 digest files INVALID\n');
});

test('a digest signed with a key ListPublicKeys does not list: public key not found in the trail\'s home region', async () => {
  const t = new FakeTrail({ bucket: 'ct-bucket', accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(0));
  const d1 = t.digest(at(60));
  const d2 = t.digest(at(120), OTHER);
  const r = await run(src(t), { endTime: at(120), verbose: false });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `${d(d2, `INVALID: public key not found in region us-east-1 for fingerprint ${OTHER.fingerprint}`)}\n\n`);
  assert.match(r.stdout, /Results found for 2024-05-01T00:00:00Z to 2024-05-01T01:00:00Z:\n\n1\/2 digest files valid, 1\/2 digest files INVALID\n$/);
  void d1;
  // The same digest claiming a listed key's fingerprint: the signature does not verify.
  const r2 = await run(src(t, [pub(KEY), { Fingerprint: OTHER.fingerprint, Value: KEY.der }]), { endTime: at(120), verbose: false });
  assert.equal(r2.stderr, `${d(d2, 'INVALID: signature verification failed')}\n\n`);
  // A key that is not DER at all.
  const r3 = await run(src(t, [pub(KEY), { Fingerprint: OTHER.fingerprint, Value: Buffer.from('junk') }]), { endTime: at(120), verbose: false });
  assert.equal(r3.stderr, `${d(d2, `INVALID: Unable to load PKCS #1 key with fingerprint ${OTHER.fingerprint}`)}\n\n`);
});

test('a digest copied elsewhere: has been moved from its original location', async () => {
  const { t, d2, d3 } = standard();
  // The copy sits where a later digest would be; the original is gone.
  const moved = d3.replace('20240501T030000Z', '20240501T033000Z');
  t.bucket().set(moved, t.bucket().get(d3)!);
  t.bucket().delete(d3);
  const r = await run(src(t), { verbose: false });
  assert.equal(r.code, 1);
  // After the moved one, the walk takes the next older digest in the listing: d2.
  assert.equal(r.stderr, `${d(moved, 'INVALID: has been moved from its original location')}\n\n`);
  assert.match(r.stdout, /\n2\/3 digest files valid, 1\/3 digest files INVALID\n2\/2 log files valid\n$/);
  void d2;
});

test('empty digests only: no log line in the summary', async () => {
  const t = new FakeTrail({ bucket: 'ct-bucket', accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(0));
  const keys = [t.digest(at(60)), t.digest(at(120))];
  const r = await run(src(t), { endTime: at(120) });
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T02:00:00Z') + `${d(keys[1]!)}\n${d(keys[0]!)}\n` +
      '\nResults requested for 2024-04-30T23:30:00Z to 2024-05-01T02:00:00Z\nResults found for 2024-05-01T00:00:00Z to 2024-05-01T02:00:00Z:\n\n2/2 digest files valid\n',
  );
});

test('a chain restart: "No log files were delivered by CloudTrail between …" on stderr, not counted as invalid', async () => {
  const t = new FakeTrail({ bucket: 'ct-bucket', accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(0));
  const l1 = t.log([at(10)], at(12));
  const d1 = t.digest(at(60));
  const d2 = t.digest(at(75)); // StopLogging at 01:15: the final digest.
  t.restart(at(200)); // StartLogging at 03:20: a new chain.
  const l2 = t.log([at(210)], at(212));
  const d3 = t.digest(at(260));
  const r = await run(src(t), { endTime: at(260) });
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '\nNo log files were delivered by CloudTrail between 2024-05-01T01:15:00Z and 2024-05-01T03:20:00Z\n\n');
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T04:20:00Z') + `${d(d3)}\n${l(l2)}\n` + `${d(d2)}\n${d(d1)}\n${l(l1)}\n` +
      '\nResults requested for 2024-04-30T23:30:00Z to 2024-05-01T04:20:00Z\nResults found for 2024-05-01T00:00:00Z to 2024-05-01T04:20:00Z:\n\n3/3 digest files valid\n2/2 log files valid\n',
  );
});

test('digests up to an hour after the end time count; later ones and other trails\' do not', async () => {
  const { t, d1, d2, d3 } = standard();
  const other = new FakeTrail({ bucket: 'ct-bucket', accountId: '111122223333', trailName: 'acm-trail2', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(0), t.buckets);
  other.digest(at(150));
  const r = await run(src(t), { endTime: at(110), verbose: false });
  assert.equal(r.code, 0);
  // d3 (03:00) is past 01:50 + 1 h: the newest is d2 (02:00), shown up to the requested end.
  assert.match(r.stdout, /Results found for 2024-05-01T00:00:00Z to 2024-05-01T01:50:00Z:\n\n2\/2 digest files valid\n2\/2 log files valid\n$/);
  void [d1, d2, d3];
});

test('a prefixed trail, and --s3-bucket/--s3-prefix instead of DescribeTrails', async () => {
  const { t, d3 } = standard({ prefix: 'my/pfx' });
  assert.ok(d3.startsWith('my/pfx/AWSLogs/'));
  const r = await run(src(t), { verbose: false });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /3\/3 digest files valid\n3\/3 log files valid\n$/);
  const source = src(t, [pub(KEY)], []);
  const r2 = await run(source, { s3Bucket: 'ct-bucket', s3Prefix: 'my/pfx', verbose: false });
  assert.equal(r2.code, 0);
  assert.equal(source.calls.describeTrails, 0);
  // Without the prefix nothing matches.
  const r3 = await run(src(t, [pub(KEY)], []), { s3Bucket: 'ct-bucket', verbose: false });
  assert.equal(r3.stdout, header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z') + 'Results requested for 2024-04-30T23:30:00Z to 2024-05-01T03:00:00Z\nNo digests found\n');
});

test('errors: argument errors exit 252, service errors 254, others 255, each on stderr as the CLI writes them', async () => {
  const { t } = standard();
  const arn = await run(src(t), { trailArn: 'arn:aws:cloudtrail:us-east-1:1234:trail/x' });
  assert.deepEqual([arn.code, arn.stdout, arn.stderr], [252, '', '\nInvalid trail ARN provided: arn:aws:cloudtrail:us-east-1:1234:trail/x\n']);
  const range = await run(src(t), { startTime: at(100), endTime: at(50) });
  assert.deepEqual([range.code, range.stderr], [252, '\nInvalid time range specified: start-time must occur before end-time\n']);
  const missing = await run(src(t, [pub(KEY)], [{ ...t.trailInfo(), TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other' }]));
  assert.deepEqual([missing.code, missing.stderr], [255, `\nA trail could not be found for ${ARN}\n`]);
  const org = await run(src(t, [pub(KEY)], [{ ...t.trailInfo(), IsOrganizationTrail: true }]));
  assert.deepEqual([org.code, org.stderr], [252, "\nMissing required parameter for organization trail: '--account-id'\n"]);
  const noKeys = await run(src(t, []));
  assert.equal(noKeys.code, 255);
  assert.equal(noKeys.stdout, header('2024-04-30T23:30:00Z', '2024-05-01T03:00:00Z'));
  assert.equal(noKeys.stderr, '\nNo public keys found between 2024-04-30T23:30:00Z and 2024-05-01T03:00:00Z\n');
  const denied = src(t);
  denied.getObject = async () => {
    throw new ServiceCallError('AccessDenied', 'GetObject', 'Access Denied');
  };
  const r = await run(denied);
  assert.deepEqual([r.code, r.stderr], [254, '\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n']);
});

test('the end time defaults to now; a chain whose previous digest lives in another bucket is followed there', async () => {
  const t = new FakeTrail({ bucket: 'old-bucket', accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'us-east-1', key: KEY }, at(0));
  const d1 = t.digest(at(60));
  // UpdateTrail moved the trail to a new bucket: the next digest points back at the old one.
  const moved = new FakeTrail({ ...t.o, bucket: 'ct-bucket' }, at(60), t.buckets);
  (moved as unknown as { previous: unknown }).previous = (t as unknown as { previous: unknown }).previous;
  const d2 = moved.digest(at(120));
  const source = src(moved);
  const r = await run(source, { endTime: undefined, now: at(120) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    header('2024-04-30T23:30:00Z', '2024-05-01T02:00:00Z') + `${d(d2)}\nDigest file\ts3://old-bucket/${d1}\tvalid\n` +
      '\nResults requested for 2024-04-30T23:30:00Z to 2024-05-01T02:00:00Z\nResults found for 2024-05-01T00:00:00Z to 2024-05-01T02:00:00Z:\n\n2/2 digest files valid\n',
  );
  assert.deepEqual(source.calls.listKeys.map((c) => c.bucket), ['ct-bucket', 'old-bucket']);
});

test('a multi-region trail: --region picks the source region\'s digests; the key error names the home region', async () => {
  const t = new FakeTrail({ bucket: 'ct-bucket', accountId: '111122223333', trailName: 'acm-trail', homeRegion: 'us-east-1', region: 'eu-west-1', key: KEY }, at(0));
  const d1 = t.digest(at(60));
  assert.match(d1, /CloudTrail-Digest\/eu-west-1\/.*_CloudTrail-Digest_eu-west-1_acm-trail_us-east-1_/);
  const ok = await run(src(t), { region: 'eu-west-1', endTime: at(60) });
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /1\/1 digest files valid\n$/);
  // In us-east-1's folder there is nothing, and nothing after it in the bucket either: 2.9.19's
  // listing then yields None, and the run stops on Python's TypeError.
  const home = await run(src(t), { region: 'us-east-1', endTime: at(60), verbose: false });
  assert.deepEqual([home.code, home.stderr], [255, "\nexpected string or bytes-like object, got 'NoneType'\n"]);
  t.bucket().set('zz-later-object', { body: Buffer.alloc(0), metadata: {} });
  const later = await run(src(t), { region: 'us-east-1', endTime: at(60), verbose: false });
  assert.equal(later.code, 0);
  assert.match(later.stdout, /No digests found\n$/);
  const wrong = await run(src(t, [pub(OTHER)]), { region: 'eu-west-1', endTime: at(60), verbose: false });
  assert.equal(wrong.stderr, `Digest file\ts3://ct-bucket/${d1}\tINVALID: public key not found in region us-east-1 for fingerprint ${KEY.fingerprint}\n\n`);
});
