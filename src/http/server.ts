import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  ids: Ids;
  logger: Logger;
}

/** The HTTP edge: reads the size-limited body and hands the request to the pipeline. */
export function createHttpServer(d: ServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, (req, res) => {
    serve(d, req, res).catch((e) => {
      d.logger.error('unhandled edge failure', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': JSON11 });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: 'An internal error occurred.' }));
    });
  });
  return server;
}

async function serve(d: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';

  if (path.startsWith('/_certtrail/')) {
    req.resume();
    const r = await d.internal(req, path);
    if (r) {
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
    }
    return;
  }

  const body = await readBody(req, d.maxBodyBytes);
  if (body === undefined) {
    const err = RequestEntityTooLargeException(`Request must be smaller than ${d.maxBodyBytes} bytes.`);
    res.writeHead(err.status, { 'Content-Type': JSON11, 'x-amzn-RequestId': d.ids.uuid(), 'x-amzn-ErrorType': err.code, Connection: 'close' });
    res.end(errorBody(err));
    return;
  }
  const out = await d.handle({
    method: req.method ?? 'GET',
    path,
    query,
    headers: req.headersDistinct,
    body,
    sourceIp: normaliseIp(req.socket.remoteAddress ?? ''),
    tls: 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
  });
  res.writeHead(out.status, { ...out.headers, 'Content-Length': String(Buffer.byteLength(out.body)) });
  res.end(out.body);
}

/** Undefined when the body exceeds the cap; the rest is drained so the client sees the answer. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        if (size > max * 4) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('close', () => over && resolve(undefined));
    req.on('error', reject);
  });
}

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
