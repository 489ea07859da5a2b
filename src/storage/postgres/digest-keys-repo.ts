import type { Repositories } from '../ports.js';
import type { DigestKeyRecord } from '../records.js';
import type { PgContext } from './context.js';

type Row = { region: string; fingerprint: string; public_key: Buffer; private_key_sealed: Buffer; valid_from: number; valid_to: number; created_at: number };

export function digestKeysRepository(ctx: PgContext): Repositories['digestKeys'] {
  const key = (r: Row): DigestKeyRecord => ({
    region: r.region, fingerprint: r.fingerprint, publicKey: r.public_key, privateKeySealed: r.private_key_sealed,
    validFrom: new Date(r.valid_from), validTo: new Date(r.valid_to), createdAt: new Date(r.created_at),
  });
  return {
    async get(region, fingerprint) {
      const [r] = await ctx.sql.query<Row>('SELECT * FROM digest_keys WHERE region = $1 AND fingerprint = $2', [region, fingerprint]);
      return r && key(r);
    },
    async put(k) {
      // A plain INSERT: the primary key and UNIQUE (region, valid_from) refuse a second key.
      await ctx.sql.query(
        'INSERT INTO digest_keys (region, fingerprint, public_key, private_key_sealed, valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [k.region, k.fingerprint, k.publicKey, k.privateKeySealed, k.validFrom.getTime(), k.validTo.getTime(), k.createdAt.getTime()],
      );
    },
    async list(region) {
      return (await ctx.sql.query<Row>('SELECT * FROM digest_keys WHERE region = $1 ORDER BY valid_from', [region])).map(key);
    },
  };
}
