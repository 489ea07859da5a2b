import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DocCache } from '../doc-cache.js';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories, Store } from '../ports.js';
import type { CertificateRecord, EventRecord } from '../records.js';
import { caRow, certificateDoc, date, EVENT_COLUMNS, eventRow, ms, type Row } from '../rows.js';
import { CertificateCache } from './cert-cache.js';
import { busRepository } from './bus-repo.js';
import { deliveriesRepository } from './deliveries-repo.js';
import { digestKeysRepository } from './digest-keys-repo.js';
import { apiDestinationsRepository, eventConnectionsRepository, eventRulesRepository } from './eventbridge-repo.js';
import { trailsRepository } from './trails-repo.js';
import {
  accessKeysRepository, iamAttachmentsRepository, iamGroupsRepository, iamInlinePoliciesRepository, iamPoliciesRepository, iamRolesRepository, usersRepository,
} from './iam-repo.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Embedded SQLite. better-sqlite3 is synchronous, so each `write` holds the single connection
 * for its whole callback (a promise chain serialises writers) inside BEGIN IMMEDIATE…COMMIT.
 * WAL with synchronous=FULL: a COMMIT that returned is on disk, so an acknowledged call
 * survives a crash.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** A second connection for reads, so a read never sees a write transaction still in flight. */
  private readonly reader?: Database.Database;
  private readonly repos: Repositories;
  private readonly readRepos: Repositories;
  private queue: Promise<unknown> = Promise.resolve();
  private eventWorker?: EventAppender;
  private readonly file: string;
  private readonly synchronous: 'FULL' | 'NORMAL';
  /** Only with a separate read connection: see cert-cache.ts. */
  private readonly certCache?: CertificateCache;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL' = 'FULL') {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    if (file !== ':memory:') {
      this.reader = new Database(file, { readonly: true });
      this.reader.pragma('busy_timeout = 5000');
      this.certCache = new CertificateCache();
    }
    this.repos = repositories(this.db, this.certCache && { cache: this.certCache, fills: false });
    this.readRepos = this.reader ? repositories(this.reader, this.certCache && { cache: this.certCache, fills: true }) : this.repos;
    this.file = file;
    this.synchronous = synchronous;
  }

  async appendEvents(events: EventRecord[]): Promise<void> {
    // The writer thread starts with the first event: a CLI that only reads never pays for it.
    if (this.file !== ':memory:') return (this.eventWorker ??= new EventAppender(this.file, this.synchronous)).append(events);
    await this.write(async (tx) => {
      for (const e of events) await tx.events.put(e);
    });
  }

  async read<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return fn(this.readRepos);
  }

  write<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.repos);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        this.certCache?.settled();
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.eventWorker?.close();
    this.reader?.close();
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set((db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name));
  for (const f of readdirSync(MIGRATIONS).filter((n) => n.endsWith('.sql')).sort()) {
    if (done.has(f)) continue;
    db.transaction(() => {
      db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'));
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(f, Date.now());
    }).immediate();
  }
}


/**
 * `certs`: the certificate cache; the read connection's repositories use and fill it, the write
 * connection's invalidate it (cert-cache.ts).
 */
function repositories(db: Database.Database, certs?: { cache: CertificateCache; fills: boolean }): Repositories {
  const certCache = certs?.fills ? certs.cache : undefined;
  const q = <P extends unknown[] = unknown[]>(sql: string) => db.prepare<P>(sql);
  const s = {
    accountGet: q('SELECT * FROM accounts WHERE account_id = ?'),
    accountPut: q('INSERT OR REPLACE INTO accounts (account_id, created_at) VALUES (?, ?)'),
    accountList: q('SELECT * FROM accounts ORDER BY created_at, account_id'),
    certGet: q('SELECT doc, private_key_sealed, certificate_pem, chain_pem FROM certificates WHERE account_id = ? AND region = ? AND id = ?'),
    certExists: q('SELECT 1 FROM certificates WHERE arn = ?'),
    certPut: q('INSERT OR REPLACE INTO certificates (account_id, region, id, arn, status, type, created_at, issuer_ca_id, doc, private_key_sealed, certificate_pem, chain_pem, renewal_status, not_after, serial, update_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    certBySerial: q('SELECT c.doc, c.private_key_sealed, c.certificate_pem, c.chain_pem FROM certificate_serials s JOIN certificates c ON c.account_id = s.account_id AND c.region = s.region AND c.id = s.id WHERE s.issuer_ca_id = ? AND s.serial = ?'),
    serialPut: q('INSERT OR IGNORE INTO certificate_serials VALUES (?, ?, ?, ?, ?)'),
    certRequestLog: q('INSERT INTO certificate_requests (account_id, region, kind, created_at) VALUES (?, ?, ?, ?)'),
    certDelete: q('DELETE FROM certificates WHERE account_id = ? AND region = ? AND id = ?'),
    certList: q('SELECT doc FROM certificates WHERE account_id = ? AND region = ? ORDER BY created_at, id'),
    certCountTypes: q('SELECT type, count(*) AS n FROM certificates WHERE account_id = ? AND region = ? GROUP BY type'),
    certExpiring: q("SELECT doc FROM certificates WHERE status = 'ISSUED' AND not_after <= ? ORDER BY not_after LIMIT ?"),
    certDue: q("SELECT doc FROM certificates WHERE status = 'ISSUED' AND (renewal_status = 'PENDING_AUTO_RENEWAL' OR update_status = 'PENDING_DOMAIN_VALIDATION' OR not_after < ?) ORDER BY created_at LIMIT ?"),
    certCount: q('SELECT count(*) AS n FROM certificate_requests WHERE account_id = ? AND region = ? AND kind = ? AND created_at >= ?'),
    certRevoked: q("SELECT doc FROM certificates WHERE issuer_ca_id = ? AND status = 'REVOKED'"),
    caGet: q('SELECT doc, private_key_sealed FROM certificate_authorities WHERE id = ?'),
    caByKind: q('SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = ? LIMIT 1'),
    caPrivate: q("SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = 'private' AND account_id = ? AND region = ?"),
    caPut: q('INSERT OR REPLACE INTO certificate_authorities (id, kind, account_id, region, doc, private_key_sealed) VALUES (?, ?, ?, ?, ?, ?)'),
    caListAll: q('SELECT doc, private_key_sealed FROM certificate_authorities ORDER BY kind, id'),
    caListAccount: q("SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = 'private' AND account_id = ? ORDER BY region"),
    idemGet: q('SELECT * FROM idempotency_tokens WHERE scope = ? AND token = ? AND expires_at > ?'),
    idemPut: q('INSERT OR REPLACE INTO idempotency_tokens (scope, token, request_hash, result, expires_at) VALUES (?, ?, ?, ?, ?)'),
    idemPurge: q('DELETE FROM idempotency_tokens WHERE expires_at <= ?'),
    evPut: q('INSERT INTO events (event_id, account_id, region, event_time, event_source, event_name, read_only, username, access_key_id, resource_type, resource_name, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    evAfter: q('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    evLast: q('SELECT coalesce(max(seq), 0) AS n FROM events'),
    cfgGet: q('SELECT * FROM account_configurations WHERE account_id = ? AND region = ?'),
    cfgPut: q('INSERT OR REPLACE INTO account_configurations (account_id, region, days_before_expiry) VALUES (?, ?, ?)'),
  };

  const stmtCache = new Map<string, Database.Statement>();
  const cached = (sql: string) => {
    let st = stmtCache.get(sql);
    if (!st) stmtCache.set(sql, (st = db.prepare(sql)));
    return st;
  };
  // Decoded certificates by document text (see DocCache): rows read without their PEMs and key
  // (listings), and whole rows (get), whose other columns must match as well.
  const certDocs = new DocCache<CertificateRecord>(4096);
  const certRows = new DocCache<CertificateRecord>(1024);
  const cert = (r: Row | undefined): CertificateRecord | undefined => {
    if (!r) return undefined;
    const key: Buffer | undefined = r.private_key_sealed || undefined;
    const pem: string | undefined = r.certificate_pem || undefined;
    const chain: string | undefined = r.chain_pem || undefined;
    const build = () => {
      const c = decodeDoc<CertificateRecord>(r.doc);
      if (key) c.privateKeySealed = key;
      if (pem) c.certificatePem = pem;
      if (chain) c.chainPem = chain;
      return c;
    };
    if (!key && !pem && !chain) return certDocs.get(r.doc, build);
    return certRows.get(r.doc, build, (c) => c.certificatePem === pem && c.chainPem === chain && (key ? c.privateKeySealed !== undefined && key.equals(c.privateKeySealed) : c.privateKeySealed === undefined));
  };
  const withoutKey = <T extends { privateKeySealed?: Buffer }>(x: T) => {
    const { privateKeySealed: _k, ...rest } = x;
    return rest;
  };

  return {
    accounts: {
      async get(id) {
        const r = s.accountGet.get(id) as Row | undefined;
        return r && { accountId: r.account_id, createdAt: date(r.created_at) };
      },
      async put(a) {
        s.accountPut.run(a.accountId, ms(a.createdAt));
      },
      async list() {
        return (s.accountList.all() as Row[]).map((r) => ({ accountId: r.account_id, createdAt: date(r.created_at) }));
      },
    },
    users: usersRepository(db),
    accessKeys: accessKeysRepository(db),
    iamGroups: iamGroupsRepository(db),
    iamRoles: iamRolesRepository(db),
    iamPolicies: iamPoliciesRepository(db),
    iamInlinePolicies: iamInlinePoliciesRepository(db),
    iamAttachments: iamAttachmentsRepository(db),
    certificates: {
      async get(accountId, region, id) {
        const hit = certCache?.getRow(accountId, region, id);
        if (hit) return hit;
        const c = cert(s.certGet.get(accountId, region, id) as Row | undefined);
        if (c && certCache) certCache.setRow(accountId, region, id, c);
        return c;
      },
      async put(c) {
        certs?.cache.changed(c.accountId, c.region, c.id);
        if (!s.certExists.get(c.arn)) s.certRequestLog.run(c.accountId, c.region, c.type === 'IMPORTED' ? 'imported' : 'requested', ms(c.createdAt));
        s.certPut.run(c.accountId, c.region, c.id, c.arn, c.status, c.type, ms(c.createdAt), c.issuerCaId ?? null, encodeDoc(certificateDoc(c)), c.privateKeySealed ?? null,
          c.certificatePem ?? null, c.chainPem ?? null, c.renewal?.status ?? null, c.facts ? ms(c.facts.notAfter) : null, c.facts?.serial ?? null, c.update?.status ?? null);
        if (c.issuerCaId && c.facts) s.serialPut.run(c.issuerCaId, c.facts.serial, c.accountId, c.region, c.id);
      },
      async delete(accountId, region, id) {
        certs?.cache.changed(accountId, region, id);
        s.certDelete.run(accountId, region, id);
      },
      async list(accountId, region) {
        // A frozen array when cached: callers filter and map it, never change it.
        const hit = certCache?.getList(accountId, region);
        if (hit) return hit as CertificateRecord[];
        const all = (s.certList.all(accountId, region) as Row[]).map((r) => cert(r)!);
        return certCache ? (certCache.setList(accountId, region, all) as CertificateRecord[]) : all;
      },
      async countByType(accountId, region, types) {
        let n = 0;
        for (const r of s.certCountTypes.all(accountId, region) as Row[]) if (types.includes(r.type)) n += r.n;
        return n;
      },
      async listExpiringBefore(before, limit) {
        return (s.certExpiring.all(ms(before), limit) as Row[]).map((r) => cert(r)!);
      },
      async listDue(now, limit) {
        return (s.certDue.all(ms(now), limit) as Row[]).map((r) => cert(r)!);
      },
      async countCreatedSince(accountId, region, type, since) {
        return (s.certCount.get(accountId, region, type, ms(since)) as Row).n as number;
      },
      async listByStatus(statuses, limit) {
        const rows = cached(`SELECT doc FROM certificates WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY created_at LIMIT ?`).all(...statuses, limit) as Row[];
        return rows.map((r) => cert(r)!);
      },
      async getBySerial(caId, serial) {
        return cert(s.certBySerial.get(caId, serial) as Row | undefined);
      },
      async listRevokedByIssuer(caId) {
        return (s.certRevoked.all(caId) as Row[]).map((r) => cert(r)!);
      },
    },
    cas: {
      async get(id) {
        return caRow(s.caGet.get(id) as Row | undefined);
      },
      async getByKind(kind) {
        return caRow(s.caByKind.get(kind) as Row | undefined);
      },
      async getPrivate(accountId, region) {
        return caRow(s.caPrivate.get(accountId, region) as Row | undefined);
      },
      async put(c) {
        s.caPut.run(c.id, c.kind, c.accountId ?? null, c.region ?? null, encodeDoc(withoutKey(c)), c.privateKeySealed);
      },
      async list(accountId) {
        const rows = (accountId ? s.caListAccount.all(accountId) : s.caListAll.all()) as Row[];
        return rows.map((r) => caRow(r)!);
      },
    },
    idempotency: {
      async get(scope, token, now) {
        const r = s.idemGet.get(scope, token, ms(now)) as Row | undefined;
        return r && { scope: r.scope, token: r.token, requestHash: r.request_hash, result: r.result, expiresAt: date(r.expires_at) };
      },
      async put(r) {
        s.idemPurge.run(ms(r.expiresAt) - 2 * 3600_000);
        s.idemPut.run(r.scope, r.token, r.requestHash, r.result, ms(r.expiresAt));
      },
    },
    events: {
      async put(e) {
        s.evPut.run(e.eventId, e.accountId, e.region, ms(e.eventTime), e.eventSource, e.eventName, e.readOnly ? 1 : 0, e.username ?? null, e.accessKeyId ?? null, e.resourceType ?? null, e.resourceName ?? null, e.record);
      },
      async lookup(qy) {
        const where = ['account_id = ?', 'region = ?'];
        const args: unknown[] = [qy.accountId, qy.region];
        if (qy.attribute) {
          const col = EVENT_COLUMNS[qy.attribute.key];
          where.push(`${col} = ?`);
          args.push(qy.attribute.key === 'ReadOnly' ? (qy.attribute.value === 'true' ? 1 : 0) : qy.attribute.value);
        }
        if (qy.startTime) { where.push('event_time >= ?'); args.push(ms(qy.startTime)); }
        if (qy.endTime) { where.push('event_time <= ?'); args.push(ms(qy.endTime)); }
        // A row value keeps the cursor inside the index range; the OR form scanned every newer row.
        if (qy.before) { where.push('(event_time, seq) < (?, ?)'); args.push(qy.before.time, qy.before.seq); }
        const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY event_time DESC, seq DESC LIMIT ?`;
        return (cached(sql).all(...args, qy.limit) as Row[]).map(eventRow);
      },
      async after(seq, limit) {
        return (s.evAfter.all(seq, limit) as Row[]).map(eventRow);
      },
      async lastSeq() {
        return (s.evLast.get() as Row).n as number;
      },
    },
    trails: trailsRepository(db),
    deliveries: deliveriesRepository(db),
    bus: busRepository(db),
    digestKeys: digestKeysRepository(db),
    eventRules: eventRulesRepository(db),
    eventConnections: eventConnectionsRepository(db),
    apiDestinations: apiDestinationsRepository(db),
    accountConfig: {
      async get(accountId, region) {
        const r = s.cfgGet.get(accountId, region) as Row | undefined;
        return r && { accountId: r.account_id, region: r.region, daysBeforeExpiry: r.days_before_expiry };
      },
      async put(c) {
        s.cfgPut.run(c.accountId, c.region, c.daysBeforeExpiry);
      },
    },
  };
}

/**
 * A batch of events as one string for the writer thread: cloning one string into the worker is a
 * copy, where an array of objects is a walk of every member. Each event is its columns in
 * event-worker.mjs's order, each text as `<length>:<text>` (so any content is safe), `~` for
 * none, the time in epoch ms as text and read-only as one digit.
 */
export function packEvents(events: EventRecord[]): string {
  const f = (v: string | undefined) => (v === undefined || v === null ? '~' : `${v.length}:${v}`);
  let s = '';
  for (const e of events) {
    s += `${f(e.eventId)}${f(e.accountId)}${f(e.region)}${f(String(e.eventTime.getTime()))}${f(e.eventSource)}${f(e.eventName)}${e.readOnly ? '1' : '0'}`;
    s += `${f(e.username)}${f(e.accessKeyId)}${f(e.resourceType)}${f(e.resourceName)}${f(e.record)}`;
  }
  return s;
}

/**
 * The parent side of event-worker.mjs: each batch is acknowledged after the COMMIT that holds it.
 * Batches may queue up behind a commit (EventWriter keeps up to two outstanding); the thread
 * commits those that did together.
 */
class EventAppender {
  private readonly worker: Worker;
  private next = 1;
  private waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private closed?: Promise<void>;
  private exited = false;

  constructor(file: string, synchronous: string) {
    this.worker = new Worker(new URL('./event-worker.mjs', import.meta.url), { workerData: { file, synchronous } });
    this.worker.on('message', (m: { ids?: number[]; ok?: boolean; error?: string }) => {
      for (const id of m.ids ?? []) {
        const w = this.waiting.get(id);
        if (!w) continue;
        this.waiting.delete(id);
        if (m.ok) w.resolve();
        else w.reject(new Error(`event append failed: ${m.error}`));
      }
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => {
      this.exited = true;
      this.failAll(new Error('event writer thread exited'));
    });
  }

  append(events: EventRecord[]): Promise<void> {
    // A dead writer fails the call (InternalFailure, fail closed) rather than leaving it hanging.
    if (this.closed || this.exited) return Promise.reject(new Error('event writer unavailable'));
    const id = this.next++;
    const batch = packEvents(events);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch });
    });
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' });
    });
    return this.closed;
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
