import { isoSeconds } from '../../kernel/clock.js';
import type { RequestContext } from '../../pipeline/context.js';
import { resolveBus } from './bus.js';
import type { BusEventInput, EventEnvelope, EventsDeps } from './deps.js';
import { ValidationException } from './errors.js';

/** "The total entry size must be less than 256KB" (PutEvents doc). */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

export interface WireEntry {
  Time?: Date;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

export interface ResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/**
 * An entry's size as AWS counts it ("Calculating PutEvents event entry size"): 14 bytes for a
 * Time, and the UTF-8 bytes of Source, DetailType, Detail and each resource.
 */
export function entrySize(e: WireEntry): number {
  let n = e.Time ? 14 : 0;
  for (const s of [e.Source, e.DetailType, e.Detail, ...(e.Resources ?? [])]) if (s) n += Buffer.byteLength(s, 'utf8');
  return n;
}

/**
 * Why AWS fails one entry, in AWS's order and words (moto and localstack, checked against AWS):
 * a missing Source, DetailType or Detail is InvalidArgument; a Detail that is not a JSON
 * object MalformedDetail; a source in AWS's namespace (`aws.`) NotAuthorizedForSourceException.
 */
export function entryError(e: WireEntry): { ErrorCode: string; ErrorMessage: string } | { detail: Record<string, unknown> } {
  for (const member of ['Source', 'DetailType', 'Detail'] as const)
    if (!e[member]) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.` };
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail!);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  if (e.Source!.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  return { detail: detail as Record<string, unknown> };
}

const iso = isoSeconds;

/**
 * Each entry succeeds or fails alone: failed ones get ErrorCode and ErrorMessage in their place
 * of Entries and count in FailedEntryCount, the others an EventId and go on the bus. Only an
 * oversized request fails as a whole. An entry for a bus other than the account's default one
 * gets its EventId but reaches no rule (AWS accepts events for buses it then drops them from).
 */
export async function putEvents(ctx: RequestContext, input: { Entries: WireEntry[]; EndpointId?: string }, d: EventsDeps) {
  if (input.Entries.reduce((n, e) => n + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES)
    // AWS: "Total size of the entries in the request is over the limit."
    throw ValidationException('Total size of the entries in the request is over the limit.');
  const account = ctx.principal.accountId;
  const Entries: ResultEntry[] = [];
  const accepted: BusEventInput[] = [];
  for (const e of input.Entries) {
    const checked = entryError(e);
    if (!('detail' in checked)) {
      Entries.push(checked);
      continue;
    }
    const id = d.ids.uuid();
    Entries.push({ EventId: id });
    let onDefault = true;
    try {
      resolveBus(ctx, e.EventBusName);
    } catch {
      onDefault = false;
    }
    if (!onDefault) continue;
    const envelope: EventEnvelope = {
      version: '0',
      id,
      'detail-type': e.DetailType!,
      source: e.Source!,
      account,
      time: iso(e.Time ?? ctx.now),
      region: ctx.region,
      resources: e.Resources ?? [],
      detail: checked.detail,
    };
    accepted.push({ accountId: account, region: ctx.region, envelope });
  }
  const out = { FailedEntryCount: Entries.filter((x) => x.ErrorCode).length, Entries };
  await d.store.write(async (tx) => {
    if (accepted.length && d.publish) await d.publish(accepted, tx);
    return out;
  });
  if (accepted.length) d.wakeBus?.();
  return out;
}
