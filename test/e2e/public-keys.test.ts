/**
 * ListPublicKeys through @aws-sdk/client-cloudtrail and the AWS CLI: the digest signing keys of
 * the request's region, made on first use, DER PKCS#1 with an MD5 fingerprint, kept across
 * restarts, rotated every 25 days with 30-day validity (cloudtrail.md §5.4).
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, ListPublicKeysCommand, type PublicKey } from '@aws-sdk/client-cloudtrail';
import { startServer, type RunningServer } from '../helpers/server.js';
import { expectError } from '../helpers/acm.js';
import { assertCliError, awsCli } from '../helpers/aws-cli.js';

const DAY = 86_400_000;
const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };
let dir: string;
let server: RunningServer;
const clients: CloudTrailClient[] = [];
const ct = (region = 'us-east-1', systemClockOffset = 0) => {
  const c = new CloudTrailClient({ endpoint: server.url, region, credentials: CREDS, maxAttempts: 1, systemClockOffset });
  clients.push(c);
  return c;
};
const list = async (input: { StartTime?: Date; EndTime?: Date } = {}, region = 'us-east-1', offset = 0) =>
  (await ct(region, offset).send(new ListPublicKeysCommand(input))).PublicKeyList ?? [];
const fingerprints = (keys: PublicKey[]) => keys.map((k) => k.Fingerprint);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certtrail-keys-'));
  server = await startServer({}, dir);
});
after(async () => {
  for (const c of clients) c.destroy();
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('ListPublicKeys', () => {
  let current: PublicKey;

  test('without a range: the region\'s current key, made on first use: DER PKCS#1 RSA-2048, MD5 fingerprint, valid now for 30 days', async () => {
    const keys = await list();
    assert.equal(keys.length, 1);
    current = keys[0]!;
    const der = Buffer.from(current.Value!);
    assert.equal(der.length, 270);
    assert.deepEqual([...der.subarray(0, 4)], [0x30, 0x82, 0x01, 0x0a], 'a PKCS#1 RSAPublicKey, as AWS serves (MIIBCgKCAQEA…)');
    assert.equal(createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(current.Fingerprint, createHash('md5').update(der).digest('hex'));
    const now = Date.now();
    assert.ok(current.ValidityStartTime!.getTime() <= now && now < current.ValidityEndTime!.getTime());
    assert.equal(current.ValidityEndTime!.getTime() - current.ValidityStartTime!.getTime(), 30 * DAY);
    assert.deepEqual(fingerprints(await list()), [current.Fingerprint], 'the same key on the next call');
  });

  test('each region has its own keys', async () => {
    const [eu] = await list({}, 'eu-west-1');
    assert.ok(eu);
    assert.notEqual(eu.Fingerprint, current.Fingerprint);
    assert.deepEqual(fingerprints(await list({}, 'eu-west-1')), [eu.Fingerprint]);
  });

  test('a range: the keys valid in it; before any key existed, all of them rather than none', async () => {
    const now = Date.now();
    assert.deepEqual(fingerprints(await list({ StartTime: new Date(now - 3600_000), EndTime: new Date(now) })), [current.Fingerprint]);
    assert.deepEqual(fingerprints(await list({ StartTime: new Date(now - 3600_000) })), [current.Fingerprint], 'no EndTime: up to now');
    assert.deepEqual(fingerprints(await list({ StartTime: new Date(Date.UTC(2015, 0, 1)), EndTime: new Date(Date.UTC(2015, 0, 2)) })), [current.Fingerprint]);
  });

  test('InvalidTimeRangeException: a start after the end, also against the defaults (now)', async () => {
    const now = Date.now();
    await expectError(ct().send(new ListPublicKeysCommand({ StartTime: new Date(now), EndTime: new Date(now - 1000) })), 'InvalidTimeRangeException', 400);
    await expectError(ct().send(new ListPublicKeysCommand({ StartTime: new Date(now + DAY) })), 'InvalidTimeRangeException', 400);
    await expectError(ct().send(new ListPublicKeysCommand({ EndTime: new Date(now - DAY) })), 'InvalidTimeRangeException', 400);
  });

  test('through the AWS CLI: base64 Value, the same fingerprint; errors as the CLI reports them', async () => {
    const aws = awsCli(server.url);
    const out = await aws.json('cloudtrail', 'list-public-keys');
    assert.equal(out.PublicKeyList.length, 1);
    const [k] = out.PublicKeyList;
    assert.equal(k.Fingerprint, current.Fingerprint);
    assert.equal(k.Value, Buffer.from(current.Value!).toString('base64'));
    assert.match(k.Value, /^MIIBCgKCAQEA/);
    const ranged = await aws.json('cloudtrail', 'list-public-keys', '--start-time', new Date(Date.now() - 3600_000).toISOString(), '--end-time', new Date().toISOString());
    assert.deepEqual(ranged.PublicKeyList.map((x: { Fingerprint: string }) => x.Fingerprint), [current.Fingerprint]);
    assertCliError(await aws.run('cloudtrail', 'list-public-keys', '--start-time', '2020-01-02T00:00:00Z', '--end-time', '2020-01-01T00:00:00Z'), 'InvalidTimeRangeException', 'ListPublicKeys');
  });

  test('kept across a restart; 25 days on, a new key whose validity overlaps the old one\'s', async () => {
    await server.stop();
    server = await startServer({}, dir);
    assert.deepEqual(fingerprints(await list()), [current.Fingerprint]);
    await server.stop();
    const offset = 25 * DAY;
    server = await startServer({ CERTTRAIL_CLOCK_OFFSET_SECONDS: String(offset / 1000) }, dir);
    const [next] = await list({}, 'us-east-1', offset);
    assert.ok(next);
    assert.notEqual(next.Fingerprint, current.Fingerprint);
    assert.ok(next.ValidityStartTime! < current.ValidityEndTime! && next.ValidityStartTime! > current.ValidityStartTime!);
    const later = Date.now() + offset;
    const both = await list({ StartTime: new Date(later - 26 * DAY), EndTime: new Date(later) }, 'us-east-1', offset);
    assert.deepEqual(fingerprints(both), [current.Fingerprint, next.Fingerprint]);
  });
});
