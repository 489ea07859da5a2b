import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../kernel/clock.js';
import { createLogger } from '../../kernel/logger.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import type { EventRecord } from '../../storage/records.js';
import { Dispatcher, InvocationError, type BusRule, type BusTarget } from './dispatcher.js';

const quiet = createLogger('error', () => undefined);
const ACCOUNT = '111122223333';

function event(n: number, eventName = 'ExportCertificate', readOnly = false): EventRecord {
  const record = { eventVersion: '1.11', eventTime: '2026-01-01T00:00:00Z', eventSource: 'acm.amazonaws.com', eventName, awsRegion: 'us-east-1', requestID: `r${n}`, eventID: `e${n}`, recipientAccountId: ACCOUNT };
  return { eventId: `e${n}`, accountId: ACCOUNT, region: 'us-east-1', eventTime: new Date(Date.UTC(2026, 0, 1)), eventSource: 'acm.amazonaws.com', eventName, readOnly, record: JSON.stringify(record) };
}

function setup(target: Partial<BusTarget> = {}, state: BusRule['state'] = 'ENABLED') {
  const store = new SqliteStore(':memory:');
  const clock = new ManualClock();
  const calls: string[] = [];
  let failures = 0;
  const rule: BusRule = {
    arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/exports`, name: 'exports', state,
    matches: (e) => (e.detail as any)?.eventName === 'ExportCertificate' || (e.detail as any)?.eventName === 'DescribeCertificate',
    targets: [{ id: 't1', arn: 'arn:aws:logs:us-east-1:111122223333:log-group:x', inputPath: '$.detail.requestID', ...target }],
  };
  const make = () =>
    new Dispatcher({
      store, clock, logger: quiet, pollMs: 10,
      rules: async () => [rule],
      cloudTrailEnabled: async () => true,
      invoke: async (_t, payload) => {
        if (failures > 0) {
          failures--;
          throw new InvocationError('HTTP_503', 'down');
        }
        calls.push(payload);
      },
    });
  return { store, clock, calls, make, failWith: (n: number) => (failures = n) };
}

test('matching events reach the target once, and a restarted dispatcher routes nothing again', async () => {
  const s = setup();
  const d = s.make();
  await d.round(); // starts at the present
  await s.store.write(async (tx) => {
    for (let i = 0; i < 3; i++) await tx.events.put(event(i));
    await tx.events.put(event(9, 'AddTagsToCertificate'));
  });
  await d.round();
  assert.deepEqual([...s.calls].sort(), ['"r0"', '"r1"', '"r2"']);
  await s.make().round();
  await d.round();
  assert.equal(s.calls.length, 3);
});

test('read-only calls reach only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules', async () => {
  for (const [state, want] of [['ENABLED', 0], ['ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', 1]] as const) {
    const s = setup({}, state);
    const d = s.make();
    await d.round();
    await s.store.write((tx) => tx.events.put(event(1, 'DescribeCertificate', true)));
    await d.round();
    assert.equal(s.calls.length, want, state);
  }
});

test('a target that fails 3 times then recovers gets the event once; one that never does lands in the dead-letter store', async () => {
  const s = setup({ retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 }, deadLetterArn: 'arn:aws:sqs:us-east-1:111122223333:dlq' });
  const d = s.make();
  await d.round();
  s.failWith(3);
  await s.store.write((tx) => tx.events.put(event(1)));
  for (let i = 0; i < 10; i++) {
    await d.round();
    s.clock.advance(60_000);
  }
  assert.deepEqual(s.calls, ['"r1"']);

  s.failWith(1000);
  await s.store.write((tx) => tx.events.put(event(2)));
  for (let i = 0; i < 12; i++) {
    await d.round();
    s.clock.advance(400_000);
  }
  assert.deepEqual(s.calls, ['"r1"']);
  const dead = await s.store.read((tx) => tx.bus.listDeadLetters('arn:aws:sqs:us-east-1:111122223333:dlq'));
  assert.equal(dead.length, 1);
  assert.equal(dead[0].invocation.payload, '"r2"');
  assert.equal(dead[0].invocation.attempts, 6, 'the first try and 5 retries');
  assert.equal(dead[0].errorCode, 'RETRY_ATTEMPTS_EXHAUSTED');
  assert.equal((await s.store.read((tx) => tx.bus.due(new Date(8e15), 10))).length, 0);
});
