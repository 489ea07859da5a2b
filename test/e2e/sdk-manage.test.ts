/**
 * RenewCertificate, RevokeCertificate, ResendValidationEmail and UpdateCertificateOptions through
 * @aws-sdk/client-acm. Revocation is checked where relying parties see it: the CRL named in the
 * certificate's CRL Distribution Points, fetched from the server and used by `openssl verify
 * -crl_check`. acm.md §2.3 (the four operations), §4 (managed renewal, export/revoke rules).
 *
 * Auto-validation takes one second (CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS=1), so checks that
 * need a PENDING_VALIDATION certificate run right after requesting a fresh one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ExportCertificateCommand, GetCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, RenewCertificateCommand,
  RequestCertificateCommand, ResendValidationEmailCommand, RevokeCertificateCommand, UpdateCertificateOptionsCommand,
  type ACMClient, type RequestCertificateCommandInput, type RevocationReason,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.js';
import {
  ACCOUNT, describeCert, expectError, extensionUrls, fetchBytes, makeCert, privateCaArn, scratch, unknownArn, waitStatus, type Scratch,
} from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let s: Scratch;
let rootPem: string;
/** renew: exported public; revoke: exported public; priv: exported private; plain: not exported. */
const arns = { renew: '', revoke: '', priv: '', plain: '' };

const request = async (input: RequestCertificateCommandInput) => (await acm.send(new RequestCertificateCommand(input))).CertificateArn!;
const exportCert = (arn: string) => acm.send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: Buffer.from('manage-pass') }));
const renew = (arn: string) => acm.send(new RenewCertificateCommand({ CertificateArn: arn }));
const revoke = (arn: string, RevocationReason: RevocationReason) => acm.send(new RevokeCertificateCommand({ CertificateArn: arn, RevocationReason }));
const get = (arn: string) => acm.send(new GetCertificateCommand({ CertificateArn: arn }));

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  s = scratch();
  const caArn = await privateCaArn(server.url);
  [arns.renew, arns.revoke, arns.priv, arns.plain] = await Promise.all([
    request({ DomainName: 'renew.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }),
    request({ DomainName: 'revoke.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }),
    request({ DomainName: 'svc.internal.example', CertificateAuthorityArn: caArn }),
    request({ DomainName: 'plain.example.com', ValidationMethod: 'DNS' }),
  ]);
  for (const arn of Object.values(arns)) await waitStatus(acm, arn);
  for (const arn of [arns.renew, arns.revoke, arns.priv]) await exportCert(arn);
  rootPem = (await fetchBytes(`${server.url}/_certtrail/ca/root.pem`)).body.toString('latin1');
  s.write('root.pem', rootPem);
});
after(async () => {
  s?.remove();
  await server?.dispose();
});

/** Writes the leaf and chain, fetches the leaf's CRL (DER → PEM) and runs openssl verify -crl_check. */
async function verifyWithCrl(name: string, arn: string, anchor: 'root' | 'chain'): Promise<{ status: number | null; out: string; crlText: string }> {
  const g = await get(arn);
  s.write(`${name}.leaf.pem`, g.Certificate!);
  s.write(`${name}.chain.pem`, g.CertificateChain!);
  const { crl } = extensionUrls(s.openssl(['x509', '-in', `${name}.leaf.pem`, '-noout', '-text']));
  assert.ok(crl?.startsWith(server.url), `CRL DP ${crl}`);
  const fetched = await fetchBytes(crl!);
  assert.equal(fetched.status, 200);
  s.write(`${name}.crl.der`, fetched.body);
  s.openssl(['crl', '-inform', 'DER', '-in', `${name}.crl.der`, '-out', `${name}.crl.pem`]);
  const crlText = s.openssl(['crl', '-in', `${name}.crl.pem`, '-noout', '-text']);
  const r = s.run(['verify', '-crl_check', '-CAfile', anchor === 'root' ? 'root.pem' : `${name}.chain.pem`, '-untrusted', `${name}.chain.pem`,
    '-CRLfile', `${name}.crl.pem`, `${name}.leaf.pem`]);
  return { status: r.status, out: r.stdout + r.stderr, crlText };
}
const crlSerial = (serial: string) => serial.replace(/:/g, '').toUpperCase();

describe('RenewCertificate', () => {
  test('an exported certificate renews in place: RenewalSummary, then a new serial under the same ARN', async () => {
    const before = await describeCert(acm, arns.renew);
    assert.equal(before.RenewalSummary, undefined);
    assert.equal(before.RenewalEligibility, 'ELIGIBLE');
    const out = await renew(arns.renew);
    assert.equal(out.$metadata.httpStatusCode, 200);
    const started = await describeCert(acm, arns.renew);
    assert.ok(started.RenewalSummary, 'RenewalSummary appears once renewal starts');
    assert.ok(['PENDING_AUTO_RENEWAL', 'SUCCESS'].includes(started.RenewalSummary!.RenewalStatus!));
    assert.ok(started.RenewalSummary!.UpdatedAt instanceof Date);
    const after = await waitFor(async () => {
      const c = await describeCert(acm, arns.renew);
      return c.RenewalSummary?.RenewalStatus === 'SUCCESS' ? c : undefined;
    });
    assert.equal(after.CertificateArn, arns.renew);
    assert.equal(after.Status, 'ISSUED');
    assert.notEqual(after.Serial, before.Serial);
    assert.ok(after.NotBefore! >= before.NotBefore!);
    assert.deepEqual(after.CreatedAt, before.CreatedAt);
    // Eligible again only once the renewed certificate is exported (acm.md §4).
    assert.equal(after.RenewalEligibility, 'INELIGIBLE');
    const g = await get(arns.renew);
    s.write('renewed.pem', g.Certificate!);
    const serial = /serial=(\w+)/.exec(s.openssl(['x509', '-in', 'renewed.pem', '-noout', '-serial']))![1];
    assert.equal(serial, crlSerial(after.Serial!));
    // Not exported since renewal: renewing again is refused until it is exported again.
    await expectError(renew(arns.renew), 'ValidationException', 400);
    await exportCert(arns.renew);
    assert.equal((await describeCert(acm, arns.renew)).RenewalEligibility, 'ELIGIBLE');
  });

  test('a certificate that was never exported cannot be renewed', async () => {
    await expectError(renew(arns.plain), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arns.plain)).RenewalSummary, undefined);
  });

  test('pending, imported and unknown certificates', async () => {
    const pending = await request({ DomainName: 'renew-pending.example.com', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } });
    await expectError(renew(pending), 'RequestInProgressException', 400);
    const m = makeCert(s, 'imp', { subj: '/CN=imp.example.com', sans: ['imp.example.com'] });
    const { CertificateArn: imported } = await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(m.cert), PrivateKey: Buffer.from(m.key) }));
    await expectError(renew(imported!), 'ValidationException', 400);
    const arn = unknownArn();
    await expectError(renew(arn), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
  });
});

describe('RevokeCertificate', () => {
  test('a public certificate accepts only the four public reasons', async () => {
    for (const reason of ['KEY_COMPROMISE', 'CA_COMPROMISE', 'CERTIFICATE_HOLD'] as const) await expectError(revoke(arns.revoke, reason), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arns.revoke)).Status, 'ISSUED');
  });

  test('a certificate that was never exported cannot be revoked', async () => {
    await expectError(revoke(arns.plain, 'SUPERSEDED'), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arns.plain)).Status, 'ISSUED');
  });

  test('the unrevoked certificate verifies with -crl_check', async () => {
    const r = await verifyWithCrl('good', arns.revoke, 'root');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /good\.leaf\.pem: OK/);
  });

  test('an exported public certificate: REVOKED, RevokedAt, reason; listed on the served CRL', async () => {
    const before = await describeCert(acm, arns.revoke);
    const t0 = Date.now();
    const out = await revoke(arns.revoke, 'SUPERSEDED');
    assert.equal(out.CertificateArn, arns.revoke);
    const c = await describeCert(acm, arns.revoke);
    assert.equal(c.Status, 'REVOKED');
    assert.equal(c.RevocationReason, 'SUPERSEDED');
    assert.ok(c.RevokedAt instanceof Date && Math.abs(c.RevokedAt.getTime() - t0) < 10_000);
    assert.equal(c.RenewalEligibility, 'INELIGIBLE');
    assert.equal(c.Serial, before.Serial);

    const r = await verifyWithCrl('revoked', arns.revoke, 'root');
    assert.match(r.crlText, new RegExp(`Serial Number: ${crlSerial(c.Serial!)}`));
    assert.match(r.crlText, /X509v3 CRL Reason Code:\s*\n\s*Superseded/);
    assert.notEqual(r.status, 0);
    assert.match(r.out, /certificate revoked/);

    const listed = (await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['REVOKED'] }))).CertificateSummaryList!;
    assert.deepEqual(listed.map((x) => x.CertificateArn), [arns.revoke]);
    assert.ok(listed[0].RevokedAt instanceof Date);
  });

  test('revocation is final: no second revoke, export or renewal', async () => {
    await expectError(revoke(arns.revoke, 'SUPERSEDED'), 'ValidationException', 400);
    await expectError(exportCert(arns.revoke), 'ValidationException', 400);
    await expectError(renew(arns.revoke), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arns.revoke)).Status, 'REVOKED');
  });

  test('an exported PRIVATE certificate may be revoked for KEY_COMPROMISE; its CA lists it', async () => {
    const good = await verifyWithCrl('priv-good', arns.priv, 'chain');
    assert.equal(good.status, 0, good.out);
    await revoke(arns.priv, 'KEY_COMPROMISE');
    const c = await describeCert(acm, arns.priv);
    assert.equal(c.Status, 'REVOKED');
    assert.equal(c.RevocationReason, 'KEY_COMPROMISE');
    const r = await verifyWithCrl('priv', arns.priv, 'chain');
    assert.match(r.crlText, new RegExp(`Serial Number: ${crlSerial(c.Serial!)}`));
    assert.match(r.crlText, /Key Compromise/);
    assert.match(r.out, /certificate revoked/);
  });

  test('argument errors', async () => {
    const arn = unknownArn();
    await expectError(revoke(arn, 'SUPERSEDED'), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
    await expectError(revoke(arns.plain, 'BORED' as never), 'ValidationException', 400,
      /^1 validation error detected: Value 'BORED' at 'revocationReason' failed to satisfy constraint: Member must satisfy enum value set: \[UNSPECIFIED, KEY_COMPROMISE, /);
    await expectError(acm.send(new RevokeCertificateCommand({ CertificateArn: arns.plain } as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'revocationReason' failed to satisfy constraint: Member must not be null");
  });
});

describe('ResendValidationEmail', () => {
  const resend = (CertificateArn: string, Domain: string, ValidationDomain: string) => acm.send(new ResendValidationEmailCommand({ CertificateArn, Domain, ValidationDomain }));

  test('an EMAIL certificate pending validation; wrong domains are InvalidDomainValidationOptionsException', async () => {
    const arn = await request({ DomainName: 'mail.example.com', SubjectAlternativeNames: ['www.mail.example.com'] });
    const out = await resend(arn, 'mail.example.com', 'mail.example.com');
    assert.equal(out.$metadata.httpStatusCode, 200);
    await expectError(resend(arn, 'other.example.com', 'example.com'), 'InvalidDomainValidationOptionsException', 400);
    await expectError(resend(arn, 'www.mail.example.com', 'example.org'), 'InvalidDomainValidationOptionsException', 400);
    await expectError(resend(arn, 'mail.example.com', 'sub.mail.example.com'), 'InvalidDomainValidationOptionsException', 400);
    // Any superdomain may receive the mail ("the same as the Domain value or a superdomain", API doc).
    await resend(arn, 'www.mail.example.com', 'example.com');
    const www = (await describeCert(acm, arn)).DomainValidationOptions!.find((d) => d.DomainName === 'www.mail.example.com')!;
    assert.equal(www.ValidationDomain, 'example.com');
    assert.deepEqual(www.ValidationEmails, ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@example.com`));
    assert.equal((await describeCert(acm, arn)).Status, 'PENDING_VALIDATION', 'the checks above ran while pending');
    // Once issued there is nothing to validate.
    await waitStatus(acm, arn);
    await expectError(resend(arn, 'mail.example.com', 'mail.example.com'), 'InvalidStateException', 400);
  });

  test('a DNS-validated certificate is InvalidStateException, pending or issued', async () => {
    const pending = await request({ DomainName: 'dns-resend.example.com', ValidationMethod: 'DNS' });
    await expectError(resend(pending, 'dns-resend.example.com', 'dns-resend.example.com'), 'InvalidStateException', 400);
    await expectError(resend(arns.plain, 'plain.example.com', 'plain.example.com'), 'InvalidStateException', 400);
  });

  test('argument errors', async () => {
    const arn = unknownArn();
    await expectError(resend(arn, 'a.example.com', 'a.example.com'), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
    await expectError(acm.send(new ResendValidationEmailCommand({ CertificateArn: arns.plain, Domain: 'plain.example.com' } as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'validationDomain' failed to satisfy constraint: Member must not be null");
  });
});

describe('UpdateCertificateOptions', () => {
  const update = (CertificateArn: string, Options: { CertificateTransparencyLoggingPreference?: 'ENABLED' | 'DISABLED'; Export?: 'ENABLED' | 'DISABLED' }) =>
    acm.send(new UpdateCertificateOptionsCommand({ CertificateArn, Options }));

  test('a certificate still pending validation is InvalidStateException', async () => {
    const arn = await request({ DomainName: 'opts-pending.example.com', ValidationMethod: 'DNS' });
    await expectError(update(arn, { CertificateTransparencyLoggingPreference: 'DISABLED' }), 'InvalidStateException', 400);
  });

  test('an issued certificate changes its CT logging preference', async () => {
    assert.equal((await describeCert(acm, arns.plain)).Options!.CertificateTransparencyLoggingPreference, 'ENABLED');
    const out = await update(arns.plain, { CertificateTransparencyLoggingPreference: 'DISABLED' });
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual((await describeCert(acm, arns.plain)).Options, { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' });
    await update(arns.plain, { CertificateTransparencyLoggingPreference: 'ENABLED' });
    assert.deepEqual((await describeCert(acm, arns.plain)).Options, { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' });
  });

  test('Export is fixed at creation', async () => {
    await expectError(update(arns.plain, { Export: 'ENABLED' }), 'ValidationException', 400);
    assert.equal((await describeCert(acm, arns.plain)).Options!.Export, 'DISABLED');
  });

  test('argument errors', async () => {
    const arn = unknownArn();
    await expectError(update(arn, { CertificateTransparencyLoggingPreference: 'DISABLED' }), 'ResourceNotFoundException', 400, `Could not find certificate ${arn} in account ${ACCOUNT}.`);
    await expectError(acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arns.plain } as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'options' failed to satisfy constraint: Member must not be null");
    await expectError(update(arns.plain, { CertificateTransparencyLoggingPreference: 'MAYBE' as never }), 'ValidationException', 400,
      "1 validation error detected: Value 'MAYBE' at 'options.certificateTransparencyLoggingPreference' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
  });
});
