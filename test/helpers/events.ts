/**
 * Reading the CloudTrail events a test server recorded, straight from its database, until tests
 * can use LookupEvents: its SQLite file, or the PostgreSQL schema its `database-url` names. Each
 * read opens its own connection (SQLite read-only), so a test never holds a lock the server needs
 * and always sees what the server committed.
 */
import { queryDatabase } from './backend.ts';
import { waitFor } from './server.ts';

export interface StoredEvent {
  seq: number;
  eventId: string;
  eventName: string;
  /** The row's event_time (ms). */
  eventTime: number;
  /** The CloudTrail record, parsed. */
  record: Record<string, any>;
  /** The record exactly as stored. */
  raw: string;
}

export interface EventFilter {
  eventName?: string;
  /** Only events stored after this position (see lastSeq). */
  afterSeq?: number;
  /** The record's requestID. */
  requestId?: string;
}

interface Row {
  seq: number;
  event_id: string;
  event_name: string;
  event_time: number;
  record: string;
}

/** Events in storage order (oldest first). */
export async function eventsOf(dataDir: string, f: EventFilter = {}): Promise<StoredEvent[]> {
  const where = ['seq > ?'];
  const args: unknown[] = [f.afterSeq ?? 0];
  if (f.eventName !== undefined) {
    where.push('event_name = ?');
    args.push(f.eventName);
  }
  const rows = await queryDatabase<Row>(dataDir, `SELECT seq, event_id, event_name, event_time, record FROM events WHERE ${where.join(' AND ')} ORDER BY seq`, args);
  const out = rows.map((r) => ({ seq: r.seq, eventId: r.event_id, eventName: r.event_name, eventTime: r.event_time, record: JSON.parse(r.record), raw: r.record }));
  return f.requestId === undefined ? out : out.filter((e) => e.record.requestID === f.requestId);
}

/** The newest storage position (0 when there are no events). */
export async function lastSeq(dataDir: string): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(dataDir, 'SELECT coalesce(max(seq), 0) AS n FROM events', []);
  return row!.n;
}

/** The first event matching the filter, polling until it is there. */
export async function waitForEvent(dataDir: string, f: EventFilter, timeoutMs = 5_000): Promise<StoredEvent> {
  return waitFor(async () => (await eventsOf(dataDir, f))[0], timeoutMs, 50);
}

/** Exactly one event matches the filter (now): returns it, or throws saying how many there were. */
export async function onlyEvent(dataDir: string, f: EventFilter): Promise<StoredEvent> {
  const found = await eventsOf(dataDir, f);
  if (found.length !== 1) throw new Error(`expected exactly one event for ${JSON.stringify(f)}, found ${found.length}: ${found.map((e) => e.eventName).join(', ')}`);
  return found[0]!;
}
