/**
 * One parse of a DER certificate into the three views the PKI needs: @peculiar/x509 (extensions,
 * signature checks), Node's X509Certificate (key matching, sync self-signature check) and the
 * raw DER fields neither exposes faithfully (version, exact Name bytes, signature AlgorithmId).
 */
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { DerError, TAG, children, readTlv } from './der.js';
import { toPem } from './pem.js';
import { x509 } from './x509.js';

export interface ParsedCertificate {
  der: Buffer;
  pem: string;
  cert: x509.X509Certificate;
  node: NodeX509Certificate;
  /** 1, 2 or 3 (the encoded value plus one). */
  version: number;
  issuerDer: Buffer;
  subjectDer: Buffer;
  /** The outer signatureAlgorithm, tag included. */
  signatureAlgorithmDer: Buffer;
}

/** Throws (DerError or a library error) when the bytes are not exactly one certificate. */
export function parseCertificateDer(input: Uint8Array, already?: x509.X509Certificate): ParsedCertificate {
  const der = Buffer.from(input);
  const outer = readTlv(der, 0);
  // Trailing bytes would mean two different things (ours vs a lax parser's) are "the" certificate.
  if (outer.tag !== TAG.SEQUENCE || outer.end !== der.length) throw new DerError('not a single certificate');
  const [tbs, sigAlg] = children(der, outer);
  if (!tbs || tbs.tag !== TAG.SEQUENCE || !sigAlg || sigAlg.tag !== TAG.SEQUENCE) throw new DerError('bad certificate');
  const fields = children(der, tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === TAG.CONTEXT_0) {
    const [v] = children(der, fields[0]);
    if (!v || v.tag !== TAG.INTEGER || v.end - v.contentStart !== 1) throw new DerError('bad version');
    version = der[v.contentStart] + 1;
    i = 1;
  }
  // serialNumber, signature, issuer, validity, subject
  const issuer = fields[i + 2];
  const subject = fields[i + 4];
  if (!issuer || issuer.tag !== TAG.SEQUENCE || !subject || subject.tag !== TAG.SEQUENCE) throw new DerError('bad names');
  return {
    der,
    pem: toPem('CERTIFICATE', der),
    cert: already ?? new x509.X509Certificate(der),
    node: new NodeX509Certificate(der),
    version,
    issuerDer: der.subarray(issuer.start, issuer.end),
    subjectDer: der.subarray(subject.start, subject.end),
    signatureAlgorithmDer: der.subarray(sigAlg.start, sigAlg.end),
  };
}

/** Views of a certificate we just generated, without parsing it with @peculiar/x509 again. */
export function fromGenerated(cert: x509.X509Certificate): ParsedCertificate {
  return parseCertificateDer(new Uint8Array(cert.rawData), cert);
}

/** Parses a PEM string holding one certificate (our own output, or already-validated input). */
export function parseCertificatePem(pem: string): ParsedCertificate {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new DerError('no CERTIFICATE block');
  return parseCertificateDer(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

/** Hex Subject Key Identifier, computing RFC 5280 method 1 when the extension is absent. */
export async function subjectKeyId(parsed: ParsedCertificate): Promise<string> {
  const ext = parsed.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ext) return ext.keyId;
  return Buffer.from(await parsed.cert.publicKey.getKeyIdentifier()).toString('hex');
}
