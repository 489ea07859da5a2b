import type Database from 'better-sqlite3';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { BusEventRecord, BusInvocationRecord, DeadLetterRecord } from '../records.js';

/** The event bus tables on one SQLite connection (migration 0008). */
export function busRepository(db: Database.Database): Repositories['bus'] {
  const put = db.prepare('INSERT INTO bus_events (account_id, region, created_at, envelope) VALUES (?, ?, ?, ?)');
  const after = db.prepare<[number, number]>('SELECT * FROM bus_events WHERE seq > ? ORDER BY seq LIMIT ?');
  const last = db.prepare('SELECT coalesce(max(seq), 0) AS n FROM bus_events');
  const getState = db.prepare<[string]>('SELECT doc FROM bus_state WHERE name = ?');
  const putState = db.prepare('INSERT OR REPLACE INTO bus_state (name, doc) VALUES (?, ?)');
  const enqueue = db.prepare('INSERT OR IGNORE INTO bus_invocations (id, due_at, doc) VALUES (?, ?, ?)');
  const putInv = db.prepare('INSERT OR REPLACE INTO bus_invocations (id, due_at, doc) VALUES (?, ?, ?)');
  const delInv = db.prepare<[string]>('DELETE FROM bus_invocations WHERE id = ?');
  const due = db.prepare<[number, number]>('SELECT doc FROM bus_invocations WHERE due_at <= ? ORDER BY due_at, rowid LIMIT ?');
  const putDead = db.prepare('INSERT OR REPLACE INTO dead_letters (id, queue_arn, created_at, doc) VALUES (?, ?, ?, ?)');
  const deadAll = db.prepare('SELECT doc FROM dead_letters ORDER BY created_at, id');
  const deadQueue = db.prepare<[string]>('SELECT doc FROM dead_letters WHERE queue_arn = ? ORDER BY created_at, id');
  type Row = { seq: number; account_id: string; region: string; created_at: number; envelope: string };
  const row = (r: Row): BusEventRecord => ({ seq: r.seq, accountId: r.account_id, region: r.region, createdAt: new Date(r.created_at), envelope: r.envelope });
  const docs = <T>(rows: unknown[]) => rows.map((r) => decodeDoc<T>((r as { doc: string }).doc));
  return {
    async publish(events) {
      for (const e of events) put.run(e.accountId, e.region, e.createdAt.getTime(), e.envelope);
    },
    async after(seq, limit) {
      return (after.all(seq, limit) as Row[]).map(row);
    },
    async lastSeq() {
      return (last.get() as { n: number }).n;
    },
    async getState<T>(name: string) {
      const r = getState.get(name) as { doc: string } | undefined;
      return r ? decodeDoc<T>(r.doc) : undefined;
    },
    async putState(name, value) {
      putState.run(name, encodeDoc(value));
    },
    async enqueue(i: BusInvocationRecord) {
      enqueue.run(i.id, i.dueAt.getTime(), encodeDoc(i));
    },
    async putInvocation(i) {
      putInv.run(i.id, i.dueAt.getTime(), encodeDoc(i));
    },
    async deleteInvocation(id) {
      delInv.run(id);
    },
    async due(now, limit) {
      return docs<BusInvocationRecord>(due.all(now.getTime(), limit));
    },
    async putDeadLetter(d: DeadLetterRecord) {
      putDead.run(d.id, d.queueArn, d.createdAt.getTime(), encodeDoc(d));
    },
    async listDeadLetters(queueArn) {
      return docs<DeadLetterRecord>(queueArn ? deadQueue.all(queueArn) : deadAll.all());
    },
  };
}
