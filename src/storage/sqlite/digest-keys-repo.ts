import type Database from 'better-sqlite3';
import type { Repositories } from '../ports.js';
import type { DigestKeyRecord } from '../records.js';

/** The digest signing keys repository on one SQLite connection (table `digest_keys`, migration 0005). */
export function digestKeysRepository(db: Database.Database): Repositories['digestKeys'] {
  const get = db.prepare<[string, string]>('SELECT * FROM digest_keys WHERE region = ? AND fingerprint = ?');
  // A plain INSERT: the primary key and UNIQUE (region, valid_from) refuse a second key.
  const put = db.prepare('INSERT INTO digest_keys (region, fingerprint, public_key, private_key_sealed, valid_from, valid_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const list = db.prepare<[string]>('SELECT * FROM digest_keys WHERE region = ? ORDER BY valid_from');
  type Row = { region: string; fingerprint: string; public_key: Buffer; private_key_sealed: Buffer; valid_from: number; valid_to: number; created_at: number };
  const key = (r: Row): DigestKeyRecord => ({
    region: r.region, fingerprint: r.fingerprint, publicKey: r.public_key, privateKeySealed: r.private_key_sealed,
    validFrom: new Date(r.valid_from), validTo: new Date(r.valid_to), createdAt: new Date(r.created_at),
  });
  return {
    async get(region, fingerprint) {
      const r = get.get(region, fingerprint) as Row | undefined;
      return r && key(r);
    },
    async put(k) {
      put.run(k.region, k.fingerprint, k.publicKey, k.privateKeySealed, k.validFrom.getTime(), k.validTo.getTime(), k.createdAt.getTime());
    },
    async list(region) {
      return (list.all(region) as Row[]).map(key);
    },
  };
}
