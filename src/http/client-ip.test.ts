import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientIp } from './server.js';

test('X-Forwarded-For is believed only from a trusted proxy, and only past trusted hops', () => {
  const trusted = new Set(['10.0.0.1', '10.0.0.2']);
  assert.equal(clientIp('192.0.2.9', '198.51.100.7', trusted), '192.0.2.9');
  assert.equal(clientIp('10.0.0.1', '198.51.100.7', trusted), '198.51.100.7');
  // A client can prepend anything; the hop the trusted proxy saw is the last untrusted one.
  assert.equal(clientIp('10.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2', trusted), '198.51.100.7');
  assert.equal(clientIp('10.0.0.1', undefined, trusted), '10.0.0.1');
  assert.equal(clientIp('10.0.0.1', '::ffff:203.0.113.5', trusted), '203.0.113.5');
});
