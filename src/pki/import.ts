/**
 * ImportCertificate's checks on client material. Every rejection is a ValidationException with a
 * fixed message: nothing from the input (least of all key bytes or parser errors, which can quote
 * them) is ever echoed back.
 *
 * A certificate that is not self-signed is accepted without a chain, as AWS does in practice: the
 * import succeeds and ACM simply has no chain to serve (relying parties must find it themselves).
 * A chain that is given must link in order — chain[0] issued the certificate, chain[i+1] issued
 * chain[i] (OpenSSL's issuer check: names, AKI/SKI, keyCertSign; then the signature) — but the
 * chain's own validity dates are not judged: ACM stores the path, it does not trust it.
 *
 * Synchronous on purpose: signatures are checked with Node's X509Certificate.verify (OpenSSL,
 * microseconds, covers RSA-PSS and any key type a CA may use) so the handler needs no await.
 */
import { X509Certificate as NodeX509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { ValidationException } from '../kernel/errors.js';
import { parseCertificateDer, type ParsedCertificate } from './certificate.js';
import { factsOf } from './facts.js';
import { keyAlgorithmOf } from './keys.js';
import { pemBlocks, type PemBlock } from './pem.js';
import type { CertificateFacts, KeyAlgorithm } from './types.js';

export const IMPORT_MESSAGES = {
  certificateMultiple:
    'The certificate field contains more than one certificate. You can specify only one certificate in this field.',
  certificateUnparsable: 'Unable to parse certificate. Please ensure the certificate is in PEM format.',
  certificateNotV3: 'The certificate must be an X.509 version 3 certificate.',
  certificateNoIssuer: 'The certificate must have a non-empty issuer.',
  certificateNoDomain: 'The certificate must contain a domain name or IP address in its subject or subject alternative names.',
  certificateNotYetValid: 'The certificate is not valid yet. The current time is before its NotBefore date.',
  certificateExpired: 'The certificate has expired. The current time is after its NotAfter date.',
  keyUnparsable: 'Unable to parse the private key. Please ensure the private key is an unencrypted key in PEM format.',
  keyMultiple: 'The private key field contains more than one private key. You can specify only one private key in this field.',
  keyEncrypted: 'The private key is not supported. The private key must not be encrypted.',
  keyUnsupported:
    'The private key is not supported. Only RSA 1024-bit, 2048-bit, 3072-bit and 4096-bit keys and EC P-256, P-384 and P-521 keys are allowed.',
  keyMismatch: 'The private key does not match the public key in the certificate.',
  chainUnparsable: 'Unable to parse the certificate chain. Please ensure the certificate chain is in PEM format.',
  chainInvalid: 'Could not validate the certificate with the certificate chain.',
} as const;

export interface ImportInput {
  certificate: Buffer;
  privateKey: Buffer;
  chain?: Buffer;
}

export interface ParsedImport {
  facts: CertificateFacts;
  /** Re-encoded from the DER (canonical PEM, one trailing newline). */
  certificatePem: string;
  /** The chain's certificates re-encoded and concatenated, leaf-nearest first. */
  chainPem?: string;
  /** Normalised unencrypted PKCS#8. */
  privateKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
}

const fail = (m: keyof typeof IMPORT_MESSAGES) => ValidationException(IMPORT_MESSAGES[m]);

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);
const ENCRYPTED_KEY_LABEL = 'ENCRYPTED PRIVATE KEY';
/** openssl ecparam -genkey writes this block before the key; it carries nothing we need. */
const IGNORED_KEY_LABELS = new Set(['EC PARAMETERS']);

export function parseImport(input: ImportInput, now: Date): ParsedImport {
  const cert = readCertificate(input.certificate);
  const key = readPrivateKey(input.privateKey);
  const keyAlgorithm = keyAlgorithmOf(key);
  if (!keyAlgorithm) throw fail('keyUnsupported');
  checkCertificate(cert, now);
  if (!matches(cert.node, key)) throw fail('keyMismatch');
  const chain = input.chain && input.chain.length > 0 ? readChain(input.chain) : undefined;
  if (chain) checkChain(cert, chain);
  const facts = readFacts(cert);
  if (!facts.domainName) throw fail('certificateNoDomain');
  return {
    facts,
    certificatePem: cert.pem,
    chainPem: chain?.map((c) => c.pem).join(''),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    keyAlgorithm,
  };
}

function readCertificate(raw: Buffer): ParsedCertificate {
  const certs = pemBlocks(raw.toString('latin1')).filter((b) => b.label === 'CERTIFICATE');
  if (certs.length > 1) throw fail('certificateMultiple');
  if (certs.length === 0) throw fail('certificateUnparsable');
  return parseOrFail(certs[0], 'certificateUnparsable');
}

function parseOrFail(block: PemBlock, message: keyof typeof IMPORT_MESSAGES): ParsedCertificate {
  try {
    return parseCertificateDer(block.der);
  } catch {
    throw fail(message);
  }
}

function readFacts(cert: ParsedCertificate): CertificateFacts {
  try {
    return factsOf(cert);
  } catch {
    // A malformed extension (SAN, key usage) surfaces only when facts read it.
    throw fail('certificateUnparsable');
  }
}

function checkCertificate(cert: ParsedCertificate, now: Date): void {
  if (cert.version !== 3) throw fail('certificateNotV3');
  // An empty issuer Name is the two bytes 30 00.
  if (cert.issuerDer.length <= 2) throw fail('certificateNoIssuer');
  if (now < cert.cert.notBefore) throw fail('certificateNotYetValid');
  if (now > cert.cert.notAfter) throw fail('certificateExpired');
}

function readPrivateKey(raw: Buffer): KeyObject {
  const text = raw.toString('latin1');
  const blocks = pemBlocks(text).filter((b) => !IGNORED_KEY_LABELS.has(b.label));
  if (blocks.some((b) => b.label === ENCRYPTED_KEY_LABEL || /ENCRYPTED/i.test(b.headers['Proc-Type'] ?? ''))) {
    throw fail('keyEncrypted');
  }
  const keys = blocks.filter((b) => KEY_LABELS.has(b.label));
  if (keys.length > 1) throw fail('keyMultiple');
  const [block] = keys;
  if (!block || block.der.length === 0 || blocks.length !== 1) throw fail('keyUnparsable');
  try {
    // From the block's DER, so stray text around it can never change what gets parsed.
    return createPrivateKey({ key: block.der, format: 'der', type: derType(block.label) });
  } catch {
    throw fail('keyUnparsable');
  }
}

function derType(label: string): 'pkcs8' | 'pkcs1' | 'sec1' {
  if (label === 'RSA PRIVATE KEY') return 'pkcs1';
  if (label === 'EC PRIVATE KEY') return 'sec1';
  return 'pkcs8';
}

function matches(cert: NodeX509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

function readChain(raw: Buffer): ParsedCertificate[] {
  const blocks = pemBlocks(raw.toString('latin1'));
  if (blocks.length === 0 || blocks.some((b) => b.label !== 'CERTIFICATE')) throw fail('chainUnparsable');
  return blocks.map((b) => parseOrFail(b, 'chainUnparsable'));
}

function checkChain(leaf: ParsedCertificate, chain: ParsedCertificate[]): void {
  let child = leaf;
  for (const parent of chain) {
    if (!issuedBy(child, parent)) throw fail('chainInvalid');
    child = parent;
  }
}

function issuedBy(child: ParsedCertificate, parent: ParsedCertificate): boolean {
  try {
    return child.node.checkIssued(parent.node) && child.node.verify(parent.node.publicKey);
  } catch {
    return false;
  }
}
