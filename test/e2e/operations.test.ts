/**
 * What an operator sees of a running server: /_certtrail/ready, the Prometheus metrics at
 * /_certtrail/metrics after a few calls through the SDKs (ACM over JSON 1.1, STS over the query
 * protocol, S3), and the JSON access log on stderr, tied to each call by its request id.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.js';
import { rawClient } from '../helpers/raw.js';
import { TEST_CREDS, s3Client } from '../helpers/s3.js';

const NODE = 'e2e-ops-node';
const DOMAIN = 'metrics-e2e.example.com';
const MISSING_ARN = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000';

let server: RunningServer;
let acm: ACMClient;
let stderr = '';
const ids: Record<string, string> = {};

before(async () => {
  server = await startServer({ CERTTRAIL_NODE_ID: NODE, CERTTRAIL_LOG_LEVEL: 'debug' });
  server.proc.stderr!.on('data', (c) => (stderr += c));
  acm = acmClient(server.url);

  ids.list = (await acm.send(new ListCertificatesCommand({}))).$metadata.requestId!;
  ids.request = (await acm.send(new RequestCertificateCommand({ DomainName: DOMAIN }))).$metadata.requestId!;
  const failed = await acm.send(new DescribeCertificateCommand({ CertificateArn: MISSING_ARN })).then(
    () => assert.fail('DescribeCertificate of a missing certificate succeeded'),
    (e: { name: string; $metadata: { requestId: string; httpStatusCode: number } }) => e,
  );
  assert.equal(failed.name, 'ResourceNotFoundException');
  assert.equal(failed.$metadata.httpStatusCode, 400);
  ids.failed = failed.$metadata.requestId;
  // A made-up operation: counted as "Unknown", never under its own name.
  const unknown = await rawClient(server.url)('CertificateManager.MadeUpOperation', '{}');
  assert.equal(unknown.status, 400);
  ids.unknown = unknown.headers.get('x-amzn-requestid')!;
  ids.sts = (await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: TEST_CREDS, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}))).$metadata.requestId!;
  ids.s3 = (await s3Client(server.url).send(new ListBucketsCommand({}))).$metadata.requestId!;
});
after(async () => {
  await server?.dispose();
});

/** Parses the text exposition format (0.0.4), failing on any line that is not one of its forms. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const label = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"';
  const sample = new RegExp(`^(${name})(\\{(?:${label}(?:,${label})*)?,?\\})? (\\S+)(?: -?\\d+)?$`);
  // "as required by Go's ParseFloat()", which ignores the case of NaN and Inf (prom-client writes
  // `Nan` for an event-loop lag with no samples since the last scrape).
  const value = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|nan|[+-]inf)$/i;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      assert.match(line, new RegExp(`^# (?:HELP ${name} .*|TYPE ${name} (?:counter|gauge|histogram|summary|untyped))$`), `comment line: ${line}`);
      continue;
    }
    const m = sample.exec(line);
    assert.ok(m, `sample line: ${line}`);
    assert.match(m[3], value, `sample value: ${line}`);
    samples.set(m[1] + (m[2] ?? ''), Number(m[3].replace(/inf$/i, 'Infinity')));
  }
  return samples;
}

async function scrape(): Promise<{ contentType: string | null; text: string; samples: Map<string, number> }> {
  const r = await fetch(`${server.url}/_certtrail/metrics`);
  assert.equal(r.status, 200);
  const text = await r.text();
  return { contentType: r.headers.get('content-type'), text, samples: parseExposition(text) };
}

test('ready: 200 with its checks while the server runs', async () => {
  const r = await fetch(`${server.url}/_certtrail/ready`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { status: 'ready', checks: { startup: 'ok', database: 'ok' } });
  assert.equal((await fetch(`${server.url}/_certtrail/health`)).status, 200);
});

test('metrics: requests by service, operation and status, in the Prometheus text format', async () => {
  const { contentType, text, samples } = await scrape();
  assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const requests = (service: string, operation: string, status: number) => samples.get(`certtrail_requests_total{service="${service}",operation="${operation}",status="${status}"}`);
  assert.equal(requests('acm', 'ListCertificates', 200), 1);
  assert.equal(requests('acm', 'RequestCertificate', 200), 1);
  assert.equal(requests('acm', 'DescribeCertificate', 400), 1);
  assert.equal(requests('acm', 'Unknown', 400), 1);
  assert.equal(requests('sts', 'GetCallerIdentity', 200), 1);
  assert.equal(requests('s3', 'ListBuckets', 200), 1);
  assert.doesNotMatch(text, /MadeUpOperation/, 'an operation name as sent never becomes a label');

  const duration = (operation: string, suffix: string, extra = '') => samples.get(`certtrail_request_duration_seconds_${suffix}{${extra}service="acm",operation="${operation}"}`);
  assert.equal(duration('DescribeCertificate', 'count'), 1);
  assert.equal(duration('DescribeCertificate', 'bucket', 'le="+Inf",'), 1);
  assert.ok(duration('RequestCertificate', 'sum')! > 0);
  // Reads and failures commit their events through the EventWriter.
  assert.ok(samples.get('certtrail_event_write_duration_seconds_count')! >= 2);
  assert.ok(samples.get('certtrail_event_write_duration_seconds_sum')! > 0);
  // Node's own process metrics come along.
  assert.ok(samples.has('process_cpu_user_seconds_total'));
  assert.ok([...samples.keys()].some((k) => k.startsWith('nodejs_heap_size_total_bytes')));
});

test('metrics: this node leads the background work and its delivery rounds run', async () => {
  // A PostgreSQL test backend takes over leadership within a check interval, not at once.
  const { samples } = await waitFor(async () => {
    const s = await scrape();
    return s.samples.get(`certtrail_background_leader{node="${NODE}"}`) === 1 && s.samples.get('certtrail_delivery_rounds_total')! >= 1 ? s : undefined;
  });
  // No trail logs: nothing waits for delivery.
  assert.equal(samples.get('certtrail_delivery_lag_seconds'), 0);
});

test('logs: JSON lines, one access line per call carrying its request id, never its input', async () => {
  const lines = await waitFor(async () => {
    const all = stderr.split('\n').filter((l) => l.trim() !== '');
    const parsed = all.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        assert.fail(`not a JSON log line: ${l}`);
      }
    });
    return parsed.filter((l) => l.msg === 'request').length >= Object.keys(ids).length ? parsed : undefined;
  });
  for (const l of lines) assert.ok(typeof l.time === 'string' && typeof l.level === 'string', JSON.stringify(l));
  const access = (requestId: string) => {
    const found = lines.filter((l) => l.msg === 'request' && l.requestId === requestId);
    assert.equal(found.length, 1, `one access line for ${requestId}`);
    const { time: _t, durationMs, ...rest } = found[0];
    assert.ok(typeof durationMs === 'number' && durationMs >= 0);
    return rest;
  };
  assert.deepEqual(access(ids.list), { level: 'debug', msg: 'request', requestId: ids.list, method: 'POST', service: 'acm', operation: 'ListCertificates', status: 200 });
  assert.deepEqual(access(ids.failed), { level: 'debug', msg: 'request', requestId: ids.failed, method: 'POST', service: 'acm', operation: 'DescribeCertificate', status: 400 });
  assert.deepEqual(access(ids.unknown), { level: 'debug', msg: 'request', requestId: ids.unknown, method: 'POST', service: 'acm', operation: 'Unknown', status: 400 });
  assert.equal(access(ids.sts).operation, 'GetCallerIdentity');
  assert.deepEqual(access(ids.s3), { level: 'debug', msg: 'request', requestId: ids.s3, method: 'GET', service: 's3', operation: 'ListBuckets', status: 200 });
  assert.doesNotMatch(stderr, new RegExp(DOMAIN.replace(/\./g, '\\.')), 'request bodies stay out of the log');
});
