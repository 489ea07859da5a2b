/**
 * Time passing on a real server (CERTTRAIL_VALIDATION=real, a DNS server on loopback): the server
 * is restarted with its clock 170 and then 200 days on. Managed renewal replaces the exported
 * certificate whose CNAME stays in DNS, the one whose CNAME is gone waits for its owner and says
 * so ("Renewal Action Required"), and what is not renewed expires. What ACM did by itself is seen
 * the ways a user sees it: DescribeCertificate, CloudTrail LookupEvents (AwsServiceEvent records)
 * and EventBridge rules made with the AWS CLI, firing API destinations.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ACMClient, DescribeCertificateCommand, GetCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { waitSettled } from '../helpers/acm.ts';
import { awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { startDns, type TestDns } from '../helpers/dns-server.ts';
import { Receiver } from '../helpers/receiver.ts';
import { startServer, waitFor, type RunningServer } from '../helpers/server.ts';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/eventbridge-invoke`;
const DAY_S = 86_400;
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
let dns: TestDns;
let server: RunningServer;
let dir: string;
const receiver = new Receiver();
const env = () => ({
  CERTTRAIL_VALIDATION: 'real', CERTTRAIL_DNS_SERVERS: dns.server, CERTTRAIL_DNS_RETRY_SECONDS: '0.3',
  CERTTRAIL_BUS_POLL_MS: '50', CERTTRAIL_EXPIRY_SCAN_SECONDS: '1', CERTTRAIL_DELIVERY_INTERVAL_SECONDS: '3600',
});
/** SDK clients signing with the server's clock (SigV4 allows 5 minutes of skew). */
const clients = (offsetDays: number) => {
  const common = { endpoint: server.url, region: 'us-east-1', credentials: creds, maxAttempts: 1, systemClockOffset: offsetDays * DAY_S * 1000 };
  return { acm: new ACMClient(common), ct: new CloudTrailClient(common) };
};
const restartAt = async (offsetDays: number) => {
  assert.equal(await server.stop(), 0);
  server = await startServer({ ...env(), CERTTRAIL_CLOCK_OFFSET_SECONDS: String(offsetDays * DAY_S) }, dir);
  return clients(offsetDays);
};
const bodies = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body));

before(async () => {
  await receiver.start();
  dns = await startDns();
  server = await startServer(env());
  dir = server.dataDir;
});
after(async () => {
  await server?.dispose();
  await dns?.close();
  await receiver.close();
});

test('renewal, waiting renewal and expiry over 200 days: DescribeCertificate, CloudTrail service events, EventBridge', { timeout: 180_000 }, async () => {
  const aws: AwsCli = awsCli(server.url);
  // Rules for ACM's own events and for its service events through CloudTrail (which needs a logging trail).
  await aws.json('s3', 'mb', 's3://time-trail').catch(() => undefined);
  await aws.json('cloudtrail', 'create-trail', '--name', 'time-trail', '--s3-bucket-name', 'time-trail');
  await aws.json('cloudtrail', 'start-logging', '--name', 'time-trail');
  const conn = await aws.json('events', 'create-connection', '--name', 'time-conn', '--authorization-type', 'API_KEY',
    '--auth-parameters', JSON.stringify({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' } }));
  for (const [name, path, pattern] of [
    ['acm-own', '/acm', { source: ['aws.acm'], 'detail-type': ['ACM Certificate Available', 'ACM Certificate Renewal Action Required', 'ACM Certificate Expired'] }],
    ['acm-service', '/service', { source: ['aws.acm'], 'detail-type': ['AWS Service Event via CloudTrail'] }],
  ] as const) {
    const dest = await aws.json('events', 'create-api-destination', '--name', `${name}-dest`, '--connection-arn', conn.ConnectionArn,
      '--invocation-endpoint', `${receiver.url}${path}`, '--http-method', 'POST');
    await aws.json('events', 'put-rule', '--name', name, '--event-pattern', JSON.stringify(pattern));
    await aws.json('events', 'put-targets', '--rule', name, '--targets', JSON.stringify([{ Id: 'hook', Arn: dest.ApiDestinationArn, RoleArn: ROLE }]));
  }

  // Day 0: three certificates, validated over DNS; two of them exported (so eligible for renewal).
  let { acm, ct } = clients(0);
  const request = async (DomainName: string) => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName, ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } }));
    const rr = await waitFor(async () => (await acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate?.DomainValidationOptions?.[0]?.ResourceRecord);
    dns.setCname(rr.Name!, rr.Value!);
    assert.equal((await waitSettled(acm, CertificateArn!)).Status, 'ISSUED');
    return { arn: CertificateArn!, cname: rr.Name! };
  };
  const renewing = await request('renewing.time.test');
  const blocked = await request('blocked.time.test');
  const unused = await request('unused.time.test');
  for (const c of [renewing, blocked]) await aws.json('acm', 'export-certificate', '--certificate-arn', c.arn, '--passphrase', Buffer.from('time passes').toString('base64'));
  const serial = async (arn: string) => new X509Certificate((await acm.send(new GetCertificateCommand({ CertificateArn: arn }))).Certificate!).serialNumber;
  const firstSerial = await serial(renewing.arn);
  dns.remove(blocked.cname);
  assert.deepEqual(bodies('/acm').filter((e) => e['detail-type'] === 'ACM Certificate Available').map((e) => e.detail.Action), ['ISSUANCE', 'ISSUANCE', 'ISSUANCE']);

  // Day 170, 28 days before the 198-day certificates expire: inside the 45-day renewal window.
  ({ acm, ct } = await restartAt(170));
  const renewed = await waitFor(async () => {
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn: renewing.arn }))).Certificate!;
    return c.RenewalSummary?.RenewalStatus === 'SUCCESS' ? c : undefined;
  });
  assert.equal(renewed.Status, 'ISSUED');
  assert.notEqual(await serial(renewing.arn), firstSerial, 'a new certificate under the same ARN');
  assert.equal(Math.round((renewed.NotAfter!.getTime() - renewed.NotBefore!.getTime()) / (DAY_S * 1000)), 198);

  const waiting = (await acm.send(new DescribeCertificateCommand({ CertificateArn: blocked.arn }))).Certificate!;
  assert.equal(waiting.RenewalSummary?.RenewalStatus, 'PENDING_VALIDATION');
  assert.equal(waiting.RenewalSummary?.DomainValidationOptions?.[0]?.ValidationStatus, 'PENDING_VALIDATION');
  assert.equal(waiting.RenewalSummary?.DomainValidationOptions?.[0]?.ResourceRecord?.Name, blocked.cname);
  assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: unused.arn }))).Certificate!.RenewalSummary, undefined, 'never exported: not eligible');

  // CloudTrail: the renewal is an AwsServiceEvent made by "AWS Internal", under its certificate's ARN.
  const lookup = async (name: string) => (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];
  const [renewal] = await waitFor(async () => ((await lookup('RenewCertificate')).length ? lookup('RenewCertificate') : undefined));
  assert.equal(renewal!.Username, undefined);
  assert.equal(renewal!.EventSource, 'acm.amazonaws.com');
  assert.deepEqual(renewal!.Resources, [{ ResourceType: 'AWS::ACM::Certificate', ResourceName: renewing.arn }]);
  const record = JSON.parse(renewal!.CloudTrailEvent!);
  assert.equal(record.eventType, 'AwsServiceEvent');
  assert.deepEqual(record.userIdentity, { accountId: ACCOUNT, invokedBy: 'AWS Internal' });
  assert.equal(record.sourceIPAddress, 'AWS Internal');
  assert.equal(record.readOnly, false);
  assert.equal(record.serviceEventDetails.serialNumber, renewed.Serial, "as DescribeCertificate's Serial");
  assert.equal(record.tlsDetails, undefined);

  // EventBridge: the renewed certificate is Available again; the waiting one needs action (30-day mark).
  const available = await waitFor(async () => bodies('/acm').find((e) => e['detail-type'] === 'ACM Certificate Available' && e.detail.Action === 'RENEWAL'));
  assert.deepEqual(available.resources, [renewing.arn]);
  const action = await waitFor(async () => bodies('/acm').find((e) => e['detail-type'] === 'ACM Certificate Renewal Action Required'));
  assert.deepEqual(action.resources, [blocked.arn]);
  assert.equal(action.detail.RenewalStatusReason, 'PENDING_DOMAIN_VALIDATION');
  assert.ok(action.detail.DaysToExpiry === 27 || action.detail.DaysToExpiry === 28, `DaysToExpiry ${action.detail.DaysToExpiry}`);
  assert.equal(action.detail.DomainValidationMethod, 'DNS');
  assert.equal(action.detail.Exported, true);
  const service = await waitFor(async () => bodies('/service').find((e) => e.detail.eventName === 'RenewCertificate'));
  assert.equal(service.source, 'aws.acm');
  assert.equal(service.detail.eventType, 'AwsServiceEvent');

  // Day 200: what was not renewed has expired, the waiting renewal has FAILED.
  ({ acm, ct } = await restartAt(200));
  for (const c of [blocked, unused]) assert.equal((await waitFor(async () => {
    const d = (await acm.send(new DescribeCertificateCommand({ CertificateArn: c.arn }))).Certificate!;
    return d.Status === 'EXPIRED' ? d : undefined;
  })).Status, 'EXPIRED');
  assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: blocked.arn }))).Certificate!.RenewalSummary?.RenewalStatus, 'FAILED');
  assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: renewing.arn }))).Certificate!.Status, 'ISSUED');
  const expiries = await waitFor(async () => {
    const e = await lookup('ExpireCertificate');
    return e.length === 2 ? e : undefined;
  });
  assert.deepEqual(expiries.map((e) => e.Resources?.[0]?.ResourceName).sort(), [blocked.arn, unused.arn].sort());
  const expired = await waitFor(async () => {
    const e = bodies('/acm').filter((x) => x['detail-type'] === 'ACM Certificate Expired');
    return e.length === 2 ? e : undefined;
  });
  assert.deepEqual(expired.map((e) => e.resources[0]).sort(), [blocked.arn, unused.arn].sort());
  // Each happened once, across two restarts.
  assert.equal((await lookup('RenewCertificate')).length, 1);
  assert.equal(bodies('/acm').filter((e) => e['detail-type'] === 'ACM Certificate Renewal Action Required').length, 1);
  acm.destroy();
  ct.destroy();
});
