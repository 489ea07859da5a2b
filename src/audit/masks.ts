/**
 * What an event shows of sensitive and binary members, one table per event profile
 * (../shared/reference/cloudtrail.md §3). Nothing else decides masking: the event builder
 * asks here for every blob and every listed member.
 */
export type EventProfile = 'current' | '2016';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Java ByteBuffer as 2016-era ACM events serialised blobs: real lengths, contents elided. */
function byteBuffer(length: number, hb: unknown[]) {
  return { hb, offset: 0, isReadOnly: false, bigEndian: true, nativeByteOrder: false, mark: -1, position: 0, limit: length, capacity: length, address: 0 };
}

type Masker = (value: Buffer | string) => unknown;

const elided: Masker = (v) => byteBuffer(Buffer.byteLength(v), ['byte', 'byte', 'byte', '...']);
const asterisks: Masker = (v) => {
  const n = Buffer.byteLength(v);
  return byteBuffer(n, Array.from({ length: n }, () => 42));
};
const hidden: Masker = () => HIDDEN;
/** Certificates are public: shown as PEM text, but only when they are exactly that. */
const pemText: Masker = (v) => {
  const text = Buffer.isBuffer(v) ? v.toString('utf8') : v;
  return /^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s-]*$/.test(text) && !containsKey(text) ? text : HIDDEN;
};

/** A last line of defence: whatever the member, text that carries a private key is never shown. */
export function containsKey(text: string): boolean {
  return /PRIVATE KEY/i.test(text);
}

interface ProfileTable {
  eventVersion: string;
  /** request member path (`Operation.member`) → how it is shown. */
  request: Record<string, Masker>;
  response: Record<string, Masker>;
  /** Any other blob. */
  blob: Masker;
  /** The 2016 records predate readOnly/managementEvent/eventCategory in ACM's examples. */
  modernFields: boolean;
}

export const PROFILES: Record<EventProfile, ProfileTable> = {
  current: {
    eventVersion: '1.11',
    request: {
      'ImportCertificate.PrivateKey': hidden,
      'ImportCertificate.Certificate': pemText,
      'ImportCertificate.CertificateChain': pemText,
      'ExportCertificate.Passphrase': hidden,
    },
    response: { 'ExportCertificate.PrivateKey': hidden },
    blob: hidden,
    modernFields: true,
  },
  '2016': {
    eventVersion: '1.04',
    request: {
      'ImportCertificate.PrivateKey': elided,
      'ImportCertificate.Certificate': elided,
      'ImportCertificate.CertificateChain': elided,
      'ExportCertificate.Passphrase': asterisks,
    },
    response: { 'ExportCertificate.PrivateKey': () => '**********' },
    blob: elided,
    modernFields: false,
  },
};
