import { eventRuleArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { EventRuleRecord, EventRuleState, TagRecord } from '../../storage/records.js';
import { resolveBus } from './bus.js';
import type { EventsDeps } from './deps.js';
import { InvalidEventPatternException, ValidationException, limitExceeded, ruleNotFound } from './errors.js';
import { InvalidEventPatternError, parsePattern } from './pattern.js';
import { ruleListShape, ruleShape } from './render.js';
import { checkScheduleExpression } from './schedule.js';
import type { WireTag } from './shapes.js';

/** Rules per event bus (EventBridge quotas: 300, adjustable; certtrail's is fixed). */
export const MAX_RULES_PER_BUS = 300;

/** A pattern AWS would refuse, with AWS's message (pattern.ts writes it). */
export function checkEventPattern(pattern: string): void {
  try {
    parsePattern(pattern);
  } catch (e) {
    if (e instanceof InvalidEventPatternError) throw InvalidEventPatternException(e.message);
    throw e;
  }
}

/** The rule a call names, or AWS's "Rule x does not exist on EventBus default." */
export async function findRule(tx: Repositories, ctx: RequestContext, name: string, busName: string | undefined): Promise<EventRuleRecord> {
  const bus = resolveBus(ctx, busName);
  const r = await tx.eventRules.get(ctx.principal.accountId, ctx.region, bus, name);
  if (!r) throw ruleNotFound(name, bus);
  return r;
}

function checkTags(tags: WireTag[]): TagRecord[] {
  const seen = new Set<string>();
  for (const t of tags) {
    // AWS (TagResource; moto, localstack): "Invalid parameter: Duplicated keys are not allowed."
    if (seen.has(t.Key)) throw ValidationException('Invalid parameter: Duplicated keys are not allowed.');
    seen.add(t.Key);
  }
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

export interface PutRuleInput {
  Name: string;
  ScheduleExpression?: string;
  EventPattern?: string;
  State?: EventRuleState;
  Description?: string;
  RoleArn?: string;
  Tags?: WireTag[];
  EventBusName?: string;
}

/**
 * Creates or replaces a rule. A replaced rule keeps its targets, tags and creator; every other
 * setting is what this call gives (PutRule doc: "If you omit arguments in PutRule, the old
 * values for those arguments are not kept"), the state ENABLED unless given.
 */
export async function putRule(ctx: RequestContext, input: PutRuleInput, d: EventsDeps) {
  const bus = resolveBus(ctx, input.EventBusName);
  // AWS: "Parameter(s) EventPattern or ScheduleExpression must be specified."
  if (!input.EventPattern && !input.ScheduleExpression) throw ValidationException('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (input.EventPattern) checkEventPattern(input.EventPattern);
  if (input.ScheduleExpression) checkScheduleExpression(input.ScheduleExpression);
  const tags = checkTags(input.Tags ?? []);
  const account = ctx.principal.accountId;
  return d.store.write(async (tx) => {
    const old = await tx.eventRules.get(account, ctx.region, bus, input.Name);
    if (!old && (await tx.eventRules.list(account, ctx.region, bus)).length >= MAX_RULES_PER_BUS) throw limitExceeded();
    const rule: EventRuleRecord = {
      accountId: account,
      region: ctx.region,
      eventBusName: bus,
      name: input.Name,
      arn: eventRuleArn(ctx.region, account, bus, input.Name),
      eventPattern: input.EventPattern || undefined,
      scheduleExpression: input.ScheduleExpression || undefined,
      state: input.State ?? 'ENABLED',
      description: input.Description,
      roleArn: input.RoleArn,
      createdBy: old?.createdBy ?? account,
      managedBy: old?.managedBy,
      // Tags given when a rule is replaced are ignored (PutRule doc).
      tags: old ? old.tags : tags,
      targets: old ? old.targets : [],
      createdAt: old?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    };
    await tx.eventRules.put(rule);
    return { RuleArn: rule.arn };
  });
}

export async function describeRule(ctx: RequestContext, input: { Name: string; EventBusName?: string }, d: EventsDeps) {
  return ruleShape(await d.store.read((tx) => findRule(tx, ctx, input.Name, input.EventBusName)));
}

export async function listRules(ctx: RequestContext, input: { NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number }, d: EventsDeps) {
  const bus = resolveBus(ctx, input.EventBusName);
  const all = await d.store.read((tx) => tx.eventRules.list(ctx.principal.accountId, ctx.region, bus));
  const prefix = input.NamePrefix ?? '';
  const query = `ListRules\0${ctx.principal.accountId}\0${ctx.region}\0${bus}\0${prefix}`;
  const page = d.paging.page(all.filter((r) => r.name.startsWith(prefix)), input.NextToken, input.Limit, query);
  return { Rules: page.items.map(ruleListShape), NextToken: page.next };
}

async function setState(ctx: RequestContext, input: { Name: string; EventBusName?: string }, d: EventsDeps, state: EventRuleState) {
  await d.store.write(async (tx) => {
    const r = await findRule(tx, ctx, input.Name, input.EventBusName);
    await tx.eventRules.put({ ...r, state, updatedAt: ctx.now });
  });
  return {};
}

export const enableRule = (ctx: RequestContext, input: { Name: string; EventBusName?: string }, d: EventsDeps) => setState(ctx, input, d, 'ENABLED');
export const disableRule = (ctx: RequestContext, input: { Name: string; EventBusName?: string }, d: EventsDeps) => setState(ctx, input, d, 'DISABLED');

/**
 * Deleting a rule that does not exist succeeds ("If you call delete rule multiple times for
 * the same rule, all calls will succeed"); one with targets is refused until they are removed
 * (Force is for managed rules only, which certtrail has none of).
 */
export async function deleteRule(ctx: RequestContext, input: { Name: string; EventBusName?: string; Force?: boolean }, d: EventsDeps) {
  const bus = resolveBus(ctx, input.EventBusName);
  await d.store.write(async (tx) => {
    const r = await tx.eventRules.get(ctx.principal.accountId, ctx.region, bus, input.Name);
    if (!r) return;
    // AWS: "Rule can't be deleted since it has targets."
    if (r.targets.length) throw ValidationException("Rule can't be deleted since it has targets.");
    await tx.eventRules.delete(r.accountId, r.region, r.eventBusName, r.name);
  });
  return {};
}
