/**
 * Pieces of the S3 end-to-end tests: an SDK client the way a user sets one up against certtrail
 * (path-style, endpoint override), and a raw SigV4-signing fetch for what the SDK would refuse
 * to send (bad hashes, odd paths, unsigned probes).
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Client } from '@aws-sdk/client-s3';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const TEST_CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function s3Client(url: string, credentials = TEST_CREDS, region = 'us-east-1'): S3Client {
  return new S3Client({ endpoint: url, region, credentials, forcePathStyle: true, maxAttempts: 1 });
}

export interface RawS3Response {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

export interface RawS3Options {
  method?: string;
  /** Raw path with query, e.g. `/bucket/key?uploads`; sent and signed as given. */
  path: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** false: unsigned. The payload hash defaults to the body's SHA-256. */
  sign?: false | { credentials?: { accessKeyId: string; secretAccessKey: string }; region?: string; service?: string; payloadHash?: string };
}

export async function rawS3(url: string, o: RawS3Options): Promise<RawS3Response> {
  const u = new URL(url);
  const method = o.method ?? 'GET';
  const q = o.path.indexOf('?');
  const path = q < 0 ? o.path : o.path.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const part of o.path.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      query[decodeURIComponent(eq < 0 ? part : part.slice(0, eq))] = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    }
  }
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  let headers: Record<string, string> = { host: u.host, ...o.headers };
  if (o.sign !== false) {
    const s = o.sign ?? {};
    const signer = new SignatureV4({
      service: s.service ?? 's3',
      region: s.region ?? 'us-east-1',
      credentials: s.credentials ?? TEST_CREDS,
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: false,
      applyChecksum: true,
    });
    if (s.payloadHash) headers['x-amz-content-sha256'] = s.payloadHash;
    const req = new HttpRequest({ method, protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path, query, headers, body });
    headers = (await signer.sign(req)).headers as Record<string, string>;
  }
  const { host: _host, ...sendHeaders } = headers;
  const r = await fetch(`${url}${o.path}`, { method, headers: sendHeaders, body: body as BodyInit | undefined });
  const buf = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body: buf, text: buf.toString('utf8') };
}

/** One element's text in an XML document (enough for S3's flat error bodies). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1];
}
