/**
 * Key pairs for ACM's key algorithms. Generation uses the callback form of
 * crypto.generateKeyPair so the work runs on libuv's threadpool, not the event loop: an RSA-2048
 * key costs ~100-300 ms of CPU, which would otherwise stall every in-flight request.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as nodeGenerateKeyPair, KeyObject } from 'node:crypto';
import type { KeyAlgorithm, KeyPair } from './types.js';

export { KeyPool, type KeyPoolOptions } from './key-pool.js';

const RSA_BITS = { RSA_1024: 1024, RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 } as const;
const EC_CURVES = { EC_prime256v1: 'prime256v1', EC_secp384r1: 'secp384r1', EC_secp521r1: 'secp521r1' } as const;

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = [
  ...(Object.keys(RSA_BITS) as KeyAlgorithm[]),
  ...(Object.keys(EC_CURVES) as KeyAlgorithm[]),
];

export function isKeyAlgorithm(s: string): s is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(s);
}

export function isRsa(alg: KeyAlgorithm): boolean {
  return alg in RSA_BITS;
}

/** The curve's JOSE/WebCrypto name (P-256...) for an EC algorithm. */
export function webCryptoCurve(alg: KeyAlgorithm): 'P-256' | 'P-384' | 'P-521' {
  if (alg === 'EC_prime256v1') return 'P-256';
  if (alg === 'EC_secp384r1') return 'P-384';
  if (alg === 'EC_secp521r1') return 'P-521';
  throw new RangeError(`${alg} is not an EC algorithm`);
}

export function generateKeyPair(alg: KeyAlgorithm): Promise<KeyPair> {
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKeyPem: string, privateKeyPem: string) =>
      err ? reject(err) : resolve({ algorithm: alg, publicKeyPem, privateKeyPem });
    if (alg in RSA_BITS) {
      const modulusLength = RSA_BITS[alg as keyof typeof RSA_BITS];
      nodeGenerateKeyPair('rsa', { modulusLength, publicExponent: 0x10001, ...encoding }, done);
    } else if (alg in EC_CURVES) {
      const namedCurve = EC_CURVES[alg as keyof typeof EC_CURVES];
      nodeGenerateKeyPair('ec', { namedCurve, ...encoding }, done);
    } else {
      reject(new RangeError(`unknown key algorithm ${String(alg)}`));
    }
  });
}

/**
 * ACM's name for a key (private, public, or a certificate's PEM), or undefined when ACM does
 * not support it (DSA, Ed25519, RSA-PSS-only keys, odd RSA sizes, other curves, junk).
 */
export function keyAlgorithmOf(key: KeyObject | string | Buffer): KeyAlgorithm | undefined {
  let pub: KeyObject;
  try {
    // createPublicKey derives from private keys and certificates but refuses a public KeyObject.
    pub = key instanceof KeyObject && key.type === 'public' ? key : createPublicKey(key);
  } catch {
    return undefined;
  }
  const details = pub.asymmetricKeyDetails ?? {};
  if (pub.asymmetricKeyType === 'rsa') {
    const hit = Object.entries(RSA_BITS).find(([, bits]) => bits === details.modulusLength);
    return hit?.[0] as KeyAlgorithm | undefined;
  }
  if (pub.asymmetricKeyType === 'ec') {
    const hit = Object.entries(EC_CURVES).find(([, curve]) => curve === details.namedCurve);
    return hit?.[0] as KeyAlgorithm | undefined;
  }
  return undefined;
}

/**
 * The private key as encrypted PKCS#8 (PBES2 with PBKDF2 and AES-256-CBC), the form
 * ExportCertificate returns; `openssl pkey -passin` and every TLS stack can read it. The
 * passphrase is a Buffer so callers can wipe it after use.
 */
export function exportEncryptedPkcs8(privateKeyPem: string, passphrase: Buffer): string {
  const key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}
