import { DocCache } from '../doc-cache.js';
import { decodeDoc, encodeDoc } from '../doc-codec.js';
import type { Repositories } from '../ports.js';
import type { ApiDestinationRecord, EventConnectionRecord, EventRuleRecord } from '../records.js';
import type { PgContext } from './context.js';

type Doc = { doc: string };

// A dispatcher reads the enabled rules for every event it routes: unchanged rows are not parsed
// again. One cache for the module, as repositories may be made per transaction; keyed by the
// stored text, it is right for any store, connection or transaction.
const ruleDocs = new DocCache<EventRuleRecord>(2048);

export function eventRulesRepository(ctx: PgContext): Repositories['eventRules'] {
  const rule = (r: Doc) => ruleDocs.get(r.doc, () => decodeDoc<EventRuleRecord>(r.doc));
  return {
    async get(accountId, region, eventBusName, name) {
      const [r] = await ctx.sql.query<Doc>(
        'SELECT doc FROM event_rules WHERE account_id = $1 AND region = $2 AND event_bus_name = $3 AND name = $4',
        [accountId, region, eventBusName, name],
      );
      return r && rule(r);
    },
    async put(r) {
      await ctx.sql.query(
        `INSERT INTO event_rules (account_id, region, event_bus_name, name, arn, state, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (account_id, region, event_bus_name, name) DO UPDATE SET arn = EXCLUDED.arn, state = EXCLUDED.state, doc = EXCLUDED.doc`,
        [r.accountId, r.region, r.eventBusName, r.name, r.arn, r.state, encodeDoc(r)],
      );
    },
    async delete(accountId, region, eventBusName, name) {
      await ctx.sql.query('DELETE FROM event_rules WHERE account_id = $1 AND region = $2 AND event_bus_name = $3 AND name = $4', [accountId, region, eventBusName, name]);
    },
    async list(accountId, region, eventBusName) {
      const rows = await ctx.sql.query<Doc>(
        'SELECT doc FROM event_rules WHERE account_id = $1 AND region = $2 AND event_bus_name = $3 ORDER BY name COLLATE "C"',
        [accountId, region, eventBusName],
      );
      return rows.map(rule);
    },
    async listEnabled(accountId, region) {
      const rows = await ctx.sql.query<Doc>(
        `SELECT doc FROM event_rules WHERE account_id = $1 AND region = $2 AND state <> 'DISABLED' ORDER BY event_bus_name COLLATE "C", name COLLATE "C"`,
        [accountId, region],
      );
      return rows.map(rule);
    },
  };
}

/** The sealed secrets live in their own column, outside the document. */
export function eventConnectionsRepository(ctx: PgContext): Repositories['eventConnections'] {
  type Row = Doc & { auth_sealed: Buffer };
  const connection = (r: Row): EventConnectionRecord => ({ ...decodeDoc<Omit<EventConnectionRecord, 'authSealed'>>(r.doc), authSealed: r.auth_sealed });
  return {
    async get(accountId, region, name) {
      const [r] = await ctx.sql.query<Row>('SELECT doc, auth_sealed FROM event_connections WHERE account_id = $1 AND region = $2 AND name = $3', [accountId, region, name]);
      return r && connection(r);
    },
    async getByArn(arn) {
      const [r] = await ctx.sql.query<Row>('SELECT doc, auth_sealed FROM event_connections WHERE arn = $1', [arn]);
      return r && connection(r);
    },
    async put(c) {
      const { authSealed, ...doc } = c;
      await ctx.sql.query(
        `INSERT INTO event_connections (account_id, region, name, arn, auth_sealed, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, region, name) DO UPDATE SET arn = EXCLUDED.arn, auth_sealed = EXCLUDED.auth_sealed, doc = EXCLUDED.doc`,
        [c.accountId, c.region, c.name, c.arn, authSealed, encodeDoc(doc)],
      );
    },
    async delete(accountId, region, name) {
      await ctx.sql.query('DELETE FROM event_connections WHERE account_id = $1 AND region = $2 AND name = $3', [accountId, region, name]);
    },
    async list(accountId, region) {
      const rows = await ctx.sql.query<Row>('SELECT doc, auth_sealed FROM event_connections WHERE account_id = $1 AND region = $2 ORDER BY name COLLATE "C"', [accountId, region]);
      return rows.map(connection);
    },
  };
}

export function apiDestinationsRepository(ctx: PgContext): Repositories['apiDestinations'] {
  const dest = (r: Doc) => decodeDoc<ApiDestinationRecord>(r.doc);
  return {
    async get(accountId, region, name) {
      const [r] = await ctx.sql.query<Doc>('SELECT doc FROM api_destinations WHERE account_id = $1 AND region = $2 AND name = $3', [accountId, region, name]);
      return r && dest(r);
    },
    async getByArn(arn) {
      const [r] = await ctx.sql.query<Doc>('SELECT doc FROM api_destinations WHERE arn = $1', [arn]);
      return r && dest(r);
    },
    async put(a) {
      await ctx.sql.query(
        `INSERT INTO api_destinations (account_id, region, name, arn, connection_arn, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, region, name) DO UPDATE SET arn = EXCLUDED.arn, connection_arn = EXCLUDED.connection_arn, doc = EXCLUDED.doc`,
        [a.accountId, a.region, a.name, a.arn, a.connectionArn, encodeDoc(a)],
      );
    },
    async delete(accountId, region, name) {
      await ctx.sql.query('DELETE FROM api_destinations WHERE account_id = $1 AND region = $2 AND name = $3', [accountId, region, name]);
    },
    async list(accountId, region) {
      const rows = await ctx.sql.query<Doc>('SELECT doc FROM api_destinations WHERE account_id = $1 AND region = $2 ORDER BY name COLLATE "C"', [accountId, region]);
      return rows.map(dest);
    },
  };
}
