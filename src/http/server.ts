import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RequestEntityTooLargeException } from '../kernel/errors.js';
import type { Ids } from '../kernel/ids.js';
import type { Logger } from '../kernel/logger.js';
import { stopwatch, type Metrics } from '../kernel/metrics.js';
import { JSON11, errorBody } from '../protocol/json11.js';
import { isFormContentType } from '../protocol/query.js';
import type { CallSummary, RawRequest, RawResponse } from '../pipeline/handle.js';
import { recordAccess } from './access-log.js';

export interface InternalRoute {
  (req: IncomingMessage, path: string, body?: Buffer): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer } | undefined>;
}

export interface ServerDeps {
  handle: (req: RawRequest) => Promise<RawResponse>;
  /** The AWS query protocol (STS, IAM); see isQueryRequest for what goes there. */
  query?: (req: RawRequest) => Promise<RawResponse>;
  internal: InternalRoute;
  maxBodyBytes: number;
  /** The S3 REST API (path-style), with its own body cap; see isS3Request for what goes there. */
  s3?: {
    handle: (req: RawRequest) => Promise<{ status: number; headers: Record<string, string>; body: string | Buffer; call: CallSummary }>;
    /** The answer for a body over `maxBodyBytes` (S3's EntityTooLarge). */
    tooLarge: (method: string, proposed: number, max: number) => { status: number; headers: Record<string, string>; body: string | Buffer; call: CallSummary };
    maxBodyBytes: number;
  };
  /** Peers whose X-Forwarded-For is believed (reverse proxies in front of certtrail). */
  trustedProxies: ReadonlySet<string>;
  ids: Ids;
  logger: Logger;
  /** Request counts and latencies by service and operation (absent: none kept). */
  metrics?: Metrics;
  /** The Date header when the server's clock is not the machine's (CERTTRAIL_CLOCK_OFFSET_SECONDS): SDKs correct their signing clock from it. */
  date?: () => string;
}

/** The HTTP edge: reads the size-limited body and hands the request to the pipeline. */
export function createHttpServer(d: ServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, (req, res) => {
    const send = sender(server, res, d.date);
    const elapsed = stopwatch();
    serve(d, req, send, elapsed).catch((e) => {
      const requestId = d.ids.uuid();
      d.logger.error('unhandled edge failure', { requestId, error: e instanceof Error ? e.message : String(e) });
      const body = JSON.stringify({ __type: 'InternalFailure', message: 'An internal error occurred.' });
      if (res.headersSent) return void res.end();
      send(500, { 'Content-Type': JSON11, 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': 'InternalFailure' }, body);
      recordAccess(d, req.method ?? 'GET', { requestId, service: 'unknown', operation: 'Unknown' }, 500, elapsed());
    });
  });
  return server;
}

const INTERNAL_MAX_BODY = 64 * 1024;

type Send = (status: number, headers: Record<string, string>, body: string | Buffer) => void;

/**
 * Writes one answer. Once close() was called, every answer closes its connection: a keep-alive
 * client whose request was in flight must not hold the shutdown up for the keep-alive timeout.
 * (Made here, unnamed: a function named in place gets tsx's keepNames treatment on every request.)
 */
function sender(server: Server, res: ServerResponse, date?: () => string): Send {
  return (status, headers, body) => {
    if (!server.listening) res.shouldKeepAlive = false;
    if (date) res.setHeader('Date', date());
    res.writeHead(status, headers);
    res.end(body);
  };
}

async function serve(d: ServerDeps, req: IncomingMessage, send: Send, elapsed: () => number): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';

  if (path.startsWith('/_certtrail/')) {
    // Only the OCSP responder and the approval form take a body (a few hundred bytes each).
    let body: Buffer | undefined;
    if (req.method === 'POST' && (path === '/_certtrail/ocsp' || path === '/_certtrail/approve')) body = await readBody(req, INTERNAL_MAX_BODY);
    else req.resume();
    const r = await d.internal(req, path, body);
    if (r) send(r.status, r.headers, r.body);
    else send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ message: 'Not Found' }));
    return;
  }

  const queryApi = d.query !== undefined && isQueryRequest(req.method ?? 'GET', path, query, req.headers);
  if (!queryApi && d.s3 && isS3Request(req.method ?? 'GET', path, query, req.headers)) {
    const max = d.s3.maxBodyBytes;
    const s3Body = await readBody(req, max);
    if (s3Body === undefined) {
      const declared = Number(req.headers['content-length']);
      const r = d.s3.tooLarge(req.method ?? 'GET', Number.isFinite(declared) && declared > max ? declared : max + 1, max);
      send(r.status, r.headers, r.body);
      recordAccess(d, req.method ?? 'GET', r.call, r.status, elapsed());
      return;
    }
    const out = await d.s3.handle(rawRequest(d, req, path, query, s3Body));
    send(out.status, out.headers, out.body);
    recordAccess(d, req.method ?? 'GET', out.call, out.status, elapsed());
    return;
  }

  const body = await readBody(req, d.maxBodyBytes);
  if (body === undefined) {
    const err = RequestEntityTooLargeException(`Request must be smaller than ${d.maxBodyBytes} bytes.`);
    const requestId = d.ids.uuid();
    send(err.status, { 'Content-Type': JSON11, 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': err.code }, errorBody(err));
    recordAccess(d, req.method ?? 'GET', { requestId, service: 'unknown', operation: 'Unknown' }, err.status, elapsed());
    return;
  }
  const out = await (queryApi ? d.query! : d.handle)(rawRequest(d, req, path, query, body));
  // The pipeline's headers are this answer's own object: completed, not copied (a spread into a
  // new literal takes V8's slow path, microseconds on every request).
  out.headers['Content-Length'] = String(out.bytes ? out.bytes.length : Buffer.byteLength(out.body));
  send(out.status, out.headers, out.bytes ?? out.body);
  recordAccess(d, req.method ?? 'GET', out.call, out.status, elapsed());
}

function rawRequest(d: ServerDeps, req: IncomingMessage, path: string, query: string, body: Buffer): RawRequest {
  return {
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headersDistinct,
    body,
    sourceIp: clientIp(normaliseIp(req.socket.remoteAddress ?? ''), req.headers['x-forwarded-for'], d.trustedProxies),
    tls: 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
  };
}

/**
 * Which API a request is for. AWS JSON calls carry X-Amz-Target; `POST /` without one is still
 * the JSON pipeline's (its UnknownOperation answer) unless it is signed for s3. Everything else is
 * S3, path-style: `/<bucket>/<key>` (certtrail's own pages under /_certtrail/ were served before;
 * no bucket name can start with an underscore).
 */
export function isS3Request(method: string, path: string, query: string, headers: IncomingMessage['headers']): boolean {
  if (headers['x-amz-target'] !== undefined) return false;
  if (method.toUpperCase() === 'POST' && path === '/') return signingService(headers.authorization, query) === 's3';
  return true;
}

/** Signing names whose APIs speak the query protocol (`Action=…&Version=…`, XML answers). */
const QUERY_SERVICES: ReadonlySet<string> = new Set(['sts', 'iam']);

/**
 * Whether a request is an AWS query-protocol call: no X-Amz-Target, `POST /` with a form body or
 * a GET with `Action=` in its query string, signed (header or presigned) for sts or iam. Checked
 * before S3, which would otherwise take every request without X-Amz-Target.
 */
export function isQueryRequest(method: string, path: string, query: string, headers: IncomingMessage['headers']): boolean {
  if (headers['x-amz-target'] !== undefined || path !== '/') return false;
  const m = method.toUpperCase();
  if (m === 'POST') {
    if (!isFormContentType(headers['content-type'])) return false;
  } else if (m !== 'GET' || !/(?:^|&)Action=/.test(query)) return false;
  const service = signingService(headers.authorization, query);
  return service !== undefined && QUERY_SERVICES.has(service);
}

/** The service of a SigV4 credential scope (`AKID/20260101/us-east-1/<service>/aws4_request`), header or presigned. */
function signingService(authorization: string | undefined, query: string): string | undefined {
  const scope = /Credential=([^,\s]*)/.exec(authorization ?? '')?.[1] ?? /(?:^|&)X-Amz-Credential=([^&]*)/.exec(query)?.[1];
  if (!scope) return undefined;
  let credential: string;
  try {
    credential = decodeURIComponent(scope);
  } catch {
    return undefined;
  }
  return credential.split('/')[3];
}

/**
 * Undefined as soon as the body exceeds the cap, so the 413 goes out while the client is still
 * sending (clients read an early answer; waiting for the end would leave a client whose body is
 * cut off below with a bare connection reset). The rest is read and dropped, up to a point.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        if (!over) {
          over = true;
          chunks.length = 0;
          resolve(undefined);
        }
        // Keep draining (cheaply) so a client still sending reads its 413 rather than a reset;
        // only a body far beyond any real request is cut off.
        if (size > max * 64) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('close', () => over && resolve(undefined));
    req.on('error', reject);
  });
}

/**
 * The caller's address for sourceIPAddress: the socket's peer, unless that peer is a trusted
 * proxy, in which case the nearest X-Forwarded-For hop that is not itself a trusted proxy.
 * An untrusted peer's X-Forwarded-For is ignored: anyone can write that header.
 */
export function clientIp(peer: string, xff: string | string[] | undefined, trusted: ReadonlySet<string>): string {
  if (!trusted.has(peer) || !xff) return peer;
  const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',').map((h) => normaliseIp(h.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i])) return hops[i];
  return hops[0] ?? peer;
}

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
