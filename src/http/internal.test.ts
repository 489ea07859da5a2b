import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { systemClock } from '../kernel/clock.js';
import { silentLogger, type Logger } from '../kernel/logger.js';
import { createMetrics } from '../kernel/metrics.js';
import type { Authorities } from '../services/ca/authorities.js';
import type { Repositories, Store } from '../storage/ports.js';
import { internalRoutes, type InternalDeps } from './internal.js';

/** A store whose reads do what `read` says; nothing else is reached by these routes. */
function storeReading(read: () => Promise<unknown>): Store {
  return {
    read: <T>(_fn: (tx: Repositories) => Promise<T>) => read() as Promise<T>,
    write: () => Promise.reject(new Error('not used')),
    appendEvents: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
}

function routes(store: Store, extra: Partial<InternalDeps> = {}) {
  const route = internalRoutes({
    store, clock: systemClock, logger: silentLogger, authorities: {} as Authorities,
    isReady: () => true, info: { version: 'test' }, wake: () => {}, readyTimeoutMs: 100, ...extra,
  });
  return async (path: string) => {
    const r = await route({ method: 'GET', url: path } as IncomingMessage, path);
    assert.ok(r, `${path} answered`);
    return { status: r.status, headers: r.headers, text: String(r.body) };
  };
}

test('ready: 200 once started and the database answers', async () => {
  const get = routes(storeReading(async () => undefined));
  const r = await get('/_certtrail/ready');
  assert.equal(r.status, 200);
  assert.equal(r.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(r.text), { status: 'ready', checks: { startup: 'ok', database: 'ok' } });
});

test('ready: 503 naming the database when its read fails; the detail goes to the log only', async () => {
  const lines: Record<string, unknown>[] = [];
  const logger: Logger = { ...silentLogger, warn: (msg, fields) => lines.push({ msg, ...fields }) };
  const get = routes(storeReading(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'))), { logger });
  const r = await get('/_certtrail/ready');
  assert.equal(r.status, 503);
  assert.deepEqual(JSON.parse(r.text), { status: 'not ready', missing: ['database'], checks: { startup: 'ok', database: 'unreachable' } });
  assert.doesNotMatch(r.text, /10\.0\.0\.5/);
  assert.match(String(lines[0]?.error), /ECONNREFUSED/);
});

test('ready: 503 when the database does not answer in time; a hung read is not repeated', async () => {
  let reads = 0;
  const get = routes(storeReading(() => {
    reads++;
    return new Promise(() => {});
  }));
  const r = await get('/_certtrail/ready');
  assert.equal(r.status, 503);
  assert.equal(JSON.parse(r.text).checks.database, 'timeout');
  await get('/_certtrail/ready');
  assert.equal(reads, 1);
});

test('ready: 503 naming startup while the server is starting or stopping', async () => {
  const get = routes(storeReading(async () => undefined), { isReady: () => false });
  const r = await get('/_certtrail/ready');
  assert.equal(r.status, 503);
  assert.deepEqual(JSON.parse(r.text).missing, ['startup']);
});

test('health stays liveness: 200 while the database is down', async () => {
  const get = routes(storeReading(() => Promise.reject(new Error('down'))));
  const r = await get('/_certtrail/health');
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.text).status, 'ok');
});

test('metrics: the app registry in the text format, 404 without one', async () => {
  const metrics = createMetrics({ nodeId: 'node-a', processMetrics: false });
  metrics.request('acm', 'ListCertificates', 200, 0.002);
  const r = await routes(storeReading(async () => undefined), { metrics })('/_certtrail/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers['Content-Type'], /^text\/plain; version=0\.0\.4/);
  assert.match(r.text, /^certtrail_requests_total\{service="acm",operation="ListCertificates",status="200"\} 1$/m);
  assert.match(r.text, /^certtrail_background_leader\{node="node-a"\} 0$/m);
  const route = internalRoutes({
    store: storeReading(async () => undefined), clock: systemClock, logger: silentLogger, authorities: {} as Authorities,
    isReady: () => true, info: {}, wake: () => {},
  });
  assert.equal(await route({ method: 'GET', url: '/_certtrail/metrics' } as IncomingMessage, '/_certtrail/metrics'), undefined);
});
