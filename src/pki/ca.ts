/**
 * The CA hierarchy certtrail signs with: a root and one issuing intermediate for the ACM public
 * stand-in (modelled on Amazon Root CA 1 → Amazon RSA 2048 M01), and one self-signed root per
 * account for the AWS Private CA stand-in. RSA-2048 everywhere: generation stays well under a
 * second at startup and every client accepts it.
 */
import { parseCertificatePem, subjectKeyId } from './certificate.js';
import { generateKeyPair } from './keys.js';
import { toPem } from './pem.js';
import { addYears, keyIdentifier, ownBytes, randomSerialHex, signCertificate, spkiDer, wholeSecond } from './signer.js';
import type { CaMaterial, KeyAlgorithm, KeyPair } from './types.js';
import { x509 } from './x509.js';

const CA_KEY: KeyAlgorithm = 'RSA_2048';
const { KeyUsageFlags: KU } = x509;

export const ROOT_SUBJECT: x509.JsonName = [{ C: ['US'] }, { O: ['certtrail'] }, { CN: ['certtrail Root CA 1'] }];
export const INTERMEDIATE_SUBJECT: x509.JsonName = [{ C: ['US'] }, { O: ['certtrail'] }, { CN: ['certtrail RSA 2048 M01'] }];
/** ACM signs EC leaves with an ECDSA intermediate (Amazon ECDSA 256 M0x), so their SignatureAlgorithm is SHA256WITHECDSA. */
export const EC_INTERMEDIATE_SUBJECT: x509.JsonName = [{ C: ['US'] }, { O: ['certtrail'] }, { CN: ['certtrail ECDSA 256 M01'] }];

export function privateCaSubject(account: string, region: string): x509.JsonName {
  // JSON names, not a DN string, so an account or region can never inject extra RDNs.
  return [{ C: ['US'] }, { O: ['certtrail private CA'] }, { OU: [account] }, { CN: [`certtrail Private CA ${region}`] }];
}

export async function createRootCa(now: Date): Promise<CaMaterial> {
  return selfSignedCa(ROOT_SUBJECT, now, 20);
}

export async function createPrivateCa(account: string, region: string, now: Date): Promise<CaMaterial> {
  return selfSignedCa(privateCaSubject(account, region), now, 10);
}

/**
 * The issuing CA. Its CRL DP and AIA point at the *root's* CRL and certificate, because those
 * extensions describe where to check this certificate, which the root signed. Validity is
 * capped at the root's NotAfter: a CA certificate outliving its issuer is unverifiable anyway.
 */
export async function createIntermediateCa(
  root: CaMaterial,
  urls: { crlUrl: string; caIssuersUrl: string },
  now: Date,
  keyAlgorithm: KeyAlgorithm = CA_KEY,
): Promise<CaMaterial> {
  const keys = await generateKeyPair(keyAlgorithm);
  const rootCert = parseCertificatePem(root.certificatePem);
  const notBefore = wholeSecond(now);
  const tenYears = addYears(notBefore, 10);
  const notAfter = tenYears > root.notAfter ? root.notAfter : tenYears;
  const spki = spkiDer(keys.publicKeyPem);
  const extensions = [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyCertSign | KU.cRLSign, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectKeyIdentifierExtension(keyIdentifier(spki)),
    new x509.AuthorityKeyIdentifierExtension(await subjectKeyId(rootCert)),
    new x509.CRLDistributionPointsExtension([urls.crlUrl]),
    new x509.AuthorityInfoAccessExtension({ caIssuers: [urls.caIssuersUrl] }),
  ];
  const cert = await signCertificate({
    serialHex: randomSerialHex(),
    subject: keyAlgorithm.startsWith('EC') ? EC_INTERMEDIATE_SUBJECT : INTERMEDIATE_SUBJECT,
    // The root's subject bytes verbatim, so issuer/subject chaining is byte-exact.
    issuer: new x509.Name(ownBytes(rootCert.subjectDer)),
    notBefore,
    notAfter,
    publicKeySpki: spki,
    extensions,
    signer: root,
  });
  return material(keys, cert);
}

async function selfSignedCa(subject: x509.JsonName, now: Date, years: number): Promise<CaMaterial> {
  const keys = await generateKeyPair(CA_KEY);
  const notBefore = wholeSecond(now);
  const spki = spkiDer(keys.publicKeyPem);
  const extensions = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(keyIdentifier(spki)),
  ];
  const cert = await signCertificate({
    serialHex: randomSerialHex(),
    subject,
    issuer: subject,
    notBefore,
    notAfter: addYears(notBefore, years),
    publicKeySpki: spki,
    extensions,
    signer: { privateKeyPem: keys.privateKeyPem, keyAlgorithm: CA_KEY },
  });
  return material(keys, cert);
}

function material(keys: KeyPair, cert: x509.X509Certificate): CaMaterial {
  return {
    certificatePem: toPem('CERTIFICATE', new Uint8Array(cert.rawData)),
    privateKeyPem: keys.privateKeyPem,
    keyAlgorithm: keys.algorithm,
    serialHex: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}
