import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../../kernel/clock.js';
import type { EventRecord } from '../records.js';
import { postgresTestStores } from './testing.js';

const stores = postgresTestStores();
const A = '000000000000';
const event = (id: string, at: number): EventRecord => ({
  eventId: id, accountId: A, region: 'us-east-1', eventTime: new Date(at), eventSource: 'acm.amazonaws.com', eventName: 'DescribeCertificate', readOnly: true, record: `{"eventID":"${id}"}`,
});
const partitionsOf = async (s: Awaited<ReturnType<typeof stores.open>>) =>
  (await s.session((sql) => sql.query<{ n: string }>("SELECT c.relname AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events' AND p.relnamespace = current_schema()::regnamespace ORDER BY 1"))).map((r) => r.n);

test('events live in weekly partitions; weeks wholly older than 90 days are dropped, the rest stay readable in order', async () => {
  const s = await stores.open();
  const now = Date.UTC(2026, 11, 7);
  await s.maintain(new Date(now));
  const made = await partitionsOf(s);
  assert.ok(made.includes('events_default'));
  assert.ok(made.filter((n) => n.startsWith('events_w')).length >= 14, `partitions: ${made}`);

  const times = [now - 95 * DAY_MS, now - 89 * DAY_MS, now - DAY_MS, now, now + 400 * DAY_MS];
  await s.appendEvents(times.map((t, i) => event(`e${i}`, t)));
  const inDefault = await s.session((sql) => sql.query<{ event_id: string }>('SELECT event_id FROM events_default'));
  assert.deepEqual(inDefault.map((r) => r.event_id), ['e4'], 'only the far-future event has no week of its own');
  assert.deepEqual((await s.read((tx) => tx.events.after(0, 10))).map((e) => e.eventId), ['e0', 'e1', 'e2', 'e3', 'e4'], 'storage order across partitions');

  // Ten days on: the week of the 95-day-old event is past the window and goes whole.
  const later = now + 10 * DAY_MS;
  await s.maintain(new Date(later));
  const left = (await s.read((tx) => tx.events.after(0, 10))).map((e) => e.eventId);
  assert.deepEqual(left, ['e2', 'e3', 'e4'], `left: ${left}`);
  assert.equal(await s.read((tx) => tx.events.lastSeq()), 5, 'positions are never reused');
  const found = await s.read((tx) => tx.events.lookup({ accountId: A, region: 'us-east-1', startTime: new Date(later - 90 * DAY_MS), limit: 10 }));
  assert.deepEqual(found.map((e) => e.eventId), ['e4', 'e3', 'e2']);

  // 500 days on, the clock-shifted event in the default partition has aged out too.
  await s.maintain(new Date(now + 500 * DAY_MS));
  assert.deepEqual(await s.read((tx) => tx.events.after(0, 10)), []);
  await s.close();
});
