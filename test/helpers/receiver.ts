import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

/**
 * An HTTP endpoint for API-destination targets: records every request, answers 200 — or, per
 * path, a given status for the next N requests (a target that fails, then recovers).
 */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly failures = new Map<string, { left: number; status: number }>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const f = this.failures.get(path);
        const status = f && f.left > 0 ? f.status : 200;
        if (f && f.left > 0) f.left--;
        this.requests.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(path === '/oauth/token' && status === 200 ? JSON.stringify({ access_token: 'tok-123', token_type: 'Bearer', expires_in: 3600 }) : '{}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` requests to `path` get `status`. */
  fail(path: string, times: number, status = 503): void {
    this.failures.set(path, { left: times, status });
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
