import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { systemIds } from '../kernel/ids.js';
import type { Logger } from '../kernel/logger.js';
import { createMetrics } from '../kernel/metrics.js';
import type { RawRequest, RawResponse } from '../pipeline/handle.js';
import { createHttpServer } from './server.js';

/** The edge with a stand-in pipeline, its log lines and metrics captured. */
async function edge(handle: (req: RawRequest) => Promise<RawResponse>) {
  const lines: Record<string, unknown>[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push({ level, msg, ...fields });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const metrics = createMetrics({ nodeId: 'n', processMetrics: false });
  const server = createHttpServer({
    handle, internal: async () => undefined, maxBodyBytes: 1024, trustedProxies: new Set(), ids: systemIds, logger, metrics,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const post = (body: string) => fetch(url, { method: 'POST', headers: { 'x-amz-target': 'CertificateManager.ListCertificates' }, body });
  return { lines, metrics, post, close: () => new Promise((r) => server.close(r)) };
}

test('one access line per call with the pipeline\'s request id and names, and the request metrics', async () => {
  const e = await edge(async () => ({
    status: 400, headers: { 'x-amzn-RequestId': 'rid-1' }, body: '{}', call: { requestId: 'rid-1', service: 'acm', operation: 'DescribeCertificate' },
  }));
  try {
    assert.equal((await e.post('{"CertificateArn":"secret-ish"}')).status, 400);
    assert.equal(e.lines.length, 1);
    const { durationMs, ...line } = e.lines[0];
    assert.deepEqual(line, { level: 'debug', msg: 'request', requestId: 'rid-1', method: 'POST', service: 'acm', operation: 'DescribeCertificate', status: 400 });
    assert.ok(typeof durationMs === 'number' && durationMs >= 0);
    const text = await e.metrics.registry.metrics();
    assert.match(text, /^certtrail_requests_total\{service="acm",operation="DescribeCertificate",status="400"\} 1$/m);
    assert.match(text, /^certtrail_request_duration_seconds_count\{service="acm",operation="DescribeCertificate"\} 1$/m);
  } finally {
    await e.close();
  }
});

test('an edge failure logs the request id the client is given, and counts as a 500', async () => {
  const e = await edge(() => Promise.reject(new Error('boom')));
  try {
    const r = await e.post('{}');
    assert.equal(r.status, 500);
    const requestId = r.headers.get('x-amzn-requestid');
    assert.ok(requestId);
    assert.deepEqual(e.lines.map((l) => [l.msg, l.requestId]), [['unhandled edge failure', requestId], ['request', requestId]]);
    assert.match(await e.metrics.registry.metrics(), /^certtrail_requests_total\{service="unknown",operation="Unknown",status="500"\} 1$/m);
  } finally {
    await e.close();
  }
});

test('a body over the cap: 413 counted and logged with its request id', async () => {
  const e = await edge(() => assert.fail('the pipeline is not reached'));
  try {
    const r = await e.post('x'.repeat(2048));
    assert.equal(r.status, 413);
    assert.deepEqual(e.lines.map((l) => [l.msg, l.requestId, l.status]), [['request', r.headers.get('x-amzn-requestid'), 413]]);
  } finally {
    await e.close();
  }
});
