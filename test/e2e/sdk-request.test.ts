/**
 * RequestCertificate through @aws-sdk/client-acm against the real server: DNS and EMAIL
 * validation details, the request → PENDING_VALIDATION → ISSUED lifecycle, key algorithms,
 * idempotency, every documented request error, and PRIVATE certificates via the account's
 * private CA (discovered with @aws-sdk/client-acm-pca, whose read API is tested here too).
 * Reference: ../shared/reference/acm.md §2.3 RequestCertificate, §3.2, §5.2.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetCertificateCommand, ListTagsForCertificateCommand, RequestCertificateCommand, type ACMClient, type RequestCertificateCommandInput } from '@aws-sdk/client-acm';
import {
  DescribeCertificateAuthorityCommand, GetCertificateAuthorityCertificateCommand, ListCertificateAuthoritiesCommand,
} from '@aws-sdk/client-acm-pca';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import {
  ACCOUNT, CERT_ARN, DAY_MS, DOMAIN_PATTERN, REGION, UUID, blocks, describeCert, expectError, pcaClient, privateCaArn, scratch,
  waitStatus,
} from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let caArn: string;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  caArn = await privateCaArn(server.url);
});
after(async () => {
  await server?.dispose();
});

const request = async (input: RequestCertificateCommandInput) => (await acm.send(new RequestCertificateCommand(input))).CertificateArn!;

const RECORD_VALUE = /^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$/;
const recordName = (domain: string) => new RegExp(`^_[0-9a-f]{32}\\.${domain.replace(/\./g, '\\.')}\\.$`);

describe('DNS validation', () => {
  test('one CNAME per domain, in ACM form; a wildcard shares its apex record', async () => {
    const arn = await request({ DomainName: 'dns.example.com', SubjectAlternativeNames: ['*.dns.example.com', 'www.dns.example.com'], ValidationMethod: 'DNS' });
    assert.match(arn, CERT_ARN);
    const c = await describeCert(acm, arn);
    assert.equal(c.Status, 'PENDING_VALIDATION');
    assert.deepEqual(c.SubjectAlternativeNames, ['dns.example.com', '*.dns.example.com', 'www.dns.example.com']);
    const dvo = c.DomainValidationOptions!;
    assert.deepEqual(dvo.map((d) => d.DomainName), ['dns.example.com', '*.dns.example.com', 'www.dns.example.com']);
    for (const d of dvo) {
      assert.equal(d.ValidationMethod, 'DNS');
      assert.equal(d.ValidationStatus, 'PENDING_VALIDATION');
      // ValidationDomain defaults to the domain itself, wildcard included (acm.md §3.2).
      assert.equal(d.ValidationDomain, d.DomainName);
      assert.equal(d.ResourceRecord!.Type, 'CNAME');
      assert.match(d.ResourceRecord!.Value!, RECORD_VALUE);
      assert.equal(d.ValidationEmails, undefined);
    }
    assert.match(dvo[0].ResourceRecord!.Name!, recordName('dns.example.com'));
    assert.match(dvo[1].ResourceRecord!.Name!, recordName('dns.example.com'), 'the wildcard record is named after the apex');
    assert.deepEqual(dvo[1].ResourceRecord, dvo[0].ResourceRecord, 'wildcard and apex get the identical record');
    assert.match(dvo[2].ResourceRecord!.Name!, recordName('www.dns.example.com'));
    assert.notDeepEqual(dvo[2].ResourceRecord, dvo[0].ResourceRecord);
  });

  test('records are deterministic per account and domain', async () => {
    const a = await describeCert(acm, await request({ DomainName: 'stable.example.com', ValidationMethod: 'DNS' }));
    const b = await describeCert(acm, await request({ DomainName: '*.stable.example.com', ValidationMethod: 'DNS' }));
    const c = await describeCert(acm, await request({ DomainName: 'other.example.com', ValidationMethod: 'DNS' }));
    assert.deepEqual(b.DomainValidationOptions![0].ResourceRecord, a.DomainValidationOptions![0].ResourceRecord);
    assert.notDeepEqual(c.DomainValidationOptions![0].ResourceRecord, a.DomainValidationOptions![0].ResourceRecord);
  });

  test('PENDING_VALIDATION, then ISSUED once every domain validates', async () => {
    const arn = await request({ DomainName: 'issue.example.com', SubjectAlternativeNames: ['www.issue.example.com'], ValidationMethod: 'DNS' });
    const pending = await describeCert(acm, arn);
    assert.equal(pending.Status, 'PENDING_VALIDATION');
    assert.equal(pending.Serial, undefined);
    assert.equal(pending.NotBefore, undefined);
    assert.equal(pending.IssuedAt, undefined);
    assert.equal(pending.Issuer, 'Amazon');
    assert.equal(pending.Subject, 'CN=issue.example.com');
    assert.deepEqual(pending.KeyUsages, []);
    assert.deepEqual(pending.ExtendedKeyUsages, []);
    const issued = await waitStatus(acm, arn);
    assert.ok(issued.DomainValidationOptions!.every((d) => d.ValidationStatus === 'SUCCESS'));
    assert.deepEqual(issued.DomainValidationOptions!.map((d) => d.ResourceRecord), pending.DomainValidationOptions!.map((d) => d.ResourceRecord));
    assert.ok(issued.IssuedAt! >= issued.CreatedAt!);
    assert.deepEqual(issued.CreatedAt, pending.CreatedAt);
  });
});

describe('EMAIL validation', () => {
  test('is the default method and lists the five addresses of the validation domain', async () => {
    const arn = await request({ DomainName: 'mail.example.net', SubjectAlternativeNames: ['www.mail.example.net'] });
    const c = await describeCert(acm, arn);
    const [apex, www] = c.DomainValidationOptions!;
    for (const d of [apex, www]) {
      assert.equal(d.ValidationMethod, 'EMAIL');
      assert.equal(d.ResourceRecord, undefined);
      assert.equal(d.ValidationStatus, 'PENDING_VALIDATION');
    }
    const five = (dom: string) => ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@${dom}`);
    assert.deepEqual(apex.ValidationEmails, five('mail.example.net'));
    // A leading www. is stripped (acm.md §3.2).
    assert.equal(www.ValidationDomain, 'www.mail.example.net');
    assert.deepEqual(www.ValidationEmails, five('mail.example.net'));
    await waitStatus(acm, arn);
  });

  test('DomainValidationOptions pick a superdomain to mail', async () => {
    const arn = await request({
      DomainName: 'shop.example.org',
      SubjectAlternativeNames: ['pay.shop.example.org'],
      DomainValidationOptions: [{ DomainName: 'pay.shop.example.org', ValidationDomain: 'example.org' }],
    });
    const [shop, pay] = (await describeCert(acm, arn)).DomainValidationOptions!;
    assert.equal(shop.ValidationDomain, 'shop.example.org');
    assert.equal(pay.ValidationDomain, 'example.org');
    assert.deepEqual(pay.ValidationEmails, ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@example.org`));
  });
});

describe('key algorithms', () => {
  test('RSA_2048 (default), EC_prime256v1 and EC_secp384r1 are issued with that key', async () => {
    const cases = [
      { alg: undefined, out: 'RSA-2048', openssl: /Public-Key: \(2048 bit\)/ },
      { alg: 'EC_prime256v1', out: 'EC-prime256v1', openssl: /ASN1 OID: prime256v1/ },
      { alg: 'EC_secp384r1', out: 'EC-secp384r1', openssl: /ASN1 OID: secp384r1/ },
    ] as const;
    const arns = await Promise.all(cases.map((k, i) => request({ DomainName: `key${i}.example.com`, ValidationMethod: 'DNS', KeyAlgorithm: k.alg })));
    const s = scratch();
    try {
      for (const [i, k] of cases.entries()) {
        // Responses print the algorithm with a hyphen although requests use the underscore (acm.md §3.3).
        assert.equal((await describeCert(acm, arns[i])).KeyAlgorithm, k.out);
        const c = await waitStatus(acm, arns[i]);
        assert.equal(c.KeyAlgorithm, k.out);
        const pem = (await acm.send(new GetCertificateCommand({ CertificateArn: arns[i] }))).Certificate!;
        s.write(`leaf${i}.pem`, pem);
        assert.match(s.openssl(['x509', '-in', `leaf${i}.pem`, '-noout', '-text']), k.openssl);
      }
    } finally {
      s.remove();
    }
  });

  test('the other enum values are for imported certificates only', async () => {
    for (const alg of ['RSA_4096', 'RSA_1024', 'RSA_3072', 'EC_secp521r1'] as const) {
      await expectError(
        request({ DomainName: 'alg.example.com', KeyAlgorithm: alg }),
        'ValidationException', 400, `Encryption Algorithm ${alg} is not supported in ${REGION} region`,
      );
    }
  });

  test('an unknown KeyAlgorithm fails the enum constraint', async () => {
    await expectError(
      request({ DomainName: 'alg.example.com', KeyAlgorithm: 'RSA_8192' as never }),
      'ValidationException', 400,
      "1 validation error detected: Value 'RSA_8192' at 'keyAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1]",
    );
  });
});

describe('idempotency', () => {
  test('the same token returns the same ARN; another token a new certificate', async () => {
    const a = await request({ DomainName: 'idem.example.com', IdempotencyToken: 'tok1' });
    const b = await request({ DomainName: 'idem.example.com', IdempotencyToken: 'tok1' });
    const c = await request({ DomainName: 'idem.example.com', IdempotencyToken: 'tok2' });
    const d = await request({ DomainName: 'idem.example.com' });
    assert.equal(b, a);
    assert.notEqual(c, a);
    assert.notEqual(d, a);
    assert.notEqual(d, c);
  });

  test('the token must be 1-32 word characters', async () => {
    await expectError(request({ DomainName: 'idem.example.com', IdempotencyToken: 'not-a-word' }), 'ValidationException', 400,
      "1 validation error detected: Value 'not-a-word' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\w+");
    const long = 'a'.repeat(33);
    await expectError(request({ DomainName: 'idem.example.com', IdempotencyToken: long }), 'ValidationException', 400,
      `1 validation error detected: Value '${long}' at 'idempotencyToken' failed to satisfy constraint: Member must have length less than or equal to 32`);
  });
});

describe('request errors', () => {
  test('DomainValidationOptions must name a domain of the certificate and one of its superdomains', async () => {
    await expectError(
      request({ DomainName: 'dvo.example.com', DomainValidationOptions: [{ DomainName: 'elsewhere.example.com', ValidationDomain: 'example.com' }] }),
      'InvalidDomainValidationOptionsException', 400,
    );
    await expectError(
      request({ DomainName: 'dvo.example.com', DomainValidationOptions: [{ DomainName: 'dvo.example.com', ValidationDomain: 'example.net' }] }),
      'InvalidDomainValidationOptionsException', 400,
    );
    await expectError(
      request({ DomainName: 'dvo.example.com', DomainValidationOptions: [{ DomainName: 'dvo.example.com', ValidationDomain: 'sub.dvo.example.com' }] }),
      'InvalidDomainValidationOptionsException', 400,
    );
    // AWS's recorded text (acm.md §5.2).
    await expectError(
      request({ DomainName: 'dvo.example.com', DomainValidationOptions: [{ DomainName: 'dvo.example.com' } as never] }),
      'ValidationException', 400,
      "1 validation error detected: Value null at 'domainValidationOptions.1.member.validationDomain' failed to satisfy constraint: Member must not be null",
    );
  });

  test('tags: aws: prefix is reserved, at most 50, and they land on the certificate', async () => {
    await expectError(request({ DomainName: 'tags.example.com', Tags: [{ Key: 'aws:owner', Value: 'me' }] }), 'InvalidTagException', 400);
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await expectError(request({ DomainName: 'tags.example.com', Tags: tags }), 'ValidationException', 400,
      /^1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
    await expectError(request({ DomainName: 'tags.example.com', Tags: [{ Key: 'bad#key', Value: 'v' }] }), 'ValidationException', 400,
      "1 validation error detected: Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*");
    const arn = await request({ DomainName: 'tags.example.com', Tags: [{ Key: 'env', Value: 'test' }, { Key: 'bare' }] });
    const listed = await acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
    assert.deepEqual(listed.Tags, [{ Key: 'env', Value: 'test' }, { Key: 'bare' }]);
  });

  test('more domains than the quota (10) is LimitExceededException; repeats do not count', async () => {
    const ten = Array.from({ length: 9 }, (_, i) => `n${i}.many.example.com`);
    const ok = await request({ DomainName: 'many.example.com', SubjectAlternativeNames: ['many.example.com', ...ten, 'N0.many.example.com'] });
    assert.equal((await describeCert(acm, ok)).SubjectAlternativeNames!.length, 10);
    await expectError(
      request({ DomainName: 'many.example.com', SubjectAlternativeNames: [...ten, 'n9.many.example.com'] }),
      'LimitExceededException', 400, 'Certificate has too many domains.',
    );
  });

  test('input constraints answer in Coral form', async () => {
    await expectError(request({ DomainName: 'x' }), 'ValidationException', 400,
      `1 validation error detected: Value 'x' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${DOMAIN_PATTERN}`);
    await expectError(request({} as never), 'ValidationException', 400,
      "1 validation error detected: Value null at 'domainName' failed to satisfy constraint: Member must not be null");
    await expectError(request({ DomainName: 'ok.example.com', SubjectAlternativeNames: ['ok.example.com', '-bad-.example.com'] }), 'ValidationException', 400,
      `1 validation error detected: Value '-bad-.example.com' at 'subjectAlternativeNames.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ${DOMAIN_PATTERN}`);
    await expectError(request({ DomainName: 'ok.example.com', ValidationMethod: 'SMS' as never }), 'ValidationException', 400,
      "1 validation error detected: Value 'SMS' at 'validationMethod' failed to satisfy constraint: Member must satisfy enum value set: [EMAIL, DNS, HTTP]");
    const e = await expectError(request({ DomainName: 'x', IdempotencyToken: 'a-b' }), 'ValidationException', 400);
    assert.match(e.message, /^2 validation errors detected: Value 'x' at 'domainName' .*; Value 'a-b' at 'idempotencyToken' /);
    const labels = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.com`;
    assert.equal(labels.length, 257);
    await expectError(request({ DomainName: labels }), 'ValidationException', 400,
      `1 validation error detected: Value '${labels}' at 'domainName' failed to satisfy constraint: Member must have length less than or equal to 253`);
  });

  test('the first domain name is limited to 64 characters; later SANs are not', async () => {
    const long = `${'a'.repeat(60)}.example.com`;
    // AWS's wording, as quoted from a CloudFormation failure (code not recorded).
    await expectError(request({ DomainName: long }), 'InvalidParameterException', 400, 'The first domain name can be no longer than 64 characters.');
    const arn = await request({ DomainName: 'short.example.com', SubjectAlternativeNames: [long] });
    assert.deepEqual((await describeCert(acm, arn)).SubjectAlternativeNames, ['short.example.com', long]);
  });

  test('HTTP validation is only for CloudFront-managed certificates', async () => {
    await expectError(request({ DomainName: 'http.example.com', ValidationMethod: 'HTTP' }), 'InvalidParameterException', 400);
  });
});

describe('PRIVATE certificates', () => {
  test('the account has one private CA, readable through the ACM PCA API', async () => {
    const pca = pcaClient(server.url);
    const list = await pca.send(new ListCertificateAuthoritiesCommand({}));
    assert.equal(list.CertificateAuthorities!.length, 1);
    const [ca] = list.CertificateAuthorities!;
    assert.match(ca.Arn!, new RegExp(`^arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/`));
    assert.match(ca.Arn!.split('/')[1], UUID);
    assert.equal(ca.Status, 'ACTIVE');
    assert.equal(ca.Type, 'ROOT');
    assert.equal((await pca.send(new ListCertificateAuthoritiesCommand({ ResourceOwner: 'OTHER_ACCOUNTS' }))).CertificateAuthorities!.length, 0);

    const d = (await pca.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: caArn }))).CertificateAuthority!;
    assert.equal(d.Arn, caArn);
    assert.equal(d.OwnerAccount, ACCOUNT);
    assert.equal(d.Status, 'ACTIVE');
    assert.equal(d.CertificateAuthorityConfiguration!.KeyAlgorithm, 'RSA_2048');
    assert.equal(d.CertificateAuthorityConfiguration!.SigningAlgorithm, 'SHA256WITHRSA');
    assert.ok(d.CertificateAuthorityConfiguration!.Subject!.CommonName);
    assert.ok(d.NotBefore! < new Date() && d.NotAfter! > new Date(Date.now() + 365 * DAY_MS));

    const pem = (await pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: caArn }))).Certificate!;
    assert.equal(blocks(pem).length, 1);
    const s = scratch();
    try {
      s.write('ca.pem', pem);
      const text = s.openssl(['x509', '-in', 'ca.pem', '-noout', '-text']);
      assert.match(text, /CA:TRUE/);
      assert.match(text, /Certificate Sign, CRL Sign/);
      assert.match(s.openssl(['verify', '-CAfile', 'ca.pem', 'ca.pem']), /ca\.pem: OK/);
    } finally {
      s.remove();
    }
  });

  test('PCA errors: unknown CA, malformed ARN, wrong resource type', async () => {
    const pca = pcaClient(server.url);
    const unknown = `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-2222-4333-8444-555555555555`;
    for (const cmd of [DescribeCertificateAuthorityCommand, GetCertificateAuthorityCertificateCommand]) {
      await expectError(pca.send(new cmd({ CertificateAuthorityArn: unknown })), 'ResourceNotFoundException', 400, new RegExp(unknown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
      await expectError(pca.send(new cmd({ CertificateAuthorityArn: 'not-an-arn' })), 'ValidationException', 400,
        /^1 validation error detected: Value 'not-an-arn' at 'certificateAuthorityArn' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
      await expectError(pca.send(new cmd({ CertificateAuthorityArn: `arn:aws:acm-pca:${REGION}:${ACCOUNT}:template/abc` })), 'InvalidArnException', 400);
    }
  });

  test('a PRIVATE request is issued by the private CA without domain validation', async () => {
    const arn = await request({ DomainName: 'svc.internal.example', SubjectAlternativeNames: ['api.internal.example'], CertificateAuthorityArn: caArn });
    const c = await waitStatus(acm, arn);
    assert.equal(c.Type, 'PRIVATE');
    assert.equal(c.CertificateAuthorityArn, caArn);
    assert.equal(c.DomainValidationOptions, undefined);
    assert.equal(c.Subject, 'CN=svc.internal.example');
    assert.equal(c.Issuer, 'certtrail private CA');
    assert.deepEqual(c.SubjectAlternativeNames, ['svc.internal.example', 'api.internal.example']);
    // Private certificates live 13 months (395 days, acm.md §4).
    assert.equal(c.NotAfter!.getTime() - c.NotBefore!.getTime(), 395 * DAY_MS);
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.equal(c.KeyAlgorithm, 'RSA-2048');
    assert.deepEqual(c.ExtendedKeyUsages!.map((e) => e.Name), ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION']);
  });

  test('PRIVATE with Options.Export is a ValidationException (AWS text)', async () => {
    await expectError(
      request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn, Options: { Export: 'ENABLED' } }),
      'ValidationException', 400, 'One or more of the options specified in the request are not supported for PRIVATE certificate types',
    );
  });

  test('a CA that cannot issue gives a FAILED certificate with a PCA_* FailureReason', async () => {
    const missing = await request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-2222-4333-8444-555555555555` });
    const m = await waitStatus(acm, missing, 'FAILED');
    assert.equal(m.FailureReason, 'PCA_RESOURCE_NOT_FOUND');
    assert.equal(m.Type, 'PRIVATE');
    assert.equal(m.Serial, undefined);

    const foreign = await request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: `arn:aws:acm-pca:${REGION}:123456789012:certificate-authority/11111111-2222-4333-8444-555555555555` });
    assert.match((await waitStatus(acm, foreign, 'FAILED')).FailureReason!, /^PCA_/);

    // The key family must match the CA's (an RSA CA cannot sign for an EC request) [doc].
    const ec = await request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn, KeyAlgorithm: 'EC_prime256v1' });
    assert.match((await waitStatus(acm, ec, 'FAILED')).FailureReason!, /^PCA_/);

    await expectError(request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc' }), 'ValidationException', 400,
      /at 'certificateAuthorityArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:\[\\w\+=\/,\.@-\]\+:acm-pca:/);
  });
});
