import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  /** Unencrypted PKCS#8 PEM. */
  keyPem: string;
  certPem: string;
}

export function newKeyPem(kind: 'rsa' | 'ec' = 'rsa'): string {
  const { privateKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A self-signed X.509 v3 certificate for `cn` (also its DNS SAN), valid from now for `days`, made with the openssl CLI. */
export function selfSigned(cn: string, opts: { kind?: 'rsa' | 'ec'; days?: number; keyPem?: string } = {}): KeyAndCert {
  const keyPem = opts.keyPem ?? newKeyPem(opts.kind);
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-test-pki-'));
  try {
    writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
    const r = spawnSync('openssl', [
      'req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-subj', `/CN=${cn}`,
      '-addext', `subjectAltName=DNS:${cn}`, '-days', String(opts.days ?? 30), '-sha256',
    ]);
    // stderr only: it never contains the key.
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr.toString()}`);
    return { keyPem, certPem: r.stdout.toString('latin1') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');
