/**
 * 400 days on the injected clock, one lifecycle round set per day, the server "restarted"
 * (store closed and reopened, a new Lifecycle) midway: managed renewal starts on the day ACM's
 * window opens, renews by itself while the validation CNAMEs answer, waits for the owner when
 * they are gone or CAA forbids, mails e-mail-validated owners (again when an attempt's 72 hours
 * pass) and renews once they approve, and what is not eligible expires. ACM's events (Available,
 * Approaching Expiration, Renewal Action Required, Expired) and CloudTrail's service events are
 * read back from the store on the days they were due. Every transition happens once.
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
import { lifecycleEvent, publishScheduledNotices } from '../../audit/bus/acm-events.js';
import { lifecycleServiceEvent } from '../../audit/service-events.js';
import { approve } from './approval.js';
import type { ValidationMail } from './mailer.js';
import { Authorities } from '../ca/authorities.js';
import type { AcmDeps } from './deps.js';
import type { CaaRecord, DnsLookups } from './dns-checks.js';
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
  const caa = new Map<string, CaaRecord[]>();
  const dns: DnsLookups = { cname: async (n) => (cnames.has(n) ? [cnames.get(n)!] : []), caa: async (n) => caa.get(n) ?? [] };
  const mails: (ValidationMail & { day: number })[] = [];
  const validator = realValidator(dns, 60, { publicUrl: 'http://certtrail.test', mailer: { send: async (m) => void mails.push({ ...m, day: day() }) } });
  const keys = new KeyPool({ targets: {} });
  const day = () => Math.round((clock.now().getTime() - T0) / DAY_MS);
  /** What happened to each certificate, by day. */
  const log: { day: number; arn: string; what: string }[] = [];

  let store = new SqliteStore(file);
  const observe = async (_tx: Repositories, before: CertificateRecord | undefined, after: CertificateRecord) => {
    if (before?.status !== after.status) log.push({ day: day(), arn: after.arn, what: `status ${after.status}` });
    if (before?.renewal?.status !== after.renewal?.status) log.push({ day: day(), arn: after.arn, what: `renewal ${after.renewal?.status}` });
    // What the server's observer does: ACM's event on the bus, the service event in CloudTrail.
    const e = lifecycleEvent(before, after, clock.now());
    if (e) await _tx.bus.publish([e]);
    const trail = lifecycleServiceEvent(before, after, clock.now());
    if (trail) await _tx.events.put(trail);
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
    caa: await request('caa.example.com', { Options: { Export: 'ENABLED' } }),
    mailed: await request('mailed.example.com', { ValidationMethod: 'EMAIL', Options: { Export: 'ENABLED' } }),
  };
  /** The owner follows a link: the token is the approval URL's. */
  const approveMail = (m: ValidationMail) => approve(store, new URL(m.approveUrl).searchParams.get('token')!, clock.now());
  for (const arn of [arns.renewing, arns.unused, arns.cnameGone, arns.caa]) {
    const rr = (await get(arn)).domainValidations[0]!.resourceRecord!;
    cnames.set(rr.name.replace(/\.$/, ''), rr.value.replace(/\.$/, ''));
  }

  const serials: Record<string, Set<string>> = Object.fromEntries(Object.values(arns).map((a) => [a, new Set<string>()]));
  const firstNotAfter: Record<string, number> = {};
  for (let d = 0; d <= 400; d++) {
    clock.set(T0 + d * DAY_MS);
    if (d === 100) cnames.delete((await get(arns.cnameGone)).domainValidations[0]!.resourceRecord!.name.replace(/\.$/, ''));
    // CAA names another CA from day 150 to day 190: the renewal that starts meanwhile must wait.
    if (d === 150) caa.set('caa.example.com', [{ critical: 0, tag: 'issue', value: 'other-ca.example' }]);
    if (d === 190) caa.delete('caa.example.com');
    if (d === 200) {
      // A restart midway: nothing the store says was done is done again.
      await store.close();
      store = new SqliteStore(file);
      app = await open();
    }
    await app.lifecycle.work();
    // The owner approves the first mail at once, lets the renewal's first mails lapse, and approves
    // the renewal on day 160 (the latest attempt's mail).
    for (const m of mails.filter((m) => m.day === d)) if (d === 0) await approveMail(m);
    if (d === 160) await approveMail(mails.at(-1)!);
    await app.lifecycle.work();
    await app.lifecycle.work();
    await publishScheduledNotices(store, clock.now());
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

  const busEvents = await store.read((tx) => tx.bus.after(0, 100_000));
  const trailEvents = await store.read((tx) => tx.events.after(0, 100_000));
  const dayAt = (t: number) => Math.round((t - T0) / DAY_MS);
  for (const b of busEvents) {
    const e = JSON.parse(b.envelope);
    log.push({ day: dayAt(Date.parse(e.time)), arn: e.resources[0], what: `event ${e['detail-type']}` });
  }
  for (const t of trailEvents) log.push({ day: dayAt(t.eventTime.getTime()), arn: t.resourceName!, what: `trail ${t.eventName}` });
  const days = (arn: string, what: string) => log.filter((l) => l.arn === arn && l.what === what).map((l) => l.day);
  const busDetail = (arn: string, type: string) => busEvents.map((b) => JSON.parse(b.envelope)).filter((e) => e.resources[0] === arn && e['detail-type'] === type).map((e) => e.detail);
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
  assert.deepEqual(busDetail(arns.renewing, 'ACM Certificate Available').map((x) => x.Action), ['ISSUANCE', 'RENEWAL', 'RENEWAL']);
  // CloudTrail: each managed renewal is a service event, made by no caller.
  assert.deepEqual(days(arns.renewing, 'trail RenewCertificate'), [firstRenewal, firstRenewal + 153]);
  const renewedRecord = JSON.parse(trailEvents.find((t) => t.resourceName === arns.renewing)!.record);
  assert.equal(renewedRecord.eventType, 'AwsServiceEvent');
  assert.deepEqual(renewedRecord.userIdentity, { accountId: ACCOUNT, invokedBy: 'AWS Internal' });
  assert.equal(renewedRecord.sourceIPAddress, 'AWS Internal');
  assert.deepEqual(renewedRecord.resources, [{ accountId: ACCOUNT, type: 'AWS::ACM::Certificate', ARN: arns.renewing }]);
  assert.equal(renewedRecord.serviceEventDetails.renewalStatus, 'SUCCESS');
  assert.equal(renewedRecord.recipientAccountId, ACCOUNT);
  // Renewed on the day its window opened: never within 45 days of an expiry, so no Approaching Expiration.
  assert.deepEqual(days(arns.renewing, 'event ACM Certificate Approaching Expiration'), []);
  assert.equal(serials[arns.renewing]!.size, 3);
  assert.equal(r.status, 'ISSUED');
  assert.equal(r.renewal?.status, 'SUCCESS');
  assert.equal(Math.round((r.facts!.notAfter.getTime() - r.facts!.notBefore.getTime()) / DAY_MS), 198);
  assert.equal(renewalStartsAt(r)!.getTime(), r.facts!.notAfter.getTime() - 45 * DAY_MS);

  // Never exported nor in use: not eligible, so it expires the day after its NotAfter.
  assert.deepEqual(days(arns.unused, 'status EXPIRED'), [dayAfter(firstNotAfter[arns.unused]!)]);
  assert.deepEqual(days(arns.unused, 'event ACM Certificate Expired'), [dayAfter(firstNotAfter[arns.unused]!)]);
  assert.deepEqual(days(arns.unused, 'renewal PENDING_AUTO_RENEWAL'), []);
  assert.deepEqual(days(arns.unused, 'trail ExpireCertificate'), [dayAfter(firstNotAfter[arns.unused]!)]);
  // Approaching Expiration: every day from DaysBeforeExpiry (45) before NotAfter until it passes.
  /** The first simulated day on which a certificate expiring at t is at most n whole days from expiry. */
  const within = (t: number, n: number) => Math.floor((t - T0) / DAY_MS - n - 1) + 1;
  const unusedNotices = days(arns.unused, 'event ACM Certificate Approaching Expiration');
  const lastBefore = Math.ceil((firstNotAfter[arns.unused]! - T0) / DAY_MS) - 1;
  assert.deepEqual(unusedNotices, Array.from({ length: lastBefore - within(firstNotAfter[arns.unused]!, 45) + 1 }, (_, i) => within(firstNotAfter[arns.unused]!, 45) + i));
  assert.deepEqual(busDetail(arns.unused, 'ACM Certificate Approaching Expiration').map((x) => x.DaysToExpiry), unusedNotices.map((d) => Math.floor((firstNotAfter[arns.unused]! - T0 - d * DAY_MS) / DAY_MS)));
  assert.equal(busDetail(arns.unused, 'ACM Certificate Approaching Expiration')[0].DaysToExpiry, 45);

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
  // Renewal Action Required 30, 15, 3 and 1 days before expiry (public), while it waits.
  const gNA = firstNotAfter[arns.cnameGone]!;
  assert.deepEqual(days(arns.cnameGone, 'event ACM Certificate Renewal Action Required'), [30, 15, 3, 1].map((n) => within(gNA, n)));
  assert.deepEqual(busDetail(arns.cnameGone, 'ACM Certificate Renewal Action Required').map((x) => [x.RenewalStatusReason, x.DaysToExpiry]), [['PENDING_DOMAIN_VALIDATION', 30], ['PENDING_DOMAIN_VALIDATION', 15], ['PENDING_DOMAIN_VALIDATION', 3], ['PENDING_DOMAIN_VALIDATION', 1]]);
  assert.deepEqual(days(arns.cnameGone, 'trail ExpireCertificate'), [dayAfter(gNA)]);
  assert.deepEqual(days(arns.cnameGone, 'event ACM Certificate Expired'), [dayAfter(gNA)]);

  // CAA forbids at the renewal's start: it waits with CAA_ERROR, is told about it 30 and 15 days
  // out, and renews the day CAA allows again.
  const caaNA = firstNotAfter[arns.caa]!;
  assert.deepEqual(days(arns.caa, 'renewal PENDING_VALIDATION'), [153]);
  assert.deepEqual(busDetail(arns.caa, 'ACM Certificate Renewal Action Required').map((x) => [x.RenewalStatusReason, x.DaysToExpiry]), [['CAA_ERROR', 30], ['CAA_ERROR', 15]]);
  assert.deepEqual(days(arns.caa, 'event ACM Certificate Renewal Action Required'), [within(caaNA, 30), within(caaNA, 15)]);
  assert.deepEqual(days(arns.caa, 'renewal SUCCESS'), [190, 190 + 153]);
  assert.equal((await get(arns.caa)).status, 'ISSUED');

  // E-mail validation: mailed on day 0 (approved), the renewal mailed on day 153 and again every
  // 72 hours (an attempt's mail lapses and the attempt starts over), approved on day 160 and renewed that day.
  const mailDays = mails.filter((m) => m.domain === 'mailed.example.com' && m.day < 200);
  assert.deepEqual([...new Set(mailDays.map((m) => `${m.day}:${m.renewal ? 'renewal' : 'request'}`))], ['0:request', '153:renewal', '156:renewal', '159:renewal']);
  assert.equal(mailDays.filter((m) => m.day === 153).length, 5, 'the five addresses ACM uses');
  // The renewed certificate's own renewal (day 313) is never approved: mailed every 72 hours, it fails at expiry.
  assert.deepEqual(days(arns.mailed, 'renewal PENDING_VALIDATION'), [153, 313]);
  assert.deepEqual([...new Set(mails.filter((m) => m.day >= 200).map((m) => m.day))], Array.from({ length: 15 }, (_, i) => 313 + 3 * i));
  assert.deepEqual(days(arns.mailed, 'renewal SUCCESS'), [160]);
  const mailedRenewed = busDetail(arns.mailed, 'ACM Certificate Available');
  assert.deepEqual(mailedRenewed.map((x) => [x.Action, x.DomainValidationMethod]), [['ISSUANCE', 'EMAIL'], ['RENEWAL', 'EMAIL']]);
  const mailed = await get(arns.mailed);
  assert.equal(mailed.status, 'EXPIRED');
  assert.equal(mailed.renewal?.status, 'FAILED');
  assert.equal(serials[arns.mailed]!.size, 2);
  // The spent link approves nothing more.
  assert.equal(await approveMail(mails.at(-1)!), undefined);

  // Each transition and each event of each certificate happened on one day only.
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
