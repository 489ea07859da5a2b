import type Database from 'better-sqlite3';
import { DocCache } from '../doc-cache.js';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { ApiDestinationRecord, EventConnectionRecord, EventRuleRecord } from '../records.js';

type Doc = { doc: string };

/** EventBridge rules on one SQLite connection (table `event_rules`, migration 0007). */
export function eventRulesRepository(db: Database.Database): Repositories['eventRules'] {
  const get = db.prepare<[string, string, string, string]>('SELECT doc FROM event_rules WHERE account_id = ? AND region = ? AND event_bus_name = ? AND name = ?');
  const put = db.prepare('INSERT OR REPLACE INTO event_rules (account_id, region, event_bus_name, name, arn, state, doc) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const del = db.prepare<[string, string, string, string]>('DELETE FROM event_rules WHERE account_id = ? AND region = ? AND event_bus_name = ? AND name = ?');
  const list = db.prepare<[string, string, string]>('SELECT doc FROM event_rules WHERE account_id = ? AND region = ? AND event_bus_name = ? ORDER BY name');
  const enabled = db.prepare<[string, string]>("SELECT doc FROM event_rules WHERE account_id = ? AND region = ? AND state != 'DISABLED' ORDER BY event_bus_name, name");
  // A dispatcher reads the enabled rules for every event it routes: unchanged rows are not parsed again.
  const docs = new DocCache<EventRuleRecord>(2048);
  const rule = (r: Doc) => docs.get(r.doc, () => decodeDoc<EventRuleRecord>(r.doc));
  return {
    async get(accountId, region, eventBusName, name) {
      const r = get.get(accountId, region, eventBusName, name) as Doc | undefined;
      return r && rule(r);
    },
    async put(r) {
      put.run(r.accountId, r.region, r.eventBusName, r.name, r.arn, r.state, encodeDoc(r));
    },
    async delete(accountId, region, eventBusName, name) {
      del.run(accountId, region, eventBusName, name);
    },
    async list(accountId, region, eventBusName) {
      return (list.all(accountId, region, eventBusName) as Doc[]).map(rule);
    },
    async listEnabled(accountId, region) {
      return (enabled.all(accountId, region) as Doc[]).map(rule);
    },
  };
}

/** EventBridge connections (table `event_connections`): the sealed secrets live in their own column. */
export function eventConnectionsRepository(db: Database.Database): Repositories['eventConnections'] {
  const get = db.prepare<[string, string, string]>('SELECT doc, auth_sealed FROM event_connections WHERE account_id = ? AND region = ? AND name = ?');
  const byArn = db.prepare<[string]>('SELECT doc, auth_sealed FROM event_connections WHERE arn = ?');
  const put = db.prepare('INSERT OR REPLACE INTO event_connections (account_id, region, name, arn, auth_sealed, doc) VALUES (?, ?, ?, ?, ?, ?)');
  const del = db.prepare<[string, string, string]>('DELETE FROM event_connections WHERE account_id = ? AND region = ? AND name = ?');
  const list = db.prepare<[string, string]>('SELECT doc, auth_sealed FROM event_connections WHERE account_id = ? AND region = ? ORDER BY name');
  type Row = Doc & { auth_sealed: Buffer };
  const connection = (r: Row): EventConnectionRecord => ({ ...decodeDoc<Omit<EventConnectionRecord, 'authSealed'>>(r.doc), authSealed: r.auth_sealed });
  return {
    async get(accountId, region, name) {
      const r = get.get(accountId, region, name) as Row | undefined;
      return r && connection(r);
    },
    async getByArn(arn) {
      const r = byArn.get(arn) as Row | undefined;
      return r && connection(r);
    },
    async put(c) {
      const { authSealed, ...doc } = c;
      put.run(c.accountId, c.region, c.name, c.arn, authSealed, encodeDoc(doc));
    },
    async delete(accountId, region, name) {
      del.run(accountId, region, name);
    },
    async list(accountId, region) {
      return (list.all(accountId, region) as Row[]).map(connection);
    },
  };
}

/** EventBridge API destinations (table `api_destinations`). */
export function apiDestinationsRepository(db: Database.Database): Repositories['apiDestinations'] {
  const get = db.prepare<[string, string, string]>('SELECT doc FROM api_destinations WHERE account_id = ? AND region = ? AND name = ?');
  const byArn = db.prepare<[string]>('SELECT doc FROM api_destinations WHERE arn = ?');
  const put = db.prepare('INSERT OR REPLACE INTO api_destinations (account_id, region, name, arn, connection_arn, doc) VALUES (?, ?, ?, ?, ?, ?)');
  const del = db.prepare<[string, string, string]>('DELETE FROM api_destinations WHERE account_id = ? AND region = ? AND name = ?');
  const list = db.prepare<[string, string]>('SELECT doc FROM api_destinations WHERE account_id = ? AND region = ? ORDER BY name');
  const dest = (r: Doc) => decodeDoc<ApiDestinationRecord>(r.doc);
  return {
    async get(accountId, region, name) {
      const r = get.get(accountId, region, name) as Doc | undefined;
      return r && dest(r);
    },
    async getByArn(arn) {
      const r = byArn.get(arn) as Doc | undefined;
      return r && dest(r);
    },
    async put(a) {
      put.run(a.accountId, a.region, a.name, a.arn, a.connectionArn, encodeDoc(a));
    },
    async delete(accountId, region, name) {
      del.run(accountId, region, name);
    },
    async list(accountId, region) {
      return (list.all(accountId, region) as Doc[]).map(dest);
    },
  };
}
