import type { CertificateRecord } from '../records.js';

/**
 * Committed certificates as the read connection last saw them, so that DescribeCertificate and
 * ListCertificates on rows that did not change neither query nor decode them again.
 *
 * Only reads on the read connection fill it (they see committed rows only); the write connection
 * invalidates it. Every put or delete drops that row and moves the version of the listings on,
 * and so does the end (COMMIT or ROLLBACK) of a transaction that made one: a read that ran
 * while the transaction was still open saw, and may have cached, the row as it was before, and
 * that entry must not outlive the commit. All of it happens synchronously (better-sqlite3), so
 * no read falls between a query and the filling of the cache with its answer.
 *
 * Valid because certificates are only ever written through this store (this process's write
 * connection); the event-writer thread and the CLI never write them.
 */
export class CertificateCache {
  private readonly rows = new Map<string, CertificateRecord>();
  private readonly lists = new Map<string, { version: number; records: readonly CertificateRecord[] }>();
  /** Moves on with every change to any certificate: a cached listing is good while it is unchanged. */
  private version = 0;
  private touched: string[] = [];

  constructor(private readonly maxRows = 4096) {}

  getRow(accountId: string, region: string, id: string): CertificateRecord | undefined {
    return this.rows.get(rowKey(accountId, region, id));
  }

  setRow(accountId: string, region: string, id: string, c: CertificateRecord): void {
    const key = rowKey(accountId, region, id);
    if (!this.rows.has(key) && this.rows.size >= this.maxRows) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(key, c);
  }

  getList(accountId: string, region: string): readonly CertificateRecord[] | undefined {
    const hit = this.lists.get(`${accountId}\0${region}`);
    return hit && hit.version === this.version ? hit.records : undefined;
  }

  setList(accountId: string, region: string, records: CertificateRecord[]): readonly CertificateRecord[] {
    const frozen = Object.freeze(records);
    this.lists.set(`${accountId}\0${region}`, { version: this.version, records: frozen });
    return frozen;
  }

  /** The write connection changed (put or deleted) this certificate, inside its open transaction. */
  changed(accountId: string, region: string, id: string): void {
    const key = rowKey(accountId, region, id);
    this.rows.delete(key);
    this.touched.push(key);
    this.version++;
  }

  /** The write transaction ended (committed or rolled back). */
  settled(): void {
    if (this.touched.length === 0) return;
    for (const key of this.touched) this.rows.delete(key);
    this.touched = [];
    this.version++;
  }
}

const rowKey = (accountId: string, region: string, id: string) => `${accountId}\0${region}\0${id}`;
