import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../config.js';
import { HOUR_MS, DAY_MS, ManualClock } from '../../kernel/clock.js';
import { systemIds } from '../../kernel/ids.js';
import { silentLogger } from '../../kernel/logger.js';
import { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import { KeyPool } from '../../pki/index.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import type { CertificateRecord } from '../../storage/records.js';
import { Authorities } from '../ca/authorities.js';
import type { AcmDeps } from './deps.js';
import { Lifecycle } from './lifecycle.js';
import { Paging } from './paging.js';
import { requestCertificate } from './request.js';
import { autoValidator, realValidator, type DomainValidator } from './validator.js';
import { updateCertificateOptions } from './manage.js';
import { ValidationRecords } from './validation.js';

/** Time-dependent rules, driven by a frozen clock instead of waiting. */
async function setup(delaySeconds = 5) {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const store = new SqliteStore(':memory:');
  const box = new SecretBox(randomBytes(32));
  const authorities = new Authorities({ store, box, clock, ids: systemIds, publicUrl: 'http://127.0.0.1:1' });
  await authorities.ensureHierarchy();
  const keys = new KeyPool({ targets: {} });
  const lifecycle = new Lifecycle({ store, clock, box, logger: silentLogger, authorities, keys, pollMs: 1000 });
  const config = { ...loadConfig({}), autoValidationDelaySeconds: delaySeconds };
  const deps: AcmDeps = {
    store, clock, ids: systemIds, box, config, logger: silentLogger, authorities,
    validation: new ValidationRecords(randomBytes(32)), validator: autoValidator(config.autoValidationDelaySeconds), paging: new Paging(randomBytes(32)), wake: () => {},
  };
  const ctx = (): RequestContext => ({
    requestId: 'r', now: clock.now(), sourceIp: '127.0.0.1', userAgent: 't', tls: false, service: 'acm', operation: 'RequestCertificate', region: 'us-east-1',
    principal: { type: 'Root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', principalId: '000000000000', accessKeyId: 'test' },
  });
  const status = async (arn: string) => (await store.read((tx) => tx.certificates.get('000000000000', 'us-east-1', arn.split('/')[1])))!;
  const lifecycleWith = (validator: DomainValidator) => new Lifecycle({ store, clock, box, logger: silentLogger, authorities, keys, pollMs: 1000, validator });
  return { clock, store, lifecycle, deps, ctx, status, keys, lifecycleWith };
}

test('pending until the validator is due, then ISSUED with a real certificate', async () => {
  const t = await setup(5);
  const { CertificateArn } = await requestCertificate(t.ctx(), { DomainName: 'example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1' }, t.deps);
  await t.lifecycle.work();
  assert.equal((await t.status(CertificateArn)).status, 'PENDING_VALIDATION');
  t.clock.advance(5000);
  await t.lifecycle.work();
  const c = await t.status(CertificateArn);
  assert.equal(c.status, 'ISSUED');
  assert.match(c.certificatePem!, /BEGIN CERTIFICATE/);
  assert.equal(c.domainValidations[0].status, 'SUCCESS');
  t.keys.stop();
});

test('72 hours without validation: VALIDATION_TIMED_OUT', async () => {
  const t = await setup(100 * 3600);
  const { CertificateArn } = await requestCertificate(t.ctx(), { DomainName: 'example.com' }, t.deps);
  t.clock.advance(72 * HOUR_MS);
  await t.lifecycle.work();
  assert.equal((await t.status(CertificateArn)).status, 'PENDING_VALIDATION');
  t.clock.advance(1000);
  await t.lifecycle.work();
  assert.equal((await t.status(CertificateArn)).status, 'VALIDATION_TIMED_OUT');
});

test('an issued certificate becomes EXPIRED after NotAfter (198 days for public)', async () => {
  const t = await setup(0);
  const { CertificateArn } = await requestCertificate(t.ctx(), { DomainName: 'example.com', KeyAlgorithm: 'EC_prime256v1' }, t.deps);
  await t.lifecycle.work();
  const c = await t.status(CertificateArn);
  assert.equal(c.status, 'ISSUED');
  assert.equal(Math.round((c.facts!.notAfter.getTime() - c.facts!.notBefore.getTime()) / DAY_MS), 198);
  t.clock.set(c.facts!.notAfter.getTime() + 1000);
  await t.lifecycle.work();
  assert.equal((await t.status(CertificateArn)).status, 'EXPIRED');
});

test('idempotency token: same ARN within one hour, a new one after', async () => {
  const t = await setup(5);
  const input = { DomainName: 'example.com', IdempotencyToken: 'tok1' };
  const a = await requestCertificate(t.ctx(), input, t.deps);
  t.clock.advance(HOUR_MS - 1000);
  const b = await requestCertificate(t.ctx(), input, t.deps);
  assert.equal(b.CertificateArn, a.CertificateArn);
  t.clock.advance(2000);
  const c = await requestCertificate(t.ctx(), input, t.deps);
  assert.notEqual(c.CertificateArn, a.CertificateArn);
});

test('an EMAIL → DNS migration whose CNAMEs never answer FAILS after 72 hours; the certificate stays as it was', async () => {
  const t = await setup(0);
  const { CertificateArn } = await requestCertificate(t.ctx(), { DomainName: 'example.com', ValidationMethod: 'EMAIL', KeyAlgorithm: 'EC_prime256v1' }, t.deps);
  await t.lifecycle.work();
  const issued = await t.status(CertificateArn);
  assert.equal(issued.status, 'ISSUED');
  await updateCertificateOptions(t.ctx(), { CertificateArn, Options: { ValidationMethod: 'DNS' } }, t.deps);
  const real = t.lifecycleWith(realValidator({ cname: async () => [], caa: async () => [] }, 60));
  await real.work();
  assert.equal((await t.status(CertificateArn)).update?.status, 'PENDING_DOMAIN_VALIDATION');
  t.clock.advance(72 * HOUR_MS + 1000);
  await real.work();
  const c = await t.status(CertificateArn);
  assert.equal(c.update?.status, 'FAILED');
  assert.equal(c.validationMethod, 'EMAIL');
  assert.deepEqual(c.domainValidations, issued.domainValidations);
  assert.equal(c.facts?.serial, issued.facts?.serial);
  t.keys.stop();
});

/**
 * Two lifecycles over one store, their rounds interleaved at every await (SQLite is one node's
 * store: a second process on the file is the PostgreSQL issue's multi-node case). Each reads its
 * work, signs outside any transaction, and re-checks in the write: the loser changes nothing.
 */
test('two workers racing through issuance, renewal and expiry: each transition happens once', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-race-'));
  const file = join(dir, 'certtrail.db');
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const box = new SecretBox(randomBytes(32));
  const keys = new KeyPool({ targets: {} });
  const seen: string[] = [];
  const store = new SqliteStore(file);
  const worker = async () => {
    const authorities = new Authorities({ store, box, clock, ids: systemIds, publicUrl: 'http://127.0.0.1:1' });
    await authorities.ensureHierarchy();
    const observe = async (_tx: unknown, before: CertificateRecord | undefined, after: CertificateRecord) => {
      if (before?.status !== after.status) seen.push(`${after.arn} status ${after.status}`);
      if (before?.facts?.serial !== after.facts?.serial && before?.status === 'ISSUED') seen.push(`${after.arn} renewed`);
    };
    return { store, authorities, lifecycle: new Lifecycle({ store, clock, box, logger: silentLogger, authorities, keys, pollMs: 1000, observe }) };
  };
  const a = await worker();
  const b = await worker();
  const deps: AcmDeps = {
    store: a.store, clock, ids: systemIds, box, config: loadConfig({}), logger: silentLogger, authorities: a.authorities,
    validation: new ValidationRecords(randomBytes(32)), validator: autoValidator(0), paging: new Paging(randomBytes(32)), wake: () => {},
  };
  const ctx = (): RequestContext => ({
    requestId: 'r', now: clock.now(), sourceIp: '127.0.0.1', userAgent: 't', tls: false, service: 'acm', operation: 'RequestCertificate', region: 'us-east-1',
    principal: { type: 'Root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', principalId: '000000000000', accessKeyId: 'test' },
  });
  const arns: string[] = [];
  for (let i = 0; i < 8; i++) arns.push((await requestCertificate(ctx(), { DomainName: `race${i}.example.com`, KeyAlgorithm: 'EC_prime256v1' }, deps)).CertificateArn);
  const race = () => Promise.all([a.lifecycle.work(), b.lifecycle.work(), a.lifecycle.work(), b.lifecycle.work()]);
  const get = (arn: string) => a.store.read((tx) => tx.certificates.get('000000000000', 'us-east-1', arn.split('/')[1]!));

  await race();
  // Half are exported (eligible for managed renewal), half are not (they will expire).
  for (const arn of arns.slice(0, 4)) await a.store.write(async (tx) => void (await tx.certificates.put({ ...(await tx.certificates.get('000000000000', 'us-east-1', arn.split('/')[1]!))!, exported: true })));
  const notAfter = (await get(arns[0]!))!.facts!.notAfter.getTime();
  clock.set(notAfter - 44 * DAY_MS);
  await race();
  await race();
  clock.set(notAfter + 1000);
  await race();

  for (const [i, arn] of arns.entries()) {
    const mine = seen.filter((s) => s.startsWith(arn + ' '));
    assert.deepEqual(mine, i < 4 ? [`${arn} status ISSUED`, `${arn} renewed`] : [`${arn} status ISSUED`, `${arn} status EXPIRED`], arn);
    const c = (await get(arn))!;
    assert.equal(c.status, i < 4 ? 'ISSUED' : 'EXPIRED');
  }
  keys.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
