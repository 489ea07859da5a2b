import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** What came back from one raw AWS JSON 1.1 call. `error` is set when no response arrived (reset, timeout). */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  error?: string;
}

export interface RawCallOptions {
  /** Content-Type to send; `null` sends none. Default `application/x-amz-json-1.1`. */
  contentType?: string | null;
  timeoutMs?: number;
}

export type RawCall = (target: string | undefined, body: string | Uint8Array, opts?: RawCallOptions) => Promise<RawResponse>;

/**
 * A SigV4-signing client that sends any body with raw `fetch` (the SDKs would refuse malformed
 * input client-side): POST / with X-Amz-Target and the JSON 1.1 content type.
 */
export function rawClient(
  url: string,
  { service = 'acm', region = 'us-east-1', credentials = { accessKeyId: 'test', secretAccessKey: 'test' } } = {},
): RawCall {
  const signer = new SignatureV4({ service, region, credentials, sha256: Hash.bind(null, 'sha256') });
  const u = new URL(url);
  return async (target, body, opts = {}) => {
    const headers: Record<string, string> = { host: u.host };
    const ct = opts.contentType === undefined ? 'application/x-amz-json-1.1' : opts.contentType;
    if (ct !== null) headers['content-type'] = ct;
    if (target !== undefined) headers['x-amz-target'] = target;
    const req = new HttpRequest({ method: 'POST', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: '/', headers, body });
    const signed = await signer.sign(req);
    try {
      const r = await fetch(`${url}/`, {
        method: 'POST',
        headers: signed.headers as Record<string, string>,
        body: body as string, // fetch takes a Uint8Array too; the DOM typings disagree
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      return { status: r.status, headers: r.headers, text: await r.text() };
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      return { status: 0, headers: new Headers(), text: '', error: `${(e as Error).name}: ${(e as Error).message}${cause ? ` (${cause})` : ''}` };
    }
  };
}

/** Calls an operation with a JSON input and returns the parsed 200 output; throws otherwise. */
export async function ok(call: RawCall, target: string, input: unknown): Promise<any> {
  const r = await call(target, JSON.stringify(input));
  if (r.status !== 200) throw new Error(`${target} answered ${r.status} ${r.error ?? r.text.slice(0, 500)}`);
  return r.text ? JSON.parse(r.text) : {};
}
