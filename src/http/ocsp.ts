import { DAY_MS, type Clock } from '../kernel/clock.js';
import { MalformedOcspRequest, OCSPResponseStatus, buildOcspResponse, certIdNames, ocspError, parseOcspRequest, type OcspAnswer } from '../pki/ocsp.js';
import type { Store } from '../storage/ports.js';
import type { Authorities } from '../services/ca/authorities.js';

const HEADERS = { 'Content-Type': 'application/ocsp-response' };
/** How long a relying party may cache an answer; the CRL is refreshed on the same cadence. */
const VALIDITY_MS = DAY_MS;

/** RFC 6960 Appendix A.1: GET carries the DER request base64-encoded, then URL-encoded, in the path. */
export function ocspGetRequest(encoded: string): Buffer | undefined {
  try {
    return Buffer.from(decodeURIComponent(encoded), 'base64');
  } catch {
    return undefined;
  }
}

/**
 * certtrail's OCSP responder, at the URL in every leaf's AIA: finds the issuing CA by the
 * request's CertID hashes and the certificate by serial; what no certtrail CA issued is
 * "unauthorized" (RFC 6960 §2.3), a serial the CA never issued is "unknown".
 */
export function ocspResponder(d: { store: Store; clock: Clock; authorities: Authorities }) {
  return async (body: Buffer | undefined) => {
    const answer = (der: Buffer) => ({ status: 200, headers: HEADERS, body: der });
    if (!body || body.length === 0) return answer(ocspError(OCSPResponseStatus.malformedRequest));
    let parsed: ReturnType<typeof parseOcspRequest>;
    try {
      parsed = parseOcspRequest(body);
    } catch (e) {
      if (e instanceof MalformedOcspRequest) return answer(ocspError(OCSPResponseStatus.malformedRequest));
      throw e;
    }
    const cas = await d.store.read((tx) => tx.cas.list());
    // One response is signed by one CA: every question must name the same issuer.
    const ca = cas.find((c) => certIdNames(parsed.questions[0]!.certId, c));
    if (!ca || !parsed.questions.every((q) => certIdNames(q.certId, ca))) return answer(ocspError(OCSPResponseStatus.unauthorized));
    const now = d.clock.now();
    const answers = await d.store.read(async (tx) =>
      Promise.all(parsed.questions.map(async (q) => {
        const c = await tx.certificates.getBySerial(ca.id, q.serial);
        let a: OcspAnswer;
        if (!c) a = { status: 'unknown' };
        // A certificate managed renewal replaced was never revoked: it stays good until its own NotAfter.
        else if (c.facts?.serial !== q.serial) a = { status: 'good' };
        else if (c.status === 'REVOKED' && c.revokedAt) a = { status: 'revoked', revokedAt: c.revokedAt, reason: c.revocationReason ?? 'UNSPECIFIED' };
        else a = { status: 'good' };
        return { certId: q.certId, answer: a };
      })),
    );
    return answer(buildOcspResponse(d.authorities.signing(ca), answers, now, new Date(now.getTime() + VALIDITY_MS), parsed.nonce));
  };
}
