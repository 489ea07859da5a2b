/** What ACM reports about a certificate, read from the certificate alone. */
import { createHash } from 'node:crypto';
import { ValidationException } from '../kernel/errors.js';
import { parseCertificatePem, type ParsedCertificate } from './certificate.js';
import { children, readTlv } from './der.js';
import { keyAlgorithmOf } from './keys.js';
import {
  OID_CN, OID_O, extendedKeyUsageName, formatSerial, keyUsageNames, nameField, renderName, signatureAlgorithmName,
} from './names.js';
import type { CertificateFacts } from './types.js';
import { x509 } from './x509.js';

const OID_SAN = '2.5.29.17';
const SAN_DNS = 0x82; // [2] IMPLICIT IA5String
const SAN_IP = 0x87; // [7] IMPLICIT OCTET STRING

export function certificateFacts(pem: string): CertificateFacts {
  return factsOf(parseCertificatePem(pem));
}

/**
 * KeyUsages / ExtendedKeyUsages are empty when the certificate has no such extension; ACM's
 * listing shows "ANY" / "NONE" in that case, which is a rendering choice left to the caller.
 */
export function factsOf(p: ParsedCertificate): CertificateFacts {
  const keyAlgorithm = keyAlgorithmOf(p.node.publicKey);
  if (!keyAlgorithm) throw ValidationException('The certificate public key algorithm is not supported.');
  const sans = subjectAlternativeNames(p.cert);
  const cn = nameField(p.subjectDer, OID_CN);
  const ku = p.cert.getExtension(x509.KeyUsagesExtension);
  const eku = p.cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = p.cert.getExtension(x509.BasicConstraintsExtension);
  return {
    domainName: cn ?? sans[0] ?? '',
    subjectAlternativeNames: sans,
    subject: renderName(p.subjectDer),
    issuer: nameField(p.issuerDer, OID_O) ?? nameField(p.issuerDer, OID_CN) ?? renderName(p.issuerDer),
    issuerDn: renderName(p.issuerDer),
    serial: formatSerial(p.cert.serialNumber),
    notBefore: p.cert.notBefore,
    notAfter: p.cert.notAfter,
    keyAlgorithm,
    signatureAlgorithm: signatureAlgorithmName(p.signatureAlgorithmDer),
    keyUsages: ku ? keyUsageNames(ku.usages) : [],
    extendedKeyUsages: Array.from(eku?.usages ?? [], (oid) => ({ name: extendedKeyUsageName(String(oid)), oid: String(oid) })),
    isCa: bc?.ca ?? false,
    selfSigned: isSelfSigned(p),
    fingerprint256: createHash('sha256').update(p.der).digest('hex'),
  };
}

function isSelfSigned(p: ParsedCertificate): boolean {
  try {
    return p.issuerDer.equals(p.subjectDer) && p.node.verify(p.node.publicKey);
  } catch {
    return false;
  }
}

/** DNS names and IP addresses, in certificate order; other name forms are not ACM domains. */
function subjectAlternativeNames(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(OID_SAN);
  if (!ext) return [];
  const buf = new Uint8Array(ext.value);
  const out: string[] = [];
  for (const gn of children(buf, readTlv(buf, 0))) {
    const body = buf.subarray(gn.contentStart, gn.end);
    if (gn.tag === SAN_DNS) out.push(Buffer.from(body).toString('latin1'));
    else if (gn.tag === SAN_IP) {
      const ip = ipText(body);
      if (ip) out.push(ip);
    }
  }
  return out;
}

/** IPv4 dotted quad, IPv6 in RFC 5952 form; name-constraint style address+mask pairs are skipped. */
export function ipText(b: Uint8Array): string | undefined {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return undefined;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  // Longest run of two or more zero words becomes "::" (first one wins a tie).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
