/**
 * The event bus with 1,000 rules: how many events a second go through pattern matching. Two
 * numbers: the matcher alone (every stored event's envelope against all 1,000 patterns), and the
 * dispatcher's routing — read the stored CloudTrail events, build their envelopes, match the
 * account's 1,000 rules, enqueue the matches' invocations and move the cursor, durably.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBus } from '../src/audit/bus/index.js';
import { stableUuid } from '../src/audit/bus/dispatcher.js';
import { createLogger } from '../src/kernel/logger.js';
import { systemClock } from '../src/kernel/clock.js';
import { SecretBox } from '../src/kernel/secret-box.js';
import { cloudTrailEnvelope } from '../src/services/events/envelope.js';
import { matchAll, parsePattern } from '../src/services/events/pattern.js';
import { SqliteStore } from '../src/storage/sqlite/store.js';
import type { EventRuleRecord } from '../src/storage/records.js';
import { ACCOUNT, EventSeeder, REGION } from './seed-events.js';

export interface BusBenchResult {
  rules: number;
  events: number;
  matcherEventsPerSecond: number;
  routeEventsPerSecond: number;
  invocations: number;
  matchesPerEvent: number;
}

const OP_NAMES = ['DescribeCertificate', 'ListCertificates', 'ListTagsForCertificate', 'GetCertificate', 'AddTagsToCertificate', 'RequestCertificate', 'ExportCertificate', 'DeleteCertificate', 'ImportCertificate', 'RenewCertificate'];

/** 1,000 rules of the kinds people write: by call name, by custom source, by user, by error and network. */
export function benchPatterns(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    switch (i % 4) {
      case 0: // mostly names that never occur: a realistic fan-out of about one rule per event
        return JSON.stringify({ source: ['aws.acm'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: [i < 40 ? OP_NAMES[i % OP_NAMES.length] : `${OP_NAMES[i % OP_NAMES.length]}V${i}`] } });
      case 1:
        return JSON.stringify({ source: [`com.example.app${i}`], 'detail-type': [{ prefix: 'Order' }] });
      case 2:
        return JSON.stringify({ detail: { userIdentity: { userName: [{ prefix: `user-${i}` }] } } });
      default:
        return JSON.stringify({ detail: { errorCode: [{ exists: true }], eventSource: ['acm.amazonaws.com'], sourceIPAddress: [{ cidr: `10.${i % 256}.0.0/16` }] } });
    }
  });
}

export async function busBench(o: { rules: number; events: number; log: (m: string) => void }): Promise<BusBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-bus-bench-'));
  try {
    const file = join(dir, 'certtrail.db');
    new SqliteStore(file).close();
    await new EventSeeder().grow(file, o.events, Date.now());
    const store = new SqliteStore(file, 'NORMAL');
    const now = new Date();
    const patterns = benchPatterns(o.rules);
    await store.write(async (tx) => {
      for (let i = 0; i < patterns.length; i++) {
        const r: EventRuleRecord = {
          accountId: ACCOUNT, region: REGION, eventBusName: 'default', name: `rule-${i}`, arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/rule-${i}`,
          eventPattern: patterns[i], state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', createdBy: ACCOUNT, tags: [],
          targets: [{ id: 't', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/bench/${i}` }], createdAt: now, updatedAt: now,
        };
        await tx.eventRules.put(r);
      }
      await tx.trails.put({
        accountId: ACCOUNT, homeRegion: REGION, name: 'bench', arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/bench`, s3BucketName: 'b',
        includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: false, isOrganizationTrail: false, isLogging: true, tags: [], createdAt: now,
      });
      await tx.bus.putState('cursors', { cloudtrail: 0, bus: 0 });
    });

    // The matcher alone.
    const parsed = patterns.map(parsePattern);
    const envelopes = (await store.read((tx) => tx.events.after(0, o.events))).map((e) => cloudTrailEnvelope(JSON.parse(e.record), stableUuid(e.eventId)));
    let hits = 0;
    const m0 = performance.now();
    for (const e of envelopes) for (const hit of matchAll(parsed, e)) if (hit) hits++;
    const matcherSeconds = (performance.now() - m0) / 1000;
    o.log(`bus: matcher ${Math.round(envelopes.length / matcherSeconds)} events/s against ${o.rules} rules, ${(hits / envelopes.length).toFixed(2)} matches per event`);

    // The dispatcher's routing, durable enqueue included.
    const bus = createBus({ store, box: new SecretBox(Buffer.alloc(32, 7)), clock: systemClock, logger: createLogger('error'), dataDir: dir, pollMs: 1000, expiryScanMs: 3_600_000 });
    const r0 = performance.now();
    while (await bus.dispatcher.route()) {
      /* next batch */
    }
    const routeSeconds = (performance.now() - r0) / 1000;
    const invocations = (await store.read((tx) => tx.bus.due(new Date(8e15), 10_000_000))).length;
    await store.close();
    const result = { rules: o.rules, events: envelopes.length, matcherEventsPerSecond: envelopes.length / matcherSeconds, routeEventsPerSecond: envelopes.length / routeSeconds, invocations, matchesPerEvent: hits / envelopes.length };
    o.log(`bus: routed ${Math.round(result.routeEventsPerSecond)} events/s, ${invocations} invocations enqueued`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function busMarkdown(b: BusBenchResult): string[] {
  const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    `### Event bus: pattern matching with ${f0(b.rules)} rules`,
    '',
    '| Events | Rules | Matches per event | Matcher alone (events/s) | Dispatcher routing, durable (events/s) | Invocations enqueued |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${f0(b.events)} | ${f0(b.rules)} | ${b.matchesPerEvent.toFixed(2)} | ${f0(b.matcherEventsPerSecond)} | ${f0(b.routeEventsPerSecond)} | ${f0(b.invocations)} |`,
    '',
    `${f0(b.events)} synthetic CloudTrail events (\`bench/seed-events.ts\`) and ${f0(b.rules)} rules on the account's default bus (\`benchPatterns\` in \`bench/bus.ts\`: by call name — mostly names that never occur —, by custom source with \`prefix\`, by user name \`prefix\`, by \`exists\` + \`cidr\`). ` +
      '"Matcher alone": each event\'s envelope against every pattern (`matchAll`), in one process, no I/O. "Dispatcher routing": what the running bus does — read the stored events in batches, build the envelopes, match the rules, enqueue the matching targets\' invocations and move the cursor in one SQLite transaction per batch (synchronous=NORMAL here).',
    '',
  ];
}
