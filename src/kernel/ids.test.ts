import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemIds, timeOrderedUuid } from './ids.js';

test('timeOrderedUuid: an RFC 9562 version 7 UUID carrying the instant, ordered by it', () => {
  const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const t of [0, 1, 1_700_000_000_000, 2 ** 48 - 1]) {
    const u = timeOrderedUuid(systemIds, new Date(t));
    assert.match(u, v7);
    assert.equal(parseInt(u.replace(/-/g, '').slice(0, 12), 16), t);
  }
  let prev = '';
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const u = timeOrderedUuid(systemIds, new Date(1_700_000_000_000 + i));
    assert.ok(u > prev, 'later instants sort later');
    seen.add(u.slice(14));
    prev = u;
  }
  assert.equal(seen.size, 10_000, 'the rest is random');
});
