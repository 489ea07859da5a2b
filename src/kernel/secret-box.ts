import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * AES-256-GCM for secrets at rest (private keys). Layout: version(1) | iv(12) | tag(16) | ciphertext.
 * The associated data binds a ciphertext to the row it belongs to, so a key cannot be swapped
 * between certificates in the database unnoticed.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('master key must be 32 bytes');
    this.key = key;
  }

  seal(plain: Buffer | string, aad = ''): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(typeof plain === 'string' ? Buffer.from(plain) : plain), c.final()]);
    return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
  }

  open(sealed: Buffer, aad = ''): Buffer {
    if (sealed[0] !== 1) throw new Error('unknown secret format');
    const d = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([d.update(sealed.subarray(29)), d.final()]);
  }
}

/**
 * The master key: `CERTTRAIL_MASTER_KEY` (64 hex chars or 44 base64 chars) or a key file under
 * the data dir, created on first start with mode 0600.
 */
export function loadMasterKey(envValue: string | undefined, keyFile: string): Buffer {
  if (envValue) {
    const k = /^[0-9a-fA-F]{64}$/.test(envValue) ? Buffer.from(envValue, 'hex') : Buffer.from(envValue, 'base64');
    if (k.length !== 32) throw new Error('CERTTRAIL_MASTER_KEY must be 32 bytes (64 hex or base64)');
    return k;
  }
  if (existsSync(keyFile)) return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
  mkdirSync(dirname(keyFile), { recursive: true });
  const k = randomBytes(32);
  writeFileSync(keyFile, k.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  return k;
}
