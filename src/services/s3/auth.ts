/**
 * SigV4 for S3: the same parser and verifier as the JSON services (src/auth/sigv4.ts), with
 * S3's canonicalisation (the path signed as sent, the payload hash taken from
 * x-amz-content-sha256) and S3's error dialect: SignatureDoesNotMatch, InvalidAccessKeyId,
 * AuthorizationHeaderMalformed, RequestTimeTooSkewed, and AccessDenied for anonymous calls
 * (certtrail has no public buckets).
 */
import type { CredentialCache } from '../../auth/credentials.js';
import type { Principal } from '../../auth/principal.js';
import { MAX_SKEW_MS, parseSigV4, verifySigV4, type IncomingSigned, type SigV4Claim } from '../../auth/sigv4.js';
import { isServiceError, type ServiceError } from '../../kernel/errors.js';
import {
  AccessDenied, AuthorizationHeaderMalformed, AuthorizationQueryParametersError, InvalidAccessKeyId, InvalidArgument, InvalidRequest,
  RequestTimeTooSkewed, SignatureDoesNotMatch,
} from './errors.js';
import { decodePayload, type Payload } from './payload.js';

export interface Authenticated extends Payload {
  principal: Principal;
  claim: SigV4Claim;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const hexBytes = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The caller, once the signature and the payload both check out. `onPrincipal` hears who it is as soon as the key is known. */
export async function authenticate(req: IncomingSigned, now: Date, credentials: CredentialCache, onPrincipal: (p: Principal, region: string) => void): Promise<Authenticated> {
  const presigned = /(^|&)X-Amz-(Algorithm|Credential)=/.test(req.query);
  let claim: SigV4Claim;
  try {
    claim = parseSigV4(req, now);
  } catch (e) {
    throw isServiceError(e) ? toS3AuthError(e, req, presigned, now) : e;
  }
  if (claim.service !== 's3') {
    const detail = `incorrect service "${claim.service}". This endpoint belongs to "s3".`;
    throw presigned ? AuthorizationQueryParametersError(`Error parsing the X-Amz-Credential parameter; ${detail}`) : AuthorizationHeaderMalformed(detail);
  }
  let resolved: { secret: string; principal: Principal };
  try {
    resolved = await credentials.resolve(claim.accessKeyId, claim.securityToken);
  } catch (e) {
    if (isServiceError(e) && e.code === 'UnrecognizedClientException') throw InvalidAccessKeyId(claim.accessKeyId);
    throw e;
  }
  onPrincipal(resolved.principal, claim.region);
  await verifySigV4(req, claim, resolved.secret, {
    skipPayloadCheck: true,
    mismatch: ({ canonicalRequest, stringToSign }) =>
      SignatureDoesNotMatch({
        AWSAccessKeyId: claim.accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: claim.signature,
        StringToSignBytes: hexBytes(stringToSign),
        CanonicalRequest: canonicalRequest,
        CanonicalRequestBytes: hexBytes(canonicalRequest),
      }),
  });

  const declaredHeader = first(req.headers['x-amz-content-sha256']);
  // S3 wants the payload hash declared on every header-signed request; presigned URLs default to
  // UNSIGNED-PAYLOAD, as the verifier also assumed.
  if (!claim.presigned && declaredHeader === undefined) throw InvalidRequest('Missing required header for this request: x-amz-content-sha256');
  const declared = declaredHeader ?? (claim.presigned ? presignedHash(req.query) : undefined);
  const payload = decodePayload(req.body, req.headers, declared, { claim, secretAccessKey: resolved.secret });
  return { principal: resolved.principal, claim, ...payload };
}

function presignedHash(query: string): string {
  const m = /(?:^|&)X-Amz-Content-Sha256=([^&]*)/.exec(query);
  return m ? decodeURIComponent(m[1]) : 'UNSIGNED-PAYLOAD';
}

/** The JSON services' SigV4 complaints, as S3 words them. */
function toS3AuthError(e: ServiceError, req: IncomingSigned, presigned: boolean, now: Date): ServiceError {
  const malformed = (m: string) => (presigned ? AuthorizationQueryParametersError(m) : AuthorizationHeaderMalformed(m));
  const serverTime = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  switch (e.code) {
    case 'MissingAuthenticationTokenException':
      return AccessDenied();
    case 'InvalidSignatureException':
      if (/^Signature (expired|not yet current)/.test(e.message)) {
        if (presigned) {
          const expires = /(?:^|&)X-Amz-Expires=(\d+)/.exec(req.query)?.[1];
          return /^Signature expired/.test(e.message)
            ? AccessDenied('Request has expired', { 'X-Amz-Expires': expires, ServerTime: serverTime })
            : AccessDenied('Request is not valid yet', { ServerTime: serverTime });
        }
        const requestTime = first(req.headers['x-amz-date']) ?? first(req.headers.date) ?? '';
        return RequestTimeTooSkewed(requestTime, serverTime, MAX_SKEW_MS);
      }
      if (/^Found both/.test(e.message)) {
        return InvalidArgument(
          'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
          'Authorization', first(req.headers.authorization),
        );
      }
      return malformed(e.message);
    case 'IncompleteSignatureException':
      if (/^Unsupported AWS 'algorithm'|not a valid key=value pair/.test(e.message) && !presigned) {
        return InvalidArgument('Unsupported Authorization Type', 'Authorization', first(req.headers.authorization));
      }
      return malformed(e.message);
    default:
      return e;
  }
}
