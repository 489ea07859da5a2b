/**
 * 400 days on the injected clock, one lifecycle round set per day, the server "restarted"
 * (store closed and reopened, a new Lifecycle) midway: managed renewal starts on the day ACM's
 * window opens, renews by itself while the validation CNAMEs answer, waits for the owner when
 * they are gone, and what is not eligible expires. Every transition happens once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../config.js';
import { DAY_MS, ManualClock } from '../../kernel/clock.js';
import { systemIds } from '../../kernel/ids.js';
import { silentLogger } from '../../kernel/logger.js';
import { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import { KeyPool } from '../../pki/index.js';
import type { Repositories } from '../../storage/ports.js';
import type { CertificateRecord } from '../../storage/records.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import { lifecycleEvent } from '../../audit/bus/acm-events.js';
import { Authorities } from '../ca/authorities.js';
import type { AcmDeps } from './deps.js';
import type { DnsLookups } from './dns-checks.js';
import { Lifecycle } from './lifecycle.js';
import { Paging } from './paging.js';
import { renewalStartsAt } from './renewal.js';
import { requestCertificate } from './request.js';
import { ValidationRecords } from './validation.js';
import { realValidator } from './validator.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const T0 = Date.UTC(2026, 2, 1, 12);

test('400 simulated days: renewals on schedule, expiries, each transition once, across a restart', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-renewal-'));
  const file = join(dir, 'certtrail.db');
  const clock = new ManualClock(T0);
  const box = new SecretBox(randomBytes(32));
  const cnames = new Map<string, string>();
  const dns: DnsLookups = { cname: async (n) => (cnames.has(n) ? [cnames.get(n)!] : []), caa: async () => [] };
  const validator = realValidator(dns, 60);
  const keys = new KeyPool({ targets: {} });
  const day = () => Math.round((clock.now().getTime() - T0) / DAY_MS);
  /** What happened to each certificate, by day. */
  const log: { day: number; arn: string; what: string }[] = [];

  let store = new SqliteStore(file);
  const observe = async (_tx: Repositories, before: CertificateRecord, after: CertificateRecord) => {
    if (before.status !== after.status) log.push({ day: day(), arn: after.arn, what: `status ${after.status}` });
    if (before.renewal?.status !== after.renewal?.status) log.push({ day: day(), arn: after.arn, what: `renewal ${after.renewal?.status}` });
    const e = lifecycleEvent(before, after, clock.now());
    if (e) log.push({ day: day(), arn: after.arn, what: `event ${JSON.parse(e.envelope)['detail-type']}` });
  };
  const open = async () => {
    const authorities = new Authorities({ store, box, clock, ids: systemIds, publicUrl: 'http://127.0.0.1:1' });
    await authorities.ensureHierarchy();
    const lifecycle = new Lifecycle({ store, clock, box, logger: silentLogger, authorities, keys, validator, pollMs: 1000, renewalScanMs: 3_600_000, observe });
    const deps: AcmDeps = {
      store, clock, ids: systemIds, box, config: loadConfig({}), logger: silentLogger, authorities,
      validation: new ValidationRecords(Buffer.alloc(32, 7)), validator, paging: new Paging(randomBytes(32)), wake: () => {},
    };
    return { authorities, lifecycle, deps };
  };
  let app = await open();
  const ctx = (): RequestContext => ({
    requestId: 'r', now: clock.now(), sourceIp: '127.0.0.1', userAgent: 't', tls: false, service: 'acm', operation: 'RequestCertificate', region: REGION,
    principal: { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, principalId: ACCOUNT, accessKeyId: 'test' },
  });
  const get = async (arn: string) => (await store.read((tx) => tx.certificates.get(ACCOUNT, REGION, arn.split('/')[1]!)))!;
  /** What ExportCertificate records: the owner took the (renewed) certificate to deploy it. */
  const markExported = (arn: string) => store.write(async (tx) => {
    const c = (await tx.certificates.get(ACCOUNT, REGION, arn.split('/')[1]!))!;
    await tx.certificates.put({ ...c, exported: true });
  });

  const privateCa = await app.authorities.privateCa(ACCOUNT, REGION);
  const request = async (DomainName: string, extra: Record<string, unknown> = {}) => (await requestCertificate(ctx(), { DomainName, ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', ...extra }, app.deps)).CertificateArn;
  const arns = {
    renewing: await request('renewing.example.com', { Options: { Export: 'ENABLED' } }),
    unused: await request('unused.example.com'),
    private: await request('internal.example', { CertificateAuthorityArn: privateCa.arn, KeyAlgorithm: privateCa.keyAlgorithm.startsWith('RSA') ? 'RSA_2048' : 'EC_prime256v1' }),
    cnameGone: await request('gone.example.com', { Options: { Export: 'ENABLED' } }),
  };
  for (const arn of [arns.renewing, arns.unused, arns.cnameGone]) {
    const rr = (await get(arn)).domainValidations[0]!.resourceRecord!;
    cnames.set(rr.name.replace(/\.$/, ''), rr.value.replace(/\.$/, ''));
  }

  const serials: Record<string, Set<string>> = Object.fromEntries(Object.values(arns).map((a) => [a, new Set<string>()]));
  const firstNotAfter: Record<string, number> = {};
  for (let d = 0; d <= 400; d++) {
    clock.set(T0 + d * DAY_MS);
    if (d === 100) cnames.delete((await get(arns.cnameGone)).domainValidations[0]!.resourceRecord!.name.replace(/\.$/, ''));
    if (d === 200) {
      // A restart midway: nothing the store says was done is done again.
      await store.close();
      store = new SqliteStore(file);
      app = await open();
    }
    await app.lifecycle.work();
    await app.lifecycle.work();
    for (const arn of Object.values(arns)) {
      const c = await get(arn);
      if (!c.facts) continue;
      firstNotAfter[arn] ??= c.facts.notAfter.getTime();
      if (!serials[arn]!.has(c.facts.serial)) {
        serials[arn]!.add(c.facts.serial);
        if (arn !== arns.unused && c.status === 'ISSUED') await markExported(arn);
      }
    }
  }

  const days = (arn: string, what: string) => log.filter((l) => l.arn === arn && l.what === what).map((l) => l.day);
  /** The first simulated day at or after t (a window opens), and the first strictly after (NotAfter has passed). */
  const dayOf = (t: number) => Math.ceil((t - T0) / DAY_MS);
  const dayAfter = (t: number) => Math.floor((t - T0) / DAY_MS) + 1;

  // Issued on day 0, all four.
  for (const arn of Object.values(arns)) assert.deepEqual(days(arn, 'status ISSUED'), [0], arn);

  // 198-day public certificates renew 45 days before expiry; the renewed one again 45 days before its own.
  const r = await get(arns.renewing);
  const firstRenewal = dayOf(firstNotAfter[arns.renewing]! - 45 * DAY_MS);
  assert.equal(firstRenewal, 153);
  assert.deepEqual(days(arns.renewing, 'renewal PENDING_AUTO_RENEWAL'), [firstRenewal, firstRenewal + 153]);
  assert.deepEqual(days(arns.renewing, 'renewal SUCCESS'), [firstRenewal, firstRenewal + 153]);
  assert.deepEqual(days(arns.renewing, 'event ACM Certificate Available'), [0, firstRenewal, firstRenewal + 153]);
  assert.equal(serials[arns.renewing]!.size, 3);
  assert.equal(r.status, 'ISSUED');
  assert.equal(r.renewal?.status, 'SUCCESS');
  assert.equal(Math.round((r.facts!.notAfter.getTime() - r.facts!.notBefore.getTime()) / DAY_MS), 198);
  assert.equal(renewalStartsAt(r)!.getTime(), r.facts!.notAfter.getTime() - 45 * DAY_MS);

  // Never exported nor in use: not eligible, so it expires the day after its NotAfter.
  assert.deepEqual(days(arns.unused, 'status EXPIRED'), [dayAfter(firstNotAfter[arns.unused]!)]);
  assert.deepEqual(days(arns.unused, 'event ACM Certificate Expired'), [dayAfter(firstNotAfter[arns.unused]!)]);
  assert.deepEqual(days(arns.unused, 'renewal PENDING_AUTO_RENEWAL'), []);

  // Private (395 days): renewed 60 days before expiry, once in 400 days.
  assert.deepEqual(days(arns.private, 'renewal SUCCESS'), [dayOf(firstNotAfter[arns.private]! - 60 * DAY_MS)]);
  assert.equal(days(arns.private, 'renewal SUCCESS')[0], 335);

  // Its CNAME gone, renewal waits for the owner (PENDING_VALIDATION) and fails at expiry.
  const gone = await get(arns.cnameGone);
  assert.deepEqual(days(arns.cnameGone, 'renewal PENDING_VALIDATION'), [153]);
  assert.deepEqual(days(arns.cnameGone, 'status EXPIRED'), [dayAfter(firstNotAfter[arns.cnameGone]!)]);
  assert.equal(gone.status, 'EXPIRED');
  assert.equal(gone.renewal?.status, 'FAILED');
  assert.equal(serials[arns.cnameGone]!.size, 1);

  // Each transition of each certificate happened on one day only.
  const seen = new Set<string>();
  for (const l of log) {
    const k = `${l.arn} ${l.what} ${l.day}`;
    assert.ok(!seen.has(k), `twice: ${k}`);
    seen.add(k);
  }
  keys.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
