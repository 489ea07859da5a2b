import type { Clock } from '../../kernel/clock.js';
import type { Ids } from '../../kernel/ids.js';
import { certificateAuthorityArn } from '../../kernel/arn.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { createIntermediateCa, createPrivateCa, createRootCa } from '../../pki/index.js';
import type { CaMaterial, SigningCa } from '../../pki/types.js';
import type { Store } from '../../storage/ports.js';
import type { CaRecord } from '../../storage/records.js';

/**
 * certtrail's CA hierarchy: one root and one intermediate for AMAZON_ISSUED certificates,
 * created on first start, and one private CA per account and region (the stand-in for an
 * AWS Private CA), created when first needed. CA keys are sealed at rest like every key.
 */
export class Authorities {
  private cache = new Map<string, SigningCa>();

  constructor(private readonly d: { store: Store; box: SecretBox; clock: Clock; ids: Ids; publicUrl: string }) {}

  crlUrl(caId: string): string {
    return `${this.d.publicUrl}/_certtrail/crl/${caId}.crl`;
  }

  caIssuersUrl(caId: string): string {
    return `${this.d.publicUrl}/_certtrail/ca/${caId}.crt`;
  }

  /** Creates the root and intermediate if this data dir has none. */
  async ensureHierarchy(): Promise<void> {
    const existing = await this.d.store.read(async (tx) => tx.cas.getByKind('intermediate'));
    if (existing) return;
    const now = this.d.clock.now();
    const rootId = this.d.ids.uuid();
    const root = await createRootCa(now);
    const inter = await createIntermediateCa(root, { crlUrl: this.crlUrl(rootId), caIssuersUrl: this.caIssuersUrl(rootId) }, now);
    const interId = this.d.ids.uuid();
    await this.d.store.write(async (tx) => {
      if (await tx.cas.getByKind('intermediate')) return;
      await tx.cas.put(this.record(rootId, 'root', root, now));
      await tx.cas.put({ ...this.record(interId, 'intermediate', inter, now), parentId: rootId });
    });
  }

  async root(): Promise<CaRecord> {
    const r = await this.d.store.read(async (tx) => tx.cas.getByKind('root'));
    if (!r) throw new Error('CA hierarchy not initialised');
    return r;
  }

  async intermediate(): Promise<CaRecord> {
    const r = await this.d.store.read(async (tx) => tx.cas.getByKind('intermediate'));
    if (!r) throw new Error('CA hierarchy not initialised');
    return r;
  }

  /** The account's private CA in a region, created on first use. */
  async privateCa(accountId: string, region: string): Promise<CaRecord> {
    const found = await this.d.store.read(async (tx) => tx.cas.getPrivate(accountId, region));
    if (found) return found;
    const now = this.d.clock.now();
    const material = await createPrivateCa(accountId, region, now);
    const id = this.d.ids.uuid();
    const rec: CaRecord = { ...this.record(id, 'private', material, now), accountId, region, arn: certificateAuthorityArn(region, accountId, id) };
    return this.d.store.write(async (tx) => {
      const raced = await tx.cas.getPrivate(accountId, region);
      if (raced) return raced;
      await tx.cas.put(rec);
      return rec;
    });
  }

  /** The CA with its key unsealed, ready to sign (cached: CA keys never change). */
  signing(ca: CaRecord): SigningCa {
    let s = this.cache.get(ca.id);
    if (!s) {
      s = {
        certificatePem: ca.certificatePem,
        privateKeyPem: this.d.box.open(ca.privateKeySealed, `ca:${ca.id}`).toString('utf8'),
        keyAlgorithm: ca.keyAlgorithm,
        crlUrl: this.crlUrl(ca.id),
        caIssuersUrl: this.caIssuersUrl(ca.id),
      };
      this.cache.set(ca.id, s);
    }
    return s;
  }

  private record(id: string, kind: CaRecord['kind'], m: CaMaterial, now: Date): CaRecord {
    return {
      id,
      kind,
      certificatePem: m.certificatePem,
      privateKeySealed: this.d.box.seal(m.privateKeyPem, `ca:${id}`),
      keyAlgorithm: m.keyAlgorithm,
      serial: m.serialHex,
      notBefore: m.notBefore,
      notAfter: m.notAfter,
      createdAt: now,
    };
  }
}
