/**
 * The contract between the ACM operations and the PKI. Everything here is plain data; PEM
 * strings of private keys exist only in memory (storage seals them with SecretBox).
 */
export type KeyAlgorithm =
  | 'RSA_1024' | 'RSA_2048' | 'RSA_3072' | 'RSA_4096'
  | 'EC_prime256v1' | 'EC_secp384r1' | 'EC_secp521r1';

export interface KeyPair {
  algorithm: KeyAlgorithm;
  /** Unencrypted PKCS#8 PEM. Never logged, never stored unsealed. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
}

/** A CA able to sign: its certificate and (in memory) its key. */
export interface SigningCa {
  certificatePem: string;
  privateKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
  /** Where relying parties fetch this CA's CRL and certificate (served by certtrail). */
  crlUrl: string;
  caIssuersUrl: string;
  /** The OCSP responder for what this CA issues (leaf AIA); none for CAs that only sign CAs. */
  ocspUrl?: string;
}

export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

export type KeyUsageName =
  | 'DIGITAL_SIGNATURE' | 'NON_REPUDIATION' | 'KEY_ENCIPHERMENT' | 'DATA_ENCIPHERMENT' | 'KEY_AGREEMENT'
  | 'CERTIFICATE_SIGNING' | 'CRL_SIGNING' | 'ENCIPHER_ONLY' | 'DECIPHER_ONLY' | 'ANY' | 'CUSTOM';

export type ExtendedKeyUsageName =
  | 'TLS_WEB_SERVER_AUTHENTICATION' | 'TLS_WEB_CLIENT_AUTHENTICATION' | 'CODE_SIGNING' | 'EMAIL_PROTECTION'
  | 'TIME_STAMPING' | 'OCSP_SIGNING' | 'IPSEC_END_SYSTEM' | 'IPSEC_TUNNEL' | 'IPSEC_USER' | 'ANY' | 'NONE' | 'CUSTOM';

/** What ACM reports about a certificate, derived from the certificate itself. */
export interface CertificateFacts {
  /** Subject CN, or the first DNS SAN when the subject has no CN. */
  domainName: string;
  /** DNS names (and IP addresses as text) of the SAN extension, in certificate order. */
  subjectAlternativeNames: string[];
  /** RFC 4514-ish, in certificate RDN order, comma-joined without spaces: "C=US,O=Example,CN=example.com". */
  subject: string;
  /** The issuer's O, else its CN. */
  issuer: string;
  /** The issuer's full DN in the same form as `subject`. */
  issuerDn?: string;
  /** Lowercase colon hex, e.g. "03:e9". */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: KeyAlgorithm;
  /** e.g. "SHA256WITHRSA", "SHA384WITHECDSA". */
  signatureAlgorithm: string;
  keyUsages: KeyUsageName[];
  extendedKeyUsages: { name: ExtendedKeyUsageName; oid: string }[];
  isCa: boolean;
  selfSigned: boolean;
  /** SHA-256 of the DER, hex (to compare re-imports, find duplicates). */
  fingerprint256: string;
}

export interface LeafRequest {
  /** 'amazon' = public profile (198 days, ServerAuth EKU); 'private' = PCA profile (395 days, ServerAuth+ClientAuth). */
  profile: 'amazon' | 'private';
  commonName: string;
  /** All DNS names, commonName first (ACM puts every name in the SAN extension). */
  dnsNames: string[];
  publicKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
  issuer: SigningCa;
  now: Date;
}

export interface IssuedLeaf {
  certificatePem: string;
  facts: CertificateFacts;
}

export interface RevokedEntry {
  serial: string; // colon hex as in CertificateFacts
  revokedAt: Date;
  reason: string; // ACM RevocationReason enum value
}
