/**
 * SearchCertificates through @aws-sdk/client-acm: every filter kind (X.509 attributes and ACM
 * metadata), And/Or/Not composition, sorting, MaxResults/NextToken paging and the result shape.
 * Imported certificates made with openssl give fixed names, serials and expiry dates to search
 * for. acm.md §2.3 SearchCertificates.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ExportCertificateCommand, ImportCertificateCommand, RequestCertificateCommand, SearchCertificatesCommand,
  type ACMClient, type CertificateSearchResult, type CertificateFilterStatement as FilterStatement, type SearchCertificatesCommandInput,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import { DAY_MS, describeCert, expectError, makeCert, privateCaArn, scratch, waitStatus, type Scratch } from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let s: Scratch;
const a = {} as Record<'alpha' | 'beta' | 'gamma' | 'delta' | 'epsilon' | 'zeta' | 'failed', string>;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  s = scratch();
  const imp = async (name: string, o: Parameters<typeof makeCert>[2]) => {
    const m = makeCert(s, name, o);
    return (await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(m.cert), PrivateKey: Buffer.from(m.key) }))).CertificateArn!;
  };
  const req = async (input: ConstructorParameters<typeof RequestCertificateCommand>[0]) => (await acm.send(new RequestCertificateCommand(input))).CertificateArn!;
  const caArn = await privateCaArn(server.url);
  a.delta = await req({ DomainName: 'delta.search.test', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } });
  a.epsilon = await req({ DomainName: 'epsilon.search.test', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1' });
  a.zeta = await req({ DomainName: 'zeta.private.test', CertificateAuthorityArn: caArn });
  a.failed = await req({ DomainName: 'failed.private.test', CertificateAuthorityArn: caArn.replace(/[0-9a-f-]{36}$/, '11111111-2222-4333-8444-555555555555') });
  a.alpha = await imp('alpha', { subj: '/O=Search Org/CN=alpha.search.test', sans: ['alpha.search.test', 'www.alpha.search.test'], days: 30, serial: '0x0a0b0c' });
  a.beta = await imp('beta', { subj: '/CN=beta.search.test', sans: ['beta.search.test'], days: 60, serial: '0x1234', key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] });
  a.gamma = await imp('gamma', { subj: '/CN=gamma.other.test', sans: ['gamma.other.test'], days: 90, serial: '0x7f01' });
  for (const k of ['delta', 'epsilon', 'zeta'] as const) await waitStatus(acm, a[k]);
  await waitStatus(acm, a.failed, 'FAILED');
  await acm.send(new ExportCertificateCommand({ CertificateArn: a.delta, Passphrase: Buffer.from('search-pass') }));
});
after(async () => {
  s?.remove();
  await server?.dispose();
});

const search = async (input: SearchCertificatesCommandInput) => acm.send(new SearchCertificatesCommand(input));
const names = (r: CertificateSearchResult[] | undefined) => (r ?? []).map((x) => Object.entries(a).find(([, v]) => v === x.CertificateArn)?.[0] ?? x.CertificateArn!);
const find = async (f: FilterStatement) => names((await search({ FilterStatement: f })).Results).sort();
const cn = (Value: string, ComparisonOperator: 'EQUALS' | 'CONTAINS' = 'EQUALS'): FilterStatement => ({ Filter: { X509AttributeFilter: { Subject: { CommonName: { Value, ComparisonOperator } } } } });
const type = (Type: 'IMPORTED' | 'AMAZON_ISSUED' | 'PRIVATE'): FilterStatement => ({ Filter: { AcmCertificateMetadataFilter: { Type } } });

describe('filters', () => {
  test('no filter: every certificate of the account', async () => {
    assert.deepEqual(await find(undefined as never), ['alpha', 'beta', 'delta', 'epsilon', 'failed', 'gamma', 'zeta']);
  });

  test('Subject.CommonName EQUALS and CONTAINS', async () => {
    assert.deepEqual(await find(cn('alpha.search.test')), ['alpha']);
    assert.deepEqual(await find(cn('alpha.search')), []);
    assert.deepEqual(await find(cn('search', 'CONTAINS')), ['alpha', 'beta', 'delta', 'epsilon']);
  });

  test('SubjectAlternativeName.DnsName', async () => {
    const dns = (Value: string, ComparisonOperator: 'EQUALS' | 'CONTAINS') => ({ Filter: { X509AttributeFilter: { SubjectAlternativeName: { DnsName: { Value, ComparisonOperator } } } } });
    assert.deepEqual(await find(dns('www.alpha.search.test', 'EQUALS')), ['alpha']);
    assert.deepEqual(await find(dns('private', 'CONTAINS')), ['failed', 'zeta']);
  });

  test('KeyAlgorithm', async () => {
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { KeyAlgorithm: 'EC_prime256v1' } } }), ['beta', 'epsilon']);
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { KeyAlgorithm: 'EC_secp384r1' } } }), []);
  });

  test('SerialNumber (lowercase colon hex)', async () => {
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { SerialNumber: '0a:0b:0c' } } }), ['alpha']);
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { SerialNumber: '7f:01' } } }), ['gamma']);
    const serial = (await describeCert(acm, a.delta)).Serial!;
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { SerialNumber: serial } } }), ['delta']);
    await expectError(search({ FilterStatement: { Filter: { X509AttributeFilter: { SerialNumber: '0A0B0C' } } } }), 'ValidationException', 400,
      "1 validation error detected: Value '0A0B0C' at 'filterStatement.filter.x509AttributeFilter.serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-f]{2}(:[0-9a-f]{2}){1,19}");
  });

  test('NotAfter and NotBefore ranges (inclusive)', async () => {
    const now = Date.now();
    const notAfter = (from: number, to: number) => ({ Filter: { X509AttributeFilter: { NotAfter: { Start: new Date(now + from * DAY_MS), End: new Date(now + to * DAY_MS) } } } });
    assert.deepEqual(await find(notAfter(45, 75)), ['beta']);
    assert.deepEqual(await find(notAfter(20, 100)), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await find(notAfter(190, 200)), ['delta', 'epsilon']);
    assert.deepEqual(await find(notAfter(390, 400)), ['zeta']);
    const exact = (await describeCert(acm, a.gamma)).NotAfter!;
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { NotAfter: { Start: exact, End: exact } } } }), ['gamma']);
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { NotBefore: { Start: new Date(now - DAY_MS), End: new Date(now + DAY_MS) } } } }),
      ['alpha', 'beta', 'delta', 'epsilon', 'gamma', 'zeta']);
  });

  test('KeyUsage and ExtendedKeyUsage', async () => {
    // openssl req -x509 adds no key usage extension; ACM reports ANY / NONE for such imports.
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { KeyUsage: 'KEY_ENCIPHERMENT' } } }), ['delta', 'zeta']);
    assert.deepEqual(await find({ Filter: { X509AttributeFilter: { ExtendedKeyUsage: 'TLS_WEB_CLIENT_AUTHENTICATION' } } }), ['zeta']);
  });

  test('metadata: Status, Type, Exported, ExportOption, ValidationMethod, CertificateArn', async () => {
    assert.deepEqual(await find({ Filter: { AcmCertificateMetadataFilter: { Status: 'FAILED' } } }), ['failed']);
    assert.deepEqual(await find({ Filter: { AcmCertificateMetadataFilter: { Status: 'ISSUED' } } }), ['alpha', 'beta', 'delta', 'epsilon', 'gamma', 'zeta']);
    assert.deepEqual(await find(type('IMPORTED')), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await find(type('PRIVATE')), ['failed', 'zeta']);
    assert.deepEqual(await find(type('AMAZON_ISSUED')), ['delta', 'epsilon']);
    assert.deepEqual(await find({ Filter: { AcmCertificateMetadataFilter: { Exported: true } } }), ['delta']);
    assert.equal((await find({ Filter: { AcmCertificateMetadataFilter: { Exported: false } } })).length, 6);
    assert.deepEqual(await find({ Filter: { AcmCertificateMetadataFilter: { ExportOption: 'ENABLED' } } }), ['delta']);
    assert.deepEqual(await find({ Filter: { AcmCertificateMetadataFilter: { ValidationMethod: 'DNS' } } }), ['delta', 'epsilon']);
    assert.deepEqual(await find({ Filter: { CertificateArn: a.gamma } }), ['gamma']);
  });
});

describe('composition', () => {
  test('And, Or, Not and nesting', async () => {
    assert.deepEqual(await find({ And: [type('IMPORTED'), { Filter: { X509AttributeFilter: { KeyAlgorithm: 'RSA_2048' } } }] }), ['alpha', 'gamma']);
    assert.deepEqual(await find({ Or: [cn('alpha.search.test'), cn('gamma.other.test')] }), ['alpha', 'gamma']);
    assert.deepEqual(await find({ Not: type('IMPORTED') }), ['delta', 'epsilon', 'failed', 'zeta']);
    assert.deepEqual(await find({ And: [type('IMPORTED'), { Not: cn('alpha', 'CONTAINS') }] }), ['beta', 'gamma']);
    assert.deepEqual(await find({ Or: [{ And: [type('PRIVATE'), { Filter: { AcmCertificateMetadataFilter: { Status: 'ISSUED' } } }] }, { Filter: { AcmCertificateMetadataFilter: { Exported: true } } }] }), ['delta', 'zeta']);
  });

  test('And/Or take 1-15 statements; a union takes exactly one member', async () => {
    await expectError(search({ FilterStatement: { And: [] } }), 'ValidationException', 400,
      "1 validation error detected: Value '[]' at 'filterStatement.and' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await expectError(search({ FilterStatement: { Or: Array.from({ length: 16 }, () => type('IMPORTED')) } }), 'ValidationException', 400,
      /at 'filterStatement\.or' failed to satisfy constraint: Member must have length less than or equal to 15$/);
    await expectError(search({ FilterStatement: { Filter: { CertificateArn: a.alpha, AcmCertificateMetadataFilter: { Type: 'IMPORTED' } } } as never }), 'ValidationException', 400,
      /at 'filterStatement\.filter' failed to satisfy constraint: Member must have exactly one member set$/);
    await expectError(search({ FilterStatement: type('WHATEVER' as never) }), 'ValidationException', 400,
      "1 validation error detected: Value 'WHATEVER' at 'filterStatement.filter.acmCertificateMetadataFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [IMPORTED, AMAZON_ISSUED, PRIVATE]");
  });
});

test('results carry X509Attributes and AcmCertificateMetadata', async () => {
  const [alpha] = (await search({ FilterStatement: cn('alpha.search.test') })).Results!;
  const x = alpha.X509Attributes!;
  assert.deepEqual(x.Subject, { Organization: 'Search Org', CommonName: 'alpha.search.test' });
  assert.deepEqual(x.Issuer, { Organization: 'Search Org', CommonName: 'alpha.search.test' });
  assert.deepEqual(x.SubjectAlternativeNames, [{ DnsName: 'alpha.search.test' }, { DnsName: 'www.alpha.search.test' }]);
  assert.equal(x.SerialNumber, '0a:0b:0c');
  assert.ok(x.NotAfter instanceof Date && x.NotBefore instanceof Date);
  const m = alpha.CertificateMetadata!;
  assert.ok('AcmCertificateMetadata' in m);
  const md = m.AcmCertificateMetadata!;
  assert.equal(md.Type, 'IMPORTED');
  assert.equal(md.Status, 'ISSUED');
  assert.equal(md.Exported, false);
  assert.equal(md.InUse, false);
  assert.ok(md.ImportedAt instanceof Date && md.CreatedAt instanceof Date);
  assert.equal(md.RenewalEligibility, 'INELIGIBLE');
  const [delta] = (await search({ FilterStatement: { Filter: { CertificateArn: a.delta } } })).Results!;
  assert.equal(delta.CertificateMetadata!.AcmCertificateMetadata!.Exported, true);
  assert.equal(delta.CertificateMetadata!.AcmCertificateMetadata!.RenewalEligibility, 'ELIGIBLE');
  assert.equal(delta.CertificateMetadata!.AcmCertificateMetadata!.ValidationMethod, 'DNS');
});

describe('sorting and paging', () => {
  test('SortBy COMMON_NAME and NOT_AFTER, both orders', async () => {
    const order = async (SortBy: 'COMMON_NAME' | 'NOT_AFTER', SortOrder: 'ASCENDING' | 'DESCENDING') =>
      names((await search({ FilterStatement: type('IMPORTED'), SortBy, SortOrder })).Results);
    assert.deepEqual(await order('COMMON_NAME', 'ASCENDING'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await order('COMMON_NAME', 'DESCENDING'), ['gamma', 'beta', 'alpha']);
    assert.deepEqual(await order('NOT_AFTER', 'ASCENDING'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await order('NOT_AFTER', 'DESCENDING'), ['gamma', 'beta', 'alpha']);
    const all = names((await search({ SortBy: 'COMMON_NAME', SortOrder: 'ASCENDING' })).Results);
    assert.deepEqual(all, ['alpha', 'beta', 'delta', 'epsilon', 'failed', 'gamma', 'zeta']);
    await expectError(search({ SortBy: 'DOMAIN' as never }), 'ValidationException', 400, /at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: \[CREATED_AT, /);
  });

  test('MaxResults/NextToken pages through the same ordered result', async () => {
    const full = names((await search({ SortBy: 'CREATED_AT', SortOrder: 'ASCENDING' })).Results);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await search({ SortBy: 'CREATED_AT', SortOrder: 'ASCENDING', MaxResults: 2, NextToken: token });
      seen.push(...names(r.Results));
      token = r.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 4);
    assert.deepEqual(seen, full);
  });

  test('paging errors', async () => {
    await expectError(search({ NextToken: 'garbage' }), 'ValidationException', 400);
    const first = await search({ MaxResults: 1 });
    await expectError(search({ MaxResults: 1, NextToken: first.NextToken, FilterStatement: type('IMPORTED') }), 'ValidationException', 400);
    await expectError(search({ MaxResults: 0 }), 'ValidationException', 400,
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await expectError(search({ MaxResults: 501 }), 'ValidationException', 400,
      "1 validation error detected: Value '501' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 500");
  });
});
