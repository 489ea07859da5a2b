import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Ids } from '../../kernel/ids.js';
import { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import type { BusEventInput, EventsDeps } from './deps.js';
import { EventsPaging } from './paging.js';
import { entrySize, putEvents } from './put-events.js';

const ctx: RequestContext = {
  requestId: 'r', now: new Date(Date.UTC(2026, 2, 3, 4, 5, 6, 789)), sourceIp: '127.0.0.1', userAgent: 'test', tls: false, service: 'events',
  operation: 'PutEvents', region: 'eu-west-1',
  principal: { type: 'Root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012', accessKeyId: 'AKIA' },
};

let n = 0;
const ids: Ids = { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, bytes: (k) => randomBytes(k) };

function deps(published: BusEventInput[][], wakes: string[]): EventsDeps {
  return {
    store: new SqliteStore(':memory:'), ids, box: new SecretBox(randomBytes(32)), paging: new EventsPaging(randomBytes(32)),
    publish: async (events, tx) => {
      assert.ok(tx.bus, 'published inside the call transaction');
      published.push(events);
    },
    wakeBus: () => wakes.push('wake'),
  };
}

test('accepted entries go on the bus as full envelopes; failed ones and other buses do not', async () => {
  const published: BusEventInput[][] = [];
  const wakes: string[] = [];
  const out = await putEvents(ctx, {
    Entries: [
      { Source: 'my.app', DetailType: 'Order Placed', Detail: '{"id": 7, "items": [1, 2]}', Resources: ['arn:aws:s3:::b'] },
      { Source: 'my.app', DetailType: 'Order Placed', Detail: '"a string"' },
      { Source: 'my.app', DetailType: 'Timed', Detail: '{}', Time: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, 500)) },
      { Source: 'my.app', DetailType: 'Elsewhere', Detail: '{}', EventBusName: 'custom' },
      { Source: 'my.app', DetailType: 'By ARN', Detail: '{}', EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' },
    ],
  }, deps(published, wakes));
  assert.equal(out.FailedEntryCount, 1);
  assert.equal(out.Entries[1].ErrorCode, 'MalformedDetail');
  assert.equal(published.length, 1);
  const [first, timed, byArn] = published[0];
  assert.equal(published[0].length, 3);
  assert.deepEqual(first, {
    accountId: '123456789012',
    region: 'eu-west-1',
    envelope: {
      version: '0', id: out.Entries[0].EventId, 'detail-type': 'Order Placed', source: 'my.app', account: '123456789012',
      time: '2026-03-03T04:05:06Z', region: 'eu-west-1', resources: ['arn:aws:s3:::b'], detail: { id: 7, items: [1, 2] },
    },
  });
  assert.equal(timed.envelope.time, '2025-01-01T12:00:00Z');
  assert.deepEqual(timed.envelope.resources, []);
  assert.equal(byArn.envelope['detail-type'], 'By ARN');
  // The entry for another bus has an EventId all the same.
  assert.ok(out.Entries[3].EventId);
  assert.deepEqual(wakes, ['wake']);
});

test('nothing accepted: nothing published, no wake', async () => {
  const published: BusEventInput[][] = [];
  const wakes: string[] = [];
  const out = await putEvents(ctx, { Entries: [{ Source: 'aws.ec2', DetailType: 'x', Detail: '{}' }] }, deps(published, wakes));
  assert.equal(out.FailedEntryCount, 1);
  assert.deepEqual(published, []);
  assert.deepEqual(wakes, []);
});

test('entry size counts as AWS documents it', () => {
  assert.equal(entrySize({ Source: 'ab', DetailType: 'cd', Detail: '{}', Resources: ['é'] }), 2 + 2 + 2 + 2);
  assert.equal(entrySize({ Time: new Date(), Source: 'a' }), 15);
});
