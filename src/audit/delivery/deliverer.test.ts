import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../kernel/clock.js';
import { systemIds } from '../../kernel/ids.js';
import { silentLogger } from '../../kernel/logger.js';
import { ObjectStoreError, type ObjectStore } from '../../objects/ports.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import type { TrailRecord } from '../../storage/records.js';
import { Deliverer } from './deliverer.js';

const T0 = Date.UTC(2026, 0, 1);

/** A logging trail's session, an event 30 s old, and a bucket that fails until told otherwise. */
async function setup() {
  const store = new SqliteStore(':memory:');
  const clock = new ManualClock(T0 + 30_000);
  const trail: TrailRecord = {
    accountId: '000000000000', homeRegion: 'us-east-1', name: 't1', arn: 'arn:aws:cloudtrail:us-east-1:000000000000:trail/t1',
    s3BucketName: 'logs', includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: false,
    isOrganizationTrail: false, isLogging: true, tags: [], createdAt: new Date(T0),
  };
  await store.write(async (tx) => {
    await tx.deliveries.put({
      id: 's1', trailArn: trail.arn, accountId: trail.accountId, homeRegion: trail.homeRegion, trailName: trail.name, trail,
      startedAt: new Date(T0), cursor: 0, finished: false,
    });
    await tx.events.put({
      eventId: 'e1', accountId: '000000000000', region: 'us-east-1', eventTime: new Date(T0), eventSource: 'acm.amazonaws.com',
      eventName: 'ListCertificates', readOnly: true, record: '{"eventID":"e1"}',
    });
  });
  let bucketUp = false;
  const objects = {
    put: async () => {
      if (!bucketUp) throw new ObjectStoreError('NoSuchBucket', 'no bucket');
    },
  } as unknown as ObjectStore;
  const seen = { rounds: 0, lag: [] as number[] };
  const deliverer = new Deliverer({
    store, objects, clock, ids: systemIds, logger: silentLogger,
    signer: () => Promise.reject(new Error('no digests here')),
    deliveryIntervalMs: 60_000, digestIntervalMs: 3_600_000,
    metrics: { deliveryRound: () => seen.rounds++, deliveryLag: (s) => seen.lag.push(s) },
  });
  return { store, deliverer, seen, bucketUp: () => (bucketUp = true) };
}

test('delivery lag: the age of the oldest undelivered event each round, 0 once delivered', async () => {
  const t = await setup();
  await t.deliverer.round();
  assert.deepEqual(t.seen, { rounds: 1, lag: [30] }, 'the bucket refused the log file: the event waits');
  t.bucketUp();
  await t.deliverer.round();
  assert.deepEqual(t.seen, { rounds: 2, lag: [30, 0] });
  await t.store.close();
});

test('delivery lag: back to 0 when this node stops delivering (the next leader reports it)', async () => {
  const t = await setup();
  await t.deliverer.round();
  await t.deliverer.stop();
  assert.deepEqual(t.seen.lag, [30, 0]);
  await t.store.close();
});
