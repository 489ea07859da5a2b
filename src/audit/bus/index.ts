import { join } from 'node:path';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { openConnectionAuth } from '../../services/events/connection-auth.js';
import type { PublishEvents } from '../../services/events/deps.js';
import { matchAll, matches, parsePattern, type Pattern } from '../../services/events/pattern.js';
import type { Repositories, Store } from '../../storage/ports.js';
import type { CertificateRecord, EventRuleRecord } from '../../storage/records.js';
import { lifecycleEvent, publishScheduledNotices } from './acm-events.js';
import { Dispatcher, type BusRule } from './dispatcher.js';
import { Targets } from './targets.js';

export interface BusDeps {
  store: Store;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  pollMs: number;
  expiryScanMs: number;
}

/**
 * The event bus, assembled: the dispatcher over the stored rules (patterns parsed once per
 * stored version of a rule), API destinations with their connections' credentials, the local log-group
 * sinks, and the ways events get on the bus (PutEvents, ACM's lifecycle, the daily expiry scan).
 */
export function createBus(d: BusDeps) {
  // The repository hands out the same frozen record while a rule's row is unchanged.
  const parsed = new WeakMap<EventRuleRecord, BusRule>();
  const patternOf = new WeakMap<BusRule, Pattern | undefined>();
  const toRule = (r: EventRuleRecord): BusRule => {
    const cached = parsed.get(r);
    if (cached) return cached;
    // A rule that has only a schedule matches no event.
    const pattern = r.eventPattern ? parsePattern(r.eventPattern) : undefined;
    const rule: BusRule = {
      arn: r.arn,
      name: r.name,
      state: r.state,
      matches: (e) => (pattern ? matches(pattern, e) : false),
      targets: r.targets.map((t) => ({
        id: t.id, arn: t.arn, input: t.input, inputPath: t.inputPath, inputTransformer: t.inputTransformer,
        retryPolicy: t.retryPolicy, deadLetterArn: t.deadLetterConfig?.arn, httpParameters: t.httpParameters,
      })),
    };
    parsed.set(r, rule);
    patternOf.set(rule, pattern);
    return rule;
  };
  const targets = new Targets({
    clock: d.clock,
    sinkDir: join(d.dataDir, 'event-sinks'),
    lookup: {
      apiDestination: (arn) => d.store.read((tx) => tx.apiDestinations.getByArn(arn)),
      connectionAuth: async (arn) => {
        const c = await d.store.read((tx) => tx.eventConnections.getByArn(arn));
        return c ? openConnectionAuth(c, d.box) : undefined;
      },
    },
  });
  const dispatcher = new Dispatcher({
    store: d.store,
    clock: d.clock,
    logger: d.logger,
    pollMs: d.pollMs,
    rules: async (accountId, region) => (await d.store.read((tx) => tx.eventRules.listEnabled(accountId, region))).map(toRule),
    invoke: targets.invoke,
    // One pass over the event for all the rules: the matcher reads the event once, not once per rule.
    matchAll: (rules, event) => {
      const withPattern = rules.map((r) => patternOf.get(r));
      const hits = matchAll(withPattern.filter((p): p is Pattern => p !== undefined), event);
      let k = 0;
      return withPattern.map((p) => (p ? hits[k++] : false));
    },
    // "AWS API Call via CloudTrail" events need a trail that logs them (cloudtrail.md §8).
    cloudTrailEnabled: async (accountId, region) =>
      (await d.store.read((tx) => tx.trails.list(accountId))).some((t) => t.isLogging && (t.homeRegion === region || t.isMultiRegionTrail)),
    periodic: { everyMs: d.expiryScanMs, run: () => publishScheduledNotices(d.store, d.clock.now()) },
  });
  const publish: PublishEvents = async (events, tx) => {
    await tx.bus.publish(events.map((e) => ({ accountId: e.accountId, region: e.region, createdAt: d.clock.now(), envelope: JSON.stringify(e.envelope) })));
  };
  /** For the ACM lifecycle: its changes of state, in their transactions. */
  const observe = async (tx: Repositories, before: CertificateRecord | undefined, after: CertificateRecord) => {
    const e = lifecycleEvent(before, after, d.clock.now());
    if (e) {
      await tx.bus.publish([e]);
      setImmediate(() => dispatcher.wake());
    }
  };
  return { dispatcher, publish, observe };
}
