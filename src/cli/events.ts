import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { systemIds } from '../kernel/ids.js';
import { cloudTrailEnvelope } from '../services/events/envelope.js';
import { InvalidEventPatternError, matches as patternMatches, parsePattern, type Pattern } from '../services/events/pattern.js';
import { DEFAULT_ACCOUNT } from '../services/identity/admin.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/ports.js';
import type { EventQuery, EventRecord, LookupAttributeKey } from '../storage/records.js';
import { eventCells, formatRow, tableHeader, tableWidths } from './event-table.js';

export const EVENTS_USAGE =
  'usage: certtrail events [--max N] [--follow] [--table] [--account-id ID] [--region R] [--lookup-attribute Key=Value] [--start-time ISO-8601] [--end-time ISO-8601] [--pattern EVENT-PATTERN-JSON]';

const DEFAULT_MAX = 20;
const POLL_MS = 250;
const PAGE = 1000;

/** Where each LookupEvents attribute lives on a stored event, to filter followed events the way the store filters lookups. */
const ATTRIBUTES: Record<LookupAttributeKey, (e: EventRecord) => string | undefined> = {
  EventId: (e) => e.eventId,
  EventName: (e) => e.eventName,
  ReadOnly: (e) => String(e.readOnly),
  Username: (e) => e.username,
  ResourceType: (e) => e.resourceType,
  ResourceName: (e) => e.resourceName,
  EventSource: (e) => e.eventSource,
  AccessKeyId: (e) => e.accessKeyId,
};

class UsageError extends Error {}

type Filter = Omit<EventQuery, 'limit' | 'before'>;

interface Options {
  max: number;
  follow: boolean;
  table: boolean;
  filter: Filter;
  /** An EventBridge event pattern the event's "AWS API Call via CloudTrail" event must match. */
  pattern?: Pattern;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;

/**
 * Records show eventTime to the second, so bounds compare at that granularity, as LookupEvents
 * does: an --end-time copied from a record includes that record although it was stored a few
 * milliseconds later, and a start of 12:00:05.3 excludes what shows as 12:00:05.
 */
function time(name: string, v: string | undefined, edge: 'start' | 'end'): Date | undefined {
  if (v === undefined) return undefined;
  const m = ISO_8601.exec(v);
  const [y, mo, d] = v.split(/[-T ]/i).map(Number) as [number, number, number];
  // Date.parse rolls February 30 over into March; a typo should not move the window.
  const real = m && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  // A time without a zone is UTC, like every time in a record (JavaScript would take it as local).
  const t = real ? Date.parse(m[1] && !m[4] ? v + 'Z' : v) : NaN;
  if (Number.isNaN(t)) throw new UsageError(`${name} must be an ISO-8601 time (2026-01-31T12:00:00Z), got '${v}'`);
  return new Date(edge === 'start' ? Math.ceil(t / 1000) * 1000 : Math.floor(t / 1000) * 1000 + 999);
}

/** The CloudTrail model counts '_', ' ', ',' and newline twice towards the 2000-character limit. */
function attributeValueLength(v: string): number {
  let n = 0;
  for (const ch of v) n += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return n;
}

function parse(args: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        max: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        table: { type: 'boolean' },
        'account-id': { type: 'string' },
        region: { type: 'string' },
        'lookup-attribute': { type: 'string', multiple: true },
        'start-time': { type: 'string' },
        'end-time': { type: 'string' },
        pattern: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    // Node's messages go on to explain `--` at length; the first sentence is the problem.
    throw new UsageError((e as Error).message.split(/\.\s/)[0]);
  }
  if (values.help) return 'help';

  const maxText = values.max ?? String(DEFAULT_MAX);
  const max = /^\d{1,15}$/.test(maxText) ? Number(maxText) : NaN;
  if (Number.isNaN(max)) throw new UsageError(`--max must be a whole number (0 with --follow shows only new events), got '${maxText}'`);

  const accountId = values['account-id'] ?? DEFAULT_ACCOUNT;
  if (!/^\d{12}$/.test(accountId)) throw new UsageError(`--account-id must be 12 digits, got '${accountId}'`);
  // Any region a client signed for is stored as given, so only an empty one is certainly wrong.
  const region = values.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1');
  if (!region) throw new UsageError('--region must not be empty');

  const filter: Filter = { accountId, region };
  const attrs = values['lookup-attribute'] ?? [];
  if (attrs.length > 1) throw new UsageError('only one --lookup-attribute is allowed, as in LookupEvents');
  if (attrs.length === 1) {
    const [text] = attrs as [string];
    const eq = text.indexOf('=');
    const key = text.slice(0, eq);
    const value = text.slice(eq + 1);
    if (eq < 0 || !Object.hasOwn(ATTRIBUTES, key))
      throw new UsageError(`--lookup-attribute must be Key=Value with Key one of ${Object.keys(ATTRIBUTES).join(', ')}; got '${text}'`);
    if (value === '' || attributeValueLength(value) > 2000) throw new UsageError('--lookup-attribute value must be 1 to 2000 characters');
    // Refused as LookupEvents refuses it: the store would silently read anything but "true" as false.
    if (key === 'ReadOnly' && value !== 'true' && value !== 'false') throw new UsageError(`ReadOnly takes true or false, got '${value}'`);
    filter.attribute = { key: key as LookupAttributeKey, value };
  }
  filter.startTime = time('--start-time', values['start-time'], 'start');
  filter.endTime = time('--end-time', values['end-time'], 'end');
  if (filter.startTime && filter.endTime && filter.startTime > filter.endTime) throw new UsageError('--start-time is after --end-time');
  let pattern: Pattern | undefined;
  if (values.pattern !== undefined) {
    try {
      pattern = parsePattern(values.pattern);
    } catch (e) {
      // EventBridge's own message (PutRule would answer InvalidEventPatternException with it).
      if (e instanceof InvalidEventPatternError) throw new UsageError(`--pattern: ${e.message}`);
      throw e;
    }
  }
  return { max, follow: values.follow ?? false, table: values.table ?? false, filter, pattern };
}

/** Whether a stored event's EventBridge event matches the pattern (matched as a rule sees it). */
function patternFilter(pattern: Pattern | undefined): ((e: EventRecord) => boolean) | undefined {
  if (!pattern) return undefined;
  return (e) => patternMatches(pattern, cloudTrailEnvelope(JSON.parse(e.record) as object, systemIds.uuid()));
}

function matches(e: EventRecord, f: Filter): boolean {
  if (e.accountId !== f.accountId || e.region !== f.region) return false;
  if (f.attribute && ATTRIBUTES[f.attribute.key](e) !== f.attribute.value) return false;
  if (f.startTime && e.eventTime < f.startTime) return false;
  if (f.endTime && e.eventTime > f.endTime) return false;
  return true;
}

/** The newest `max` matching events (and, with `keep`, kept), oldest first. */
async function newest(store: Store, filter: Filter, max: number, keep?: (e: EventRecord) => boolean): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  let before: EventQuery['before'];
  while (out.length < max) {
    // Kept events are found a page at a time; without a test, exactly as many as are missing.
    const limit = keep ? PAGE : Math.min(PAGE, max - out.length);
    const page = await store.read((tx) => tx.events.lookup({ ...filter, before, limit }));
    out.push(...(keep ? page.filter(keep) : page));
    if (page.length < limit) break;
    const last = page[page.length - 1]!;
    before = { time: last.eventTime.getTime(), seq: last.seq! };
  }
  return out.slice(0, max).reverse();
}

/** certtrail events [--max N] [--follow] [--table] [filters] [--pattern JSON] */
export async function events(args: string[]): Promise<void> {
  let opts: Options | 'help';
  try {
    opts = parse(args);
  } catch (e) {
    if (e instanceof UsageError) throw new Error(`${e.message}\n${EVENTS_USAGE}`);
    throw e;
  }
  if (opts === 'help') {
    process.stdout.write(EVENTS_USAGE + '\n');
    return;
  }
  const { max, follow, table, filter } = opts;
  const keep = patternFilter(opts.pattern);

  const config = loadConfig();
  // Opening a SQLite store would create an empty database (and data dir) for a mistyped path.
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'certtrail.db')))
    throw new Error(`no certtrail database in ${config.dataDir}: check CERTTRAIL_DATA_DIR, or start the server (npm start) first`);
  // Events carry no secrets, so unlike the other commands this one needs no master key.
  const store = await openStore(config);

  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  if (follow) {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
  // A reader that went away (`| head`) is a normal end of watching, not an error.
  const onPipeError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stop();
  };
  process.stdout.on('error', onPipeError);

  const write = (rows: EventRecord[], widths?: number[]) => {
    if (!rows.length || stopped) return;
    const lines = rows.map((e) => (widths ? formatRow(eventCells(e), widths) : e.record));
    process.stdout.write(lines.join('\n') + '\n');
  };

  try {
    // The follow cursor is taken before the lookup: an event committed in between is then either
    // among those shown (skipped when the follower reaches it) or printed by the follower.
    const cursorAtStart = await store.read((tx) => tx.events.lastSeq());
    const shown = max > 0 ? await newest(store, filter, max, keep) : [];
    let widths: number[] | undefined;
    if (table) {
      widths = tableWidths(shown.map(eventCells), follow);
      process.stdout.write(tableHeader(widths) + '\n');
    }
    write(shown, widths);
    if (!follow) return;

    const alreadyShown = new Set(shown.filter((e) => e.seq! > cursorAtStart).map((e) => e.seq!));
    let cursor = cursorAtStart;
    while (!stopped) {
      const batch = await store.read((tx) => tx.events.after(cursor, PAGE));
      if (batch.length) cursor = batch[batch.length - 1]!.seq!;
      write(batch.filter((e) => !alreadyShown.delete(e.seq!) && matches(e, filter) && (!keep || keep(e))), widths);
      if (batch.length === PAGE) continue;
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', onPipeError);
    await store.close();
  }
}
