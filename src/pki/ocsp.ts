/**
 * An OCSP responder's two halves (RFC 6960): reading a request's CertIDs and answering them with
 * a BasicOCSPResponse signed by the issuing CA itself (§4.2.2.2: no delegated responder needed).
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import {
  BasicOCSPResponse, CertID, CertStatus, OCSPRequest, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData,
  RevokedInfo, SingleResponse, id_pkix_ocsp_basic, id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReason, Extension } from '@peculiar/asn1-x509';
import { parseCertificatePem, type ParsedCertificate } from './certificate.js';
import { keyIdentifier, spkiDer, wholeSecond } from './signer.js';
import { crlReasonCode } from './crl.js';
import { children, readTlv } from './der.js';
import { isRsa, keyAlgorithmOf } from './keys.js';
import { formatSerial } from './names.js';

const HASHES: Record<string, string> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export class MalformedOcspRequest extends Error {}

export interface OcspQuestion {
  certId: CertID;
  /** Colon-hex, as DescribeCertificate shows serials. */
  serial: string;
}

export function parseOcspRequest(der: Uint8Array): { questions: OcspQuestion[]; nonce?: ArrayBuffer } {
  let req: OCSPRequest;
  try {
    req = AsnConvert.parse(der, OCSPRequest);
  } catch {
    throw new MalformedOcspRequest('not an OCSPRequest');
  }
  const list = req.tbsRequest.requestList;
  if (!list.length) throw new MalformedOcspRequest('no requests');
  const nonce = req.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce)?.extnValue.buffer;
  return { questions: list.map((r) => ({ certId: r.reqCert, serial: formatSerial(new Uint8Array(r.reqCert.serialNumber)) })), nonce };
}

/** The CA a CertID names, if it is this one: issuer name and key hashed with the request's algorithm. */
export function certIdNames(certId: CertID, ca: { certificatePem: string }): boolean {
  const hash = HASHES[certId.hashAlgorithm.algorithm];
  if (!hash) return false;
  const parsed = parseCertificatePem(ca.certificatePem);
  const keyHash = createHash(hash).update(publicKeyBits(parsed)).digest();
  const nameHash = createHash(hash).update(parsed.subjectDer).digest();
  return Buffer.from(certId.issuerKeyHash.buffer).equals(keyHash) && Buffer.from(certId.issuerNameHash.buffer).equals(nameHash);
}

/** The subjectPublicKey BIT STRING's bits (what OCSP's key hashes and byKey responder IDs hash). */
function publicKeyBits(parsed: ParsedCertificate): Uint8Array {
  const spki = spkiDer(parsed.node.publicKey);
  const [, bits] = children(spki, readTlv(spki, 0));
  return spki.subarray(bits!.contentStart + 1, bits!.end);
}

export type OcspAnswer = { status: 'good' } | { status: 'unknown' } | { status: 'revoked'; revokedAt: Date; reason: string };

/** A successful response to every question, signed with the CA's key. */
export function buildOcspResponse(
  ca: { certificatePem: string; privateKeyPem: string },
  answers: { certId: CertID; answer: OcspAnswer }[],
  now: Date,
  nextUpdate: Date,
  nonce?: ArrayBuffer,
): Buffer {
  // byKey is the SHA-1 of the key bits: the CA's key identifier (RFC 6960 §4.2.1).
  const keyHash = Buffer.from(keyIdentifier(spkiDer(parseCertificatePem(ca.certificatePem).node.publicKey)), 'hex');
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new OctetString(keyHash) }),
    producedAt: wholeSecond(now),
    responses: answers.map(({ certId, answer }) => new SingleResponse({
      certID: certId,
      certStatus: new CertStatus(
        answer.status === 'good'
          ? { good: null }
          : answer.status === 'revoked'
            ? { revoked: new RevokedInfo({ revocationTime: wholeSecond(answer.revokedAt), ...(answer.reason === 'UNSPECIFIED' ? {} : { revocationReason: new CRLReason(crlReasonCode(answer.reason) as number) }) }) }
            : { unknown: null },
      ),
      thisUpdate: wholeSecond(now),
      nextUpdate: wholeSecond(nextUpdate),
    })),
    ...(nonce ? { responseExtensions: [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(nonce) })] } : {}),
  });
  const tbs = Buffer.from(AsnConvert.serialize(data));
  const alg = keyAlgorithmOf(ca.privateKeyPem);
  if (!alg) throw new Error('unsupported CA key');
  const rsa = isRsa(alg);
  const signature = sign('sha256', tbs, createPrivateKey(ca.privateKeyPem));
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new AlgorithmIdentifier(rsa ? { algorithm: SHA256_WITH_RSA, parameters: null } : { algorithm: ECDSA_WITH_SHA256 }),
    signature: new Uint8Array(signature).buffer,
  });
  return Buffer.from(AsnConvert.serialize(new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  })));
}

/** An unsuccessful response: malformedRequest, internalError, unauthorized… (RFC 6960 §4.2.1). */
export function ocspError(status: OCSPResponseStatus): Buffer {
  return Buffer.from(AsnConvert.serialize(new OCSPResponse({ responseStatus: status })));
}

export { OCSPResponseStatus };
