/**
 * CERTTRAIL_VALIDATION=real with DNS: certtrail asks a real DNS server on loopback for the CNAMEs
 * it handed out, issues once every domain's record answers, refuses when CAA forbids ACM's CA,
 * and times out after 72 hours (the server restarted with its clock 73 hours on).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { acmClient, startServer, waitFor, type RunningServer } from '../helpers/server.ts';
import { waitCertificateValidated } from '../helpers/aws-cli.ts';
import { describeCert as describeWith, waitSettled, waitStatus } from '../helpers/acm.ts';
import { startDns, type TestDns } from '../helpers/dns-server.ts';

let dns: TestDns;
let server: RunningServer;
let client: ACMClient;

const realEnv = () => ({ CERTTRAIL_VALIDATION: 'real', CERTTRAIL_DNS_SERVERS: dns.server, CERTTRAIL_DNS_RETRY_SECONDS: '0.3' });

before(async () => {
  dns = await startDns();
  server = await startServer(realEnv());
  client = acmClient(server.url);
});

after(async () => {
  await server?.dispose();
  await dns?.close();
});

const describeCert = (arn: string) => describeWith(client, arn);

/** Requests a certificate for one name, puts its validation CNAME in DNS, and waits until it is no longer pending. */
async function requestAndPublish(DomainName: string) {
  const { CertificateArn: arn } = await client.send(new RequestCertificateCommand({ DomainName, ValidationMethod: 'DNS' }));
  const rr = (await waitFor(async () => (await describeCert(arn!)).DomainValidationOptions?.[0]?.ResourceRecord))!;
  dns.setCname(rr.Name!, rr.Value!);
  return { arn: arn!, settled: await waitSettled(client, arn!) };
}

describe('DNS validation against a real DNS server', () => {
  test('the startup line names the validation mode', () => {
    assert.match(server.output(), /validation: real/);
  });

  test('pending while the CNAMEs are missing; ISSUED once they answer; apex and wildcard share one record; aws acm wait returns', async () => {
    const { CertificateArn: arn } = await client.send(new RequestCertificateCommand({
      DomainName: 'shop.example.test', SubjectAlternativeNames: ['*.shop.example.test', 'api.example.test'], ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1',
    }));
    const first = await waitFor(async () => {
      const c = await describeCert(arn!);
      return c.DomainValidationOptions?.every((o) => o.ResourceRecord) ? c : undefined;
    });
    const options = first.DomainValidationOptions!;
    assert.equal(options.length, 3);
    const [apex, wild, api] = options;
    assert.deepEqual(wild!.ResourceRecord, apex!.ResourceRecord, 'the wildcard shares its apex record');
    assert.notDeepEqual(api!.ResourceRecord, apex!.ResourceRecord);

    // certtrail keeps asking; nothing is there yet.
    await waitFor(async () => (dns.asked(apex!.ResourceRecord!.Name!) >= 3 ? true : undefined), 20_000);
    let c = await describeCert(arn!);
    assert.equal(c.Status, 'PENDING_VALIDATION');
    assert.deepEqual(c.DomainValidationOptions!.map((o) => o.ValidationStatus), ['PENDING_VALIDATION', 'PENDING_VALIDATION', 'PENDING_VALIDATION']);

    // One record: the apex and the wildcard validate, the other name does not.
    dns.setCname(apex!.ResourceRecord!.Name!, apex!.ResourceRecord!.Value!);
    c = await waitFor(async () => {
      const x = await describeCert(arn!);
      return x.DomainValidationOptions![0]!.ValidationStatus === 'SUCCESS' ? x : undefined;
    });
    assert.deepEqual(c.DomainValidationOptions!.map((o) => o.ValidationStatus), ['SUCCESS', 'SUCCESS', 'PENDING_VALIDATION']);
    assert.equal(c.Status, 'PENDING_VALIDATION');

    // A record with the wrong value is not the one asked for.
    dns.setCname(api!.ResourceRecord!.Name!, '_0000.wrong.acm-validations.aws.');
    const askedBefore = dns.asked(api!.ResourceRecord!.Name!);
    await waitFor(async () => (dns.asked(api!.ResourceRecord!.Name!) >= askedBefore + 2 ? true : undefined), 20_000);
    assert.equal((await describeCert(arn!)).Status, 'PENDING_VALIDATION');

    dns.setCname(api!.ResourceRecord!.Name!, api!.ResourceRecord!.Value!.toUpperCase());
    const waited = await waitCertificateValidated(server.url, arn!);
    assert.equal(waited.code, 0, waited.stderr);
    c = await waitStatus(client, arn!);
    assert.deepEqual(c.DomainValidationOptions!.map((o) => o.ValidationStatus), ['SUCCESS', 'SUCCESS', 'SUCCESS']);
    assert.ok(c.Serial);
  });

  test('a CAA record that does not name Amazon: FAILED with CAA_ERROR, and aws acm wait fails', async () => {
    dns.addCaa('blocked.test', 'issue', 'letsencrypt.org');
    const { arn, settled: c } = await requestAndPublish('www.blocked.test');
    assert.equal(c.Status, 'FAILED');
    assert.equal(c.FailureReason, 'CAA_ERROR');
    const waited = await waitCertificateValidated(server.url, arn);
    assert.equal(waited.code, 255);
    assert.match(waited.stderr, /Waiter CertificateValidated failed: Waiter encountered a terminal failure state/);
  });

  test('a CAA record naming amazon.com (issuewild for the wildcard) lets it issue', async () => {
    dns.addCaa('allowed.test', 'issue', 'amazon.com; accounturi=x');
    dns.addCaa('allowed.test', 'issuewild', 'amazontrust.com');
    const { settled: c } = await requestAndPublish('*.allowed.test');
    assert.equal(c.Status, 'ISSUED', c.FailureReason);
  });

  test('never validated: VALIDATION_TIMED_OUT once 72 hours have passed', async () => {
    const { CertificateArn: arn } = await client.send(new RequestCertificateCommand({ DomainName: 'never.example.test', ValidationMethod: 'DNS' }));
    await waitFor(async () => ((await describeCert(arn!)).DomainValidationOptions?.[0]?.ResourceRecord ? true : undefined));
    assert.equal((await describeCert(arn!)).Status, 'PENDING_VALIDATION');
    // The same data dir, the clock 73 hours on.
    const dir = server.dataDir;
    assert.equal(await server.stop(), 0);
    server = await startServer({ ...realEnv(), CERTTRAIL_CLOCK_OFFSET_SECONDS: String(73 * 3600) }, dir);
    // The SDK signs with the server's time (SigV4 allows 5 minutes of skew).
    client = new ACMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, systemClockOffset: 73 * 3600_000 });
    const c = await waitSettled(client, arn!);
    assert.equal(c.Status, 'VALIDATION_TIMED_OUT');
  });
});
