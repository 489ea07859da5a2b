import { DAY_MS } from '../../kernel/clock.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { EventRecord, LookupAttributeKey } from '../../storage/records.js';
import type { CloudTrailDeps } from './deps.js';
import {
  InvalidEventCategoryException, InvalidLookupAttributesException, InvalidMaxResultsException, InvalidTimeRangeException,
} from './errors.js';

interface LookupInput {
  LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
  StartTime?: Date;
  EndTime?: Date;
  EventCategory?: string;
  MaxResults?: number;
  NextToken?: string;
}

export const LOOKUP_KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];
/** With EventCategory=insight only these keys apply (LookupEvents doc). */
const INSIGHT_KEYS: readonly string[] = ['EventId', 'EventName', 'EventSource'];
/** Event history keeps 90 days (cloudtrail.md §6). */
export const LOOKUP_WINDOW_MS = 90 * DAY_MS;
const MAX_RESULTS = 50;

/** The model: "'_', ' ', ',', '\n' count as two characters towards the 2000 character limit." */
function attributeValueLength(v: string): number {
  let n = 0;
  for (const ch of v) n += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return n;
}

function lookupAttribute(input: LookupInput): { key: LookupAttributeKey; value: string } | undefined {
  const attrs = input.LookupAttributes ?? [];
  if (attrs.length > 1) throw InvalidLookupAttributesException('You can specify only one lookup attribute in a LookupEvents request.');
  const [a] = attrs;
  if (!a) return undefined;
  if (!(LOOKUP_KEYS as readonly string[]).includes(a.AttributeKey))
    throw InvalidLookupAttributesException(`Lookup attribute key '${a.AttributeKey}' is not valid. Valid keys: ${LOOKUP_KEYS.join(', ')}.`);
  const len = attributeValueLength(a.AttributeValue);
  if (len < 1 || len > 2000) throw InvalidLookupAttributesException('The lookup attribute value must be between 1 and 2000 characters long.');
  if (a.AttributeKey === 'ReadOnly' && a.AttributeValue !== 'true' && a.AttributeValue !== 'false')
    throw InvalidLookupAttributesException(`The value of the ReadOnly lookup attribute must be 'true' or 'false', not '${a.AttributeValue}'.`);
  if (input.EventCategory === 'insight' && !INSIGHT_KEYS.includes(a.AttributeKey))
    throw InvalidLookupAttributesException(`Lookup attribute ${a.AttributeKey} is not supported for Insights events. Use EventId, EventName or EventSource.`);
  return { key: a.AttributeKey as LookupAttributeKey, value: a.AttributeValue };
}

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/**
 * LookupEvents (cloudtrail.md §6): management events of the caller's account and region,
 * newest first, one attribute at most, inclusive StartTime/EndTime, never older than 90 days.
 * Event times have whole seconds (as the record's eventTime), so the bounds compare at that
 * granularity: an event shown at 12:00:05 is inside EndTime=12:00:05.
 */
export async function lookupEvents(ctx: RequestContext, input: LookupInput, d: CloudTrailDeps) {
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight')
    throw InvalidEventCategoryException(`Event category '${input.EventCategory}' is not valid. The only valid event category is 'insight'.`);
  const attribute = lookupAttribute(input);
  const limit = input.MaxResults ?? MAX_RESULTS;
  if (limit < 1 || limit > MAX_RESULTS) throw InvalidMaxResultsException(`MaxResults ${limit} is not valid: specify a value from 1 through ${MAX_RESULTS}.`);
  if (input.StartTime && input.EndTime && input.StartTime.getTime() > input.EndTime.getTime())
    throw InvalidTimeRangeException('Start time must be before or equal to end time.');

  const query = JSON.stringify([ctx.principal.accountId, ctx.region, attribute?.key, attribute?.value, input.StartTime?.getTime(), input.EndTime?.getTime(), input.EventCategory]);
  const before = d.cursor.position(input.NextToken, query);
  // certtrail records no Insights events: an insight lookup is valid and finds nothing.
  if (input.EventCategory === 'insight') return { Events: [] };

  const oldest = ctx.now.getTime() - LOOKUP_WINDOW_MS;
  const startTime = new Date(ceilSecond(Math.max(oldest, input.StartTime?.getTime() ?? oldest)));
  const endTime = input.EndTime ? new Date(floorSecond(input.EndTime.getTime()) + 999) : undefined;
  if (endTime && endTime < startTime) return { Events: [] };

  const rows = await d.store.read((tx) =>
    tx.events.lookup({ accountId: ctx.principal.accountId, region: ctx.region, attribute, startTime, endTime, before, limit: limit + 1 }),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const NextToken = rows.length > limit ? d.cursor.token({ time: last.eventTime.getTime(), seq: last.seq! }, query) : undefined;
  return { Events: page.map(toWireEvent), NextToken };
}

/** The Event shape: ReadOnly as a string, the record itself as CloudTrailEvent (a JSON string). */
export function toWireEvent(e: EventRecord) {
  return {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: e.readOnly ? 'true' : 'false',
    AccessKeyId: e.accessKeyId,
    EventTime: new Date(floorSecond(e.eventTime.getTime())),
    EventSource: e.eventSource,
    Username: e.username,
    Resources: e.resourceType || e.resourceName ? [{ ResourceType: e.resourceType, ResourceName: e.resourceName }] : [],
    CloudTrailEvent: e.record,
  };
}
