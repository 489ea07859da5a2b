/**
 * CERTTRAIL_VALIDATION=real with e-mail: certtrail mails the five addresses ACM uses for each
 * validation domain over real SMTP (an smtp-server on loopback), the mail links certtrail's
 * approval page, and approving every domain — once with a plain form POST, once by clicking
 * Approve in headless Chromium — issues the certificate. Links are single-use, and
 * ResendValidationEmail sends a new one. An e-mail-validated certificate then migrates to DNS
 * validation (UpdateCertificateOptions), followed through ListCertificateDomainValidations.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium } from 'playwright-core';
import {
  ConflictException, ListCertificateDomainValidationsCommand, RequestCertificateCommand, ResendValidationEmailCommand, UpdateCertificateOptionsCommand, ValidationException,
} from '@aws-sdk/client-acm';
import { acmClient, freePort, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { waitCertificateValidated } from '../helpers/aws-cli.ts';
import { startDns, type TestDns } from '../helpers/dns-server.ts';
import { ACCOUNT, describeCert as describeWith, waitStatus } from '../helpers/acm.ts';

let dns: TestDns;
let smtp: SMTPServer;
let server: RunningServer;
const mails: ParsedMail[] = [];

before(async () => {
  const port = await freePort();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        done();
      }, done);
    },
  });
  await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r));
  dns = await startDns();
  server = await startServer({
    CERTTRAIL_VALIDATION: 'real', CERTTRAIL_DNS_SERVERS: dns.server, CERTTRAIL_DNS_RETRY_SECONDS: '0.3',
    CERTTRAIL_SMTP_URL: `smtp://127.0.0.1:${port}`, CERTTRAIL_MAIL_FROM: 'certtrail <no-reply@certificates.example.test>',
  });
});

after(async () => {
  await server?.dispose();
  await dns?.close();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
});

const client = () => acmClient(server.url);
const describeCert = (arn: string) => describeWith(client(), arn);
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((a) => a.value.map((v) => v.address!));
const linkOf = (m: ParsedMail) => /(http:\/\/\S+\/_certtrail\/approve\?token=\S+)/.exec(m.text ?? '')![1]!;
const mailsFor = (certId: string) => mails.filter((m) => (m.text ?? '').includes(`Certificate identifier: ${certId}`));

describe('e-mail validation over real SMTP', () => {
  test('five mails per domain, each with the details ACM gives and a link to the approval page; approving every domain issues', async () => {
    const { CertificateArn: arn } = await client().send(new RequestCertificateCommand({
      DomainName: 'mail.example.test', SubjectAlternativeNames: ['shop.example.test'], ValidationMethod: 'EMAIL',
      DomainValidationOptions: [{ DomainName: 'shop.example.test', ValidationDomain: 'example.test' }],
    }));
    const id = arn!.split('/')[1]!;
    const got = await waitFor(async () => (mailsFor(id).length >= 10 ? mailsFor(id) : undefined));
    assert.equal(got.length, 10);
    const recipients = got.flatMap(to).sort();
    assert.deepEqual(recipients, ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].flatMap((u) => [`${u}@example.test`, `${u}@mail.example.test`]).sort());
    const first = got.find((m) => to(m)[0] === 'admin@mail.example.test')!;
    assert.equal(first.subject, 'Certificate approval for mail.example.test');
    assert.equal(first.from!.value[0]!.address, 'no-reply@certificates.example.test');
    for (const line of ['Domain: mail.example.test', `AWS account ID: ${ACCOUNT}`, 'AWS Region name: us-east-1', `Certificate identifier: ${id}`]) assert.ok(first.text!.includes(line), line);
    assert.equal((await describeCert(arn!)).Status, 'PENDING_VALIDATION');

    // The page shows what is approved; a plain form POST approves the first domain, once.
    const link = linkOf(first);
    assert.ok(link.startsWith(`${server.url}/_certtrail/approve?token=`));
    const page = await fetch(link);
    assert.equal(page.status, 200);
    const html = await page.text();
    for (const want of ['mail.example.test', ACCOUNT, 'us-east-1', id, 'id="approve"']) assert.ok(html.includes(want), want);
    const token = new URL(link).searchParams.get('token')!;
    const post = () => fetch(`${server.url}/_certtrail/approve`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    const approved = await post();
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /You have approved the certificate request for mail\.example\.test/);
    assert.equal((await post()).status, 404, 'a link approves once');
    assert.equal((await fetch(link)).status, 404);
    let c = await waitFor(async () => {
      const x = await describeCert(arn!);
      return x.DomainValidationOptions![0]!.ValidationStatus === 'SUCCESS' ? x : undefined;
    });
    assert.equal(c.DomainValidationOptions![1]!.ValidationStatus, 'PENDING_VALIDATION');
    assert.equal(c.Status, 'PENDING_VALIDATION');

    // The second domain (validated at example.test): its link opened and approved in Chromium.
    const second = got.find((m) => to(m)[0] === 'webmaster@example.test')!;
    assert.equal(second.subject, 'Certificate approval for shop.example.test');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(linkOf(second));
      assert.equal(await tab.textContent('#domain'), 'shop.example.test');
      assert.equal(await tab.textContent('#account'), ACCOUNT);
      assert.equal(await tab.textContent('#certificate'), id);
      await tab.click('#approve');
      await tab.waitForSelector('#approved');
      assert.match((await tab.textContent('h1'))!, /Success/);
    } finally {
      await browser.close();
    }

    const waited = await waitCertificateValidated(server.url, arn!);
    assert.equal(waited.code, 0, waited.stderr);
    c = await waitStatus(client(), arn!);
    assert.deepEqual(c.DomainValidationOptions!.map((o) => o.ValidationStatus), ['SUCCESS', 'SUCCESS']);
  });

  test('ResendValidationEmail mails the domain again with a new link; the old one no longer works', async () => {
    const { CertificateArn: arn } = await client().send(new RequestCertificateCommand({ DomainName: 'again.example.test', ValidationMethod: 'EMAIL' }));
    const id = arn!.split('/')[1]!;
    const firstBatch = await waitFor(async () => (mailsFor(id).length >= 5 ? mailsFor(id) : undefined));
    const oldLink = linkOf(firstBatch[0]!);
    await client().send(new ResendValidationEmailCommand({ CertificateArn: arn, Domain: 'again.example.test', ValidationDomain: 'again.example.test' }));
    const all = await waitFor(async () => (mailsFor(id).length >= 10 ? mailsFor(id) : undefined));
    const newLink = linkOf(all[all.length - 1]!);
    assert.notEqual(newLink, oldLink);
    assert.equal((await fetch(oldLink)).status, 404);
    assert.equal((await fetch(newLink)).status, 200);
  });

  test('EMAIL → DNS migration: UpdateCertificateOptions, the requested CNAMEs listed, DNS-validated once they answer', async () => {
    const acm = client();
    const { CertificateArn: arn } = await acm.send(new RequestCertificateCommand({ DomainName: 'move.example.test', ValidationMethod: 'EMAIL' }));
    const id = arn!.split('/')[1]!;
    const batch = await waitFor(async () => (mailsFor(id).length >= 5 ? mailsFor(id) : undefined));
    const token = new URL(linkOf(batch[0]!)).searchParams.get('token')!;
    await fetch(`${server.url}/_certtrail/approve`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    await waitStatus(acm, arn!);

    await acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { ValidationMethod: 'DNS' } }));
    let c = await describeCert(arn!);
    assert.equal(c.UpdateSummary?.Status, 'PENDING_DOMAIN_VALIDATION');
    assert.equal(c.UpdateSummary?.Type, 'DOMAIN_VALIDATION_METHOD');
    assert.deepEqual(c.UpdateSummary?.DomainValidationMethodUpdateSummary, { From: 'EMAIL', To: 'DNS' });
    assert.ok(c.UpdateSummary?.RequestedAt instanceof Date);
    const listed = (await acm.send(new ListCertificateDomainValidationsCommand({ CertificateArn: arn }))).DomainValidationSummaryList!;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.DomainName, 'move.example.test');
    assert.equal(listed[0]!.ActiveValidationConfiguration?.ValidationMethod, 'EMAIL');
    assert.equal(listed[0]!.ActiveValidationConfiguration?.ValidationStatus, 'SUCCESS');
    assert.equal(listed[0]!.ActiveValidationConfiguration?.ValidationChallenge?.EmailValidationChallenge?.ValidationDomain, 'move.example.test');
    const requested = listed[0]!.RequestedValidationConfiguration!;
    assert.equal(requested.ValidationMethod, 'DNS');
    assert.equal(requested.ValidationStatus, 'PENDING_VALIDATION');
    const rr = requested.ValidationChallenge!.DnsValidationChallenge!.ResourceRecord!;
    assert.match(rr.Name!, /^_[0-9a-f]{32}\.move\.example\.test\.$/);
    assert.equal(rr.Type, 'CNAME');

    // A second migration while this one waits, and a migration the other way, are refused.
    await assert.rejects(acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { ValidationMethod: 'DNS' } })), (e: unknown) => e instanceof ConflictException);
    // Without the CNAME nothing happens; with it the certificate is DNS-validated, same ARN, same certificate.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await describeCert(arn!)).UpdateSummary?.Status, 'PENDING_DOMAIN_VALIDATION');
    dns.setCname(rr.Name!, rr.Value!);
    c = await waitFor(async () => {
      const x = await describeCert(arn!);
      return x.UpdateSummary?.Status === 'SUCCESS' ? x : undefined;
    });
    assert.equal(c.Status, 'ISSUED');
    assert.deepEqual(c.DomainValidationOptions!.map((o) => [o.ValidationMethod, o.ValidationStatus, o.ResourceRecord?.Name]), [['DNS', 'SUCCESS', rr.Name]]);
    const after = (await acm.send(new ListCertificateDomainValidationsCommand({ CertificateArn: arn }))).DomainValidationSummaryList!;
    assert.equal(after[0]!.ActiveValidationConfiguration?.ValidationMethod, 'DNS');
    assert.equal(after[0]!.RequestedValidationConfiguration, undefined);
    await assert.rejects(acm.send(new UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { ValidationMethod: 'EMAIL' } })), (e: unknown) => e instanceof ValidationException);
  });

  test('a made-up or malformed token is refused with the same page', async () => {
    for (const t of ['', 'x', `${ACCOUNT}.us-east-1.00000000-0000-0000-0000-000000000000.0.${'A'.repeat(32)}`]) {
      const r = await fetch(`${server.url}/_certtrail/approve?token=${encodeURIComponent(t)}`);
      assert.equal(r.status, 404);
      assert.match(await r.text(), /id="invalid"/);
    }
  });
});
