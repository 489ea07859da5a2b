import type { IncomingMessage } from 'node:http';
import type { Clock } from '../kernel/clock.js';
import { DAY_MS } from '../kernel/clock.js';
import type { Logger } from '../kernel/logger.js';
import type { Metrics } from '../kernel/metrics.js';
import { buildCrl } from '../pki/index.js';
import type { Store } from '../storage/ports.js';
import type { Authorities } from '../services/ca/authorities.js';
import type { InternalRoute } from './server.js';
import { ocspGetRequest, ocspResponder } from './ocsp.js';
import { approvalPage } from './approval-page.js';
import { readinessCheck } from './readiness.js';

export interface InternalDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  authorities: Authorities;
  /** Startup is done (and no stop begun). */
  isReady: () => boolean;
  info: Record<string, unknown>;
  wake: () => void;
  /** What /_certtrail/metrics serves (absent: 404). */
  metrics?: Metrics;
  /** How long /_certtrail/ready waits for the database. */
  readyTimeoutMs?: number;
}

/**
 * certtrail's own pages under /_certtrail/ (an underscore can never start a bucket name, so
 * these never collide with path-style S3 later): health (liveness), ready (readiness), metrics,
 * CA certificates (the AIA target) and CRLs (the CRL distribution point baked into every certificate).
 */
export function internalRoutes(d: InternalDeps): InternalRoute {
  const crlCache = new Map<string, { key: string; der: Buffer; nextUpdate: number }>();

  const pemToDer = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

  const ocsp = ocspResponder(d);
  const approval = approvalPage(d);
  const readiness = readinessCheck({ store: d.store, isReady: d.isReady, logger: d.logger, timeoutMs: d.readyTimeoutMs });

  return async (req: IncomingMessage, path: string, body?: Buffer): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer } | undefined> => {
    if (path === '/_certtrail/ocsp' && req.method === 'POST') return ocsp(body);
    if (path === '/_certtrail/approve' && (req.method === 'GET' || req.method === 'POST')) return approval(req.method, (req.url ?? '').split('?')[1] ?? '', body);
    if (path.startsWith('/_certtrail/ocsp/') && req.method === 'GET') return ocsp(ocspGetRequest(path.slice('/_certtrail/ocsp/'.length)));
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Method Not Allowed"}' };
    if (path === '/_certtrail/health') {
      const ready = d.isReady();
      return { status: ready ? 200 : 503, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: ready ? 'ok' : 'starting', ...d.info }) };
    }
    if (path === '/_certtrail/ready') {
      const r = await readiness();
      const body = r.ready ? { status: 'ready', checks: r.checks } : { status: 'not ready', missing: r.missing, checks: r.checks };
      return { status: r.ready ? 200 : 503, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
    }
    if (path === '/_certtrail/metrics' && d.metrics)
      return { status: 200, headers: { 'Content-Type': d.metrics.registry.contentType }, body: await d.metrics.registry.metrics() };
    if (path === '/_certtrail/ca/root.pem') {
      const root = await d.authorities.root();
      return { status: 200, headers: { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': 'attachment; filename="certtrail-root.pem"' }, body: root.certificatePem };
    }
    let m = /^\/_certtrail\/ca\/([0-9a-f-]{36})\.(crt|pem)$/.exec(path);
    if (m) {
      const ca = await d.store.read((tx) => tx.cas.get(m![1]));
      if (!ca) return undefined;
      return m[2] === 'pem'
        ? { status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: ca.certificatePem }
        : { status: 200, headers: { 'Content-Type': 'application/pkix-cert' }, body: pemToDer(ca.certificatePem) };
    }
    m = /^\/_certtrail\/crl\/([0-9a-f-]{36})\.crl$/.exec(path);
    if (m) {
      const id = m[1];
      const ca = await d.store.read((tx) => tx.cas.get(id));
      if (!ca) return undefined;
      const revoked = await d.store.read((tx) => tx.certificates.listRevokedByIssuer(id));
      const entries = revoked.filter((c) => c.facts && c.revokedAt).map((c) => ({ serial: c.facts!.serial, revokedAt: c.revokedAt!, reason: c.revocationReason ?? 'UNSPECIFIED' }));
      const key = entries.map((e) => e.serial).sort().join(',');
      const now = d.clock.now();
      let cached = crlCache.get(id);
      if (!cached || cached.key !== key || cached.nextUpdate - DAY_MS / 2 < now.getTime()) {
        const nextUpdate = new Date(now.getTime() + DAY_MS);
        const der = await buildCrl(d.authorities.signing(ca), entries, now, nextUpdate, BigInt(Math.floor(now.getTime() / 1000)));
        cached = { key, der, nextUpdate: nextUpdate.getTime() };
        crlCache.set(id, cached);
      }
      return { status: 200, headers: { 'Content-Type': 'application/pkix-crl' }, body: cached.der };
    }
    return undefined;
  };
}
