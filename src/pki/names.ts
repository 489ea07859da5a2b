/**
 * How ACM spells certificate fields. ACM's recorded output ("C=AU,ST=Some-State,...,CN=localhost")
 * is exactly BouncyCastle's default X500Name style: RDNs in encoded order, no spaces, RFC 4514
 * escaping, short names from BC's table and dotted OIDs for the rest. We reproduce that here.
 */
import { DerError, TAG, children, content, decodeOid, decodeString, readTlv } from './der.js';
import type { ExtendedKeyUsageName, KeyUsageName } from './types.js';

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '2.5.4.12': 'T',
  '2.5.4.4': 'SURNAME',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.43': 'INITIALS',
  '2.5.4.44': 'GENERATION',
  '2.5.4.46': 'DN',
  '2.5.4.65': 'Pseudonym',
  '2.5.4.15': 'BusinessCategory',
  '2.5.4.17': 'PostalCode',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
  '1.2.840.113549.1.9.2': 'unstructuredName',
  '1.2.840.113549.1.9.8': 'unstructuredAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

export const OID_CN = '2.5.4.3';
export const OID_O = '2.5.4.10';

export interface NameAttribute {
  oid: string;
  /** Decoded text; undefined when the value is not a character string. */
  value?: string;
  /** The whole encoded value (tag included), for rendering non-strings as `#hex`. */
  encoded: Uint8Array;
}

/** The attributes of a DER Name, grouped per RDN, in encoded order. */
export function nameRdns(nameDer: Uint8Array): NameAttribute[][] {
  const buf = nameDer;
  const seq = readTlv(buf, 0);
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('Name is not a SEQUENCE');
  return children(buf, seq).map((set) => {
    if (set.tag !== TAG.SET) throw new DerError('RDN is not a SET');
    return children(buf, set).map((atv) => {
      const [type, value] = children(buf, atv);
      if (!type || type.tag !== TAG.OID || !value) throw new DerError('bad AttributeTypeAndValue');
      return {
        oid: decodeOid(content(buf, type)),
        value: decodeString(value.tag, content(buf, value)),
        encoded: buf.subarray(value.start, value.end),
      };
    });
  });
}

export function renderName(nameDer: Uint8Array): string {
  return nameRdns(nameDer)
    .map((rdn) => rdn.map(renderAttribute).join('+'))
    .join(',');
}

function renderAttribute(a: NameAttribute): string {
  const key = SHORT_NAMES[a.oid] ?? a.oid;
  const value = a.value === undefined ? '#' + Buffer.from(a.encoded).toString('hex') : escapeValue(a.value);
  return `${key}=${value}`;
}

function escapeValue(v: string): string {
  let s = v.replace(/[,"\\+=<>;]/g, (c) => '\\' + c);
  if (s.startsWith('#') || s.startsWith(' ')) s = '\\' + s;
  if (v.length > 1 && v.endsWith(' ')) s = s.slice(0, -1) + '\\ ';
  return s;
}

/** First value of an attribute (e.g. CN, O), or undefined. */
export function nameField(nameDer: Uint8Array, oid: string): string | undefined {
  for (const rdn of nameRdns(nameDer)) for (const a of rdn) if (a.oid === oid && a.value !== undefined) return a.value;
  return undefined;
}

/**
 * Lowercase colon hex of a serial's magnitude ("03:e9"). The 00 byte DER adds to keep a serial
 * with its top bit set positive is dropped, as `openssl x509 -serial/-text` shows it; AWS's own
 * docs tell users to read serials from openssl, so that is the spelling they compare against.
 */
export function formatSerial(hexOrBytes: string | Uint8Array): string {
  let bytes = typeof hexOrBytes === 'string' ? Buffer.from(evenHex(hexOrBytes), 'hex') : Buffer.from(hexOrBytes);
  if (bytes.length > 1 && bytes[0] === 0 && bytes[1] & 0x80) bytes = bytes.subarray(1);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Plain hex from the colon form (what @peculiar/x509 takes for serial numbers). */
export function serialToHex(colonHex: string): string {
  const hex = colonHex.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new RangeError('serial is not hex');
  return evenHex(hex);
}

function evenHex(hex: string): string {
  return hex.length % 2 ? '0' + hex : hex;
}

const HASH_NAMES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA1',
  '2.16.840.1.101.3.4.2.4': 'SHA224',
  '2.16.840.1.101.3.4.2.1': 'SHA256',
  '2.16.840.1.101.3.4.2.2': 'SHA384',
  '2.16.840.1.101.3.4.2.3': 'SHA512',
};

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5WITHRSA',
  '1.2.840.113549.1.1.5': 'SHA1WITHRSA',
  '1.2.840.113549.1.1.14': 'SHA224WITHRSA',
  '1.2.840.113549.1.1.11': 'SHA256WITHRSA',
  '1.2.840.113549.1.1.12': 'SHA384WITHRSA',
  '1.2.840.113549.1.1.13': 'SHA512WITHRSA',
  '1.2.840.10045.4.1': 'SHA1WITHECDSA',
  '1.2.840.10045.4.3.1': 'SHA224WITHECDSA',
  '1.2.840.10045.4.3.2': 'SHA256WITHECDSA',
  '1.2.840.10045.4.3.3': 'SHA384WITHECDSA',
  '1.2.840.10045.4.3.4': 'SHA512WITHECDSA',
  '1.2.840.10040.4.3': 'SHA1WITHDSA',
  '2.16.840.1.101.3.4.3.2': 'SHA256WITHDSA',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * Name of a signature AlgorithmIdentifier (DER, tag included), in the uppercase JCA/BouncyCastle
 * spelling ACM shows. RSASSA-PSS takes its hash from the parameters (SHA-1 when absent, per
 * RFC 4055) and BC's "…WITHRSAANDMGF1" form. Unknown algorithms fall back to the dotted OID.
 */
export function signatureAlgorithmName(algIdDer: Uint8Array): string {
  const seq = readTlv(algIdDer, 0);
  const [oidTlv, params] = children(algIdDer, seq);
  if (!oidTlv || oidTlv.tag !== TAG.OID) throw new DerError('bad AlgorithmIdentifier');
  const oid = decodeOid(content(algIdDer, oidTlv));
  if (oid !== OID_RSASSA_PSS) return SIGNATURE_NAMES[oid] ?? oid;
  let hash = 'SHA1';
  if (params && params.tag === TAG.SEQUENCE) {
    const hashField = children(algIdDer, params).find((t) => t.tag === TAG.CONTEXT_0);
    if (hashField) {
      const [hashAlg] = children(algIdDer, hashField);
      const [hashOid] = hashAlg ? children(algIdDer, hashAlg) : [];
      if (hashOid) hash = HASH_NAMES[decodeOid(content(algIdDer, hashOid))] ?? 'UNKNOWN';
    }
  }
  return `${hash}WITHRSAANDMGF1`;
}

/** Bit i of the KeyUsage BIT STRING, in RFC 5280 order (bit 0 = digitalSignature). */
const KEY_USAGE_BITS: KeyUsageName[] = [
  'DIGITAL_SIGNATURE',
  'NON_REPUDIATION',
  'KEY_ENCIPHERMENT',
  'DATA_ENCIPHERMENT',
  'KEY_AGREEMENT',
  'CERTIFICATE_SIGNING',
  'CRL_SIGNING',
  'ENCIPHER_ONLY',
  'DECIPHER_ONLY',
];

/** KU names for @peculiar/x509's flag mask (its flag 1<<i is RFC bit i). */
export function keyUsageNames(flags: number): KeyUsageName[] {
  return KEY_USAGE_BITS.filter((_, i) => flags & (1 << i));
}

const EKU_NAMES: Record<string, ExtendedKeyUsageName> = {
  '1.3.6.1.5.5.7.3.1': 'TLS_WEB_SERVER_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.2': 'TLS_WEB_CLIENT_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.3': 'CODE_SIGNING',
  '1.3.6.1.5.5.7.3.4': 'EMAIL_PROTECTION',
  '1.3.6.1.5.5.7.3.5': 'IPSEC_END_SYSTEM',
  '1.3.6.1.5.5.7.3.6': 'IPSEC_TUNNEL',
  '1.3.6.1.5.5.7.3.7': 'IPSEC_USER',
  '1.3.6.1.5.5.7.3.8': 'TIME_STAMPING',
  '1.3.6.1.5.5.7.3.9': 'OCSP_SIGNING',
  '2.5.29.37.0': 'ANY',
};

export function extendedKeyUsageName(oid: string): ExtendedKeyUsageName {
  return EKU_NAMES[oid] ?? 'CUSTOM';
}
