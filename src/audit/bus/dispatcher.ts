import { createHash } from 'node:crypto';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { Poller } from '../../kernel/poller.js';
import type { Store } from '../../storage/ports.js';
import { cloudTrailEnvelope } from '../../services/events/envelope.js';
import type { BusInvocationRecord } from '../../storage/records.js';
import { targetPayload, type TargetInput } from './transform.js';

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface BusTarget extends TargetInput {
  id: string;
  arn: string;
  retryPolicy?: { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number };
  deadLetterArn?: string;
  httpParameters?: { pathParameterValues?: string[]; headerParameters?: Record<string, string>; queryStringParameters?: Record<string, string> };
}

export interface BusRule {
  arn: string;
  name: string;
  state: RuleState;
  matches(event: Record<string, unknown>): boolean;
  targets: BusTarget[];
}

/** A failed invocation; `retryable: false` goes to the dead-letter store at once (AWS: 4xx but 429). */
export class InvocationError extends Error {
  constructor(readonly code: string, message: string, readonly retryable = true) {
    super(message);
  }
}

export interface DispatcherDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The rules of the account's default bus in a region (enabled or not). */
  rules(accountId: string, region: string): Promise<BusRule[]>;
  /** Delivers one payload to a target; throws InvocationError. */
  invoke(target: BusTarget, payload: string, inv: BusInvocationRecord): Promise<void>;
  /** Whether CloudTrail events of the account and region reach EventBridge (a logging trail covers them). */
  cloudTrailEnabled(accountId: string, region: string): Promise<boolean>;
  /** Matches one event against many rules at once (a matcher may share work across rules); else rule by rule. */
  matchAll?: (rules: BusRule[], event: Record<string, unknown>) => boolean[];
  pollMs: number;
  /** Work that puts events on the bus now and then (ACM's daily expiry notices). */
  periodic?: { everyMs: number; run: () => Promise<unknown> };
}

/** AWS's defaults: 185 retries over 24 hours. */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
const READ_BATCH = 500;
/** Backoff: 1 s doubling, with jitter, at most 5 minutes between attempts. */
const backoffMs = (attempts: number) => Math.min(300_000, 1000 * 2 ** Math.min(attempts - 1, 12)) * (0.8 + Math.random() * 0.4);

/** A stable id from parts: the same event routed again gets the same invocation (no double enqueue). */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Read-only calls reach only rules that ask for all management events (EventBridge docs). */
const reaches = (r: BusRule, readOnly: boolean, eventName: string) =>
  r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' || (r.state === 'ENABLED' && !(readOnly && /^(Describe|Get|List)/.test(eventName)));

interface Cursors {
  cloudtrail: number;
  bus: number;
}

/**
 * The event bus: a restartable reader of the stored CloudTrail events and of the events put on
 * the bus. Routing an event to its rules' targets and moving the cursors commit together, so a
 * restart routes nothing twice; each invocation is then tried until it succeeds, runs out of
 * retries (MaximumRetryAttempts, MaximumEventAgeInSeconds) or fails for good, and lands in the
 * dead-letter store — at-least-once, as AWS promises: a crash between a delivery and its record
 * repeats that one delivery.
 */
export class Dispatcher {
  private readonly poller: Poller;
  private readonly inFlight = new Set<string>();
  private lastPeriodic = -Infinity;

  constructor(private readonly d: DispatcherDeps) {
    this.poller = new Poller(() => this.round(), d.pollMs, (e) => d.logger.error('event bus round failed', { error: e instanceof Error ? e.message : String(e) }));
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  wake(): void {
    this.poller.wake();
  }

  async round(): Promise<void> {
    const p = this.d.periodic;
    if (p && Date.now() - this.lastPeriodic >= p.everyMs) {
      this.lastPeriodic = Date.now();
      await p.run();
    }
    while (await this.route()) {
      /* until caught up */
    }
    await this.invokeDue();
  }

  /** Routes one batch; true if there may be more. Public for the bench. */
  async route(): Promise<boolean> {
    const cursors = (await this.d.store.read((tx) => tx.bus.getState<Cursors>('cursors'))) ?? (await this.initialCursors());
    const [trail, bus] = await this.d.store.read(async (tx) => [await tx.events.after(cursors.cloudtrail, READ_BATCH), await tx.bus.after(cursors.bus, READ_BATCH)] as const);
    if (!trail.length && !bus.length) return false;
    const now = this.d.clock.now();
    const rulesCache = new Map<string, Promise<BusRule[]>>();
    const rulesOf = (a: string, r: string) => {
      const k = `${a}\0${r}`;
      if (!rulesCache.has(k)) rulesCache.set(k, this.d.rules(a, r));
      return rulesCache.get(k)!;
    };
    const enabledCache = new Map<string, Promise<boolean>>();
    const ctOn = (a: string, r: string) => {
      const k = `${a}\0${r}`;
      if (!enabledCache.has(k)) enabledCache.set(k, this.d.cloudTrailEnabled(a, r));
      return enabledCache.get(k)!;
    };
    const invocations: BusInvocationRecord[] = [];
    const matchAll = this.d.matchAll ?? ((rules: BusRule[], e: Record<string, unknown>) => rules.map((r) => r.matches(e)));
    const route = async (accountId: string, region: string, event: Record<string, unknown>, eventAt: Date, admit: (r: BusRule) => boolean) => {
      const rules = (await rulesOf(accountId, region)).filter((r) => r.state !== 'DISABLED' && admit(r));
      const hits = matchAll(rules, event);
      for (let k = 0; k < rules.length; k++) {
        const rule = rules[k];
        if (!hits[k]) continue;
        for (const t of rule.targets)
          invocations.push({
            id: stableUuid(String(event.id), rule.arn, t.id),
            accountId, region, ruleArn: rule.arn, targetId: t.id, eventId: String(event.id),
            payload: targetPayload(t, event, rule, eventAt), eventAt, attempts: 0, dueAt: now,
          });
      }
    };
    for (const e of trail) {
      if (!(await ctOn(e.accountId, e.region))) continue;
      const envelope = cloudTrailEnvelope(JSON.parse(e.record), stableUuid('cloudtrail', e.eventId)) as unknown as Record<string, unknown>;
      await route(e.accountId, e.region, envelope, e.eventTime, (r) => reaches(r, e.readOnly, e.eventName));
    }
    for (const b of bus) await route(b.accountId, b.region, JSON.parse(b.envelope), b.createdAt, () => true);
    const next: Cursors = { cloudtrail: trail.at(-1)?.seq ?? cursors.cloudtrail, bus: bus.at(-1)?.seq ?? cursors.bus };
    await this.d.store.write(async (tx) => {
      for (const i of invocations) await tx.bus.enqueue(i);
      await tx.bus.putState('cursors', next);
    });
    return trail.length === READ_BATCH || bus.length === READ_BATCH;
  }

  /** A new bus starts at the present: events from before it existed are not replayed. */
  private async initialCursors(): Promise<Cursors> {
    return this.d.store.write(async (tx) => {
      const existing = await tx.bus.getState<Cursors>('cursors');
      if (existing) return existing;
      const c = { cloudtrail: await tx.events.lastSeq(), bus: 0 };
      await tx.bus.putState('cursors', c);
      return c;
    });
  }

  private async invokeDue(): Promise<void> {
    const due = await this.d.store.read((tx) => tx.bus.due(this.d.clock.now(), 200));
    await Promise.all(due.filter((i) => !this.inFlight.has(i.id)).map((i) => this.invokeOne(i)));
  }

  private async invokeOne(inv: BusInvocationRecord): Promise<void> {
    this.inFlight.add(inv.id);
    try {
      const rule = (await this.d.rules(inv.accountId, inv.region)).find((r) => r.arn === inv.ruleArn);
      const target = rule?.targets.find((t) => t.id === inv.targetId);
      // The rule or target is gone: nothing left to deliver to.
      if (!target) return void (await this.d.store.write((tx) => tx.bus.deleteInvocation(inv.id)));
      try {
        await this.d.invoke(target, inv.payload, inv);
        await this.d.store.write((tx) => tx.bus.deleteInvocation(inv.id));
      } catch (e) {
        const err = e instanceof InvocationError ? e : new InvocationError('SDK_CLIENT_ERROR', e instanceof Error ? e.message : String(e));
        await this.failed(inv, target, err);
      }
    } finally {
      this.inFlight.delete(inv.id);
    }
  }

  private async failed(inv: BusInvocationRecord, target: BusTarget, err: InvocationError): Promise<void> {
    const now = this.d.clock.now();
    const attempts = inv.attempts + 1;
    const maxRetries = target.retryPolicy?.maximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (target.retryPolicy?.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const next = new Date(now.getTime() + backoffMs(attempts));
    const exhausted = !err.retryable || attempts > maxRetries || next.getTime() - inv.eventAt.getTime() > maxAgeMs;
    this.d.logger.warn('event bus target failed', { rule: inv.ruleArn, target: inv.targetId, attempts, code: err.code, exhausted });
    await this.d.store.write(async (tx) => {
      if (!exhausted) return tx.bus.putInvocation({ ...inv, attempts, dueAt: next, lastError: `${err.code}: ${err.message}` });
      await tx.bus.deleteInvocation(inv.id);
      if (target.deadLetterArn)
        await tx.bus.putDeadLetter({
          id: inv.id, queueArn: target.deadLetterArn, createdAt: now, invocation: { ...inv, attempts },
          errorCode: err.retryable ? 'RETRY_ATTEMPTS_EXHAUSTED' : err.code, errorMessage: err.message, targetArn: target.arn,
        });
    });
  }
}
