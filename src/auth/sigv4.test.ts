import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { SignatureV4, createScope, getCanonicalHeaders } from '@smithy/signature-v4';
import { HttpRequest, HttpResponse, type IHttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { parseSigV4, verifySigV4, type IncomingSigned, type SigV4Claim } from './sigv4.ts';
import {
  ServiceError,
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
} from '../kernel/errors.ts';

interface Vector {
  name: string;
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: string;
  authorization?: string;
  signature?: string;
  canonicalRequest?: string;
  stringToSign?: string;
}
interface Suite {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  now: string;
  headerSigned: Vector[];
  presigned: Vector[];
}

const suite: Suite = JSON.parse(
  readFileSync(new URL('../../test/fixtures/sigv4/aws-sig-v4-test-suite.json', import.meta.url), 'utf8'),
);
const SUITE_NOW = new Date(suite.now);
const SECRET = suite.credentials.secretAccessKey;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Header lines as Node's `headersDistinct` presents them: lowercase names, repeats as arrays. */
function distinctHeaders(lines: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

function incoming(v: Vector, extraHeaders: [string, string][] = []): IncomingSigned {
  return {
    method: v.method,
    path: v.path,
    query: v.query,
    headers: distinctHeaders([...v.headers, ...(v.authorization ? [['Authorization', v.authorization] as [string, string]] : []), ...extraHeaders]),
    body: Buffer.from(v.body, 'utf8'),
  };
}

function flipLastHex(s: string): string {
  const last = s.at(-1)!;
  return s.slice(0, -1) + (last === '0' ? '1' : '0');
}

// Statuses belong to kernel/errors.ts; the assertion only checks this module used the right constructor.
const CONSTRUCTORS: Record<string, (m: string) => ServiceError> = {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
};

function isServiceError(code: string, message?: string | RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ServiceError, `expected ServiceError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.status, CONSTRUCTORS[code]!('').status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  };
}

/** Query-string encoding as the SDK puts it on the wire (RFC 3986 unreserved kept). */
function escape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function queryString(q: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    for (const one of Array.isArray(v) ? v : [v ?? '']) parts.push(`${escape(k)}=${escape(one)}`);
  }
  return parts.join('&');
}

function fromSmithy(r: IHttpRequest, extraHeaders: Record<string, string> = {}): IncomingSigned {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...r.headers, ...extraHeaders })) headers[k.toLowerCase()] = v;
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body as string | Uint8Array);
  return { method: r.method, path: r.path, query: queryString(r.query ?? {}), headers, body };
}

const sha256 = Hash.bind(null, 'sha256');
const ACM_CREDS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-1' };

function acmSigner(service = 'acm', uriEscapePath = true) {
  return new SignatureV4({ service, region: 'us-east-1', credentials: ACM_CREDS, sha256, uriEscapePath });
}

function jsonPost(body = '{"MaxItems":5}'): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    port: 4566,
    path: '/',
    headers: {
      host: 'localhost:4566',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'CertificateManager.ListCertificates',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
}

describe('AWS SigV4 test suite vectors', () => {
  for (const v of suite.headerSigned) {
    test(`${v.name}: accepts AWS's signature, rejects a one-character change`, async () => {
      const req = incoming(v);
      const claim = parseSigV4(req, SUITE_NOW, { region: suite.region, service: suite.service });
      assert.equal(claim.presigned, false);
      await verifySigV4(req, claim, SECRET);

      const tampered = { ...req, headers: { ...req.headers, authorization: flipLastHex(v.authorization!) } };
      const tamperedClaim = parseSigV4(tampered, SUITE_NOW);
      await assert.rejects(verifySigV4(tampered, tamperedClaim, SECRET), isServiceError('InvalidSignatureException', new RegExp(`^${MISMATCH.replace(/[.]/g, '\\.')}\\n\\n`)));
    });
  }

  test('get-vanilla claim fields and the canonical strings AWS quotes back', async () => {
    const v = suite.headerSigned.find((x) => x.name === 'get-vanilla')!;
    const req = incoming(v);
    const claim = parseSigV4(req, SUITE_NOW);
    assert.deepEqual(claim, {
      accessKeyId: 'AKIDEXAMPLE',
      date: '20150830',
      region: 'us-east-1',
      service: 'service',
      signedHeaders: ['host', 'x-amz-date'],
      signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      amzDate: '20150830T123600Z',
      securityToken: undefined,
      presigned: false,
    });
    await assert.rejects(
      verifySigV4(req, claim, SECRET + 'x'),
      isServiceError(
        'InvalidSignatureException',
        `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${v.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${v.stringToSign}'\n`,
      ),
    );
  });

  test('unsigned headers a proxy adds do not matter; changing a signed one does', async () => {
    const v = suite.headerSigned.find((x) => x.name === 'get-header-value-trim')!;
    const req = incoming(v, [['Connection', 'keep-alive'], ['User-Agent', 'curl/8'], ['X-Forwarded-For', '10.0.0.1']]);
    await verifySigV4(req, parseSigV4(req, SUITE_NOW), SECRET);
    const changed = { ...req, headers: { ...req.headers, 'my-header2': '"a b c d"' } };
    await assert.rejects(verifySigV4(changed, parseSigV4(changed, SUITE_NOW), SECRET), isServiceError('InvalidSignatureException'));
  });

  test('a changed body fails the signature', async () => {
    const v = suite.headerSigned.find((x) => x.name === 'post-x-www-form-urlencoded')!;
    const req = { ...incoming(v), body: Buffer.from('Param1=value2') };
    await assert.rejects(verifySigV4(req, parseSigV4(req, SUITE_NOW), SECRET), isServiceError('InvalidSignatureException'));
  });

  test('the session token is surfaced for the caller to check', () => {
    const v = suite.headerSigned.find((x) => x.name === 'post-sts-token/post-sts-header-before')!;
    assert.match(parseSigV4(incoming(v), SUITE_NOW).securityToken!, /^AQoDYXdzEPT/);
  });

  for (const v of suite.presigned) {
    test(`${v.name}: presigned vector accepted, tampered rejected, expires after X-Amz-Expires`, async () => {
      const req = incoming(v);
      const claim = parseSigV4(req, SUITE_NOW);
      assert.equal(claim.presigned, true);
      assert.equal(claim.expiresSeconds, 3600);
      assert.equal(claim.signature, v.signature);
      await verifySigV4(req, claim, SECRET);

      const tampered = { ...req, query: req.query.replace(v.signature!, flipLastHex(v.signature!)) };
      await assert.rejects(verifySigV4(tampered, parseSigV4(tampered, SUITE_NOW), SECRET), isServiceError('InvalidSignatureException'));

      // Still valid on the last second of its lifetime, expired one second later.
      parseSigV4(req, new Date(SUITE_NOW.getTime() + 3600_000));
      assert.throws(
        () => parseSigV4(req, new Date(SUITE_NOW.getTime() + 3601_000)),
        isServiceError('InvalidSignatureException', 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T133601Z - 60 min.)'),
      );
    });
  }
});

describe('round trips with the AWS SDK signer', () => {
  const signingDate = new Date('2026-03-01T10:00:00Z');

  test('JSON 1.1 POST signed by @smithy/signature-v4 verifies; wrong secret does not', async () => {
    const signed = await acmSigner().sign(jsonPost(), { signingDate });
    // What an HTTP stack adds after signing must not disturb verification.
    const req = fromSmithy(signed, { 'user-agent': 'aws-sdk-js/3', connection: 'keep-alive' });
    const claim = parseSigV4(req, new Date(signingDate.getTime() + 120_000), { region: 'us-east-1', service: 'acm' });
    assert.equal(claim.accessKeyId, ACM_CREDS.accessKeyId);
    assert.equal(claim.securityToken, ACM_CREDS.sessionToken);
    assert.ok(claim.signedHeaders.includes('x-amz-target'));
    await verifySigV4(req, claim, ACM_CREDS.secretAccessKey);

    await assert.rejects(
      verifySigV4(req, claim, 'not-the-secret'),
      isServiceError('InvalidSignatureException', /The Canonical String for this request should have been\n'POST\n\/\n\n/),
    );
  });

  test('a body swapped under a declared x-amz-content-sha256 is refused', async () => {
    const signed = await acmSigner().sign(jsonPost(), { signingDate });
    const req = { ...fromSmithy(signed), body: Buffer.from('{"MaxItems":1000}') };
    assert.ok(req.headers['x-amz-content-sha256']);
    await assert.rejects(
      verifySigV4(req, parseSigV4(req, signingDate), ACM_CREDS.secretAccessKey),
      isServiceError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed."),
    );
  });

  test('@aws-sdk/client-acm ListCertificates as sent on the wire verifies', async () => {
    let captured: IHttpRequest | undefined;
    const client = new ACMClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: ACM_CREDS,
      requestHandler: {
        handle: async (request: IHttpRequest) => {
          captured = request;
          const body = Readable.from([Buffer.from('{"CertificateSummaryList":[]}')]);
          return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body }) };
        },
      },
    });
    await client.send(new ListCertificatesCommand({ MaxItems: 5 }));
    assert.ok(captured);
    const req = fromSmithy(captured);
    const claim = parseSigV4(req, new Date(), { region: 'us-east-1', service: 'acm' });
    await verifySigV4(req, claim, ACM_CREDS.secretAccessKey);
  });

  test('presigned GET verifies until X-Amz-Expires, then fails with the expiry message', async () => {
    const get = new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: 'acm.us-east-1.amazonaws.com',
      path: '/',
      query: { Action: 'ListCertificates', tag: ['b', 'a'], 'with space': 'x+y' },
      headers: { host: 'acm.us-east-1.amazonaws.com' },
    });
    const presigned = await acmSigner().presign(get, { signingDate, expiresIn: 900 });
    const req = fromSmithy(presigned);
    assert.equal(req.headers.authorization, undefined);
    const claim = parseSigV4(req, new Date(signingDate.getTime() + 600_000), { service: 'acm' });
    assert.equal(claim.presigned, true);
    assert.equal(claim.expiresSeconds, 900);
    assert.equal(claim.securityToken, ACM_CREDS.sessionToken);
    await verifySigV4(req, claim, ACM_CREDS.secretAccessKey);

    await assert.rejects(verifySigV4(req, claim, 'wrong'), isServiceError('InvalidSignatureException'));
    assert.throws(
      () => parseSigV4(req, new Date(signingDate.getTime() + 901_000)),
      isServiceError('InvalidSignatureException', 'Signature expired: 20260301T100000Z is now earlier than 20260301T100001Z (20260301T101501Z - 15 min.)'),
    );
  });

  test('s3 presign signs the path as sent and UNSIGNED-PAYLOAD', async () => {
    const put = new HttpRequest({
      method: 'PUT',
      protocol: 'https:',
      hostname: 'bucket.s3.amazonaws.com',
      path: '/photos/my%20cat.jpg',
      headers: { host: 'bucket.s3.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const presigned = await acmSigner('s3', false).presign(put, { signingDate, expiresIn: 60 });
    const req = { ...fromSmithy(presigned), body: Buffer.from('jpeg bytes') };
    await verifySigV4(req, parseSigV4(req, signingDate), ACM_CREDS.secretAccessKey);

    // The same request claimed for a non-S3 service would have been signed double-encoded.
    const asAcm = await acmSigner('acm', true).presign(put, { signingDate, expiresIn: 60 });
    const reqAcm = fromSmithy(asAcm);
    const claimAcm = parseSigV4(reqAcm, signingDate);
    await assert.rejects(verifySigV4(reqAcm, claimAcm, ACM_CREDS.secretAccessKey), isServiceError('InvalidSignatureException'));
  });
});

describe('clock skew (5 minutes, AWS wording)', () => {
  async function signedAt(iso: string): Promise<IncomingSigned> {
    return fromSmithy(await acmSigner().sign(jsonPost(), { signingDate: new Date(iso) }));
  }

  test('too old', async () => {
    const req = await signedAt('2014-03-25T14:34:53Z');
    assert.throws(
      () => parseSigV4(req, new Date('2014-03-25T14:52:51.734Z')),
      isServiceError('InvalidSignatureException', 'Signature expired: 20140325T143453Z is now earlier than 20140325T144751Z (20140325T145251Z - 5 min.)'),
    );
  });

  test('too far in the future', async () => {
    const req = await signedAt('2018-10-17T09:37:50Z');
    assert.throws(
      () => parseSigV4(req, new Date('2018-10-17T09:31:39Z')),
      isServiceError('InvalidSignatureException', 'Signature not yet current: 20181017T093750Z is still later than 20181017T093639Z (20181017T093139Z + 5 min.)'),
    );
  });

  test('exactly 5 minutes either way is accepted', async () => {
    const req = await signedAt('2020-01-01T00:05:00Z');
    parseSigV4(req, new Date('2020-01-01T00:10:00Z'));
    parseSigV4(req, new Date('2020-01-01T00:00:00Z'));
  });
});

describe('malformed and missing authentication', () => {
  const base = (headers: Record<string, string>, query = ''): IncomingSigned => ({
    method: 'POST',
    path: '/',
    query,
    headers: { host: 'acm.us-east-1.amazonaws.com', ...headers },
    body: Buffer.alloc(0),
  });
  const cred = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
  const good = `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host;x-amz-date, Signature=abc`;
  const date = { 'x-amz-date': '20150830T123600Z' };

  test('no Authorization header and no presigned query', () => {
    assert.throws(() => parseSigV4(base({}), SUITE_NOW), isServiceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token'));
    assert.throws(() => parseSigV4(base({ authorization: '  ' }), SUITE_NOW), isServiceError('MissingAuthenticationTokenException'));
    // Signature-looking parameters without X-Amz-Algorithm are not an authentication attempt.
    assert.throws(() => parseSigV4(base({}, 'X-Amz-Signature=abc'), SUITE_NOW), isServiceError('MissingAuthenticationTokenException'));
  });

  test('missing parameters are listed, then the header echoed', () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${cred}`;
    assert.throws(
      () => parseSigV4(base({ authorization: auth, ...date }), SUITE_NOW),
      isServiceError(
        'IncompleteSignatureException',
        `Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${auth}`,
      ),
    );
    assert.throws(
      () => parseSigV4(base({ authorization: 'AWS4-HMAC-SHA256' }), SUITE_NOW),
      isServiceError(
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      ),
    );
  });

  test('a parameter without "=" is named', () => {
    assert.throws(
      () => parseSigV4(base({ authorization: 'Bearer abc.def', ...date }), SUITE_NOW),
      isServiceError('IncompleteSignatureException', "'abc.def' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc.def'."),
    );
    const spaced = `AWS4-HMAC-SHA256 Credential= ${cred}, SignedHeaders=host;x-amz-date, Signature=abc`;
    assert.throws(
      () => parseSigV4(base({ authorization: spaced, ...date }), SUITE_NOW),
      isServiceError('IncompleteSignatureException', `'${cred}' not a valid key=value pair (missing equal-sign) in Authorization header: '${spaced}'.`),
    );
  });

  test('date must be ISO-8601 basic format, whichever header carries it', () => {
    assert.throws(
      () => parseSigV4(base({ authorization: good, date: 'Sun, 30 Aug 2015 12:36:00 GMT' }), SUITE_NOW),
      isServiceError('IncompleteSignatureException', "Date must be in ISO-8601 'basic format'. Got 'Sun, 30 Aug 2015 12:36:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601"),
    );
    assert.throws(() => parseSigV4(base({ authorization: good, 'x-amz-date': '20151330T123600Z' }), SUITE_NOW), isServiceError('IncompleteSignatureException', /basic format/));
    // X-Amz-Date wins over Date, as AWS documents.
    parseSigV4(base({ authorization: good, ...date, date: 'Sun, 30 Aug 2015 12:36:00 GMT' }), SUITE_NOW);
    assert.equal(parseSigV4(base({ authorization: good, date: '20150830T123600Z' }), SUITE_NOW).amzDate, '20150830T123600Z');
  });

  test('host must be signed', () => {
    const auth = `AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=x-amz-date, Signature=abc`;
    assert.throws(
      () => parseSigV4(base({ authorization: auth, ...date }), SUITE_NOW),
      isServiceError('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."),
    );
  });

  test('algorithm must be AWS4-HMAC-SHA256', () => {
    assert.throws(
      () => parseSigV4(base({ authorization: good.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'), ...date }), SUITE_NOW),
      isServiceError('IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now). "),
    );
  });

  test('credential shape and scope', () => {
    assert.throws(
      () => parseSigV4(base({ authorization: good.replace(cred, 'AKIDEXAMPLE/20150830/us-east-1'), ...date }), SUITE_NOW),
      isServiceError('IncompleteSignatureException', "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1'"),
    );
    assert.throws(
      () => parseSigV4(base({ authorization: good.replace('aws4_request', 'aws5_request'), ...date }), SUITE_NOW),
      isServiceError('InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "),
    );
    const nextDay = { 'x-amz-date': '20150831T000100Z' };
    assert.throws(
      () => parseSigV4(base({ authorization: good, ...nextDay }), new Date('2015-08-31T00:01:00Z')),
      isServiceError(
        'InvalidSignatureException',
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != '20150831', from '20150831T000100Z'.",
      ),
    );
    assert.throws(
      () => parseSigV4(base({ authorization: good, ...date }), SUITE_NOW, { region: 'eu-west-1', service: 'acm' }),
      isServiceError('InvalidSignatureException', "Credential should be scoped to a valid region, not 'us-east-1'. Credential should be scoped to correct service: 'acm'. "),
    );
  });

  test('header and query authentication together', () => {
    assert.throws(
      () => parseSigV4(base({ authorization: good, ...date }, 'X-Amz-Algorithm=AWS4-HMAC-SHA256'), SUITE_NOW),
      isServiceError('InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."),
    );
  });

  test('incomplete presigned query', () => {
    assert.throws(
      () => parseSigV4(base({}, `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(cred)}`), SUITE_NOW),
      isServiceError(
        'IncompleteSignatureException',
        "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
      ),
    );
    const q = (expires: string) =>
      `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(cred)}&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&X-Amz-Expires=${expires}`;
    assert.throws(() => parseSigV4(base({}, q('soon')), SUITE_NOW), isServiceError('IncompleteSignatureException', 'X-Amz-Expires should be a number'));
    assert.throws(() => parseSigV4(base({}, q('604801')), SUITE_NOW), isServiceError('IncompleteSignatureException', /less than a week/));
    const claim: SigV4Claim = parseSigV4(base({}, q('604800')), SUITE_NOW);
    assert.equal(claim.expiresSeconds, 604800);
  });
});

describe('the direct common-case path agrees with smithy', () => {
  /** smithy's own canonical request and string to sign for a request, as the general path builds them. */
  class Reference extends SignatureV4 {
    async expected(req: IncomingSigned, claim: SigV4Claim, payloadHash: string) {
      const values: Record<string, string> = Object.create(null);
      for (const name of claim.signedHeaders) {
        const v = req.headers[name];
        values[name] = v === undefined ? '' : Array.isArray(v) ? v.map((s) => s.trim()).join(',') : v;
      }
      const request = new HttpRequest({ method: req.method.toUpperCase(), protocol: 'https:', hostname: 'h', path: req.path, query: {}, headers: values });
      const canonical = this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, new Set(claim.signedHeaders)), payloadHash);
      const stringToSign = await this.createStringToSign(claim.amzDate, createScope(claim.date, claim.region, claim.service), canonical, 'AWS4-HMAC-SHA256');
      const signature = await this.sign(stringToSign, { signingDate: new Date(`${claim.date.slice(0, 4)}-${claim.date.slice(4, 6)}-${claim.date.slice(6)}T00:00:00Z`), signingRegion: claim.region, signingService: claim.service });
      return { canonical, stringToSign, signature };
    }
  }
  const reference = (service: string) => new Reference({ service, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFAST', secretAccessKey: 'fast/secret' }, sha256, applyChecksum: false });

  const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/).filter((n) => n !== 'authorization' && n !== 'x-amz-date' && n !== 'x-amz-content-sha256');
  const headerValue = fc.stringMatching(/^[ \ta-zA-Z0-9,;="\r\n-]{0,16}$/);

  test('random headers, repeats, order and whitespace: same canonical strings, same signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(headerName, fc.oneof(headerValue, fc.array(headerValue, { minLength: 1, maxLength: 3 })), { minKeys: 0, maxKeys: 5 }),
        fc.array(fc.nat(8), { maxLength: 3 }),
        fc.constantFrom('POST', 'get', 'PUT'),
        fc.string({ maxLength: 40 }),
        fc.boolean(),
        async (extra, dupes, method, body, declare) => {
          const headers: Record<string, string | string[]> = { host: 'certtrail.test:4566', 'x-amz-date': '20260301T100000Z', ...extra };
          const bodyHash = createHash('sha256').update(body).digest('hex');
          if (declare) headers['x-amz-content-sha256'] = bodyHash;
          const names = Object.keys(headers);
          // Client order is its own business (and may repeat a name); the canonical form sorts.
          const signed = [...names.slice().reverse(), ...dupes.map((i) => names[i % names.length])];
          const auth = (sig: string) => `AWS4-HMAC-SHA256 Credential=AKIDFAST/20260301/eu-west-1/acm/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${sig}`;
          const req: IncomingSigned = { method, path: '/', query: '', headers: { ...headers, authorization: auth('0'.repeat(64)) }, body: Buffer.from(body) };
          const now = new Date('2026-03-01T10:01:00Z');
          const claim = parseSigV4(req, now);
          const want = await reference('acm').expected(req, claim, bodyHash);
          await assert.rejects(
            verifySigV4(req, claim, 'fast/secret'),
            isServiceError('InvalidSignatureException', `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${want.canonical}'\n\nThe String-to-Sign should have been\n'${want.stringToSign}'\n`),
          );
          const good = { ...req, headers: { ...req.headers, authorization: auth(want.signature) } };
          await verifySigV4(good, parseSigV4(good, now), 'fast/secret');
          // The signing key is cached per key id and scope, never across secrets.
          await assert.rejects(verifySigV4(good, parseSigV4(good, now), 'other/secret'), isServiceError('InvalidSignatureException'));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('X-Amz-Date: accepted exactly when it formats back to itself', () => {
    const format = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((x) => String(x).padStart(n, '0'));
    fc.assert(
      fc.property(digits(4, 9999), digits(2, 19), digits(2, 39), digits(2, 29), digits(2, 69), digits(2, 69), (y, mo, d, h, mi, s) => {
        const value = `${y}${mo}${d}T${h}${mi}${s}Z`;
        const roundTrips = format(new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s))) === value;
        const req: IncomingSigned = {
          method: 'POST', path: '/', query: '', body: Buffer.alloc(0),
          headers: { host: 'h', 'x-amz-date': value, authorization: `AWS4-HMAC-SHA256 Credential=AKID/${value.slice(0, 8)}/us-east-1/acm/aws4_request, SignedHeaders=host, Signature=00` },
        };
        let threw: unknown;
        try {
          parseSigV4(req, new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s)));
        } catch (e) {
          threw = e;
        }
        if (roundTrips) assert.equal(threw, undefined);
        else isServiceError('IncompleteSignatureException', /^Date must be in ISO-8601 'basic format'/)(threw);
      }),
      { numRuns: 2000 },
    );
  });
});
