/**
 * A load balancer (an nginx in front of real traffic, say) registered with `certtrail
 * integrations register` acts for the account as elasticloadbalancing.amazonaws.com: its calls
 * are its service-linked role's session with invokedBy, source and agent the service, as AWS
 * records a service's calls; fetching a certificate puts it in use (InUseBy, RenewalEligibility
 * ELIGIBLE, DeleteCertificate refused) until the integration releases it
 * (CertTrailIntegration.ReleaseCertificate, certtrail's own operation, signed like ACM's).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as Acm from '@aws-sdk/client-acm';
import { waitStatus } from '../helpers/acm.ts';
import { certtrailCli } from '../helpers/certtrail-cli.ts';
import { waitForEvent } from '../helpers/events.ts';
import { rawClient } from '../helpers/raw.ts';
import { acmClient, startServer, type RunningServer } from '../helpers/server.ts';

const ACCOUNT = '000000000000';
const LB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/edge-nginx/50dc6c495c0c9188`;
let server: RunningServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('an integration fetches a certificate as the ELB service: in use, recorded with invokedBy, released by it', async () => {
  const root = acmClient(server.url);
  const arn = (await root.send(new Acm.RequestCertificateCommand({ DomainName: 'www.example.com', ValidationMethod: 'DNS' }))).CertificateArn!;
  await waitStatus(root, arn);
  const env = { CERTTRAIL_DATA_DIR: server.dataDir, PORT: String(server.port) };
  const reg = await certtrailCli(env, 'integrations', 'register', ACCOUNT, '--service', 'elasticloadbalancing.amazonaws.com', '--resource-arn', LB);
  assert.equal(reg.code, 0, reg.stderr);
  const creds = JSON.parse(reg.stdout);
  assert.match(creds.AccessKeyId, /^ASIA/);
  assert.equal(creds.RoleArn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`);

  const lb = new Acm.ACMClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken } });
  const before = (await root.send(new Acm.DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
  assert.deepEqual(before.InUseBy, []);
  assert.equal(before.RenewalEligibility, 'INELIGIBLE');
  const got = await lb.send(new Acm.GetCertificateCommand({ CertificateArn: arn }));
  assert.match(got.Certificate!, /BEGIN CERTIFICATE/);

  const after = (await root.send(new Acm.DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
  assert.deepEqual(after.InUseBy, [LB]);
  assert.equal(after.RenewalEligibility, 'ELIGIBLE');
  assert.equal((await root.send(new Acm.ListCertificatesCommand({}))).CertificateSummaryList!.find((s) => s.CertificateArn === arn)!.InUse, true);
  await assert.rejects(root.send(new Acm.DeleteCertificateCommand({ CertificateArn: arn })), (e: Error) => e.name === 'ResourceInUseException');

  // The event: the service-linked role's session, invoked by the service, from the service.
  const e = await waitForEvent(server.dataDir, { requestId: got.$metadata.requestId });
  const u = e.record.userIdentity;
  assert.equal(u.type, 'AssumedRole');
  assert.match(u.principalId, /^AROA[A-Z0-9]+:ElasticLoadBalancing$/);
  assert.equal(u.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForElasticLoadBalancing/ElasticLoadBalancing`);
  assert.equal(u.sessionContext.sessionIssuer.arn, creds.RoleArn);
  assert.equal(u.invokedBy, 'elasticloadbalancing.amazonaws.com');
  assert.equal(e.record.sourceIPAddress, 'elasticloadbalancing.amazonaws.com');
  assert.equal(e.record.userAgent, 'elasticloadbalancing.amazonaws.com');
  assert.equal(e.record.tlsDetails, undefined);
  assert.equal(e.record.eventName, 'GetCertificate');

  // The service-linked role allows fetching, nothing more.
  await assert.rejects(lb.send(new Acm.DeleteCertificateCommand({ CertificateArn: arn })), (err: Error) => err.name === 'AccessDeniedException');

  // Only the integration releases its own use; anyone else is refused.
  const body = JSON.stringify({ CertificateArn: arn });
  const byRoot = await rawClient(server.url)('CertTrailIntegration.ReleaseCertificate', body);
  assert.equal(byRoot.status, 403, byRoot.text);
  const credentials = { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken } as { accessKeyId: string; secretAccessKey: string };
  const rel = await rawClient(server.url, { credentials })('CertTrailIntegration.ReleaseCertificate', body);
  assert.equal(rel.status, 200, rel.text);
  const relEvent = await waitForEvent(server.dataDir, { eventName: 'ReleaseCertificate', requestId: rel.headers.get('x-amzn-requestid')! });
  assert.equal(relEvent.record.userIdentity.invokedBy, 'elasticloadbalancing.amazonaws.com');
  assert.deepEqual((await root.send(new Acm.DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.InUseBy, []);
  await root.send(new Acm.DeleteCertificateCommand({ CertificateArn: arn }));
  lb.destroy();
  root.destroy();
});

test('register refuses an unknown service and a resource of another account', async () => {
  const env = { CERTTRAIL_DATA_DIR: server.dataDir, PORT: String(server.port) };
  const bad = await certtrailCli(env, 'integrations', 'register', ACCOUNT, '--service', 'example.amazonaws.com', '--resource-arn', LB);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unknown service/);
  const other = await certtrailCli(env, 'integrations', 'register', ACCOUNT, '--service', 'elasticloadbalancing.amazonaws.com', '--resource-arn', LB.replace(ACCOUNT, '111122223333'));
  assert.notEqual(other.code, 0);
  assert.match(other.stderr, /must be an ARN in account/);
});
