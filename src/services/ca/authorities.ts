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

  /** One responder answers for every CA: a request's CertID names its issuer. */
  ocspUrl(): string {
    return `${this.d.publicUrl}/_certtrail/ocsp`;
  }

  /** Creates the root and the RSA and EC intermediates if this data dir lacks them. */
  async ensureHierarchy(): Promise<void> {
    let root = await this.d.store.read(async (tx) => tx.cas.getByKind('root'));
    if (!root) {
      const now = this.d.clock.now();
      const id = this.d.ids.uuid();
      const rec = this.record(id, 'root', await createRootCa(now), now);
      root = await this.d.store.write(async (tx) => {
        const raced = await tx.cas.getByKind('root');
        if (raced) return raced;
        await tx.cas.put(rec);
        return rec;
      });
    }
    for (const kind of ['intermediate', 'intermediate-ec'] as const) {
      if (await this.d.store.read(async (tx) => tx.cas.getByKind(kind))) continue;
      const now = this.d.clock.now();
      const material = await createIntermediateCa(
        { ...root, privateKeyPem: this.signing(root).privateKeyPem, serialHex: root.serial },
        { crlUrl: this.crlUrl(root.id), caIssuersUrl: this.caIssuersUrl(root.id) },
        now,
        kind === 'intermediate' ? 'RSA_2048' : 'EC_prime256v1',
      );
      const rec = { ...this.record(this.d.ids.uuid(), kind, material, now), parentId: root.id };
      await this.d.store.write(async (tx) => {
        if (!(await tx.cas.getByKind(kind))) await tx.cas.put(rec);
      });
    }
  }

  async root(): Promise<CaRecord> {
    return this.byKind('root');
  }

  /** The intermediate that signs AMAZON_ISSUED leaves of this key algorithm. */
  async intermediate(keyAlgorithm: string = 'RSA_2048'): Promise<CaRecord> {
    return this.byKind(keyAlgorithm.startsWith('EC') ? 'intermediate-ec' : 'intermediate');
  }

  private async byKind(kind: 'root' | 'intermediate' | 'intermediate-ec'): Promise<CaRecord> {
    const r = await this.d.store.read(async (tx) => tx.cas.getByKind(kind));
    if (!r) throw new Error(`CA hierarchy not initialised (${kind})`);
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
        ocspUrl: this.ocspUrl(),
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
