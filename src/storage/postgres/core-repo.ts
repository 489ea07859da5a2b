import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { CertificateRecord, EventRecord } from '../records.js';
import { caRow, certificateDoc, date, EVENT_COLUMNS, eventRow, ms, type Row } from '../rows.js';
import type { PgContext } from './context.js';
import type { Sql } from './sql.js';

const EVENT_FIELDS = 'event_id, account_id, region, event_time, event_source, event_name, read_only, username, access_key_id, resource_type, resource_name, record';
const EVENT_WIDTH = 12;

/** Inserts events in one statement; the caller holds the append lock (store.ts). */
export async function insertEvents(sql: Sql, events: EventRecord[]): Promise<void> {
  // PostgreSQL takes at most 65535 parameters a statement.
  for (let from = 0; from < events.length; from += 1000) {
    const chunk = events.slice(from, from + 1000);
    const args: unknown[] = [];
    const rows = chunk.map((e, i) => {
      args.push(e.eventId, e.accountId, e.region, ms(e.eventTime), e.eventSource, e.eventName, e.readOnly, e.username ?? null, e.accessKeyId ?? null, e.resourceType ?? null, e.resourceName ?? null, e.record);
      return `(${Array.from({ length: EVENT_WIDTH }, (_, k) => `$${i * EVENT_WIDTH + k + 1}`).join(', ')})`;
    });
    await sql.query(`INSERT INTO events (${EVENT_FIELDS}) VALUES ${rows.join(', ')}`, args);
  }
}

const cert = (r: Row | undefined): CertificateRecord | undefined => {
  if (!r) return undefined;
  const c = decodeDoc<CertificateRecord>(r.doc);
  if (r.private_key_sealed) c.privateKeySealed = r.private_key_sealed;
  if (r.certificate_pem) c.certificatePem = r.certificate_pem;
  if (r.chain_pem) c.chainPem = r.chain_pem;
  return c;
};

type Core = Pick<Repositories, 'accounts' | 'certificates' | 'cas' | 'idempotency' | 'events' | 'accountConfig'>;

/** Accounts, certificates, CAs, idempotency tokens, events and account settings on PostgreSQL. */
export function coreRepositories({ sql, appendLock }: PgContext): Core {
  const one = async (text: string, params: unknown[]) => (await sql.query(text, params))[0];
  const certs = async (text: string, params: unknown[]) => (await sql.query(text, params)).map((r) => cert(r)!);
  return {
    accounts: {
      async get(id) {
        const r = await one('SELECT * FROM accounts WHERE account_id = $1', [id]);
        return r && { accountId: r.account_id, createdAt: date(r.created_at) };
      },
      async put(a) {
        await sql.query('INSERT INTO accounts (account_id, created_at) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET created_at = EXCLUDED.created_at', [a.accountId, ms(a.createdAt)]);
      },
      async list() {
        return (await sql.query('SELECT * FROM accounts ORDER BY created_at, account_id COLLATE "C"')).map((r) => ({ accountId: r.account_id, createdAt: date(r.created_at) }));
      },
    },
    certificates: {
      async get(accountId, region, id) {
        return cert(await one('SELECT doc, private_key_sealed, certificate_pem, chain_pem FROM certificates WHERE account_id = $1 AND region = $2 AND id = $3', [accountId, region, id]));
      },
      async put(c) {
        // The first put of an ARN counts toward the yearly quota (rows outlive deletion).
        const fresh = !(await one('SELECT 1 AS x FROM certificates WHERE arn = $1', [c.arn]));
        if (fresh) await sql.query('INSERT INTO certificate_requests (account_id, region, kind, created_at) VALUES ($1, $2, $3, $4)', [c.accountId, c.region, c.type === 'IMPORTED' ? 'imported' : 'requested', ms(c.createdAt)]);
        await sql.query(
          `INSERT INTO certificates (account_id, region, id, arn, status, type, created_at, issuer_ca_id, doc, private_key_sealed, certificate_pem, chain_pem, renewal_status, not_after, serial, update_status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (account_id, region, id) DO UPDATE SET arn = EXCLUDED.arn, status = EXCLUDED.status, type = EXCLUDED.type, created_at = EXCLUDED.created_at,
             issuer_ca_id = EXCLUDED.issuer_ca_id, doc = EXCLUDED.doc, private_key_sealed = EXCLUDED.private_key_sealed, certificate_pem = EXCLUDED.certificate_pem,
             chain_pem = EXCLUDED.chain_pem, renewal_status = EXCLUDED.renewal_status, not_after = EXCLUDED.not_after, serial = EXCLUDED.serial, update_status = EXCLUDED.update_status`,
          [c.accountId, c.region, c.id, c.arn, c.status, c.type, ms(c.createdAt), c.issuerCaId ?? null, encodeDoc(certificateDoc(c)), c.privateKeySealed ?? null,
            c.certificatePem ?? null, c.chainPem ?? null, c.renewal?.status ?? null, c.facts ? ms(c.facts.notAfter) : null, c.facts?.serial ?? null, c.update?.status ?? null],
        );
        if (c.issuerCaId && c.facts)
          await sql.query('INSERT INTO certificate_serials VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [c.issuerCaId, c.facts.serial, c.accountId, c.region, c.id]);
      },
      async delete(accountId, region, id) {
        await sql.query('DELETE FROM certificates WHERE account_id = $1 AND region = $2 AND id = $3', [accountId, region, id]);
      },
      async list(accountId, region) {
        return certs('SELECT doc FROM certificates WHERE account_id = $1 AND region = $2 ORDER BY created_at, id COLLATE "C"', [accountId, region]);
      },
      async countByType(accountId, region, types) {
        const r = await one('SELECT count(*)::int AS n FROM certificates WHERE account_id = $1 AND region = $2 AND type = ANY($3)', [accountId, region, types]);
        return r.n;
      },
      async listExpiringBefore(before, limit) {
        return certs("SELECT doc FROM certificates WHERE status = 'ISSUED' AND not_after <= $1 ORDER BY not_after LIMIT $2", [ms(before), limit]);
      },
      async listDue(now, limit) {
        return certs(
          "SELECT doc FROM certificates WHERE status = 'ISSUED' AND (renewal_status = 'PENDING_AUTO_RENEWAL' OR update_status = 'PENDING_DOMAIN_VALIDATION' OR not_after < $1) ORDER BY created_at LIMIT $2",
          [ms(now), limit],
        );
      },
      async countCreatedSince(accountId, region, type, since) {
        const r = await one('SELECT count(*)::int AS n FROM certificate_requests WHERE account_id = $1 AND region = $2 AND kind = $3 AND created_at >= $4', [accountId, region, type, ms(since)]);
        return r.n;
      },
      async listByStatus(statuses, limit) {
        return certs('SELECT doc FROM certificates WHERE status = ANY($1) ORDER BY created_at LIMIT $2', [statuses, limit]);
      },
      async getBySerial(caId, serial) {
        return cert(await one(
          'SELECT c.doc, c.private_key_sealed, c.certificate_pem, c.chain_pem FROM certificate_serials s JOIN certificates c ON c.account_id = s.account_id AND c.region = s.region AND c.id = s.id WHERE s.issuer_ca_id = $1 AND s.serial = $2',
          [caId, serial],
        ));
      },
      async listRevokedByIssuer(caId) {
        return certs("SELECT doc FROM certificates WHERE issuer_ca_id = $1 AND status = 'REVOKED'", [caId]);
      },
    },
    cas: {
      async get(id) {
        return caRow(await one('SELECT doc, private_key_sealed FROM certificate_authorities WHERE id = $1', [id]));
      },
      async getByKind(kind) {
        return caRow(await one('SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = $1 ORDER BY id COLLATE "C" LIMIT 1', [kind]));
      },
      async getPrivate(accountId, region) {
        return caRow(await one("SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = 'private' AND account_id = $1 AND region = $2", [accountId, region]));
      },
      async put(c) {
        const { privateKeySealed, ...doc } = c;
        await sql.query(
          `INSERT INTO certificate_authorities (id, kind, account_id, region, doc, private_key_sealed) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, account_id = EXCLUDED.account_id, region = EXCLUDED.region, doc = EXCLUDED.doc, private_key_sealed = EXCLUDED.private_key_sealed`,
          [c.id, c.kind, c.accountId ?? null, c.region ?? null, encodeDoc(doc), privateKeySealed],
        );
      },
      async list(accountId) {
        const rows = accountId
          ? await sql.query("SELECT doc, private_key_sealed FROM certificate_authorities WHERE kind = 'private' AND account_id = $1 ORDER BY region COLLATE \"C\"", [accountId])
          : await sql.query('SELECT doc, private_key_sealed FROM certificate_authorities ORDER BY kind COLLATE "C", id COLLATE "C"');
        return rows.map((r) => caRow(r)!);
      },
    },
    idempotency: {
      async get(scope, token, now) {
        const r = await one('SELECT * FROM idempotency_tokens WHERE scope = $1 AND token = $2 AND expires_at > $3', [scope, token, ms(now)]);
        return r && { scope: r.scope, token: r.token, requestHash: r.request_hash, result: r.result, expiresAt: date(r.expires_at) };
      },
      async put(r) {
        await sql.query('DELETE FROM idempotency_tokens WHERE expires_at <= $1', [ms(r.expiresAt) - 2 * 3600_000]);
        await sql.query(
          `INSERT INTO idempotency_tokens (scope, token, request_hash, result, expires_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope, token) DO UPDATE SET request_hash = EXCLUDED.request_hash, result = EXCLUDED.result, expires_at = EXCLUDED.expires_at`,
          [r.scope, r.token, r.requestHash, r.result, ms(r.expiresAt)],
        );
      },
    },
    events: {
      async put(e) {
        await appendLock();
        await insertEvents(sql, [e]);
      },
      async lookup(q) {
        const where = ['account_id = $1', 'region = $2'];
        const args: unknown[] = [q.accountId, q.region];
        const arg = (v: unknown) => `$${args.push(v)}`;
        if (q.attribute) {
          const col = EVENT_COLUMNS[q.attribute.key];
          where.push(`${col} = ${arg(q.attribute.key === 'ReadOnly' ? q.attribute.value === 'true' : q.attribute.value)}`);
        }
        if (q.startTime) where.push(`event_time >= ${arg(ms(q.startTime))}`);
        if (q.endTime) where.push(`event_time <= ${arg(ms(q.endTime))}`);
        // A row comparison keeps the cursor inside the index range.
        if (q.before) where.push(`(event_time, seq) < (${arg(q.before.time)}, ${arg(q.before.seq)})`);
        const rows = await sql.query(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY event_time DESC, seq DESC LIMIT ${arg(q.limit)}`, args);
        return rows.map(eventRow);
      },
      async after(seq, limit) {
        return (await sql.query('SELECT * FROM events WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit])).map(eventRow);
      },
      async lastSeq() {
        return (await one('SELECT coalesce(max(seq), 0) AS n FROM events', [])).n;
      },
    },
    accountConfig: {
      async get(accountId, region) {
        const r = await one('SELECT * FROM account_configurations WHERE account_id = $1 AND region = $2', [accountId, region]);
        return r && { accountId: r.account_id, region: r.region, daysBeforeExpiry: r.days_before_expiry };
      },
      async put(c) {
        await sql.query(
          'INSERT INTO account_configurations (account_id, region, days_before_expiry) VALUES ($1, $2, $3) ON CONFLICT (account_id, region) DO UPDATE SET days_before_expiry = EXCLUDED.days_before_expiry',
          [c.accountId, c.region, c.daysBeforeExpiry],
        );
      },
    },
  };
}
