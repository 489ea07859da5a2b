/**
 * Leaf certificate profiles, as small steps issue.ts runs in order: validate the request, build
 * the template, enforce the issuer's limits, add the profile's extensions. Each step is a plain
 * function so tests can check it alone.
 *
 * Validity: NotBefore is the request time truncated to the second (not the start of the UTC day,
 * as one 2019 ACM sample suggests): it is exact under an injected clock, never claims validity
 * before the certificate existed, and keeps NotAfter − NotBefore exactly the profile's days.
 */
import { ValidationException } from '../kernel/errors.js';
import { isRsa } from './keys.js';
import { addDays, keyIdentifier, wholeSecond } from './signer.js';
import type { KeyAlgorithm, LeafRequest } from './types.js';
import { x509 } from './x509.js';

export interface Profile {
  validityDays: number;
  extendedKeyUsages: string[];
}

const { ExtendedKeyUsage: EKU, KeyUsageFlags: KU } = x509;

export const PROFILES: Record<LeafRequest['profile'], Profile> = {
  // ACM public certificates: 198 days since Feb 2026; ServerAuth only since Jun 2025.
  amazon: { validityDays: 198, extendedKeyUsages: [EKU.serverAuth] },
  // ACM private certificates (via AWS Private CA): 13 months, client and server auth.
  private: { validityDays: 395, extendedKeyUsages: [EKU.serverAuth, EKU.clientAuth] },
};

/** What the issuing CA contributes to a leaf. */
export interface IssuerInfo {
  name: x509.Name;
  notAfter: Date;
  extensions: IssuerExtensions;
}

/** The leaf extensions that depend only on the issuer, built once per CA. */
export interface IssuerExtensions {
  authorityKeyId: x509.Extension;
  crlDistributionPoints: x509.Extension;
  authorityInfoAccess: x509.Extension;
}

export function issuerExtensions(issuerKeyId: string, urls: { crlUrl: string; caIssuersUrl: string; ocspUrl?: string }): IssuerExtensions {
  return {
    authorityKeyId: new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
    crlDistributionPoints: new x509.CRLDistributionPointsExtension([urls.crlUrl]),
    authorityInfoAccess: new x509.AuthorityInfoAccessExtension({ ...(urls.ocspUrl ? { ocsp: [urls.ocspUrl] } : {}), caIssuers: [urls.caIssuersUrl] }),
  };
}

export interface LeafTemplate {
  serialHex: string;
  subject: x509.JsonName;
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  publicKeySpki: Uint8Array<ArrayBuffer>;
  keyAlgorithm: KeyAlgorithm;
}

/** X.520 ub-common-name; ACM rejects a first domain name longer than this. */
const MAX_CN = 64;
const MAX_DNS_NAME = 253;
const DNS_NAME = /^[\x21-\x7e]+$/;

/** The names in SAN order: the CN first, then the rest, without repeats (DNS is case-insensitive). */
export function leafNames(req: Pick<LeafRequest, 'commonName' | 'dnsNames'>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const n of [req.commonName, ...req.dnsNames]) {
    const key = n.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

export function validateLeafRequest(req: LeafRequest): void {
  if (!req.commonName) throw ValidationException('The certificate must have a domain name.');
  if (req.commonName.length > MAX_CN) {
    throw ValidationException(`The first domain name can be no longer than ${MAX_CN} characters.`);
  }
  for (const n of leafNames(req)) {
    // dNSName is an IA5String; internationalised names must arrive already in punycode.
    if (n.length > MAX_DNS_NAME || !DNS_NAME.test(n)) throw ValidationException(`Invalid domain name: ${n.slice(0, MAX_DNS_NAME)}`);
  }
  if (!(req.profile in PROFILES)) throw ValidationException(`Unknown certificate profile ${String(req.profile)}.`);
}

export function leafTemplate(req: LeafRequest, profile: Profile, serialHex: string, publicKeySpki: Uint8Array<ArrayBuffer>): LeafTemplate {
  const notBefore = wholeSecond(req.now);
  return {
    serialHex,
    // ACM-issued certificates carry only the CN in the subject ("CN=example.com").
    subject: [{ CN: [req.commonName] }],
    dnsNames: leafNames(req),
    notBefore,
    notAfter: addDays(notBefore, profile.validityDays),
    publicKeySpki,
    keyAlgorithm: req.keyAlgorithm,
  };
}

/** A leaf never outlives its issuer: relying parties would reject the chain after that anyway. */
export function capToIssuer(t: LeafTemplate, issuer: IssuerInfo): LeafTemplate {
  if (t.notAfter <= issuer.notAfter) return t;
  if (issuer.notAfter <= t.notBefore) throw new Error('issuing CA certificate has expired');
  return { ...t, notAfter: issuer.notAfter };
}

/** In the order Amazon's leaves carry them. */
export function leafExtensions(t: LeafTemplate, issuer: IssuerInfo, profile: Profile): x509.Extension[] {
  // RSA keys may encipher the TLS pre-master secret; EC keys only sign (ECDHE).
  const usages = isRsa(t.keyAlgorithm) ? KU.digitalSignature | KU.keyEncipherment : KU.digitalSignature;
  return [
    issuer.extensions.authorityKeyId,
    new x509.SubjectKeyIdentifierExtension(keyIdentifier(t.publicKeySpki)),
    new x509.SubjectAlternativeNameExtension(t.dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    new x509.KeyUsagesExtension(usages, true),
    new x509.ExtendedKeyUsageExtension(profile.extendedKeyUsages),
    issuer.extensions.crlDistributionPoints,
    issuer.extensions.authorityInfoAccess,
    new x509.BasicConstraintsExtension(false, undefined, true),
  ];
}
