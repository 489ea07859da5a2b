/**
 * The AWS JSON 1.1 edge with raw HTTP: routing, body decoding, size limit and SigV4 failures
 * all answer an AWS-shaped error (`__type`, `message`, `x-amzn-RequestId`, `x-amzn-ErrorType`),
 * never a 5xx, and the server keeps serving afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { startServer, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

const JSON11 = 'application/x-amz-json-1.1';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const requestIds = new Set<string>();

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

interface SendOptions {
  target?: string | null;
  body?: string | Buffer;
  contentType?: string | null;
  method?: string;
  /** false: send unsigned. */
  sign?: false | { accessKeyId?: string; secretAccessKey?: string; service?: string; region?: string; date?: Date };
  extraHeaders?: Record<string, string>;
}

/** One request to POST /, signed with the AWS SDK's own signer unless told otherwise. */
async function send(o: SendOptions = {}): Promise<Reply> {
  const body = o.body ?? '{}';
  const headers: Record<string, string> = { ...o.extraHeaders };
  if (o.target !== null) headers['x-amz-target'] = o.target ?? 'CertificateManager.ListCertificates';
  if (o.contentType !== null) headers['content-type'] = o.contentType ?? JSON11;
  const method = o.method ?? 'POST';
  if (o.sign !== false) {
    const s = o.sign ?? {};
    const signer = new SignatureV4({
      service: s.service ?? 'acm',
      region: s.region ?? 'us-east-1',
      credentials: { accessKeyId: s.accessKeyId ?? 'test', secretAccessKey: s.secretAccessKey ?? 'test' },
      sha256: Hash.bind(null, 'sha256'),
    });
    const req = new HttpRequest({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.port,
      path: '/',
      headers: { ...headers, host: `127.0.0.1:${server.port}` },
      body: method === 'GET' ? undefined : body,
    });
    const signed = await signer.sign(req, { signingDate: s.date ?? new Date() });
    for (const [k, v] of Object.entries(signed.headers)) if (k !== 'host') headers[k] = v;
  }
  const r = await fetch(`${server.url}/`, { method, headers, body: method === 'GET' ? undefined : (body as BodyInit) });
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

/** An AWS JSON error: 4xx, `__type` and message members, request id and error type headers. */
function assertAwsError(r: Reply, code: string, message?: string | RegExp, status?: number): void {
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status} for ${code}: ${r.text}`);
  if (status !== undefined) assert.equal(r.status, status, r.text);
  assert.ok(r.json, `JSON body expected, got: ${r.text}`);
  assert.equal(r.json.__type, code, r.text);
  assert.equal(typeof r.json.message, 'string', r.text);
  if (typeof message === 'string') assert.equal(r.json.message, message);
  else if (message) assert.match(r.json.message, message);
  assert.equal(r.headers.get('x-amzn-errortype'), code);
  assert.match(r.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
  assertRequestId(r);
}

function assertRequestId(r: Reply): void {
  const id = r.headers.get('x-amzn-requestid');
  assert.ok(id, 'x-amzn-RequestId header');
  assert.match(id!, UUID_RE);
  assert.ok(!requestIds.has(id!), 'request ids are unique');
  requestIds.add(id!);
}

test('health answers 200 JSON', async () => {
  const r = await fetch(`${server.url}/_certtrail/health`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  const body = await r.json();
  assert.equal(body.status, 'ok');
  const missing = await fetch(`${server.url}/_certtrail/nothing-here`);
  assert.equal(missing.status, 404);
  assert.ok(await missing.json());
});

test('a correctly signed request succeeds and carries x-amzn-RequestId', async () => {
  const r = await send();
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
  assert.ok(Array.isArray(r.json.CertificateSummaryList));
  assertRequestId(r);
});

test('routing: unknown operation, missing X-Amz-Target, unknown service prefix, GET', async () => {
  assertAwsError(await send({ target: 'CertificateManager.MakeCoffee' }), 'UnknownOperationException', /MakeCoffee/);
  assertAwsError(await send({ target: null }), 'UnknownOperationException', /X-Amz-Target/);
  assertAwsError(await send({ target: 'DynamoDB_20120810.ListTables' }), 'UnknownOperationException');
  assertAwsError(await send({ target: 'nodot' }), 'UnknownOperationException');
  assertAwsError(await send({ method: 'GET' }), 'UnknownOperationException');
});

test('an S1d operation not built yet is a well-formed UnknownOperationException that says so', async () => {
  const r = await send({ target: 'CertificateManager.ListTagsForResource', body: JSON.stringify({ ResourceArn: 'arn:aws:acm:us-east-1:000000000000:acme-endpoint/x' }) });
  assertAwsError(r, 'UnknownOperationException', 'Operation ListTagsForResource is not implemented by certtrail yet.');
  assertAwsError(await send({ target: 'CertificateManager.CreateAcmeEndpoint' }), 'UnknownOperationException', /CreateAcmeEndpoint is not implemented/);
});

test('body decoding: malformed JSON, non-object JSON, wrong content type, wrong member types', async () => {
  assertAwsError(await send({ body: '{"CertificateStatuses": [' }), 'SerializationException', undefined, 400);
  assertAwsError(await send({ body: 'not json at all' }), 'SerializationException', undefined, 400);
  assertAwsError(await send({ body: '[1,2]' }), 'SerializationException', undefined, 400);
  assertAwsError(await send({ body: 'null' }), 'SerializationException', undefined, 400);
  assertAwsError(await send({ contentType: 'text/plain' }), 'SerializationException', /Content-Type/, 400);
  assertAwsError(await send({ contentType: null }), 'SerializationException', undefined, 400);

  const req = (body: unknown) => send({ target: 'CertificateManager.RequestCertificate', body: JSON.stringify(body) });
  assertAwsError(await req({ DomainName: 5 }), 'SerializationException', /domainName/, 400);
  assertAwsError(await req({ DomainName: 'x.example.com', SubjectAlternativeNames: 'www.example.com' }), 'SerializationException', undefined, 400);
  assertAwsError(await req({ DomainName: 'x.example.com', Options: 'yes' }), 'SerializationException', undefined, 400);
  assertAwsError(await req({ DomainName: { nested: true } }), 'SerializationException', undefined, 400);
  assertAwsError(await send({ body: JSON.stringify({ MaxItems: 'ten' }) }), 'SerializationException', undefined, 400);
  const blob = await send({ target: 'CertificateManager.ImportCertificate', body: JSON.stringify({ Certificate: '%%% not base64 %%%', PrivateKey: 'AAAA' }) });
  assertAwsError(blob, 'SerializationException', undefined, 400);

  // Constraint failures (as opposed to type failures) are ValidationException in Coral's words.
  assertAwsError(await req({}), 'ValidationException',
    "1 validation error detected: Value null at 'domainName' failed to satisfy constraint: Member must not be null", 400);
  assertAwsError(await send({ body: JSON.stringify({ MaxItems: 0 }) }), 'ValidationException', /at 'maxItems' failed to satisfy constraint/, 400);
  // An empty body is an empty input structure.
  const empty = await send({ body: '' });
  assert.equal(empty.status, 200, empty.text);
});

test('oversize body (> 2.5 MiB) gets an AWS-shaped 413, and the server lives on', async () => {
  const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
  const r = await send({ body: big, sign: false });
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json.__type, 'RequestEntityTooLargeException');
  assert.equal(typeof r.json.message, 'string');
  assert.equal(r.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
  assertRequestId(r);
  // Also when signed: the size limit comes before anything else.
  const signed = await send({ body: big });
  assert.equal(signed.status, 413, signed.text);
  assertRequestId(signed);

  // Far over the limit the server stops reading, but answers first: a client that reads while it
  // sends (Node's http, fetch, curl) gets the 413 rather than a bare connection reset.
  const huge = Buffer.alloc(24 * 1024 * 1024, 0x20);
  const outcome = await new Promise<string>((resolve) => {
    const req = httpRequest(`${server.url}/`, { method: 'POST', headers: { 'content-type': JSON11, 'content-length': huge.length } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(`${res.statusCode} ${text}`));
    });
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
    req.end(huge);
  });
  assert.match(outcome, /^413 \{"__type":"RequestEntityTooLargeException"/);
  const viaFetch = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': JSON11 }, body: huge });
  assert.equal(viaFetch.status, 413);
  assert.equal((await viaFetch.json()).__type, 'RequestEntityTooLargeException');
  assert.equal((await send()).status, 200);
});

test('authentication failures', async () => {
  assertAwsError(await send({ sign: false }), 'MissingAuthenticationTokenException', 'Request is missing Authentication Token', 403);
  // Unsigned requests learn nothing about operations.
  assertAwsError(await send({ sign: false, target: 'CertificateManager.MakeCoffee' }), 'MissingAuthenticationTokenException');

  assertAwsError(await send({ sign: { accessKeyId: 'AKIADOESNOTEXIST0000' } }), 'UnrecognizedClientException',
    'The security token included in the request is invalid.', 403);
  assertAwsError(await send({ sign: { secretAccessKey: 'wrong' } }), 'InvalidSignatureException',
    /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\./, 400);

  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
  assertAwsError(await send({ sign: { date: tenMinutesAgo } }), 'InvalidSignatureException',
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/, 400);
  const inTenMinutes = new Date(Date.now() + 10 * 60_000);
  assertAwsError(await send({ sign: { date: inTenMinutes } }), 'InvalidSignatureException',
    /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/, 400);
  // Within the 5-minute window is fine.
  assert.equal((await send({ sign: { date: new Date(Date.now() - 2 * 60_000) } })).status, 200);

  assertAwsError(await send({ sign: { service: 'dynamodb' } }), 'InvalidSignatureException', /^Credential should be scoped to correct service: 'acm'\./, 400);
  // The private CA API signs as acm-pca, and its own prefix routes there.
  assertAwsError(await send({ target: 'ACMPrivateCA.ListCertificateAuthorities', sign: { service: 'acm' } }), 'InvalidSignatureException',
    /^Credential should be scoped to correct service: 'acm-pca'\./);
  const pca = await send({ target: 'ACMPrivateCA.ListCertificateAuthorities', sign: { service: 'acm-pca' } });
  assert.equal(pca.status, 200, pca.text);

  // A body changed after signing no longer matches (the SDK signer declares x-amz-content-sha256,
  // so it is that hash which gives it away).
  const tampered = await (async () => {
    const signer = new SignatureV4({ service: 'acm', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
    const headers = { 'content-type': JSON11, 'x-amz-target': 'CertificateManager.ListCertificates', host: `127.0.0.1:${server.port}` };
    const s = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/', headers, body: '{}' }));
    const h = { ...s.headers } as Record<string, string>;
    delete h.host;
    const r = await fetch(`${server.url}/`, { method: 'POST', headers: h, body: '{"MaxItems":1}' });
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, json: JSON.parse(text) };
  })();
  assertAwsError(tampered, 'InvalidSignatureException', /does not match/);

  // Garbage Authorization headers are AWS-shaped client errors too.
  assertAwsError(await send({ sign: false, extraHeaders: { authorization: 'Bearer abc.def.ghi' } }), 'IncompleteSignatureException');
  assertAwsError(await send({ sign: false, extraHeaders: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/acm/aws4_request, SignedHeaders=host, Signature=00' } }),
    'IncompleteSignatureException', /X-Amz-Date/);
});

test('the server is still healthy and never logged an internal failure', async () => {
  const h = await fetch(`${server.url}/_certtrail/health`);
  assert.equal(h.status, 200);
  const r = await send({ target: 'CertificateManager.GetAccountConfiguration' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ExpiryEvents.DaysBeforeExpiry, 45);
  assert.equal(server.proc.exitCode, null);
  assert.ok(!/internal failure|unhandled edge failure/.test(server.output()), server.output());
});
