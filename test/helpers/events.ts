/**
 * Reading the CloudTrail events a test server recorded, straight from its SQLite file, until
 * tests can use LookupEvents. The database is opened read-only for each read, so a test never
 * holds a lock the server needs and always sees what the server committed (WAL).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
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

function open(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'certtrail.db'), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Events in storage order (oldest first). */
export function eventsOf(dataDir: string, f: EventFilter = {}): StoredEvent[] {
  const db = open(dataDir);
  try {
    const where = ['seq > ?'];
    const args: unknown[] = [f.afterSeq ?? 0];
    if (f.eventName !== undefined) {
      where.push('event_name = ?');
      args.push(f.eventName);
    }
    const rows = db.prepare(`SELECT seq, event_id, event_name, event_time, record FROM events WHERE ${where.join(' AND ')} ORDER BY seq`).all(...args) as Row[];
    const out = rows.map((r) => ({ seq: r.seq, eventId: r.event_id, eventName: r.event_name, eventTime: r.event_time, record: JSON.parse(r.record), raw: r.record }));
    return f.requestId === undefined ? out : out.filter((e) => e.record.requestID === f.requestId);
  } finally {
    db.close();
  }
}

/** The newest storage position (0 when there are no events). */
export function lastSeq(dataDir: string): number {
  const db = open(dataDir);
  try {
    return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The first event matching the filter, polling until it is there. */
export async function waitForEvent(dataDir: string, f: EventFilter, timeoutMs = 5_000): Promise<StoredEvent> {
  return waitFor(async () => eventsOf(dataDir, f)[0], timeoutMs, 50);
}

/** Exactly one event matches the filter (now): returns it, or throws saying how many there were. */
export function onlyEvent(dataDir: string, f: EventFilter): StoredEvent {
  const found = eventsOf(dataDir, f);
  if (found.length !== 1) throw new Error(`expected exactly one event for ${JSON.stringify(f)}, found ${found.length}: ${found.map((e) => e.eventName).join(', ')}`);
  return found[0];
}
