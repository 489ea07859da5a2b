/**
 * Accounts stay apart: account B's root credentials probe every ACM and CloudTrail operation
 * against account A's certificates and trail. Each probe is refused, and refused exactly as a
 * made-up ARN of A's account is refused (same error, same message but for the ARN), so B learns
 * nothing — not even whether A's resources exist. Lists, searches and lookups show B nothing of
 * A's, and A's event history shows nothing of B's probes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as Acm from '@aws-sdk/client-acm';
import * as Ct from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { waitStatus } from '../helpers/acm.ts';
import { certtrailCli } from '../helpers/certtrail-cli.ts';
import { selfSigned } from '../helpers/pki.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { s3Client } from '../helpers/trail-logs.ts';

const A = '000000000000';
let server: RunningServer;
let b: { acm: Acm.ACMClient; ct: Ct.CloudTrailClient; account: string };
let a: { acm: Acm.ACMClient; ct: Ct.CloudTrailClient };
const real: { cert: string; imported: string; trail: string } = { cert: '', imported: '', trail: '' };
const clients = (accessKeyId: string, secretAccessKey: string) => {
  const common = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 };
  return { acm: new Acm.ACMClient(common), ct: new Ct.CloudTrailClient(common) };
};

before(async () => {
  server = await startServer();
  a = clients('test', 'test');
  const created = await certtrailCli({ CERTTRAIL_DATA_DIR: server.dataDir, PORT: String(server.port) }, 'accounts', 'create');
  assert.equal(created.code, 0, created.stderr);
  const key = JSON.parse(created.stdout);
  b = { ...clients(key.AccessKeyId, key.SecretAccessKey), account: key.AccountId };
  assert.notEqual(b.account, A);

  real.cert = (await a.acm.send(new Acm.RequestCertificateCommand({ DomainName: 'secret.a.example', ValidationMethod: 'DNS', Tags: [{ Key: 'team', Value: 'a' }], Options: { Export: 'ENABLED' } }))).CertificateArn!;
  await waitStatus(a.acm, real.cert);
  const leaf = selfSigned('imported.a.example');
  real.imported = (await a.acm.send(new Acm.ImportCertificateCommand({ Certificate: Buffer.from(leaf.certPem), PrivateKey: Buffer.from(leaf.keyPem) }))).CertificateArn!;
  const s3 = s3Client(server.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'a-trail-bucket' }));
  s3.destroy();
  real.trail = (await a.ct.send(new Ct.CreateTrailCommand({ Name: 'a-trail', S3BucketName: 'a-trail-bucket' }))).TrailARN!;
  await a.acm.send(new Acm.PutAccountConfigurationCommand({ IdempotencyToken: 'a', ExpiryEvents: { DaysBeforeExpiry: 7 } }));
});

after(async () => {
  for (const c of [a, b]) {
    c?.acm.destroy();
    c?.ct.destroy();
  }
  await server?.dispose();
});

/** The error a call fails with, the ARN in its message replaced, so two refusals compare. */
async function refusal(call: Promise<unknown>, arn: string): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message.split(arn).join('<arn>') };
  }
  assert.fail(`a call with another account's resource ${arn} succeeded`);
}

test("every ACM operation on account A's certificates is refused to B exactly as for a made-up ARN of A's", async () => {
  const made = `arn:aws:acm:us-east-1:${A}:certificate/${randomUUID()}`;
  const pass = Buffer.from('isolation pass');
  const leaf = selfSigned('reimport.b.example');
  const ops: [string, (arn: string) => Promise<unknown>][] = [
    ['DescribeCertificate', (arn) => b.acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: arn }))],
    ['GetCertificate', (arn) => b.acm.send(new Acm.GetCertificateCommand({ CertificateArn: arn }))],
    ['ExportCertificate', (arn) => b.acm.send(new Acm.ExportCertificateCommand({ CertificateArn: arn, Passphrase: pass }))],
    ['DeleteCertificate', (arn) => b.acm.send(new Acm.DeleteCertificateCommand({ CertificateArn: arn }))],
    ['AddTagsToCertificate', (arn) => b.acm.send(new Acm.AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'owned', Value: 'b' }] }))],
    ['RemoveTagsFromCertificate', (arn) => b.acm.send(new Acm.RemoveTagsFromCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'team' }] }))],
    ['ListTagsForCertificate', (arn) => b.acm.send(new Acm.ListTagsForCertificateCommand({ CertificateArn: arn }))],
    ['RenewCertificate', (arn) => b.acm.send(new Acm.RenewCertificateCommand({ CertificateArn: arn }))],
    ['RevokeCertificate', (arn) => b.acm.send(new Acm.RevokeCertificateCommand({ CertificateArn: arn, RevocationReason: 'SUPERSEDED' }))],
    ['ResendValidationEmail', (arn) => b.acm.send(new Acm.ResendValidationEmailCommand({ CertificateArn: arn, Domain: 'secret.a.example', ValidationDomain: 'a.example' }))],
    ['UpdateCertificateOptions', (arn) => b.acm.send(new Acm.UpdateCertificateOptionsCommand({ CertificateArn: arn, Options: { CertificateTransparencyLoggingPreference: 'DISABLED' } }))],
    ['ListCertificateDomainValidations', (arn) => b.acm.send(new Acm.ListCertificateDomainValidationsCommand({ CertificateArn: arn }))],
    ['ImportCertificate (re-import)', (arn) => b.acm.send(new Acm.ImportCertificateCommand({ CertificateArn: arn, Certificate: Buffer.from(leaf.certPem), PrivateKey: Buffer.from(leaf.keyPem) }))],
  ];
  for (const [name, call] of ops) {
    for (const arn of [real.cert, real.imported]) {
      const got = await refusal(call(arn), arn);
      const madeUp = await refusal(call(made), made);
      assert.deepEqual(got, madeUp, `${name}: A's real certificate and a made-up one are refused alike`);
      assert.equal(got.status, 403, `${name}: ${got.name} ${got.message}`);
      assert.ok(!got.message.includes('secret.a.example') && !got.message.includes('imported.a.example'), `${name} names nothing of A's`);
    }
  }
  // Nothing of A's changed.
  const c = (await a.acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: real.cert }))).Certificate!;
  assert.equal(c.Status, 'ISSUED');
  assert.deepEqual((await a.acm.send(new Acm.ListTagsForCertificateCommand({ CertificateArn: real.cert }))).Tags, [{ Key: 'team', Value: 'a' }]);
  assert.equal((await a.acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: real.imported }))).Certificate!.DomainName, 'imported.a.example');
});

test("B's lists, searches and account settings show nothing of A's", async () => {
  const keyTypes = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;
  assert.deepEqual((await b.acm.send(new Acm.ListCertificatesCommand({ Includes: { keyTypes: [...keyTypes] } }))).CertificateSummaryList, []);
  assert.deepEqual((await b.acm.send(new Acm.SearchCertificatesCommand({}))).Results ?? [], []);
  assert.deepEqual(
    (await b.acm.send(new Acm.SearchCertificatesCommand({ FilterStatement: { Filter: { CertificateArn: real.cert } } }))).Results ?? [],
    [],
  );
  assert.equal((await b.acm.send(new Acm.GetAccountConfigurationCommand({}))).ExpiryEvents?.DaysBeforeExpiry, 45, "B's own default, not A's 7");
  // B's own certificate under its own account, beside A's: each sees only its own.
  const mine = (await b.acm.send(new Acm.RequestCertificateCommand({ DomainName: 'b.example', ValidationMethod: 'DNS' }))).CertificateArn!;
  assert.ok(mine.includes(`:${b.account}:certificate/`));
  const aList = (await a.acm.send(new Acm.ListCertificatesCommand({ Includes: { keyTypes: [...keyTypes] } }))).CertificateSummaryList!.map((s) => s.CertificateArn);
  assert.ok(!aList.includes(mine));
});

test("every CloudTrail trail operation on A's trail is refused to B as for a made-up trail; lookups show B only its own events", async () => {
  const made = `arn:aws:cloudtrail:us-east-1:${A}:trail/no-such-trail`;
  const ops: [string, (arn: string) => Promise<unknown>][] = [
    ['GetTrail', (arn) => b.ct.send(new Ct.GetTrailCommand({ Name: arn }))],
    ['GetTrailStatus', (arn) => b.ct.send(new Ct.GetTrailStatusCommand({ Name: arn }))],
    ['StartLogging', (arn) => b.ct.send(new Ct.StartLoggingCommand({ Name: arn }))],
    ['StopLogging', (arn) => b.ct.send(new Ct.StopLoggingCommand({ Name: arn }))],
    ['DeleteTrail', (arn) => b.ct.send(new Ct.DeleteTrailCommand({ Name: arn }))],
    ['UpdateTrail', (arn) => b.ct.send(new Ct.UpdateTrailCommand({ Name: arn, IncludeGlobalServiceEvents: false }))],
    ['GetEventSelectors', (arn) => b.ct.send(new Ct.GetEventSelectorsCommand({ TrailName: arn }))],
    ['PutEventSelectors', (arn) => b.ct.send(new Ct.PutEventSelectorsCommand({ TrailName: arn, EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }))],
    ['AddTags', (arn) => b.ct.send(new Ct.AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'k', Value: 'v' }] }))],
    ['RemoveTags', (arn) => b.ct.send(new Ct.RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'k' }] }))],
    ['ListTags', (arn) => b.ct.send(new Ct.ListTagsCommand({ ResourceIdList: [arn] }))],
  ];
  for (const [name, call] of ops) {
    const got = await refusal(call(real.trail), real.trail);
    const madeUp = await refusal(call(made), made);
    assert.deepEqual(got, madeUp, `${name}: A's real trail and a made-up one are refused alike`);
    assert.ok(got.status! >= 400 && got.status! < 500, `${name}: ${got.name} ${got.message}`);
  }
  assert.deepEqual((await b.ct.send(new Ct.DescribeTrailsCommand({ trailNameList: [real.trail] }))).trailList, []);
  assert.ok(!(await b.ct.send(new Ct.ListTrailsCommand({}))).Trails?.some((t) => t.TrailARN === real.trail));
  // A's trail is as A left it.
  const t = await a.ct.send(new Ct.GetTrailStatusCommand({ Name: real.trail }));
  assert.equal(t.IsLogging, false);

  // Lookups: B sees only its own account's events, whatever it asks for.
  const bEvents = (await b.ct.send(new Ct.LookupEventsCommand({ MaxResults: 50 }))).Events ?? [];
  assert.ok(bEvents.length > 0);
  for (const e of bEvents) assert.equal(JSON.parse(e.CloudTrailEvent!).recipientAccountId, b.account);
  const aEvents = (await a.ct.send(new Ct.LookupEventsCommand({ MaxResults: 50 }))).Events ?? [];
  for (const e of aEvents) assert.equal(JSON.parse(e.CloudTrailEvent!).recipientAccountId, A, "A's history holds none of B's probes");
  for (const attr of [
    { AttributeKey: 'ResourceName' as const, AttributeValue: real.cert },
    { AttributeKey: 'EventId' as const, AttributeValue: aEvents[0]!.EventId! },
    { AttributeKey: 'Username' as const, AttributeValue: 'root' },
    { AttributeKey: 'AccessKeyId' as const, AttributeValue: 'test' },
  ]) {
    const found = (await b.ct.send(new Ct.LookupEventsCommand({ LookupAttributes: [attr] }))).Events ?? [];
    for (const e of found) assert.equal(JSON.parse(e.CloudTrailEvent!).recipientAccountId, b.account, `${attr.AttributeKey}`);
  }
});
