/**
 * ListCertificates through @aws-sdk/client-acm: the default RSA-only key-type filter, status and
 * Includes filters, CertificateSummary fields, MaxItems/NextToken pagination (by hand and with
 * the SDK paginator), sorting, and the argument errors. acm.md §2.3 ListCertificates, §3.4.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ExportCertificateCommand, ListCertificatesCommand, RequestCertificateCommand, paginateListCertificates,
  type ACMClient, type CertificateSummary, type ListCertificatesCommandInput, type RequestCertificateCommandInput,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import { expectError, privateCaArn, waitStatus } from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
const rsa: string[] = [];
const ec: string[] = [];
let exportable: string;
let failed: string;
let priv: string;

const request = async (input: RequestCertificateCommandInput) => (await acm.send(new RequestCertificateCommand(input))).CertificateArn!;
const list = async (input: ListCertificatesCommandInput = {}) => acm.send(new ListCertificatesCommand(input));
const arnsOf = (l: CertificateSummary[] | undefined) => (l ?? []).map((c) => c.CertificateArn!);
const sorted = (a: string[]) => [...a].sort();

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  const caArn = await privateCaArn(server.url);
  // One at a time, so CreatedAt strictly increases in request order.
  for (let i = 0; i < 8; i++) {
    rsa.push(await request({ DomainName: `list${i}.example.com`, ValidationMethod: 'DNS' }));
    await new Promise((r) => setTimeout(r, 3));
  }
  ec.push(await request({ DomainName: 'ec256.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1' }));
  ec.push(await request({ DomainName: 'ec384.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_secp384r1' }));
  exportable = await request({ DomainName: 'export.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } });
  priv = await request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn });
  // A stable non-ISSUED status: a private request naming a CA that does not exist.
  failed = await request({ DomainName: 'failed.internal.example', CertificateAuthorityArn: caArn.replace(/[0-9a-f-]{36}$/, '11111111-2222-4333-8444-555555555555') });
  for (const arn of [...rsa, ...ec, exportable, priv]) await waitStatus(acm, arn);
  await waitStatus(acm, failed, 'FAILED');
});
after(async () => {
  await server?.dispose();
});

const allRsa = () => [...rsa, exportable, priv, failed];

describe('filters', () => {
  test('by default only RSA certificates are listed (EC needs Includes.keyTypes)', async () => {
    const r = await list();
    assert.deepEqual(sorted(arnsOf(r.CertificateSummaryList)), sorted(allRsa()));
    assert.equal(r.NextToken, undefined);
    const e = await list({ Includes: { keyTypes: ['EC_prime256v1', 'EC_secp384r1'] } });
    assert.deepEqual(sorted(arnsOf(e.CertificateSummaryList)), sorted(ec));
    const one = await list({ Includes: { keyTypes: ['EC_secp384r1'] } });
    assert.deepEqual(arnsOf(one.CertificateSummaryList), [ec[1]]);
    const all = await list({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] } });
    assert.equal(all.CertificateSummaryList!.length, allRsa().length + ec.length);
  });

  test('CertificateStatuses', async () => {
    assert.deepEqual(arnsOf((await list({ CertificateStatuses: ['FAILED'] })).CertificateSummaryList), [failed]);
    assert.deepEqual(sorted(arnsOf((await list({ CertificateStatuses: ['ISSUED'] })).CertificateSummaryList)), sorted([...rsa, exportable, priv]));
    assert.equal((await list({ CertificateStatuses: ['ISSUED', 'FAILED'] })).CertificateSummaryList!.length, allRsa().length);
    assert.deepEqual((await list({ CertificateStatuses: ['REVOKED', 'EXPIRED'] })).CertificateSummaryList, []);
    await expectError(list({ CertificateStatuses: ['DONE' as never] }), 'ValidationException', 400,
      "1 validation error detected: Value 'DONE' at 'certificateStatuses.1.member' failed to satisfy constraint: Member must satisfy enum value set: [PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED, FAILED]");
  });

  test('Includes: keyUsage, extendedKeyUsage, exportOption', async () => {
    const everyKey = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const;
    // EC leaves only sign, so KEY_ENCIPHERMENT selects the issued RSA certificates.
    const ke = await list({ Includes: { keyTypes: [...everyKey], keyUsage: ['KEY_ENCIPHERMENT'] } });
    assert.deepEqual(sorted(arnsOf(ke.CertificateSummaryList)), sorted([...rsa, exportable, priv]));
    // Public leaves are ServerAuth only; private ones also ClientAuth.
    const client = await list({ Includes: { extendedKeyUsage: ['TLS_WEB_CLIENT_AUTHENTICATION'] } });
    assert.deepEqual(arnsOf(client.CertificateSummaryList), [priv]);
    const server = await list({ Includes: { keyTypes: [...everyKey], extendedKeyUsage: ['TLS_WEB_SERVER_AUTHENTICATION'] } });
    assert.equal(server.CertificateSummaryList!.length, rsa.length + ec.length + 2);
    assert.deepEqual(arnsOf((await list({ Includes: { exportOption: 'ENABLED' } })).CertificateSummaryList), [exportable]);
    assert.ok(!arnsOf((await list({ Includes: { exportOption: 'DISABLED' } })).CertificateSummaryList).includes(exportable));
    await expectError(list({ Includes: { keyTypes: ['DSA_1024' as never] } }), 'ValidationException', 400,
      /^1 validation error detected: Value 'DSA_1024' at 'includes\.keyTypes\.1\.member' failed to satisfy constraint: Member must satisfy enum value set: /);
  });
});

test('CertificateSummary carries the §3.4 members', async () => {
  const r = await list({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } });
  const byArn = new Map(r.CertificateSummaryList!.map((c) => [c.CertificateArn, c]));
  const c = byArn.get(rsa[0])!;
  assert.equal(c.DomainName, 'list0.example.com');
  assert.deepEqual(c.SubjectAlternativeNameSummaries, ['list0.example.com']);
  assert.equal(c.HasAdditionalSubjectAlternativeNames, false);
  assert.equal(c.Status, 'ISSUED');
  assert.equal(c.Type, 'AMAZON_ISSUED');
  assert.equal(c.KeyAlgorithm, 'RSA-2048');
  // Plain name strings, not objects (unlike DescribeCertificate).
  assert.deepEqual(c.KeyUsages, ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT']);
  assert.deepEqual(c.ExtendedKeyUsages, ['TLS_WEB_SERVER_AUTHENTICATION']);
  assert.equal(c.ExportOption, 'DISABLED');
  assert.equal(c.InUse, false);
  assert.equal(c.Exported, false);
  assert.equal(c.RenewalEligibility, 'INELIGIBLE');
  for (const k of ['NotBefore', 'NotAfter', 'CreatedAt', 'IssuedAt'] as const) assert.ok(c[k] instanceof Date, k);
  assert.equal(c.ImportedAt, undefined);
  assert.equal(c.RevokedAt, undefined);
  const e = byArn.get(ec[0])!;
  assert.equal(e.KeyAlgorithm, 'EC-prime256v1');
  assert.deepEqual(e.KeyUsages, ['DIGITAL_SIGNATURE']);
  assert.equal(byArn.get(priv)!.Type, 'PRIVATE');
  assert.equal(byArn.get(failed)!.Status, 'FAILED');
  assert.deepEqual(byArn.get(failed)!.KeyUsages, []);
  assert.equal(byArn.get(exportable)!.ExportOption, 'ENABLED');
});

describe('pagination', () => {
  test('MaxItems/NextToken walk every certificate once, over more than three pages', async () => {
    const full = arnsOf((await list()).CertificateSummaryList);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await list({ MaxItems: 2, NextToken: token });
      assert.ok(r.CertificateSummaryList!.length <= 2);
      assert.ok(r.CertificateSummaryList!.length > 0);
      seen.push(...arnsOf(r.CertificateSummaryList));
      token = r.NextToken;
      pages++;
    } while (token);
    assert.ok(pages > 3, `${pages} pages`);
    assert.equal(pages, Math.ceil(full.length / 2));
    assert.deepEqual(seen, full);
  });

  test('the SDK paginator agrees', async () => {
    const full = arnsOf((await list({ CertificateStatuses: ['ISSUED'] })).CertificateSummaryList);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListCertificates({ client: acm, pageSize: 3 }, { CertificateStatuses: ['ISSUED'] })) {
      seen.push(...arnsOf(page.CertificateSummaryList));
      pages++;
    }
    assert.equal(pages, Math.ceil(full.length / 3));
    assert.deepEqual(seen, full);
  });

  test('a garbage NextToken, or one from another query, is InvalidArgsException', async () => {
    await expectError(list({ NextToken: 'not-a-token' }), 'InvalidArgsException', 400);
    const first = await list({ MaxItems: 1 });
    assert.ok(first.NextToken);
    await expectError(list({ NextToken: first.NextToken, Includes: { keyTypes: ['EC_prime256v1'] } }), 'InvalidArgsException', 400);
    // Tampering with the token is detected.
    const t = Buffer.from(first.NextToken!, 'base64url').toString('utf8').replace(/^\d+/, '5');
    await expectError(list({ NextToken: Buffer.from(t).toString('base64url') }), 'InvalidArgsException', 400);
  });

  test('MaxItems is 1-1000', async () => {
    await expectError(list({ MaxItems: 0 }), 'ValidationException', 400,
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await expectError(list({ MaxItems: 1001 }), 'ValidationException', 400,
      "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
  });
});

describe('sorting', () => {
  test('SortBy CREATED_AT with SortOrder ASCENDING / DESCENDING', async () => {
    const asc = (await list({ SortBy: 'CREATED_AT', SortOrder: 'ASCENDING' })).CertificateSummaryList!;
    const desc = (await list({ SortBy: 'CREATED_AT', SortOrder: 'DESCENDING' })).CertificateSummaryList!;
    const times = (l: CertificateSummary[]) => l.map((c) => c.CreatedAt!.getTime());
    assert.deepEqual(times(asc), [...times(asc)].sort((a, b) => a - b));
    assert.deepEqual(times(desc), [...times(desc)].sort((a, b) => b - a));
    assert.deepEqual(arnsOf(asc).filter((a) => rsa.includes(a)), rsa);
    assert.deepEqual(arnsOf(desc).filter((a) => rsa.includes(a)), [...rsa].reverse());
    // Paging keeps the order.
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const r = await list({ SortBy: 'CREATED_AT', SortOrder: 'DESCENDING', MaxItems: 3, NextToken: token });
      paged.push(...arnsOf(r.CertificateSummaryList));
      token = r.NextToken;
    } while (token);
    assert.deepEqual(paged, arnsOf(desc));
  });

  test('SortBy and SortOrder go together; enum values are checked', async () => {
    await expectError(list({ SortBy: 'CREATED_AT' }), 'InvalidArgsException', 400);
    await expectError(list({ SortOrder: 'ASCENDING' }), 'InvalidArgsException', 400);
    await expectError(list({ SortBy: 'NAME' as never, SortOrder: 'ASCENDING' }), 'ValidationException', 400,
      "1 validation error detected: Value 'NAME' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [CREATED_AT]");
  });
});

test('Exported flips after ExportCertificate', async () => {
  await acm.send(new ExportCertificateCommand({ CertificateArn: exportable, Passphrase: Buffer.from('list-pass-1') }));
  const c = (await list({ Includes: { exportOption: 'ENABLED' } })).CertificateSummaryList![0];
  assert.equal(c.Exported, true);
  assert.equal(c.RenewalEligibility, 'ELIGIBLE');
});
