import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { RequestContext } from '../../pipeline/context.js';
import { EncodedOutput, encodeJson } from '../../protocol/json11.js';
import { deepFreeze } from '../../storage/doc-cache.js';
import type { CertificateRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { listCertificates } from './list.js';
import { Paging } from './paging.js';
import { certificateDetail, certificateSummary, describeOutput, renderedSummary } from './render.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s, 250));
function cert(n: number, extra: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    id: `c${n}`, arn: `arn:aws:acm:us-east-1:000000000000:certificate/c${n}`, accountId: '000000000000', region: 'us-east-1',
    type: n % 3 === 0 ? 'IMPORTED' : n % 3 === 1 ? 'AMAZON_ISSUED' : 'PRIVATE', status: n % 2 ? 'ISSUED' : 'PENDING_VALIDATION',
    domainName: `n${n}.example.com`, subjectAlternativeNames: [`n${n}.example.com`, `*.n${n}.example.com`], validationMethod: 'DNS',
    domainValidations: [{ domainName: `n${n}.example.com`, validationDomain: `n${n}.example.com`, validationMethod: 'DNS', status: 'SUCCESS', resourceRecord: { name: `_x.n${n}.example.com.`, type: 'CNAME', value: `_y.acm-validations.aws. "quoted"` } }],
    keyAlgorithm: 'RSA_2048', options: { certificateTransparencyLoggingPreference: 'ENABLED', export: 'DISABLED' }, createdAt: at(n), issuedAt: n % 2 ? at(n + 1) : undefined,
    facts: n % 2 ? { serial: `0${n}:ab`, subject: `CN=n${n}.example.com`, issuer: 'Amazon RSA 2048 M01', notBefore: at(n), notAfter: at(n + 1000), keyUsages: ['DIGITAL_SIGNATURE'], extendedKeyUsages: [{ name: 'TLS_WEB_SERVER_AUTHENTICATION', oid: '1.3.6.1.5.5.7.3.1' }], subjectAlternativeNames: [`n${n}.example.com`], signatureAlgorithm: 'SHA256WITHRSA' } as unknown as CertificateRecord['facts'] : undefined,
    tags: [], exported: false, inUseBy: n % 4 ? [] : ['arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/x'],
    renewal: n % 5 ? undefined : { status: 'PENDING_AUTO_RENEWAL', updatedAt: at(n + 2) },
    ...extra,
  };
}

test('memoised renderings are exactly what encodeJson writes, for frozen (stored) and fresh records', () => {
  for (let n = 0; n < 12; n++) {
    for (const c of [cert(n), deepFreeze(cert(n))]) {
      const d = describeOutput(c);
      assert.equal(d.json, encodeJson({ Certificate: certificateDetail(c) }));
      assert.deepEqual(d.value, { Certificate: certificateDetail(c) });
      assert.equal(renderedSummary(c).json, encodeJson(certificateSummary(c)));
      assert.equal(describeOutput(c) === d, Object.isFrozen(c), 'only frozen records are memoised');
    }
  }
});

test('a ListCertificates page is the same text as the encoded page object, with and without NextToken', async () => {
  const records = Array.from({ length: 7 }, (_, i) => deepFreeze(cert(i, { type: 'AMAZON_ISSUED' })));
  const deps = { store: { read: async (fn: (tx: unknown) => unknown) => fn({ certificates: { list: async () => records } }) }, paging: new Paging(randomBytes(32)) } as unknown as AcmDeps;
  const ctx = { principal: { accountId: '000000000000' }, region: 'us-east-1' } as RequestContext;
  let token: string | undefined;
  const seen: string[] = [];
  do {
    const out = await listCertificates(ctx, { MaxItems: 3, NextToken: token }, deps);
    assert.ok(out instanceof EncodedOutput);
    assert.equal(out.json, encodeJson(out.value));
    const v = out.value as { CertificateSummaryList: { CertificateArn: string }[]; NextToken?: string };
    seen.push(...v.CertificateSummaryList.map((s) => s.CertificateArn));
    token = v.NextToken;
  } while (token);
  assert.deepEqual(seen, records.map((c) => c.arn));
  const empty = await listCertificates(ctx, { CertificateStatuses: ['REVOKED'] }, deps);
  assert.equal((empty as EncodedOutput).json, '{"CertificateSummaryList":[]}');
});

test('ListCertificates pages are memoised per stored list, window and paging key', async () => {
  let records: readonly CertificateRecord[] = Object.freeze(Array.from({ length: 5 }, (_, i) => deepFreeze(cert(i, { type: 'AMAZON_ISSUED' }))));
  const deps = (paging: Paging) => ({ store: { read: async (fn: (tx: unknown) => unknown) => fn({ certificates: { list: async () => records } }) }, paging }) as unknown as AcmDeps;
  const ctx = { principal: { accountId: '000000000000' }, region: 'us-east-1' } as RequestContext;
  const a = deps(new Paging(randomBytes(32)));
  const first = await listCertificates(ctx, { MaxItems: 2 }, a);
  assert.equal(await listCertificates(ctx, { MaxItems: 2 }, a), first);
  assert.notEqual(await listCertificates(ctx, { MaxItems: 3 }, a), first);
  // Another paging key: its own tokens, which it accepts.
  const b = deps(new Paging(randomBytes(32)));
  const other = (await listCertificates(ctx, { MaxItems: 2 }, b)) as EncodedOutput;
  const token = (other.value as { NextToken: string }).NextToken;
  assert.notEqual(token, ((first as EncodedOutput).value as { NextToken: string }).NextToken);
  const second = (await listCertificates(ctx, { MaxItems: 2, NextToken: token }, b)) as EncodedOutput;
  assert.deepEqual((second.value as { CertificateSummaryList: { CertificateArn: string }[] }).CertificateSummaryList.map((s) => s.CertificateArn), [records[2].arn, records[3].arn]);
  // A write gives the store a new list: the page follows it.
  records = Object.freeze([...records.slice(0, 1), deepFreeze(cert(1, { type: 'AMAZON_ISSUED', domainName: 'changed.example.com' })), ...records.slice(2)]);
  const after = (await listCertificates(ctx, { MaxItems: 2 }, a)) as EncodedOutput;
  assert.notEqual(after, first);
  assert.match(after.json, /changed\.example\.com/);
  assert.equal(after.json, encodeJson(after.value));
  assert.equal(after.bytes.toString('utf8'), after.json);
});
