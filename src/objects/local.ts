import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../kernel/clock.js';
import { systemIds, type Ids } from '../kernel/ids.js';
import { ObjectStoreError, type ObjectStore, type ObjectSummary, type PutOptions, type StoredObject } from './ports.js';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

export interface BucketRecord {
  name: string;
  ownerAccountId: string;
  /** Where the bucket was created (`us-east-1`, `eu-west-1`, …). */
  region: string;
  createdAt: Date;
}

/** An object's description without its body (HeadObject). */
export type ObjectInfo = Omit<StoredObject, 'body'>;

export interface LocalListOptions {
  prefix?: string;
  after?: string;
  /** Skip every key that begins with this (a common prefix already rolled up by a listing). */
  afterPrefix?: string;
  limit: number;
}

export interface LocalObjectStoreOptions {
  clock?: Clock;
  ids?: Ids;
  /** Orphan body files younger than this are left alone at open (another writer may own them). */
  sweepOlderThanMs?: number;
}

interface ObjectRow {
  size: number;
  etag: string;
  last_modified: number;
  content_type: string | null;
  content_encoding: string | null;
  headers: string | null;
  metadata: string;
  body_file: string;
}

interface BucketRow {
  name: string;
  owner_account_id: string;
  region: string;
  created_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS buckets (
  name TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS buckets_owner ON buckets (owner_account_id, name);
CREATE TABLE IF NOT EXISTS objects (
  bucket TEXT NOT NULL REFERENCES buckets (name),
  key BLOB NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  content_type TEXT,
  content_encoding TEXT,
  headers TEXT,
  metadata TEXT NOT NULL,
  body_file TEXT NOT NULL,
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_body_file ON objects (body_file);
`;

/**
 * certtrail's own buckets. Bodies are files under `<dir>/blobs/` named by random ids (a key is
 * never a path); everything else is a row in `<dir>/index.db` (SQLite, WAL, synchronous FULL),
 * so a listing is an index scan in UTF-8 byte order (keys are stored as BLOBs).
 *
 * A put writes the body to `<dir>/tmp/`, fsyncs it, renames it into `blobs/` and fsyncs the
 * directory; only then does it commit the row, and the commit is the moment the new object
 * becomes visible. The body an overwrite or a delete replaced is unlinked after the commit. A
 * crash leaves at worst a file no row names: harmless, and swept at the next open.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly db: Database.Database;
  private readonly blobDir: string;
  private readonly tmpDir: string;
  private readonly clock: Clock;
  private readonly ids: Ids;
  private readonly shards = new Set<string>();
  private readonly stmts;
  private readonly listStmts = new Map<string, Database.Statement>();

  constructor(readonly dir: string, opts: LocalObjectStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.ids = opts.ids ?? systemIds;
    this.blobDir = join(dir, 'blobs');
    this.tmpDir = join(dir, 'tmp');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
    this.db = new Database(join(dir, 'index.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    if (this.db.pragma('user_version', { simple: true }) === 0) {
      this.db.exec(SCHEMA);
      this.db.pragma('user_version = 1');
    }
    this.stmts = {
      bucket: this.db.prepare<[string], BucketRow>('SELECT * FROM buckets WHERE name = ?'),
      insertBucket: this.db.prepare('INSERT INTO buckets (name, owner_account_id, region, created_at) VALUES (?, ?, ?, ?)'),
      deleteBucket: this.db.prepare('DELETE FROM buckets WHERE name = ?'),
      bucketsOf: this.db.prepare<[string], BucketRow>('SELECT * FROM buckets WHERE owner_account_id = ? ORDER BY name'),
      anyObject: this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM objects WHERE bucket = ? LIMIT 1'),
      object: this.db.prepare<[string, Buffer], ObjectRow>('SELECT * FROM objects WHERE bucket = ? AND key = ?'),
      upsert: this.db.prepare(
        `INSERT INTO objects (bucket, key, size, etag, last_modified, content_type, content_encoding, headers, metadata, body_file)
         VALUES (@bucket, @key, @size, @etag, @lastModified, @contentType, @contentEncoding, @headers, @metadata, @bodyFile)
         ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified,
           content_type = excluded.content_type, content_encoding = excluded.content_encoding, headers = excluded.headers,
           metadata = excluded.metadata, body_file = excluded.body_file`,
      ),
      deleteObject: this.db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?'),
      referenced: this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM objects WHERE body_file = ? LIMIT 1'),
    };
    this.sweep(opts.sweepOlderThanMs ?? 60_000);
  }

  // ---- buckets -------------------------------------------------------------------------------

  /**
   * Creates the bucket unless the name is taken. Bucket names are global: when it exists (whoever
   * owns it) nothing changes and the existing record comes back with `created: false`.
   */
  async createBucket(name: string, ownerAccountId: string, region: string): Promise<{ created: boolean; bucket: BucketRecord }> {
    return this.db.transaction(() => {
      const existing = this.stmts.bucket.get(name);
      if (existing) return { created: false, bucket: toBucket(existing) };
      const createdAt = wholeSeconds(this.clock.now());
      this.stmts.insertBucket.run(name, ownerAccountId, region, createdAt.getTime());
      return { created: true, bucket: { name, ownerAccountId, region, createdAt } };
    }).immediate();
  }

  /** Throws ObjectStoreError NoSuchBucket or BucketNotEmpty. */
  async deleteBucket(name: string): Promise<void> {
    this.db.transaction(() => {
      if (!this.stmts.bucket.get(name)) throw noSuchBucket(name);
      if (this.stmts.anyObject.get(name)) throw new ObjectStoreError('BucketNotEmpty', `bucket ${name} is not empty`);
      this.stmts.deleteBucket.run(name);
    }).immediate();
  }

  async bucket(name: string): Promise<BucketRecord | undefined> {
    const row = this.stmts.bucket.get(name);
    return row ? toBucket(row) : undefined;
  }

  /** The account's buckets by name. */
  async listBuckets(ownerAccountId: string): Promise<BucketRecord[]> {
    return this.stmts.bucketsOf.all(ownerAccountId).map(toBucket);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return this.stmts.bucket.get(bucket) !== undefined;
  }

  // ---- objects -------------------------------------------------------------------------------

  async put(bucket: string, key: string, body: Buffer, opts: PutOptions = {}): Promise<void> {
    await this.putObject(bucket, key, body, opts);
  }

  /** `put`, answering with what was stored (S3's PutObject returns the ETag). */
  async putObject(bucket: string, key: string, body: Buffer, opts: PutOptions = {}): Promise<ObjectInfo> {
    const k = keyBytes(key);
    // Checked first so a put into nowhere writes no file; checked again in the commit.
    if (!this.stmts.bucket.get(bucket)) throw noSuchBucket(bucket);
    const bodyFile = await this.writeBody(body);
    const headers = pickHeaders(opts);
    const etag = createHash('md5').update(body).digest('hex');
    let replaced: string | undefined;
    let lastModified: Date;
    try {
      this.db.transaction(() => {
        if (!this.stmts.bucket.get(bucket)) throw noSuchBucket(bucket);
        const current = this.stmts.object.get(bucket, k);
        if (opts.ifNoneMatch === '*' && current) throw new ObjectStoreError('PreconditionFailed', 'an object with this key exists');
        if (opts.ifMatch !== undefined && current?.etag !== opts.ifMatch) throw new ObjectStoreError('PreconditionFailed', 'the object is not the expected one');
        replaced = current?.body_file;
        lastModified = wholeSeconds(this.clock.now());
        this.stmts.upsert.run({
          bucket,
          key: k,
          size: body.length,
          etag,
          lastModified: lastModified.getTime(),
          contentType: opts.contentType ?? null,
          contentEncoding: opts.contentEncoding ?? null,
          headers: headers ? JSON.stringify(headers) : null,
          metadata: JSON.stringify(opts.metadata ?? {}),
          bodyFile,
        });
      }).immediate();
    } catch (e) {
      await this.removeBody(bodyFile);
      throw e;
    }
    if (replaced) await this.removeBody(replaced);
    return {
      size: body.length,
      etag,
      lastModified: lastModified!,
      ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
      ...(opts.contentEncoding !== undefined ? { contentEncoding: opts.contentEncoding } : {}),
      metadata: opts.metadata ?? {},
      ...headers,
    };
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    const k = keyBytes(key);
    // A concurrent overwrite may unlink the body between reading the row and opening the file:
    // read the row again, which then names the new body (or none).
    for (let attempt = 0; attempt < 8; attempt++) {
      const row = this.row(bucket, k);
      if (!row) return undefined;
      let body: Buffer;
      try {
        body = await readFile(this.bodyPath(row.body_file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      return { ...toInfo(row), body };
    }
    throw new Error(`the body of ${bucket}/${key} kept changing while it was read`);
  }

  /** The object's description without reading its body. */
  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const row = this.row(bucket, keyBytes(key));
    return row ? toInfo(row) : undefined;
  }

  async delete(bucket: string, key: string): Promise<void> {
    const k = keyBytes(key);
    const removed = this.db.transaction(() => {
      if (!this.stmts.bucket.get(bucket)) throw noSuchBucket(bucket);
      const file = this.stmts.object.get(bucket, k)?.body_file;
      if (file) this.stmts.deleteObject.run(bucket, k);
      return file;
    }).immediate();
    if (removed) await this.removeBody(removed);
  }

  async list(bucket: string, opts: LocalListOptions): Promise<ObjectSummary[]> {
    if (!this.stmts.bucket.get(bucket)) throw noSuchBucket(bucket);
    const limit = Math.max(0, Math.floor(opts.limit));
    if (limit === 0) return [];
    const where: string[] = ['bucket = ?'];
    const params: unknown[] = [bucket];
    let from: Buffer | undefined = opts.prefix ? Buffer.from(opts.prefix, 'utf8') : undefined;
    if (opts.afterPrefix !== undefined) {
      const past = prefixEnd(Buffer.from(opts.afterPrefix, 'utf8'));
      if (!past) return [];
      if (!from || Buffer.compare(past, from) > 0) from = past;
    }
    if (opts.after !== undefined) {
      where.push('key > ?');
      params.push(Buffer.from(opts.after, 'utf8'));
    }
    if (from) {
      where.push('key >= ?');
      params.push(from);
    }
    const upper = opts.prefix ? prefixEnd(Buffer.from(opts.prefix, 'utf8')) : undefined;
    if (upper) {
      where.push('key < ?');
      params.push(upper);
    }
    const sql = `SELECT key, size, etag, last_modified FROM objects WHERE ${where.join(' AND ')} ORDER BY key LIMIT ?`;
    let stmt = this.listStmts.get(sql);
    if (!stmt) this.listStmts.set(sql, (stmt = this.db.prepare(sql)));
    const rows = stmt.all(...params, limit) as { key: Buffer; size: number; etag: string; last_modified: number }[];
    return rows.map((r) => ({ key: r.key.toString('utf8'), size: r.size, etag: r.etag, lastModified: new Date(r.last_modified) }));
  }

  async close(): Promise<void> {
    this.db.close();
  }

  // ---- bodies --------------------------------------------------------------------------------

  private row(bucket: string, k: Buffer): ObjectRow | undefined {
    if (!this.stmts.bucket.get(bucket)) throw noSuchBucket(bucket);
    return this.stmts.object.get(bucket, k);
  }

  private bodyPath(name: string): string {
    return join(this.blobDir, name.slice(0, 2), name);
  }

  private async writeBody(body: Buffer): Promise<string> {
    const name = this.ids.bytes(16).toString('hex');
    const tmp = join(this.tmpDir, name);
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const shard = name.slice(0, 2);
    const dir = join(this.blobDir, shard);
    if (!this.shards.has(shard)) {
      await mkdir(dir, { recursive: true });
      await fsyncDir(this.blobDir);
      this.shards.add(shard);
    }
    await rename(tmp, join(dir, name));
    await fsyncDir(dir);
    return name;
  }

  private async removeBody(name: string): Promise<void> {
    await unlink(this.bodyPath(name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  /** Removes what a crash can leave behind: temp files and bodies no row names. */
  private sweep(olderThanMs: number): void {
    // File times are the wall clock's, whatever clock the store was given.
    const cutoff = systemClock.now().getTime() - olderThanMs;
    const old = (path: string) => {
      try {
        return statSync(path).mtimeMs <= cutoff;
      } catch {
        return false;
      }
    };
    for (const f of readdirSync(this.tmpDir)) {
      const p = join(this.tmpDir, f);
      if (old(p)) unlinkSync(p);
    }
    for (const shard of readdirSync(this.blobDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      this.shards.add(shard);
      for (const f of readdirSync(join(this.blobDir, shard))) {
        if (this.stmts.referenced.get(f)) continue;
        const p = join(this.blobDir, shard, f);
        if (old(p)) unlinkSync(p);
      }
    }
  }
}

function noSuchBucket(bucket: string): ObjectStoreError {
  return new ObjectStoreError('NoSuchBucket', `bucket ${bucket} does not exist`);
}

function keyBytes(key: string): Buffer {
  const b = Buffer.from(key, 'utf8');
  if (key === '' || b.toString('utf8') !== key) throw new ObjectStoreError('InvalidKey', 'an object key must be a non-empty UTF-8 string');
  if (b.length > MAX_KEY_BYTES) throw new ObjectStoreError('KeyTooLongError', `an object key is at most ${MAX_KEY_BYTES} bytes`);
  return b;
}

/** The smallest byte string greater than every string that starts with `p`; undefined if none. */
function prefixEnd(p: Buffer): Buffer | undefined {
  let end = p.length;
  while (end > 0 && p[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(p.subarray(0, end));
  out[end - 1]++;
  return out;
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

type HeaderOptions = Pick<PutOptions, 'cacheControl' | 'contentDisposition' | 'contentLanguage' | 'expires'>;

function pickHeaders(o: PutOptions): HeaderOptions | undefined {
  const h: HeaderOptions = {};
  if (o.cacheControl !== undefined) h.cacheControl = o.cacheControl;
  if (o.contentDisposition !== undefined) h.contentDisposition = o.contentDisposition;
  if (o.contentLanguage !== undefined) h.contentLanguage = o.contentLanguage;
  if (o.expires !== undefined) h.expires = o.expires;
  return Object.keys(h).length ? h : undefined;
}

function toInfo(row: ObjectRow): ObjectInfo {
  const headers: HeaderOptions = row.headers ? JSON.parse(row.headers) : {};
  return {
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    ...(row.content_type !== null ? { contentType: row.content_type } : {}),
    ...(row.content_encoding !== null ? { contentEncoding: row.content_encoding } : {}),
    metadata: JSON.parse(row.metadata),
    ...headers,
  };
}

function toBucket(r: BucketRow): BucketRecord {
  return { name: r.name, ownerAccountId: r.owner_account_id, region: r.region, createdAt: new Date(r.created_at) };
}
