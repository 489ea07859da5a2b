import { createServer, type IncomingMessage, type Server } from 'node:http';
import { RequestEntityTooLargeException } from '../kernel/errors.js';
import type { Ids } from '../kernel/ids.js';
import type { Logger } from '../kernel/logger.js';
import { JSON11, errorBody } from '../protocol/json11.js';
import type { RawRequest, RawResponse } from '../pipeline/handle.js';

export interface InternalRoute {
  (req: IncomingMessage, path: string): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer } | undefined>;
}

export interface ServerDeps {
  handle: (req: RawRequest) => Promise<RawResponse>;
  internal: InternalRoute;
  maxBodyBytes: number;
  /** Peers whose X-Forwarded-For is believed (reverse proxies in front of certtrail). */
  trustedProxies: ReadonlySet<string>;
  ids: Ids;
  logger: Logger;
}

/** The HTTP edge: reads the size-limited body and hands the request to the pipeline. */
export function createHttpServer(d: ServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, (req, res) => {
    // Once close() was called, every answer closes its connection: a keep-alive client whose
    // request was in flight must not hold the shutdown up for the keep-alive timeout.
    const send: Send = (status, headers, body) => {
      if (!server.listening) res.shouldKeepAlive = false;
      res.writeHead(status, headers);
      res.end(body);
    };
    serve(d, req, send).catch((e) => {
      d.logger.error('unhandled edge failure', { error: e instanceof Error ? e.message : String(e) });
      const body = JSON.stringify({ __type: 'InternalFailure', message: 'An internal error occurred.' });
      if (!res.headersSent) send(500, { 'Content-Type': JSON11, 'x-amzn-RequestId': d.ids.uuid(), 'x-amzn-ErrorType': 'InternalFailure' }, body);
      else res.end();
    });
  });
  return server;
}

type Send = (status: number, headers: Record<string, string>, body: string | Buffer) => void;

async function serve(d: ServerDeps, req: IncomingMessage, send: Send): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';

  if (path.startsWith('/_certtrail/')) {
    req.resume();
    const r = await d.internal(req, path);
    if (r) send(r.status, r.headers, r.body);
    else send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ message: 'Not Found' }));
    return;
  }

  const body = await readBody(req, d.maxBodyBytes);
  if (body === undefined) {
    const err = RequestEntityTooLargeException(`Request must be smaller than ${d.maxBodyBytes} bytes.`);
    send(err.status, { 'Content-Type': JSON11, 'x-amzn-RequestId': d.ids.uuid(), 'x-amzn-ErrorType': err.code }, errorBody(err));
    return;
  }
  const out = await d.handle({
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headersDistinct,
    body,
    sourceIp: clientIp(normaliseIp(req.socket.remoteAddress ?? ''), req.headers['x-forwarded-for'], d.trustedProxies),
    tls: 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
  });
  send(out.status, { ...out.headers, 'Content-Length': String(Buffer.byteLength(out.body)) }, out.body);
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
