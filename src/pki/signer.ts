/**
 * The signing step shared by CAs, leaves and CRLs: key import into WebCrypto, the signature
 * algorithm for the signer's key type, serial numbers and validity arithmetic.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { children, readTlv } from './der.js';
import { isRsa, webCryptoCurve } from './keys.js';
import type { KeyAlgorithm } from './types.js';
import { webcrypto, x509 } from './x509.js';

export interface Signer {
  privateKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
}

/** SHA-256 with the signer's key type: RSASSA-PKCS1-v1_5 or ECDSA (ACM's SHA256WITHRSA / SHA256WITHECDSA). */
export function signingAlgorithm(alg: KeyAlgorithm): RsaHashedImportParams | EcdsaParams {
  return isRsa(alg) ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', hash: 'SHA-256' };
}

export async function importSigningKey(signer: Signer): Promise<CryptoKey> {
  const pkcs8 = createPrivateKey(signer.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  const alg = isRsa(signer.keyAlgorithm)
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    : { name: 'ECDSA', namedCurve: webCryptoCurve(signer.keyAlgorithm) };
  return webcrypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
}

/**
 * A copy on its own ArrayBuffer. The WebCrypto-typed signatures want ArrayBuffer-backed views,
 * and a pooled Node Buffer's `.buffer` also holds unrelated bytes that ASN.1 code could pick up.
 */
export function ownBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b);
}

export function spkiDer(publicKey: string | KeyObject): Uint8Array<ArrayBuffer> {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return ownBytes(key.export({ type: 'spki', format: 'der' }));
}

/**
 * RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (hex). Done with node:crypto
 * because the WebCrypto route costs a round trip through the threadpool per leaf.
 */
export function keyIdentifier(spki: Uint8Array): string {
  const [, bits] = children(spki, readTlv(spki, 0));
  return createHash('sha1').update(spki.subarray(bits.contentStart + 1, bits.end)).digest('hex');
}

/**
 * 16 random bytes, top bit cleared so the INTEGER is positive without a sign byte, and a non-zero
 * first byte so the encoding stays 16 bytes and minimal (~127 bits of entropy; the CA/Browser
 * Forum asks for at least 64).
 */
export function randomSerialHex(random: (n: number) => Uint8Array = randomBytes): string {
  const b = Buffer.from(random(16));
  b[0] &= 0x7f;
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex');
}

/** X.509 times carry whole seconds; truncating here keeps `facts.notBefore` equal to what we asked for. */
export function wholeSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

export function addYears(d: Date, years: number): Date {
  const out = new Date(d.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

export interface CertificateSpec {
  serialHex: string;
  subject: x509.JsonName | x509.Name;
  issuer: x509.JsonName | x509.Name;
  notBefore: Date;
  notAfter: Date;
  publicKeySpki: Uint8Array<ArrayBuffer>;
  extensions: x509.Extension[];
  signer: Signer;
  /** Reuse an imported key (issuing many leaves from one CA). */
  signingKey?: CryptoKey;
}

export async function signCertificate(spec: CertificateSpec): Promise<x509.X509Certificate> {
  const signingKey = spec.signingKey ?? (await importSigningKey(spec.signer));
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: spec.serialHex,
      subject: spec.subject,
      issuer: spec.issuer,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      publicKey: spec.publicKeySpki,
      signingKey,
      signingAlgorithm: signingAlgorithm(spec.signer.keyAlgorithm),
      extensions: spec.extensions,
    },
    webcrypto,
  );
}
