/**
 * The bench's AWS client: SigV4 signing with the SDK's own signer (@smithy/signature-v4 +
 * @smithy/hash-node, credentials test/test, us-east-1, service acm or cloudtrail) and a keep-alive
 * node:http transport. Requests are signed as the AWS SDK signs them: host, content-type,
 * content-length, x-amz-target, x-amz-date and x-amz-content-sha256 (the signer's default).
 */
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

export const HOST = '127.0.0.1';
export const REGION = 'us-east-1';

/** A JSON 1.1 API: the SigV4 signing name and the X-Amz-Target prefix. */
export interface Api {
  signingName: string;
  targetPrefix: string;
}
export const ACM: Api = { signingName: 'acm', targetPrefix: 'CertificateManager' };
export const CLOUDTRAIL: Api = { signingName: 'cloudtrail', targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101' };

export interface Prepared {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  /** Response body length in bytes. */
  length: number;
  /** The body, when asked for. */
  text?: string;
  /** Network-level failure (no HTTP status). */
  error?: string;
  /** x-amzn-RequestId of the answer. */
  requestId?: string;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export class Signer {
  private readonly signer: SignatureV4;

  constructor(readonly port: number, readonly api: Api = ACM, credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) {
    this.signer = new SignatureV4({
      service: api.signingName,
      region: REGION,
      credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  /** One signed request, as the SDK would send it (optionally signed at another instant). */
  async sign(operation: string, input: unknown, signingDate?: Date): Promise<Prepared> {
    const body = Buffer.from(JSON.stringify(input));
    const req = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: HOST,
      port: this.port,
      path: '/',
      headers: {
        host: `${HOST}:${this.port}`,
        'content-type': 'application/x-amz-json-1.1',
        'content-length': String(body.length),
        'x-amz-target': `${this.api.targetPrefix}.${operation}`,
      },
      body,
    });
    const signed = await this.signer.sign(req, signingDate ? { signingDate } : {});
    // Unsigned, as in the SDK: the user agent.
    return { headers: { ...signed.headers, 'user-agent': 'certtrail-bench/1' }, body };
  }
}

/** Sends one prepared request; never rejects (failures come back as status 0 with `error`). */
export function send(agent: Agent, port: number, p: Prepared, keepBody = false, timeoutMs = 30_000): Promise<Reply> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Reply) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const req = httpRequest({ agent, host: HOST, port, method: 'POST', path: '/', headers: p.headers }, (res) => {
      let length = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        length += c.length;
        if (keepBody) chunks.push(c);
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, length, text: keepBody ? Buffer.concat(chunks).toString('utf8') : undefined, requestId: res.headers['x-amzn-requestid'] as string | undefined }));
      res.on('error', (e) => done({ status: 0, length, error: e.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (e) => done({ status: 0, length: 0, error: e.message }));
    req.end(p.body);
  });
}

export class AcmError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/** Signs (live), sends and parses one call; throws on anything but 200. */
export async function call<T = any>(agent: Agent, signer: Signer, operation: string, input: unknown): Promise<{ out: T; ms: number; sentAt: number; receivedAt: number }> {
  const p = await signer.sign(operation, input);
  const sentAt = performance.now();
  const r = await send(agent, signer.port, p, true);
  const receivedAt = performance.now();
  if (r.status !== 200) throw new AcmError(r.status, r.error ?? r.text ?? '');
  return { out: JSON.parse(r.text!) as T, ms: receivedAt - sentAt, sentAt, receivedAt };
}
