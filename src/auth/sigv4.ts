/**
 * AWS Signature Version 4 request authentication (header and presigned-query forms).
 *
 * Parsing and the order of checks follow what AWS JSON ("coral") services answer, so SDKs and
 * the CLI surface the same errors against certtrail as against AWS. Canonicalisation, the
 * string to sign and the HMAC chain are @smithy/signature-v4's, i.e. the code the AWS SDK for
 * JavaScript signs with, so whatever it signs verifies here byte for byte. The common case of
 * an AWS JSON call (header authentication, path "/", no query, not S3) is recomputed with
 * node:crypto directly, with the same canonical strings as smithy builds (see verifyCommonCase);
 * everything else goes through smithy's own builders.
 *
 * Where the error texts come from (public reports of real AWS responses):
 *  - "Request is missing Authentication Token" — the JSON-service wording
 *    (awslabs/aws-sdk-ios-samples#111: com.amazon.coral.service#MissingAuthenticationTokenException;
 *    STS says the same, amzn/selling-partner-api-docs#3081). "Missing Authentication Token" is
 *    API Gateway's, not a service's.
 *  - "Authorization header requires 'Credential' parameter. … 'Signature' … 'SignedHeaders' …
 *    Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.
 *    Authorization=<header>" — aws/chalice#828, aws/aws-sdk-js#4285 (SSM), brendanhay/amazonka#316.
 *  - "'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: '<header>'."
 *    — iann0036/cloud9-sync#10, awslabs/fhir-works-on-aws-deployment#379 (DynamoDB).
 *  - "Date must be in ISO-8601 'basic format'. Got '<v>'. See http://en.wikipedia.org/wiki/ISO_8601"
 *    — brendanhay/amazonka#5 (SQS), umegaya/lua-aws#18 (SWF).
 *  - "Signature expired: A is now earlier than B (NOW - 5 min.)" / "Signature not yet current: A is
 *    still later than B (NOW + 5 min.)" — aws/aws-sdk-js#254, #573, serverless/enterprise#11.
 *  - "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP:
 *    '<scope>' != '<day>', from '<x-amz-date>'." — tedder/requests-aws4auth#7; the same text with
 *    the same detail is recorded from DynamoDB in mhart/dynalite's index.js, which also records the
 *    check order used below, the region/service/terminator texts ("Credential should be scoped
 *    with a valid terminator: 'aws4_request', not 'x'. "; region: aws/aws-sdk-ruby#508,
 *    aws/aws-sdk-js#792; service: arnemolland/sigv4#15), "Credential must have exactly 5
 *    slash-delimited elements, e.g. keyid/date/region/service/term, got '…'" (also mhart/aws4#97),
 *    "Unsupported AWS 'algorithm': '…' (only AWS4-HMAC-SHA256 for now). ", the query-string
 *    "AWS query-string parameters must include '…'. Re-examine the query-string parameters." and
 *    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.".
 *    Smithy4s#387 shows Kinesis answering the date case without the detail; we keep the detail.
 *  - "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." — aws/aws-sdk-php#2469.
 *  - The signature mismatch text and its "The Canonical String for this request should have
 *    been\n'…'\n\nThe String-to-Sign should have been\n'…'\n" tail — aws/aws-sdk-js#168 (Lambda),
 *    aws/aws-sdk-cpp#17, aws/aws-cli#2474, boto/boto3#756.
 *  - "The provided 'x-amz-content-sha256' header does not match what was computed." — S3's
 *    XAmzContentSHA256Mismatch (grosskur/lua-resty-aws#2, s3tools/s3cmd#812).
 *  - X-Amz-Expires texts are S3's ("X-Amz-Expires must be less than a week (in seconds); …",
 *    bryanjos/aws_auth#31; "X-Amz-Expires should be a number", minio/minio-js#1312). No public
 *    record of a JSON service rejecting an expired presigned URL was found, so that message reuses
 *    the "Signature expired" shape with the URL's own lifetime in place of the 5-minute window.
 *
 * Trailing spaces inside some messages are AWS's: each scope complaint ends with ". " and they are
 * concatenated as they are found.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignatureV4, getCanonicalHeaders, createScope, ALGORITHM_IDENTIFIER, KEY_TYPE_IDENTIFIER, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import { HttpRequest, type HeaderBag } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
} from '../kernel/errors.ts';

export interface IncomingSigned {
  method: string;
  /** Raw path, no query, exactly as received (still percent-encoded). */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /**
   * Lowercase header names. Pass Node's `req.headersDistinct` rather than `req.headers` when a
   * signed header may repeat: Node joins repeats with ", " where SigV4 joins them with ",".
   */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Claim {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** yyyymmddThhmmssZ, from X-Amz-Date (header or query) or the Date header. */
  amzDate: string;
  securityToken?: string;
  presigned: boolean;
  expiresSeconds?: number;
}

/** What the server answers for; when given, the credential scope must name it (AWS checks both). */
export interface ExpectedScope {
  region?: string;
  service?: string;
}

/** AWS's allowed clock skew for signed requests. */
export const MAX_SKEW_MS = 5 * 60_000;
/** A SigV4 signing key, and so a presigned URL, lives at most 7 days. */
export const MAX_PRESIGN_SECONDS = 604_800;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sha256 = Hash.bind(null, 'sha256');

/**
 * Exposes the SDK signer's own canonical-request and string-to-sign builders. `sign(request)`
 * cannot be used to re-check a received request: it drops `date`/`authorization`, stamps its own
 * x-amz-date, adds x-amz-content-sha256 and x-amz-security-token from its credentials, skips
 * user-agent and other "unsignable" headers a client may have signed, hoists x-amz-* headers into
 * the query when presigning, and never reveals the canonical string AWS quotes back on mismatch.
 */
class Recomputer extends SignatureV4 {
  canonicalRequest(request: HttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
  stringToSign(amzDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(amzDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

type QueryPair = [key: string, value: string];

/**
 * Parse the SigV4 material of a request and run every check that needs no secret: structure,
 * date format, clock skew (5 minutes) or presigned expiry, `host` signed, algorithm, credential
 * scope. `now` is the caller's clock. The access key is not looked up here.
 */
export function parseSigV4(req: IncomingSigned, now: Date, expect: ExpectedScope = {}): SigV4Claim {
  const headers = lowerCaseHeaders(req.headers);
  const auth = firstValue(headers.authorization);
  const query = parseQuery(req.query);
  const algorithmParam = queryFirst(query, 'X-Amz-Algorithm');
  const hasHeaderAuth = auth !== undefined && auth.trim() !== '';

  if (hasHeaderAuth && algorithmParam !== undefined) {
    throw InvalidSignatureException("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (hasHeaderAuth) return parseHeaderAuth(auth!, headers, now, expect);
  if (algorithmParam !== undefined) return parseQueryAuth(query, headers, now, expect);
  throw MissingAuthenticationTokenException('Request is missing Authentication Token');
}

function parseHeaderAuth(
  auth: string,
  headers: Record<string, string | string[]>,
  now: Date,
  expect: ExpectedScope,
): SigV4Claim {
  const trimmed = auth.trim();
  const gap = trimmed.search(/\s/);
  const algorithm = gap < 0 ? trimmed : trimmed.slice(0, gap);
  const rest = gap < 0 ? '' : trimmed.slice(gap + 1);

  // Any scheme is parsed as SigV4 rather than dismissed as "missing": AWS answers "Bearer <jwt>"
  // with the bad-pair error and a SigV2 "AWS key:sig=" header with the missing-parameter list.
  // Commas and whitespace both separate, which is why a stray space inside "Credential= AKID/…"
  // is reported as its own bad pair.
  const params = new Map<string, string>();
  for (const token of rest.split(/[\s,]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      throw IncompleteSignatureException(`'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`);
    }
    params.set(token.slice(0, eq), token.slice(eq + 1));
  }

  const amzDate = firstValue(headers['x-amz-date']) ?? firstValue(headers.date);
  let missing = '';
  if (!params.get('Credential')) missing += "Authorization header requires 'Credential' parameter. ";
  if (!params.get('Signature')) missing += "Authorization header requires 'Signature' parameter. ";
  // An empty SignedHeaders is well-formed here; it fails the host check below instead.
  if (!params.has('SignedHeaders')) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (amzDate === undefined) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing) throw IncompleteSignatureException(`${missing}Authorization=${auth}`);

  const signedAt = parseAmzDate(amzDate!);
  checkNotFuture(amzDate!, signedAt, now);
  checkNotExpired(amzDate!, signedAt, now);

  const signedHeaders = splitSignedHeaders(params.get('SignedHeaders')!);
  checkHostSigned(signedHeaders);
  checkAlgorithm(algorithm);
  const scope = parseCredential(params.get('Credential')!, amzDate!, expect);

  // Members written out rather than spread from `scope`: V8 builds a spread-then-extended literal
  // on its slow path, some microseconds on every request.
  return {
    accessKeyId: scope.accessKeyId,
    date: scope.date,
    region: scope.region,
    service: scope.service,
    signedHeaders,
    signature: params.get('Signature')!,
    amzDate: amzDate!,
    securityToken: firstValue(headers['x-amz-security-token']),
    presigned: false,
  };
}

function parseQueryAuth(
  query: QueryPair[],
  headers: Record<string, string | string[]>,
  now: Date,
  expect: ExpectedScope,
): SigV4Claim {
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  let missing = '';
  for (const name of required) {
    if (!queryFirst(query, name)) missing += `AWS query-string parameters must include '${name}'. `;
  }
  if (missing) throw IncompleteSignatureException(`${missing}Re-examine the query-string parameters.`);

  const amzDate = queryFirst(query, 'X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);

  const rawExpires = queryFirst(query, 'X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (rawExpires !== undefined) {
    if (!/^\d+$/.test(rawExpires)) throw IncompleteSignatureException('X-Amz-Expires should be a number');
    expiresSeconds = Number(rawExpires);
    if (expiresSeconds > MAX_PRESIGN_SECONDS) {
      throw IncompleteSignatureException(
        `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGN_SECONDS} seconds`,
      );
    }
  }

  checkNotFuture(amzDate, signedAt, now);
  if (expiresSeconds === undefined) {
    // Without a lifetime of its own a presigned request gets the same window as a signed one.
    checkNotExpired(amzDate, signedAt, now);
  } else {
    checkPresignNotExpired(amzDate, signedAt, expiresSeconds, now);
  }

  const signedHeaders = splitSignedHeaders(queryFirst(query, 'X-Amz-SignedHeaders')!);
  checkHostSigned(signedHeaders);
  checkAlgorithm(queryFirst(query, 'X-Amz-Algorithm')!);
  const scope = parseCredential(queryFirst(query, 'X-Amz-Credential')!, amzDate, expect);

  return {
    accessKeyId: scope.accessKeyId,
    date: scope.date,
    region: scope.region,
    service: scope.service,
    signedHeaders,
    signature: queryFirst(query, 'X-Amz-Signature')!,
    amzDate,
    securityToken: queryFirst(query, 'X-Amz-Security-Token') ?? firstValue(headers['x-amz-security-token']),
    presigned: true,
    expiresSeconds,
  };
}

function parseAmzDate(value: string): Date {
  const m = AMZ_DATE_RE.exec(value);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
  // Comparing the fields back rejects what Date.UTC would silently roll over (month 13, 25
  // o'clock, …) or remap (two-digit years), without formatting the date on every request.
  if (
    !d ||
    d.getUTCFullYear() !== +m![1] || d.getUTCMonth() !== +m![2] - 1 || d.getUTCDate() !== +m![3] ||
    d.getUTCHours() !== +m![4] || d.getUTCMinutes() !== +m![5] || d.getUTCSeconds() !== +m![6]
  ) {
    throw IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return d;
}

function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** AWS reports and compares in whole seconds. */
function wholeSeconds(now: Date): Date {
  return new Date(wholeSecondsMs(now));
}

function wholeSecondsMs(now: Date): number {
  return Math.floor(now.getTime() / 1000) * 1000;
}

function checkNotFuture(amzDate: string, signedAt: Date, now: Date): void {
  if (signedAt.getTime() > wholeSecondsMs(now) + MAX_SKEW_MS) {
    const n = wholeSeconds(now);
    const limit = new Date(n.getTime() + MAX_SKEW_MS);
    throw InvalidSignatureException(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(limit)} (${formatAmzDate(n)} + 5 min.)`,
    );
  }
}

function checkNotExpired(amzDate: string, signedAt: Date, now: Date): void {
  if (signedAt.getTime() < wholeSecondsMs(now) - MAX_SKEW_MS) {
    const n = wholeSeconds(now);
    const limit = new Date(n.getTime() - MAX_SKEW_MS);
    throw InvalidSignatureException(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(limit)} (${formatAmzDate(n)} - 5 min.)`,
    );
  }
}

function checkPresignNotExpired(amzDate: string, signedAt: Date, expiresSeconds: number, now: Date): void {
  const n = wholeSeconds(now);
  const limit = new Date(n.getTime() - expiresSeconds * 1000);
  if (signedAt.getTime() < limit.getTime()) {
    const span = expiresSeconds % 60 === 0 ? `${expiresSeconds / 60} min.` : `${expiresSeconds} sec.`;
    throw InvalidSignatureException(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(limit)} (${formatAmzDate(n)} - ${span})`);
  }
}

function splitSignedHeaders(value: string): string[] {
  return value.split(';').filter((h) => h !== '').map((h) => h.toLowerCase());
}

function checkHostSigned(signedHeaders: string[]): void {
  // Without host the signature could be replayed against any endpoint sharing the key.
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority')) {
    throw InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
}

function checkAlgorithm(algorithm: string): void {
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw IncompleteSignatureException(`Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM_IDENTIFIER} for now). `);
  }
}

function parseCredential(
  credential: string,
  amzDate: string,
  expect: ExpectedScope,
): Pick<SigV4Claim, 'accessKeyId' | 'date' | 'region' | 'service'> {
  // AWS ignores trailing slashes before counting the elements.
  const parts = credential.replace(/\/+$/, '').split('/');
  if (parts.length !== 5) {
    throw IncompleteSignatureException(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];

  let problems = '';
  if (expect.region !== undefined && region !== expect.region) {
    problems += `Credential should be scoped to a valid region, not '${region}'. `;
  }
  if (expect.service !== undefined && service !== expect.service) {
    problems += `Credential should be scoped to correct service: '${expect.service}'. `;
  }
  if (terminator !== KEY_TYPE_IDENTIFIER) {
    problems += `Credential should be scoped with a valid terminator: '${KEY_TYPE_IDENTIFIER}', not '${terminator}'. `;
  }
  const day = amzDate.slice(0, 8);
  if (date !== day) {
    problems += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${day}', from '${amzDate}'.`;
  }
  if (problems) throw InvalidSignatureException(problems);

  return { accessKeyId, date, region, service };
}

/**
 * Recompute the signature with `secretAccessKey` and compare in constant time. Only the headers
 * the client listed are canonicalised; the payload hash is the one the client declared in
 * x-amz-content-sha256 when present (else the body's), and after the signature matches a declared
 * hash must also match the body, except UNSIGNED-PAYLOAD for s3.
 */
/**
 * Signers are reused per key and scope: smithy caches the derived signing key inside each
 * instance, which saves four HMACs per request on a hot connection.
 */
const signers = new Map<string, Recomputer>();
const MAX_SIGNERS = 1000;

function signerFor(claim: SigV4Claim, secretAccessKey: string): Recomputer {
  const key = `${claim.accessKeyId}\0${secretAccessKey}\0${claim.region}\0${claim.service}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new Recomputer({
      service: claim.service,
      region: claim.region,
      credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
      sha256,
      // Every service but S3 signs the already-encoded path encoded once more; S3 signs it as sent.
      uriEscapePath: claim.service !== 's3',
      applyChecksum: false,
    });
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value!);
    signers.set(key, signer);
  }
  return signer;
}

/** What a caller with its own error dialect or payload encoding (S3) changes in verifySigV4. */
export interface VerifyOptions {
  /** The caller ties the declared payload hash to the body itself (S3's aws-chunked and streaming payloads). */
  skipPayloadCheck?: boolean;
  /** The error for a signature that does not match, instead of InvalidSignatureException (S3: SignatureDoesNotMatch). */
  mismatch?: (detail: { canonicalRequest: string; stringToSign: string }) => Error;
}

export async function verifySigV4(req: IncomingSigned, claim: SigV4Claim, secretAccessKey: string, opts: VerifyOptions = {}): Promise<void> {
  const headers = lowerCaseHeaders(req.headers);
  if (isCommonCase(req, claim) && !opts.mismatch && !opts.skipPayloadCheck) return verifyCommonCase(req, headers, claim, secretAccessKey);
  const query = parseQuery(req.query);

  const signedHeaderValues: Record<string, string> = Object.create(null);
  for (const name of claim.signedHeaders) {
    const v = headers[name];
    // Repeated header lines join with a bare comma, each value trimmed first (SigV4 spec);
    // a signed header that is absent canonicalises as empty, as the client's would have.
    signedHeaderValues[name] = v === undefined ? '' : Array.isArray(v) ? v.map((s) => s.trim()).join(',') : v;
  }

  const request = new HttpRequest({
    method: req.method.toUpperCase(),
    protocol: 'https:',
    hostname: firstValue(headers.host) ?? '',
    path: req.path,
    query: toQueryBag(query),
    headers: signedHeaderValues,
  });

  const actualHash = createHash('sha256').update(req.body).digest('hex');
  const declaredHash = declaredPayloadHash(headers, query, claim);
  const payloadHash = declaredHash ?? actualHash;

  const signer = signerFor(claim, secretAccessKey);

  // signableHeaders lets through names smithy would refuse to sign itself (user-agent, expect, …):
  // the client chose them, so they are part of its canonical request.
  const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(claim.signedHeaders));
  const canonicalRequest = signer.canonicalRequest(request, canonicalHeaders, payloadHash);
  const scope = createScope(claim.date, claim.region, claim.service);
  const stringToSign = await signer.stringToSign(claim.amzDate, scope, canonicalRequest);
  const expected = await signer.sign(stringToSign, {
    signingDate: scopeDay(claim.date),
    signingRegion: claim.region,
    signingService: claim.service,
  });

  if (!constantTimeEqual(expected, claim.signature)) {
    if (opts.mismatch) throw opts.mismatch({ canonicalRequest, stringToSign });
    throw InvalidSignatureException(
      `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }

  if (!opts.skipPayloadCheck) checkDeclaredHash(claim, declaredHash, actualHash);
}

/** The signature only vouches for the hash the client declared; tie that hash to the body, or an
 * intermediary could swap the body under a valid signature. */
function checkDeclaredHash(claim: SigV4Claim, declaredHash: string | undefined, actualHash: string): void {
  if (declaredHash !== undefined && declaredHash !== actualHash) {
    const unsignedAllowed = claim.service === 's3' && declaredHash === UNSIGNED_PAYLOAD;
    if (!unsignedAllowed) {
      throw InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
  }
}

/**
 * What every AWS JSON (and query-protocol) call signed by an SDK looks like: header
 * authentication, path "/", no query string, not S3. Its canonical request needs no URI or query
 * canonicalisation, so it is built here directly; anything else takes smithy's builders above.
 */
function isCommonCase(req: IncomingSigned, claim: SigV4Claim): boolean {
  // smithy keeps a header named __proto__ with special care; leave that oddity to smithy.
  return !claim.presigned && claim.service !== 's3' && req.path === '/' && req.query === '' && !claim.signedHeaders.includes('__proto__');
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** SHA-256 in hex; crypto.hash (Node ≥ 20.12) skips building a Hash object, a microsecond each time. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;
const sha256Hex: (data: string | Buffer) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => createHash('sha256').update(data).digest('hex');
/** A value smithy's getCanonicalHeaders would change: CR/LF, tabs, runs of spaces, a space at either end. */
const NEEDS_NORMALISING = /[\r\n\t]|  |^ | $/;

/**
 * The same canonical request, string to sign and signature as the smithy path computes for such
 * a request (sigv4.test.ts checks both against AWS's vectors and against each other), with
 * node:crypto and a cached signing key: no HttpRequest, no header bags, no promises.
 */
function verifyCommonCase(req: IncomingSigned, headers: Record<string, string | string[]>, claim: SigV4Claim, secretAccessKey: string): void {
  const names = sortedUnique(claim.signedHeaders);
  let canonicalHeaders = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const v = headers[name];
    // As above: repeats join with a bare comma, each trimmed; an absent signed header is empty.
    let value = v === undefined ? '' : Array.isArray(v) ? (v.length === 1 ? v[0].trim() : v.map((x) => x.trim()).join(',')) : v;
    // smithy's normalisation (getCanonicalHeaders), applied only when it would change something.
    if (NEEDS_NORMALISING.test(value)) value = value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
    canonicalHeaders += i === 0 ? `${name}:${value}` : `\n${name}:${value}`;
  }

  const actualHash = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body);
  const declaredHash = firstValue(headers['x-amz-content-sha256']);
  const payloadHash = declaredHash ?? actualHash;

  // Path "/" is its own canonical form, encoded or not; an empty query canonicalises as empty.
  const canonicalRequest = `${req.method.toUpperCase()}\n/\n\n${canonicalHeaders}\n\n${names.join(';')}\n${payloadHash}`;
  const scope = createScope(claim.date, claim.region, claim.service);
  const stringToSign = `${ALGORITHM_IDENTIFIER}\n${claim.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = signingKey(claim, secretAccessKey);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');

  if (!constantTimeEqual(expected, claim.signature)) {
    throw InvalidSignatureException(
      `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  checkDeclaredHash(claim, declaredHash, actualHash);
}

/** Header names as smithy orders them in the canonical request: each once, sorted by code unit. */
function sortedUnique(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) if (!(names[i - 1] < names[i])) return [...new Set(names)].sort();
  return names;
}

/**
 * Derived signing keys (kSigning = HMAC chain over date, region, service, aws4_request) per key id
 * and scope, as smithy caches them: four HMACs saved per request. The secret is kept beside the
 * key so that a key id whose secret changed derives afresh.
 */
const signingKeys = new Map<string, { secret: string; key: KeyObject }>();
const MAX_SIGNING_KEYS = 1000;

function signingKey(claim: SigV4Claim, secretAccessKey: string): KeyObject {
  // No part contains '/': parseCredential split the credential on it.
  const id = `${claim.accessKeyId}/${claim.date}/${claim.region}/${claim.service}`;
  const hit = signingKeys.get(id);
  if (hit && hit.secret === secretAccessKey) return hit.key;
  let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(claim.date, 'utf8').digest();
  for (const part of [claim.region, claim.service, KEY_TYPE_IDENTIFIER]) key = createHmac('sha256', key).update(part, 'utf8').digest();
  // As a KeyObject: an HMAC keyed with one starts a little faster than with a Buffer.
  const keyObject = createSecretKey(key);
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
  signingKeys.set(id, { secret: secretAccessKey, key: keyObject });
  return keyObject;
}

function declaredPayloadHash(headers: Record<string, string | string[]>, query: QueryPair[], claim: SigV4Claim): string | undefined {
  const header = firstValue(headers['x-amz-content-sha256']);
  if (header !== undefined) return header;
  if (!claim.presigned) return undefined;
  const param = queryFirst(query, 'X-Amz-Content-Sha256');
  if (param !== undefined) return param;
  // S3 presigned URLs sign UNSIGNED-PAYLOAD; other services presign the (usually empty) body.
  return claim.service === 's3' ? UNSIGNED_PAYLOAD : undefined;
}

function scopeDay(yyyymmdd: string): Date {
  // parseCredential guaranteed this equals the validated X-Amz-Date day.
  return new Date(Date.UTC(+yyyymmdd.slice(0, 4), +yyyymmdd.slice(4, 6) - 1, +yyyymmdd.slice(6, 8)));
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // The expected length is public (64 hex digits), so failing fast on length leaks nothing.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** The headers by lowercase name; Node's headersDistinct already is that, and is returned as is (never modified). */
function lowerCaseHeaders(headers: IncomingSigned['headers']): Record<string, string | string[]> {
  let asIs = true;
  for (const name in headers) {
    if (headers[name] === undefined || name !== name.toLowerCase()) {
      asIs = false;
      break;
    }
  }
  if (asIs) return headers as Record<string, string | string[]>;
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(value) ? value : [value])];
  }
  return out;
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Decoded pairs in order of appearance. '+' stays a plus: SDKs send spaces as %20 and a literal
 * '+' as %2B, and a client that sent a bare '+' signed it as %2B too.
 */
function parseQuery(raw: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (!raw) return pairs;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decode(key), decode(value)]);
  }
  return pairs;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // A malformed escape is signed as sent; the signature check then decides.
    return s;
  }
}

function queryFirst(query: QueryPair[], name: string): string | undefined {
  return query.find(([k]) => k === name)?.[1];
}

/** Smithy's query bag; repeated keys become arrays so every occurrence is signed. */
function toQueryBag(query: QueryPair[]): Record<string, string | string[]> {
  const bag: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of query) {
    const prev = bag[k];
    if (prev === undefined) bag[k] = v;
    else bag[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return bag;
}
