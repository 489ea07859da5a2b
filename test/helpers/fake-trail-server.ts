import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Buckets } from '../../src/audit/testing.js';
import type { PublicKeyInfo, TrailInfo } from '../../src/audit/validate-logs.js';

/**
 * Just enough CloudTrail (DescribeTrails, ListPublicKeys, JSON 1.1) and S3 (path style:
 * GetBucketLocation, ListObjects v1 with marker/prefix/encoding-type, GetObject with
 * x-amz-meta-*, 404 NoSuchKey) over objects in memory, for running the AWS CLI's validate-logs
 * and certtrail's side by side on the same bytes (cloudtrail.md §5.6). No authentication;
 * each request's SigV4 credential-scope region is recorded.
 */
export interface FakeTrailServer {
  url: string;
  requests: { op: string; region: string; target?: string }[];
  close(): Promise<void>;
}

export interface FakeTrailState {
  buckets: Buckets;
  trails: TrailInfo[];
  /** The keys of each region (by SigV4 scope); ListPublicKeys returns them whatever the range. */
  keys: Record<string, PublicKeyInfo[]>;
  /** Keys per ListObjects page (small, so that both clients page). */
  pageSize?: number;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function scopeRegion(req: IncomingMessage): string {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return m?.[1] ?? '';
}

export async function startFakeTrailServer(state: FakeTrailState): Promise<FakeTrailServer> {
  const requests: FakeTrailServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const region = scopeRegion(req);
      const target = req.headers['x-amz-target'] as string | undefined;
      const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
        res.end(body);
      };
      if (req.method === 'POST' && target) {
        const op = target.split('.').at(-1)!;
        requests.push({ op, region, target });
        const json = (v: unknown) => send(200, JSON.stringify(v), { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'r' });
        if (op === 'DescribeTrails') return json({ trailList: state.trails });
        if (op === 'ListPublicKeys')
          return json({
            PublicKeyList: (state.keys[region] ?? []).map((k) => ({
              Value: Buffer.from(k.Value ?? []).toString('base64'), ValidityStartTime: 1714521600, ValidityEndTime: 1717113600, Fingerprint: k.Fingerprint,
            })),
          });
        return send(400, JSON.stringify({ __type: 'UnknownOperationException' }), { 'Content-Type': 'application/x-amz-json-1.1' });
      }
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const objects = state.buckets.get(decodeURIComponent(bucket));
      const xml = (status: number, body: string) => send(status, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`, { 'Content-Type': 'application/xml' });
      if (!objects) {
        requests.push({ op: 'S3', region });
        return xml(404, `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${xmlEscape(bucket)}</BucketName></Error>`);
      }
      if (req.method === 'GET' && !key && url.searchParams.has('location')) {
        requests.push({ op: 'GetBucketLocation', region });
        return xml(200, `<LocationConstraint xmlns="${NS}"/>`);
      }
      if (req.method === 'GET' && !key) {
        requests.push({ op: 'ListObjects', region });
        const marker = url.searchParams.get('marker') ?? '';
        const prefix = url.searchParams.get('prefix') ?? '';
        const encode = url.searchParams.get('encoding-type') === 'url';
        const max = Math.min(Number(url.searchParams.get('max-keys') ?? 1000), state.pageSize ?? 1000);
        const all = [...objects.keys()].filter((k) => k > marker && k.startsWith(prefix)).sort();
        const page = all.slice(0, max);
        const enc = (s: string) => (encode ? encodeURIComponent(s).replace(/%2F/g, '/') : xmlEscape(s));
        const contents = page.map((k) => `<Contents><Key>${enc(k)}</Key><LastModified>2024-05-01T00:00:00.000Z</LastModified><ETag>"e"</ETag><Size>${objects.get(k)!.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
        return xml(200, `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${enc(prefix)}</Prefix><Marker>${enc(marker)}</Marker><MaxKeys>${max}</MaxKeys>` +
          `${encode ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${all.length > page.length}</IsTruncated>${contents.join('')}</ListBucketResult>`);
      }
      if (req.method === 'GET') {
        requests.push({ op: 'GetObject', region });
        const o = objects.get(key);
        if (!o) return xml(404, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${xmlEscape(key)}</Key></Error>`);
        const meta = Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
        return send(200, Buffer.from(o.body), { 'Content-Type': 'application/octet-stream', ETag: '"e"', 'Last-Modified': 'Wed, 01 May 2024 00:00:00 GMT', ...meta });
      }
      requests.push({ op: `${req.method} ?`, region });
      return xml(405, '<Error><Code>MethodNotAllowed</Code><Message>no</Message></Error>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
