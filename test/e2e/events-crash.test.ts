/**
 * Nothing acknowledged is lost; nothing happens unrecorded (issue 3, "Done when": the crash
 * test). Sixteen clients hammer the server with mutating, read and failing calls; the server is
 * SIGKILLed while they are in flight, then restarted on the same data dir. Then:
 * - every call that got an answer (2xx, and also the recorded 4xx) has exactly one event with
 *   its x-amzn-RequestId, with the outcome the caller saw;
 * - every success event's state change is there: the tag each AddTagsToCertificate event set,
 *   the certificate each RequestCertificate event created;
 * - and the converse: every certificate and every tag the clients made has its success event.
 * Events of calls whose answer was lost in the crash may exist (committed, then killed before
 * the response was written), as long as their state exists too.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { unknownArn } from '../helpers/acm.ts';
import { eventsOf, type StoredEvent } from '../helpers/events.ts';
import { rawClient, type RawCall } from '../helpers/raw.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const CLIENTS = 16;
const HAMMER_MS = 3_000;
const MAX_HAMMER_MS = 15_000;
const MIN_ANSWERS = 400;
/** Below ACM's 50 tags per certificate: a client moves to a new certificate before that. */
const TAGS_PER_CERT = 40;
const ENV = {
  // No issuance work in the background: requests stay PENDING_VALIDATION.
  CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600',
  CERTTRAIL_QUOTA_CERTIFICATES: '100000',
  CERTTRAIL_QUOTA_REQUESTS_PER_YEAR: '100000',
};

interface Call {
  op: string;
  /** 0: no answer (the crash). */
  status: number;
  requestId?: string;
  errorType?: string;
  input: Record<string, any>;
}

const servers: RunningServer[] = [];
let dataDir = '';
after(async () => {
  // A server that does not stop within 10 s after SIGTERM is killed, so a hang cannot outlive the test.
  for (const s of servers) {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) continue;
    const stopped = await Promise.race([s.stop().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref())]);
    if (!stopped) {
      s.proc.kill('SIGKILL');
      process.stderr.write(`server did not stop within 10 s of SIGTERM; its output:\n${s.output().slice(-4000)}\n`);
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const T = (op: string) => `CertificateManager.${op}`;

async function hammer(client: number, acm: RawCall, forged: RawCall, calls: Call[], stop: { now: boolean }): Promise<void> {
  const call = async (op: string, input: Record<string, any>, via = acm) => {
    const r = await via(T(op), JSON.stringify(input), { timeoutMs: 10_000 });
    const c: Call = { op, status: r.status, input };
    if (r.status) {
      c.requestId = r.headers.get('x-amzn-RequestId') ?? undefined;
      c.errorType = r.headers.get('x-amzn-ErrorType') ?? undefined;
    }
    calls.push(c);
    return r;
  };
  const request = async (): Promise<string | undefined> => {
    const r = await call('RequestCertificate', { DomainName: `c${client}.example.com`, ValidationMethod: 'DNS' });
    return r.status === 200 ? JSON.parse(r.text).CertificateArn : undefined;
  };
  let cert = await request();
  let tags = 0;
  let n = 0;
  while (!stop.now && cert) {
    const dice = Math.random();
    n++;
    if (dice < 0.45) {
      const r = await call('AddTagsToCertificate', { CertificateArn: cert, Tags: [{ Key: `c${client}n${n}`, Value: `v${n}` }] });
      if (r.status === 0) break;
      if (++tags >= TAGS_PER_CERT) {
        cert = (await request()) ?? cert;
        tags = 0;
      }
    } else if (dice < 0.55) {
      const next = await request();
      if (!next) break;
      cert = next;
      tags = 0;
    } else if (dice < 0.8) {
      if ((await call('DescribeCertificate', { CertificateArn: cert })).status === 0) break;
    } else {
      // Failing calls, each of a kind that is recorded.
      const which = n % 3;
      const r =
        which === 0 ? await call('DescribeCertificate', { CertificateArn: unknownArn() })
        : which === 1 ? await call('AddTagsToCertificate', { CertificateArn: cert, Tags: [{ Key: 'bad#key', Value: 'x' }] })
        : await call('ListTagsForCertificate', { CertificateArn: cert }, forged);
      if (r.status === 0) break;
    }
  }
}

test('SIGKILL under load: every answered call has exactly one event, every success event its state, and nothing unrecorded', { timeout: 60_000 }, async (t) => {
  const first = await startServer(ENV);
  servers.push(first);
  dataDir = first.dataDir;
  const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
  const acm = rawClient(first.url, { credentials: creds });
  const forged = rawClient(first.url, { credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' } });
  const calls: Call[] = [];
  const stop = { now: false };
  const clients = Array.from({ length: CLIENTS }, (_, i) => hammer(i, acm, forged, calls, stop));

  // At least HAMMER_MS, and on a slow machine (fsync-bound commits) until MIN_ANSWERS calls
  // were answered, at most MAX_HAMMER_MS.
  const started = Date.now();
  while (Date.now() - started < MAX_HAMMER_MS && (Date.now() - started < HAMMER_MS || calls.length < MIN_ANSWERS)) await new Promise((r) => setTimeout(r, 100));
  const inFlightBefore = calls.length;
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));
  stop.now = true;
  await Promise.all(clients);

  const answered = calls.filter((c) => c.status !== 0);
  const lost = calls.filter((c) => c.status === 0);
  assert.ok(answered.length >= 100, `only ${answered.length} calls were answered before the kill`);
  assert.ok(lost.length > 0, 'the kill should have caught calls in flight');
  assert.ok(inFlightBefore > 0);
  assert.ok(!/internal failure/.test(first.output()), first.output());
  for (const c of answered) assert.ok(c.requestId, `${c.op} answered ${c.status} without x-amzn-RequestId`);
  // The mix really was mixed: successes of each kind and each recorded failure.
  const seen = new Set(answered.map((c) => `${c.op} ${c.status === 200 ? 'ok' : c.errorType}`));
  for (const kind of ['RequestCertificate ok', 'AddTagsToCertificate ok', 'DescribeCertificate ok', 'DescribeCertificate ResourceNotFoundException',
    'AddTagsToCertificate ValidationException', 'ListTagsForCertificate InvalidSignatureException']) assert.ok(seen.has(kind), `no ${kind} among the answers`);

  const second = await startServer(ENV, dataDir);
  servers.push(second);
  const after = rawClient(second.url, { credentials: creds });
  // Everything the first run recorded (the second run's own reads come after it).
  const events = await eventsOf(dataDir);
  const byRequest = new Map<string, StoredEvent[]>();
  for (const e of events) byRequest.set(e.record.requestID, [...(byRequest.get(e.record.requestID) ?? []), e]);

  const problems: string[] = [];
  for (const [id, list] of byRequest) if (list.length > 1) problems.push(`requestID ${id} has ${list.length} events`);

  // 1. Every answered call has exactly its one event, with the outcome the caller saw.
  for (const c of answered) {
    const list = byRequest.get(c.requestId!) ?? [];
    if (list.length !== 1) {
      problems.push(`${c.op} answered ${c.status} (${c.requestId}) has ${list.length} events`);
      continue;
    }
    const r = list[0].record;
    if (r.eventName !== c.op) problems.push(`${c.requestId}: event ${r.eventName} for ${c.op}`);
    if (c.status === 200 && 'errorCode' in r) problems.push(`${c.op} ${c.requestId} succeeded but its event has ${r.errorCode}`);
    if (c.status !== 200 && r.errorCode !== c.errorType) problems.push(`${c.op} ${c.requestId} answered ${c.errorType}, event says ${r.errorCode}`);
  }

  // 2. Every success event's state change was committed.
  const certificates = new Map<string, Map<string, string>>();
  let token: string | undefined;
  do {
    const r = await after(T('ListCertificates'), JSON.stringify({ MaxItems: 1000, ...(token ? { NextToken: token } : {}) }));
    assert.equal(r.status, 200, `after the restart, ListCertificates: ${r.error ?? r.text}\n${second.output().slice(-4000)}`);
    const page = JSON.parse(r.text);
    for (const s of page.CertificateSummaryList) certificates.set(s.CertificateArn, new Map());
    token = page.NextToken;
  } while (token);
  const arns = [...certificates.keys()];
  for (let i = 0; i < arns.length; i += 32) {
    await Promise.all(arns.slice(i, i + 32).map(async (arn) => {
      const r = await after(T('ListTagsForCertificate'), JSON.stringify({ CertificateArn: arn }));
      assert.equal(r.status, 200, r.text);
      for (const t of JSON.parse(r.text).Tags ?? []) certificates.get(arn)!.set(t.Key, t.Value);
    }));
  }
  const succeeded = events.filter((e) => !('errorCode' in e.record));
  const createdBy = new Set<string>();
  const taggedBy = new Set<string>();
  for (const e of succeeded) {
    const r = e.record;
    if (r.eventName === 'RequestCertificate') {
      const arn = r.responseElements?.certificateArn;
      createdBy.add(arn);
      if (!certificates.has(arn)) problems.push(`RequestCertificate event ${r.requestID}: ${arn} does not exist`);
    } else if (r.eventName === 'AddTagsToCertificate') {
      const arn = r.requestParameters.certificateArn;
      for (const t of r.requestParameters.tags) {
        taggedBy.add(`${arn} ${t.key}`);
        if (certificates.get(arn)?.get(t.key) !== t.value) problems.push(`AddTagsToCertificate event ${r.requestID}: tag ${t.key}=${t.value} is not on ${arn}`);
      }
    }
  }

  // 3. Nothing happened unrecorded: every certificate and tag has its success event.
  for (const [arn, tags] of certificates) {
    if (!createdBy.has(arn)) problems.push(`${arn} exists without a RequestCertificate event`);
    for (const key of tags.keys()) if (!taggedBy.has(`${arn} ${key}`)) problems.push(`tag ${key} on ${arn} has no AddTagsToCertificate event`);
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  const answeredIds = new Set(answered.map((c) => c.requestId));
  const unanswered = events.filter((e) => !answeredIds.has(e.record.requestID));
  // For the report: how much was in flight, and how much of it was committed anyway.
  t.diagnostic(`${answered.length} answered, ${lost.length} lost in the crash, ${events.length} events, ${unanswered.length} of calls never answered; ${certificates.size} certificates`);
});
