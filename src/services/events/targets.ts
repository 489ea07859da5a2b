import type { RequestContext } from '../../pipeline/context.js';
import type { EventTargetRecord } from '../../storage/records.js';
import type { EventsDeps } from './deps.js';
import { ValidationException, limitExceeded } from './errors.js';
import { targetShape } from './render.js';
import { findRule } from './rules.js';
import type { WireTarget } from './shapes.js';

/** "Each rule can have up to five (5) targets associated with it at one time" (PutTargets doc). */
export const MAX_TARGETS_PER_RULE = 5;

const TARGET_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+$/;
const KNOWN = new Set(['Id', 'Arn', 'RoleArn', 'Input', 'InputPath', 'InputTransformer', 'RetryPolicy', 'DeadLetterConfig', 'HttpParameters', 'SqsParameters']);

/** A target as given, checked the way PutTargets refuses the whole request. */
function toRecord(t: WireTarget): EventTargetRecord {
  // AWS: "Parameter foo is not valid. Reason: Provided Arn is not in correct format."
  if (!TARGET_ARN.test(t.Arn)) throw ValidationException(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  // AWS: "Parameter(s) SqsParameters must be specified for target: <id>."
  if (/^arn:[^:]+:sqs:/.test(t.Arn) && t.Arn.endsWith('.fifo') && !t.SqsParameters)
    throw ValidationException(`Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
  // Input, InputPath and InputTransformer are mutually exclusive (Target doc); the messages are ours.
  if ([t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length > 1)
    throw ValidationException(`Parameter(s) Input, InputPath and InputTransformer are mutually exclusive for target: ${t.Id}.`);
  if (t.Input !== undefined && !isJson(t.Input)) throw ValidationException(`Parameter Input is not valid. Reason: Input for target ${t.Id} is not valid JSON.`);
  if (t.InputPath !== undefined && t.InputPath !== '' && !t.InputPath.startsWith('$'))
    throw ValidationException(`Parameter InputPath is not valid. Reason: InputPath for target ${t.Id} is not a JSON path.`);
  for (const [k, path] of Object.entries(t.InputTransformer?.InputPathsMap ?? {})) {
    if (!path.startsWith('$')) throw ValidationException(`Parameter InputPathsMap is not valid. Reason: The path of ${k} for target ${t.Id} is not a JSON path.`);
  }
  const other = Object.fromEntries(Object.entries(t).filter(([k, v]) => !KNOWN.has(k) && v !== undefined));
  return {
    id: t.Id,
    arn: t.Arn,
    roleArn: t.RoleArn,
    input: t.Input,
    inputPath: t.InputPath,
    inputTransformer: t.InputTransformer && { inputPathsMap: t.InputTransformer.InputPathsMap, inputTemplate: t.InputTransformer.InputTemplate },
    retryPolicy: t.RetryPolicy && { maximumRetryAttempts: t.RetryPolicy.MaximumRetryAttempts, maximumEventAgeInSeconds: t.RetryPolicy.MaximumEventAgeInSeconds },
    deadLetterConfig: t.DeadLetterConfig && { arn: t.DeadLetterConfig.Arn },
    httpParameters: t.HttpParameters && {
      pathParameterValues: t.HttpParameters.PathParameterValues,
      headerParameters: t.HttpParameters.HeaderParameters,
      queryStringParameters: t.HttpParameters.QueryStringParameters,
    },
    sqsParameters: t.SqsParameters && { messageGroupId: t.SqsParameters.MessageGroupId },
    otherParameters: Object.keys(other).length ? other : undefined,
  };
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds targets, or replaces those with the same Id, keeping the rule's order. Going over five
 * targets is refused as a whole (LimitExceededException), as are malformed targets; nothing
 * here fails one entry alone, so FailedEntryCount is 0.
 */
export async function putTargets(ctx: RequestContext, input: { Rule: string; EventBusName?: string; Targets: WireTarget[] }, d: EventsDeps) {
  const given = input.Targets.map(toRecord);
  await d.store.write(async (tx) => {
    const rule = await findRule(tx, ctx, input.Rule, input.EventBusName);
    const targets = [...rule.targets];
    for (const t of given) {
      const at = targets.findIndex((x) => x.id === t.id);
      if (at >= 0) targets[at] = t;
      else targets.push(t);
    }
    if (targets.length > MAX_TARGETS_PER_RULE) throw limitExceeded();
    await tx.eventRules.put({ ...rule, targets, updatedAt: ctx.now });
  });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

/** Ids the rule does not have are not an error: they are not its targets afterwards either. */
export async function removeTargets(ctx: RequestContext, input: { Rule: string; EventBusName?: string; Ids: string[]; Force?: boolean }, d: EventsDeps) {
  await d.store.write(async (tx) => {
    const rule = await findRule(tx, ctx, input.Rule, input.EventBusName);
    const targets = rule.targets.filter((t) => !input.Ids.includes(t.id));
    if (targets.length !== rule.targets.length) await tx.eventRules.put({ ...rule, targets, updatedAt: ctx.now });
  });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function listTargetsByRule(ctx: RequestContext, input: { Rule: string; EventBusName?: string; NextToken?: string; Limit?: number }, d: EventsDeps) {
  const rule = await d.store.read((tx) => findRule(tx, ctx, input.Rule, input.EventBusName));
  // Targets keep the order they were added in; the page position is the count already shown.
  const query = `ListTargetsByRule\0${rule.arn}`;
  const named = rule.targets.map((t, i) => ({ name: String(i).padStart(4, '0'), t }));
  const page = d.paging.page(named, input.NextToken, input.Limit, query);
  return { Targets: page.items.map((x) => targetShape(x.t)), NextToken: page.next };
}
