/**
 * DescribeCertificate, GetCertificate and DeleteCertificate through @aws-sdk/client-acm: the
 * CertificateDetail fields of acm.md §3.1 for public RSA/EC and PRIVATE certificates, ARN
 * errors, and the issued PEMs checked with the openssl CLI (chain verification, extensions, and
 * the CRL / CA-issuer URLs, which the server must actually serve).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeleteCertificateCommand, DescribeCertificateCommand, GetCertificateCommand, ListCertificatesCommand, RequestCertificateCommand,
  type ACMClient, type CertificateDetail,
} from '@aws-sdk/client-acm';
import { GetCertificateAuthorityCertificateCommand } from '@aws-sdk/client-acm-pca';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import {
  ACCOUNT, ARN_PATTERN, DAY_MS, SERIAL, blocks, colonSerial, describeCert, expectError, extensionUrls, fetchBytes, pcaClient,
  privateCaArn, scratch, unknownArn, waitStatus, type Scratch,
} from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let s: Scratch;
let caArn: string;
let rootPem: string;
const arns = { rsa: '', ec: '', priv: '' };
const issued: Record<keyof typeof arns, CertificateDetail> = {} as never;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  s = scratch();
  caArn = await privateCaArn(server.url);
  const req = async (input: ConstructorParameters<typeof RequestCertificateCommand>[0]) => (await acm.send(new RequestCertificateCommand(input))).CertificateArn!;
  [arns.rsa, arns.ec, arns.priv] = await Promise.all([
    req({ DomainName: 'cert.example.com', SubjectAlternativeNames: ['www.cert.example.com', '*.cert.example.com'], ValidationMethod: 'DNS' }),
    req({ DomainName: 'ec.example.com', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1' }),
    req({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn }),
  ]);
  for (const k of Object.keys(arns) as (keyof typeof arns)[]) issued[k] = await waitStatus(acm, arns[k]);
  const root = await fetchBytes(`${server.url}/_certtrail/ca/root.pem`);
  assert.equal(root.status, 200);
  rootPem = root.body.toString('latin1');
  s.write('root.pem', rootPem);
});
after(async () => {
  s?.remove();
  await server?.dispose();
});

const get = async (arn: string) => acm.send(new GetCertificateCommand({ CertificateArn: arn }));

describe('DescribeCertificate', () => {
  test('an issued public RSA certificate has every field of acm.md §3.1', async () => {
    const c = issued.rsa;
    assert.equal(c.CertificateArn, arns.rsa);
    assert.equal(c.DomainName, 'cert.example.com');
    assert.deepEqual(c.SubjectAlternativeNames, ['cert.example.com', 'www.cert.example.com', '*.cert.example.com']);
    assert.equal(c.DomainValidationOptions!.length, 3);
    assert.ok(c.DomainValidationOptions!.every((d) => d.ValidationStatus === 'SUCCESS' && d.ValidationMethod === 'DNS'));
    assert.match(c.Serial!, SERIAL);
    assert.equal(c.Subject, 'CN=cert.example.com');
    assert.equal(c.Issuer, 'Amazon');
    assert.ok(c.CreatedAt instanceof Date && c.IssuedAt instanceof Date && c.IssuedAt >= c.CreatedAt);
    assert.equal(c.ImportedAt, undefined);
    assert.equal(c.Status, 'ISSUED');
    // Public ACM certificates issued after 18 Feb 2026 live 198 days (acm.md §4).
    assert.equal(c.NotAfter!.getTime() - c.NotBefore!.getTime(), 198 * DAY_MS);
    assert.ok(Math.abs(c.NotBefore!.getTime() - c.IssuedAt!.getTime()) < 5_000);
    assert.equal(c.KeyAlgorithm, 'RSA-2048');
    assert.equal(c.SignatureAlgorithm, 'SHA256WITHRSA');
    assert.deepEqual(c.InUseBy, []);
    assert.equal(c.FailureReason, undefined);
    assert.equal(c.Type, 'AMAZON_ISSUED');
    assert.equal(c.RenewalSummary, undefined);
    assert.deepEqual(c.KeyUsages, [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }]);
    // ServerAuth only since 11 Jun 2025.
    assert.deepEqual(c.ExtendedKeyUsages, [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }]);
    assert.equal(c.CertificateAuthorityArn, undefined);
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.deepEqual(c.Options, { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' });
    assert.equal(c.RevokedAt, undefined);
  });

  test('an EC certificate reports the hyphenated curve name and signature-only key usage', async () => {
    const c = issued.ec;
    assert.equal(c.KeyAlgorithm, 'EC-prime256v1');
    // Signed by the ECDSA intermediate, as ACM signs EC leaves (Amazon ECDSA 256 M0x).
    assert.equal(c.SignatureAlgorithm, 'SHA256WITHECDSA');
    assert.equal(c.Type, 'AMAZON_ISSUED');
    assert.deepEqual(c.KeyUsages, [{ Name: 'DIGITAL_SIGNATURE' }]);
    assert.deepEqual(c.ExtendedKeyUsages, [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }]);
    assert.equal(c.NotAfter!.getTime() - c.NotBefore!.getTime(), 198 * DAY_MS);
  });

  test('a PRIVATE certificate names its CA and lives 395 days', async () => {
    const c = issued.priv;
    assert.equal(c.Type, 'PRIVATE');
    assert.equal(c.CertificateAuthorityArn, caArn);
    assert.equal(c.Subject, 'CN=svc.internal.example');
    assert.equal(c.NotAfter!.getTime() - c.NotBefore!.getTime(), 395 * DAY_MS);
    assert.ok(c.IssuedAt instanceof Date);
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.deepEqual(c.ExtendedKeyUsages, [
      { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
      { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
    ]);
  });

  test('an unknown ARN is ResourceNotFoundException with AWS text', async () => {
    const arn = unknownArn();
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: arn })), 'ResourceNotFoundException', 400,
      `Could not find certificate ${arn} in account ${ACCOUNT}.`);
  });

  test('a malformed ARN fails the model pattern (ValidationException, not InvalidArnException)', async () => {
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:s3:::my-bucket/object-key' })), 'ValidationException', 400,
      `1 validation error detected: Value 'arn:aws:s3:::my-bucket/object-key' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}`);
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:short' })), 'ValidationException', 400,
      `2 validation errors detected: Value 'arn:short' at 'certificateArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'arn:short' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}`);
    await expectError(acm.send(new DescribeCertificateCommand({} as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null");
  });

  test('a well-formed ARN of another region or resource type is InvalidArnException', async () => {
    const id = arns.rsa.split('/')[1];
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: unknownArn(id, ACCOUNT, 'eu-west-1') })), 'InvalidArnException', 400);
    // The same ARN asked in another region.
    await expectError(acmClient(server.url, undefined, 'eu-west-1').send(new DescribeCertificateCommand({ CertificateArn: arns.rsa })), 'InvalidArnException', 400);
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:acme-endpoint/${id}` })), 'InvalidArnException', 400);
  });
});

describe('GetCertificate', () => {
  test('returns the leaf and, separately, its issuers', async () => {
    for (const k of ['rsa', 'ec'] as const) {
      const r = await get(arns[k]);
      assert.equal(blocks(r.Certificate).length, 1);
      const chain = blocks(r.CertificateChain);
      assert.equal(chain.length, 2, 'intermediate + root');
      assert.ok(!chain.includes(blocks(r.Certificate)[0]), 'the chain never includes the leaf');
      assert.equal(chain[1].trim(), rootPem.trim(), 'the chain ends with the served root');
    }
    const p = await get(arns.priv);
    const pca = (await pcaClient(server.url).send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: caArn }))).Certificate!;
    assert.deepEqual(blocks(p.CertificateChain).map((b) => b.trim()), [pca.trim()]);
  });

  test('the Serial and validity in Describe are those of the PEM', async () => {
    const r = await get(arns.rsa);
    s.write('serial.pem', r.Certificate!);
    const out = s.openssl(['x509', '-in', 'serial.pem', '-noout', '-serial', '-dates']);
    assert.equal(colonSerial(/serial=(\w+)/.exec(out)![1]), issued.rsa.Serial);
    assert.equal(new Date(/notBefore=(.+)/.exec(out)![1]).getTime(), issued.rsa.NotBefore!.getTime());
    assert.equal(new Date(/notAfter=(.+)/.exec(out)![1]).getTime(), issued.rsa.NotAfter!.getTime());
  });

  for (const k of ['rsa', 'ec', 'priv'] as const) {
    test(`openssl verifies the ${k} certificate against its root`, async () => {
      const r = await get(arns[k]);
      s.write(`${k}.leaf.pem`, r.Certificate!);
      s.write(`${k}.chain.pem`, r.CertificateChain!);
      const anchor = k === 'priv' ? `${k}.chain.pem` : 'root.pem';
      const out = s.openssl(['verify', '-CAfile', anchor, '-untrusted', `${k}.chain.pem`, '-purpose', 'sslserver', `${k}.leaf.pem`]);
      assert.equal(out.trim(), `${k}.leaf.pem: OK`);
      // And a stranger's root does not verify it.
      if (k !== 'priv') {
        const bad = s.run(['verify', '-CAfile', 'priv.chain.pem', '-partial_chain', `${k}.leaf.pem`]);
        assert.notEqual(bad.status, 0);
      }
    });
  }

  test('the leaf carries the profile of an ACM certificate', async () => {
    const r = await get(arns.rsa);
    s.write('profile.pem', r.Certificate!);
    const text = s.openssl(['x509', '-in', 'profile.pem', '-noout', '-text']);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Subject: CN ?= ?cert\.example\.com/);
    assert.match(text, /X509v3 Subject Alternative Name: *\n\s*DNS:cert\.example\.com, DNS:www\.cert\.example\.com, DNS:\*\.cert\.example\.com/);
    assert.match(text, /X509v3 Key Usage: critical\n\s*Digital Signature, Key Encipherment\n/);
    assert.match(text, /X509v3 Extended Key Usage: *\n\s*TLS Web Server Authentication\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\n\s*CA:FALSE/);
    assert.match(text, /X509v3 Authority Key Identifier:/);
    assert.match(text, /X509v3 Subject Key Identifier:/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  });

  test('CRL distribution point and CA issuers URLs point at the server and are served', async () => {
    const r = await get(arns.rsa);
    s.write('urls.pem', r.Certificate!);
    const urls = extensionUrls(s.openssl(['x509', '-in', 'urls.pem', '-noout', '-text']));
    assert.ok(urls.crl?.startsWith(`${server.url}/_certtrail/crl/`), `CRL DP ${urls.crl}`);
    assert.ok(urls.caIssuers?.startsWith(`${server.url}/_certtrail/ca/`), `AIA ${urls.caIssuers}`);

    const crl = await fetchBytes(urls.crl!);
    assert.equal(crl.status, 200);
    assert.equal(crl.type, 'application/pkix-crl');
    s.write('issuer.crl', crl.body);
    const intermediate = blocks(r.CertificateChain)[0];
    s.write('intermediate.pem', intermediate);
    const crlText = s.openssl(['crl', '-inform', 'DER', '-in', 'issuer.crl', '-noout', '-text']);
    assert.match(crlText, /Certificate Revocation List \(CRL\):/);
    assert.match(crlText, /No Revoked Certificates/);
    // Signed by the issuing CA.
    const verified = s.run(['crl', '-inform', 'DER', '-in', 'issuer.crl', '-CAfile', 'intermediate.pem', '-noout']);
    assert.equal(verified.status, 0);
    assert.match(verified.stderr + verified.stdout, /verify OK/);

    const aia = await fetchBytes(urls.caIssuers!);
    assert.equal(aia.status, 200);
    assert.equal(aia.type, 'application/pkix-cert');
    s.write('aia.der', aia.body);
    const served = s.openssl(['x509', '-inform', 'DER', '-in', 'aia.der', '-outform', 'PEM']);
    assert.equal(served.trim(), intermediate.trim(), 'the AIA certificate is the issuing CA');

    // The private certificate's URLs lead to the private CA's own CRL.
    const p = await get(arns.priv);
    s.write('priv-urls.pem', p.Certificate!);
    const purls = extensionUrls(s.openssl(['x509', '-in', 'priv-urls.pem', '-noout', '-text']));
    assert.notEqual(purls.crl, urls.crl);
    const pcrl = await fetchBytes(purls.crl!);
    assert.equal(pcrl.status, 200);
    s.write('priv.crl', pcrl.body);
    s.openssl(['crl', '-inform', 'DER', '-in', 'priv.crl', '-noout', '-text']);
    assert.equal((await fetchBytes(`${server.url}/_certtrail/crl/00000000-0000-4000-8000-000000000000.crl`)).status, 404);
  });

  test('a certificate still pending validation is RequestInProgressException', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'pending.example.com', ValidationMethod: 'DNS' }));
    await expectError(get(CertificateArn!), 'RequestInProgressException', 400);
  });

  test('unknown and malformed ARNs', async () => {
    const arn = unknownArn();
    await expectError(get(arn), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
    await expectError(get('not an arn at all, no'), 'ValidationException', 400, /at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });
});

describe('DeleteCertificate', () => {
  test('removes the certificate; afterwards it is not found anywhere', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'delete.example.com', ValidationMethod: 'DNS' }));
    await waitStatus(acm, arn!);
    const out = await acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const msg = `Could not find certificate ${arn} in account ${ACCOUNT}.`;
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: arn })), 'ResourceNotFoundException', 400, msg);
    await expectError(get(arn!), 'ResourceNotFoundException', 400, msg);
    await expectError(acm.send(new DeleteCertificateCommand({ CertificateArn: arn })), 'ResourceNotFoundException', 400, msg);
    const list = await acm.send(new ListCertificatesCommand({}));
    assert.ok(!list.CertificateSummaryList!.some((c) => c.CertificateArn === arn));
  });

  test('a pending certificate can be deleted too', async () => {
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'delete2.example.com' }));
    await acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    await expectError(acm.send(new DescribeCertificateCommand({ CertificateArn: arn })), 'ResourceNotFoundException', 400);
  });

  test('ARN errors', async () => {
    await expectError(acm.send(new DeleteCertificateCommand({ CertificateArn: 'bogus' })), 'ValidationException', 400);
    await expectError(acm.send(new DeleteCertificateCommand({ CertificateArn: unknownArn(undefined, ACCOUNT, 'ap-south-1') })), 'InvalidArnException', 400);
  });
});

test('the served root is a self-signed CA certificate', () => {
  const text = s.openssl(['x509', '-in', 'root.pem', '-noout', '-text']);
  assert.match(text, /CA:TRUE/);
  assert.equal(s.openssl(['verify', '-CAfile', 'root.pem', 'root.pem']).trim(), 'root.pem: OK');
});
