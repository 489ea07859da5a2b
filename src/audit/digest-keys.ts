import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { DAY_MS, type Clock } from '../kernel/clock.js';
import type { SecretBox } from '../kernel/secret-box.js';
import { generateKeyPair } from '../pki/keys.js';
import type { Store } from '../storage/ports.js';
import type { DigestKeyRecord } from '../storage/records.js';
import { publicKeyFingerprint, signBytes } from './digest.js';

/**
 * CloudTrail's digest signing keys: RSA-2048 pairs per region (API_ListPublicKeys: "Each digest
 * file is signed with a private key unique to its Region"), private keys sealed at rest.
 *
 * Rotation follows fixed slots counted from the Unix epoch: the key of slot n is valid from
 * n × 25 days for 30 days, so consecutive keys overlap by five days, as the 30-day, overlapping
 * windows of AWS's samples do (list-public-keys.rst: 1453076702 → 1455668702). A slot's key is
 * made the first time something needs it. The key that signs at a given instant is therefore a
 * function of (region, instant) and the stored keys alone: re-signing a digest after a crash
 * picks the same key, and RSASSA-PKCS1-v1_5 gives the same bytes.
 */
export const DIGEST_KEY_VALIDITY_MS = 30 * DAY_MS;
export const DIGEST_KEY_ROTATION_MS = 25 * DAY_MS;

/** The validity window of the key that signs at `at`. */
export function keyWindow(at: Date): { validFrom: Date; validTo: Date } {
  const from = Math.floor(at.getTime() / DIGEST_KEY_ROTATION_MS) * DIGEST_KEY_ROTATION_MS;
  return { validFrom: new Date(from), validTo: new Date(from + DIGEST_KEY_VALIDITY_MS) };
}

/** What the delivery engine signs a digest with. */
export interface DigestSigner {
  region: string;
  fingerprint: string;
  validFrom: Date;
  validTo: Date;
  /** Lowercase hex SHA256withRSA of `data` (the digest's string to sign, UTF-8). */
  sign(data: Buffer): string;
}

/** A key as ListPublicKeys shows it. */
export interface DigestPublicKey {
  region: string;
  fingerprint: string;
  /** DER PKCS#1 RSAPublicKey. */
  value: Buffer;
  validFrom: Date;
  validTo: Date;
}

export interface DigestKeysDeps {
  store: Store;
  box: SecretBox;
  clock: Clock;
  /** A new RSA-2048 private key as PKCS#8 PEM (tests substitute a pool of pre-made keys). */
  generate?: () => Promise<string>;
}

const aadOf = (region: string, fingerprint: string) => `digest-key:${region}:${fingerprint}`;
const publicOf = (k: DigestKeyRecord): DigestPublicKey => ({ region: k.region, fingerprint: k.fingerprint, value: k.publicKey, validFrom: k.validFrom, validTo: k.validTo });

export class DigestKeys {
  /** Opened private keys by region and fingerprint (unsealing costs an AES-GCM pass and a PEM parse). */
  private readonly opened = new Map<string, KeyObject>();
  /** One creation per region and slot in flight in this process. */
  private readonly creating = new Map<string, Promise<DigestKeyRecord>>();
  private readonly generate: () => Promise<string>;

  constructor(private readonly d: DigestKeysDeps) {
    this.generate = d.generate ?? (async () => (await generateKeyPair('RSA_2048')).privateKeyPem);
  }

  /**
   * The signer for digests of `region` at `at`, which should be the digest's end time. `region`
   * is the digest's source region: `aws cloudtrail validate-logs --region <source>` asks that
   * region's CloudTrail endpoint for the public keys, whatever the trail's home region.
   */
  async signerFor(region: string, at: Date): Promise<DigestSigner> {
    const k = await this.recordAt(region, at);
    const privateKey = this.privateKey(k);
    return {
      region,
      fingerprint: k.fingerprint,
      validFrom: k.validFrom,
      validTo: k.validTo,
      sign: (data) => signBytes(data, privateKey),
    };
  }

  /** The key of `region` that signs at `at`, made if its slot has none yet. */
  async keyAt(region: string, at: Date): Promise<DigestPublicKey> {
    return publicOf(await this.recordAt(region, at));
  }

  /** Every stored key of `region` whose validity overlaps [start, end], by validFrom. Makes none. */
  async publicKeys(region: string, start: Date, end: Date): Promise<DigestPublicKey[]> {
    const all = await this.d.store.read((tx) => tx.digestKeys.list(region));
    return all.filter((k) => k.validFrom <= end && k.validTo > start).map(publicOf);
  }

  /** Every stored key of `region`, by validFrom. */
  async allPublicKeys(region: string): Promise<DigestPublicKey[]> {
    return (await this.d.store.read((tx) => tx.digestKeys.list(region))).map(publicOf);
  }

  private async recordAt(region: string, at: Date): Promise<DigestKeyRecord> {
    const { validFrom, validTo } = keyWindow(at);
    const find = (keys: DigestKeyRecord[]) => keys.find((k) => k.validFrom.getTime() === validFrom.getTime());
    const stored = find(await this.d.store.read((tx) => tx.digestKeys.list(region)));
    if (stored) return stored;
    const slot = `${region}\0${validFrom.getTime()}`;
    let p = this.creating.get(slot);
    if (!p) {
      p = this.create(region, validFrom, validTo, find).finally(() => this.creating.delete(slot));
      this.creating.set(slot, p);
    }
    return p;
  }

  private async create(region: string, validFrom: Date, validTo: Date, find: (keys: DigestKeyRecord[]) => DigestKeyRecord | undefined): Promise<DigestKeyRecord> {
    // Generated outside the transaction: an RSA key takes a few hundred milliseconds.
    const pem = await this.generate();
    const publicKey = createPublicKey(pem).export({ type: 'pkcs1', format: 'der' });
    const fingerprint = publicKeyFingerprint(publicKey);
    const record: DigestKeyRecord = {
      region, fingerprint, publicKey, validFrom, validTo,
      privateKeySealed: this.d.box.seal(pem, aadOf(region, fingerprint)),
      createdAt: this.d.clock.now(),
    };
    const write = () =>
      this.d.store.write(async (tx) => {
        // Another process may have made the slot's key meanwhile: the first one stays.
        const existing = find(await tx.digestKeys.list(region));
        if (existing) return existing;
        await tx.digestKeys.put(record);
        return record;
      });
    try {
      return await write();
    } catch (e) {
      // A backend without serialised writers can lose the race on UNIQUE (region, valid_from).
      const existing = find(await this.d.store.read((tx) => tx.digestKeys.list(region)));
      if (existing) return existing;
      throw e;
    }
  }

  private privateKey(k: DigestKeyRecord): KeyObject {
    const id = `${k.region}\0${k.fingerprint}`;
    let key = this.opened.get(id);
    if (!key) {
      key = createPrivateKey(this.d.box.open(k.privateKeySealed, aadOf(k.region, k.fingerprint)));
      this.opened.set(id, key);
    }
    return key;
  }
}
