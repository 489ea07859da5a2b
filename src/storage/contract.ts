import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from './ports.js';
import type { CertificateRecord } from './records.js';
import { cloudtrailContract } from './contract-cloudtrail.js';
import { digestKeysContract } from './contract-digest-keys.js';
import { eventbridgeContract } from './contract-eventbridge.js';
import { iamContract } from './contract-iam.js';

/**
 * The behaviour every Store backend must have. A backend's test calls this with a factory;
 * `reopen` (when the backend is durable) reopens the same data.
 */
export function storeContract(name: string, open: () => Promise<Store>, reopen?: (s: Store) => Promise<Store>): void {
  const cert = (id: string, extra: Partial<CertificateRecord> = {}): CertificateRecord => ({
    id,
    arn: `arn:aws:acm:us-east-1:000000000000:certificate/${id}`,
    accountId: '000000000000',
    region: 'us-east-1',
    type: 'AMAZON_ISSUED',
    status: 'PENDING_VALIDATION',
    domainName: 'example.com',
    subjectAlternativeNames: ['example.com'],
    domainValidations: [],
    keyAlgorithm: 'RSA_2048',
    options: { certificateTransparencyLoggingPreference: 'ENABLED', export: 'DISABLED' },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Number(id.replace(/\D/g, '') || 0))),
    tags: [{ key: 'k', value: 'v' }],
    exported: false,
    inUseBy: [],
    ...extra,
  });

  cloudtrailContract(name, open);
  digestKeysContract(name, open, reopen);
  eventbridgeContract(name, open, reopen);
  iamContract(name, open, reopen);

  test(`${name}: certificates round-trip with dates and sealed keys`, async () => {
    const s = await open();
    const c = cert('c1', { validationDueAt: new Date(5), privateKeySealed: Buffer.from([1, 2, 3]) });
    await s.write(async (tx) => tx.certificates.put(c));
    const got = await s.read(async (tx) => tx.certificates.get('000000000000', 'us-east-1', 'c1'));
    assert.deepEqual(got, c);
    assert.equal(await s.read(async (tx) => tx.certificates.get('000000000000', 'eu-west-1', 'c1')), undefined);
    await s.close();
  });

  test(`${name}: a failed write leaves nothing behind`, async () => {
    const s = await open();
    await assert.rejects(
      s.write(async (tx) => {
        await tx.certificates.put(cert('c2'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.read(async (tx) => tx.certificates.get('000000000000', 'us-east-1', 'c2')), undefined);
    await s.close();
  });

  test(`${name}: concurrent writes are serialised`, async () => {
    const s = await open();
    await s.write(async (tx) => tx.accountConfig.put({ accountId: 'a', region: 'r', daysBeforeExpiry: 0 }));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        s.write(async (tx) => {
          const cur = (await tx.accountConfig.get('a', 'r'))!;
          await new Promise((r) => setTimeout(r, 1));
          await tx.accountConfig.put({ ...cur, daysBeforeExpiry: cur.daysBeforeExpiry + 1 });
        }),
      ),
    );
    assert.equal((await s.read(async (tx) => tx.accountConfig.get('a', 'r')))!.daysBeforeExpiry, 20);
    await s.close();
  });

  test(`${name}: listing, status queries and the request log`, async () => {
    const s = await open();
    await s.write(async (tx) => {
      await tx.certificates.put(cert('c3'));
      await tx.certificates.put(cert('c4', { status: 'ISSUED' }));
      await tx.certificates.put(cert('c5', { status: 'REVOKED', issuerCaId: 'ca1' }));
    });
    const all = await s.read(async (tx) => tx.certificates.list('000000000000', 'us-east-1'));
    assert.deepEqual(all.map((c) => c.id), ['c3', 'c4', 'c5']);
    assert.deepEqual((await s.read(async (tx) => tx.certificates.listByStatus(['ISSUED'], 10))).map((c) => c.id), ['c4']);
    assert.deepEqual((await s.read(async (tx) => tx.certificates.listRevokedByIssuer('ca1'))).map((c) => c.id), ['c5']);
    await s.write(async (tx) => tx.certificates.delete('000000000000', 'us-east-1', 'c3'));
    // Deleted certificates still count against the yearly request quota.
    assert.equal(await s.read(async (tx) => tx.certificates.countCreatedSince('000000000000', 'us-east-1', 'requested', new Date(0))), 3);
    await s.close();
  });

  test(`${name}: idempotency tokens expire`, async () => {
    const s = await open();
    const t0 = new Date(Date.UTC(2026, 0, 1));
    await s.write(async (tx) => tx.idempotency.put({ scope: 'x', token: 't', requestHash: 'h', result: 'arn1', expiresAt: new Date(t0.getTime() + 3600_000) }));
    assert.equal((await s.read(async (tx) => tx.idempotency.get('x', 't', t0)))?.result, 'arn1');
    assert.equal(await s.read(async (tx) => tx.idempotency.get('x', 't', new Date(t0.getTime() + 3600_000))), undefined);
    await s.close();
  });

  if (reopen)
    test(`${name}: committed data survives reopening`, async () => {
      const s = await open();
      await s.write(async (tx) => {
        await tx.accounts.put({ accountId: '111111111111', createdAt: new Date(1000) });
        await tx.certificates.put(cert('c6'));
      });
      const again = await reopen(s);
      assert.deepEqual(await again.read(async (tx) => tx.accounts.get('111111111111')), { accountId: '111111111111', createdAt: new Date(1000) });
      assert.ok(await again.read(async (tx) => tx.certificates.get('000000000000', 'us-east-1', 'c6')));
      await again.close();
    });
}
