/**
 * IAM policies decide, through the AWS CLI and the SDKs: an IAM user made with the IAM API has
 * no permissions until a policy allows; explicit denies win; resources and tags and ACM's
 * condition keys scope what is allowed; roles assumed and federation tokens carry their own
 * limits; expired session tokens are refused. Every refusal is AWS's AccessDeniedException and
 * a CloudTrail event with errorCode AccessDenied and the caller's userIdentity.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as Acm from '@aws-sdk/client-acm';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import * as Iam from '@aws-sdk/client-iam';
import * as S3 from '@aws-sdk/client-s3';
import * as Sts from '@aws-sdk/client-sts';
import { waitStatus } from '../helpers/acm.ts';
import { awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { waitForEvent } from '../helpers/events.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ACCOUNT = '000000000000';
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let server: RunningServer;
let root: { iam: Iam.IAMClient; acm: Acm.ACMClient };
let bob: Creds;
const cfg = (credentials: Creds, extra: object = {}) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
const acmAs = (c: Creds) => new Acm.ACMClient(cfg(c));
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** The refusal a call met: name, status and message. */
async function denied(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  assert.fail('the call was allowed');
}

before(async () => {
  server = await startServer();
  root = { iam: new Iam.IAMClient(cfg({ accessKeyId: 'test', secretAccessKey: 'test' })), acm: acmAs({ accessKeyId: 'test', secretAccessKey: 'test' }) };
  await root.iam.send(new Iam.CreateUserCommand({ UserName: 'bob' }));
  const k = (await root.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
  bob = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
});

after(async () => {
  await server?.dispose();
});

test('no policy: every call refused with AWS message, recorded as AccessDenied with the user as caller (AWS CLI)', async () => {
  const aws: AwsCli = awsCli(server.url, bob);
  const r = await aws.run('acm', 'list-certificates');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /AccessDeniedException/);
  const message = `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: acm:ListCertificates on resource: * because no identity-based policy allows the acm:ListCertificates action`;
  assert.ok(r.stderr.includes(message), r.stderr);
  const e = await waitForEvent(server.dataDir, { eventName: 'ListCertificates' });
  assert.equal(e.record.errorCode, 'AccessDenied');
  assert.equal(e.record.errorMessage, message);
  assert.equal(e.record.userIdentity.type, 'IAMUser');
  assert.equal(e.record.userIdentity.userName, 'bob');
  assert.equal(e.record.userIdentity.accessKeyId, bob.accessKeyId);
});

test('allow with acm:KeyAlgorithm and request-tag conditions; resource scoping; explicit deny wins', async () => {
  await root.iam.send(new Iam.PutUserPolicyCommand({
    UserName: 'bob', PolicyName: 'certs',
    PolicyDocument: doc(
      { Effect: 'Allow', Action: ['acm:Describe*', 'acm:List*', 'acm:GetCertificate'], Resource: '*' },
      {
        Effect: 'Allow', Action: 'acm:RequestCertificate', Resource: '*',
        Condition: { StringEquals: { 'acm:KeyAlgorithm': 'EC_prime256v1', 'aws:RequestTag/team': 'blue' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
      },
      { Effect: 'Allow', Action: 'acm:AddTagsToCertificate', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
      { Effect: 'Allow', Action: 'acm:DeleteCertificate', Resource: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/not-this-one` },
    ),
  }));
  const acm = acmAs(bob);
  const req = (KeyAlgorithm: Acm.KeyAlgorithm, Tags?: Acm.Tag[]) => acm.send(new Acm.RequestCertificateCommand({ DomainName: 'bob.example.com', ValidationMethod: 'DNS', KeyAlgorithm, Tags }));
  const rsa = await denied(req('RSA_2048', [{ Key: 'team', Value: 'blue' }]));
  assert.equal(rsa.name, 'AccessDeniedException');
  assert.equal(rsa.status, 403);
  assert.match(rsa.message, /acm:RequestCertificate on resource: \* because no identity-based policy allows/);
  assert.equal((await denied(req('EC_prime256v1'))).name, 'AccessDeniedException', 'the team tag is required');
  assert.equal((await denied(req('EC_prime256v1', [{ Key: 'team', Value: 'blue' }, { Key: 'extra', Value: 'x' }]))).name, 'AccessDeniedException', 'only the team tag key');
  const blue = (await req('EC_prime256v1', [{ Key: 'team', Value: 'blue' }])).CertificateArn!;
  await waitStatus(acm, blue);

  // Tags of the certificate itself: bob may tag blue certificates, not root's red one.
  const red = (await root.acm.send(new Acm.RequestCertificateCommand({ DomainName: 'red.example.com', ValidationMethod: 'DNS', Tags: [{ Key: 'team', Value: 'red' }] }))).CertificateArn!;
  await acm.send(new Acm.AddTagsToCertificateCommand({ CertificateArn: blue, Tags: [{ Key: 'env', Value: 'dev' }] }));
  const tagRed = await denied(acm.send(new Acm.AddTagsToCertificateCommand({ CertificateArn: red, Tags: [{ Key: 'env', Value: 'dev' }] })));
  assert.match(tagRed.message, new RegExp(`acm:AddTagsToCertificate on resource: ${red}`));

  // DeleteCertificate is allowed on another ARN only.
  const del = await denied(acm.send(new Acm.DeleteCertificateCommand({ CertificateArn: blue })));
  assert.match(del.message, /because no identity-based policy allows the acm:DeleteCertificate action/);

  // A managed policy with an explicit deny, attached: DescribeCertificate of that one certificate is refused.
  const pol = (await root.iam.send(new Iam.CreatePolicyCommand({ PolicyName: 'no-describe-blue', PolicyDocument: doc({ Effect: 'Deny', Action: 'acm:DescribeCertificate', Resource: blue }) }))).Policy!;
  await root.iam.send(new Iam.AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: pol.Arn }));
  const explicit = await denied(acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: blue })));
  assert.equal(explicit.message, `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: acm:DescribeCertificate on resource: ${blue} with an explicit deny in an identity-based policy`);
  await acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: red }));
  await root.iam.send(new Iam.DetachUserPolicyCommand({ UserName: 'bob', PolicyArn: pol.Arn }));
  await acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: blue }));
  acm.destroy();
});

test('the same policies through the AWS CLI: key-algorithm and tag conditions, resource scoping, explicit deny', async () => {
  const aws = awsCli(server.url, bob);
  const rsa = await aws.run('acm', 'request-certificate', '--domain-name', 'cli.example.com', '--validation-method', 'DNS', '--key-algorithm', 'RSA_2048', '--tags', 'Key=team,Value=blue');
  assert.notEqual(rsa.code, 0);
  assert.match(rsa.stderr, /AccessDeniedException.*acm:RequestCertificate on resource: \* because no identity-based policy allows/s);
  const ok = await aws.json('acm', 'request-certificate', '--domain-name', 'cli.example.com', '--validation-method', 'DNS', '--key-algorithm', 'EC_prime256v1', '--tags', 'Key=team,Value=blue');
  await waitStatus(acmAs(bob), ok.CertificateArn);
  assert.equal((await aws.json('acm', 'describe-certificate', '--certificate-arn', ok.CertificateArn)).Certificate.DomainName, 'cli.example.com');
  const del = await aws.run('acm', 'delete-certificate', '--certificate-arn', ok.CertificateArn);
  assert.notEqual(del.code, 0);
  assert.match(del.stderr, /because no identity-based policy allows the acm:DeleteCertificate action/);
  const pol = await awsCli(server.url).json('iam', 'create-policy', '--policy-name', 'cli-deny', '--policy-document', doc({ Effect: 'Deny', Action: 'acm:DescribeCertificate', Resource: ok.CertificateArn }));
  await awsCli(server.url).json('iam', 'attach-user-policy', '--user-name', 'bob', '--policy-arn', pol.Policy.Arn);
  const denyCli = await aws.run('acm', 'describe-certificate', '--certificate-arn', ok.CertificateArn);
  assert.match(denyCli.stderr, /with an explicit deny in an identity-based policy/);
  await awsCli(server.url).json('iam', 'detach-user-policy', '--user-name', 'bob', '--policy-arn', pol.Policy.Arn);
});

test('a group policy applies to its members; a permissions boundary limits them', async () => {
  await root.iam.send(new Iam.CreateGroupCommand({ GroupName: 'exporters' }));
  await root.iam.send(new Iam.PutGroupPolicyCommand({ GroupName: 'exporters', PolicyName: 'config', PolicyDocument: doc({ Effect: 'Allow', Action: ['acm:GetAccountConfiguration', 'acm:PutAccountConfiguration'], Resource: '*' }) }));
  const acm = acmAs(bob);
  assert.equal((await denied(acm.send(new Acm.GetAccountConfigurationCommand({})))).name, 'AccessDeniedException');
  await root.iam.send(new Iam.AddUserToGroupCommand({ GroupName: 'exporters', UserName: 'bob' }));
  await acm.send(new Acm.GetAccountConfigurationCommand({}));
  const boundary = (await root.iam.send(new Iam.CreatePolicyCommand({ PolicyName: 'read-only-boundary', PolicyDocument: doc({ Effect: 'Allow', Action: ['acm:Get*', 'acm:Describe*', 'acm:List*'], Resource: '*' }) }))).Policy!;
  await root.iam.send(new Iam.PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: boundary.Arn }));
  await acm.send(new Acm.GetAccountConfigurationCommand({}));
  const bounded = await denied(acm.send(new Acm.PutAccountConfigurationCommand({ IdempotencyToken: 'b', ExpiryEvents: { DaysBeforeExpiry: 30 } })));
  assert.match(bounded.message, /because no permissions boundary allows the acm:PutAccountConfiguration action/);
  await root.iam.send(new Iam.DeleteUserPermissionsBoundaryCommand({ UserName: 'bob' }));
  acm.destroy();
});

test('AssumeRole: trust policy, the role session as caller, its events; the session is limited to the role', async () => {
  await root.iam.send(new Iam.CreateRoleCommand({
    RoleName: 'deployer',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'sts:AssumeRole' }] }),
  }));
  await root.iam.send(new Iam.PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'list', PolicyDocument: doc({ Effect: 'Allow', Action: 'acm:ListCertificates', Resource: '*' }) }));
  const sts = new Sts.STSClient(cfg(bob));
  const assumed = await sts.send(new Sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci-run-7', SourceIdentity: 'bob' }));
  const c = assumed.Credentials!;
  assert.match(c.AccessKeyId!, /^ASIA/);
  assert.ok(c.Expiration! > new Date());
  assert.match(assumed.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z0-9]+:ci-run-7$/);
  const session: Creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  const who = await new Sts.STSClient(cfg(session)).send(new Sts.GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run-7`);

  const acm = acmAs(session);
  const listed = await acm.send(new Acm.ListCertificatesCommand({}));
  const d = await denied(acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000` })));
  assert.match(d.message, new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run-7 is not authorized to perform: acm:DescribeCertificate`));

  const e = await waitForEvent(server.dataDir, { requestId: listed.$metadata.requestId });
  const u = e.record.userIdentity;
  assert.equal(u.type, 'AssumedRole');
  assert.equal(u.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run-7`);
  assert.equal(u.accessKeyId, c.AccessKeyId);
  assert.equal(u.sessionContext.sessionIssuer.type, 'Role');
  assert.equal(u.sessionContext.sessionIssuer.arn, `arn:aws:iam::${ACCOUNT}:role/deployer`);
  assert.equal(u.sessionContext.sessionIssuer.userName, 'deployer');
  assert.equal(u.sessionContext.attributes.mfaAuthenticated, 'false');
  assert.equal(u.sessionContext.sourceIdentity, 'bob');
  const ct = new CloudTrailClient(cfg({ accessKeyId: 'test', secretAccessKey: 'test' }));
  const found = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events!;
  assert.equal(found[0]!.Username, 'bob');
  const assumeRecord = JSON.parse(found[0]!.CloudTrailEvent!);
  assert.equal(assumeRecord.responseElements.credentials.accessKeyId, c.AccessKeyId);
  assert.equal(assumeRecord.responseElements.credentials.secretAccessKey, undefined, 'the secret is never recorded');
  assert.deepEqual(assumeRecord.requestParameters, { roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, roleSessionName: 'ci-run-7', sourceIdentity: 'bob' });
  assert.ok(!found[0]!.CloudTrailEvent!.includes(c.SecretAccessKey!));
  const byRole = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'ci-run-7' }] }))).Events!;
  assert.ok(byRole.some((x) => x.EventName === 'ListCertificates'));

  // Not trusted: another user is refused; root may not assume roles at all.
  await root.iam.send(new Iam.CreateUserCommand({ UserName: 'mallory' }));
  const mk = (await root.iam.send(new Iam.CreateAccessKeyCommand({ UserName: 'mallory' }))).AccessKey!;
  const m = await denied(new Sts.STSClient(cfg({ accessKeyId: mk.AccessKeyId!, secretAccessKey: mk.SecretAccessKey! })).send(new Sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'x1' })));
  assert.equal(m.name, 'AccessDenied');
  assert.equal(m.message, `User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/deployer`);
  const r = await denied(new Sts.STSClient(cfg({ accessKeyId: 'test', secretAccessKey: 'test' })).send(new Sts.AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'x1' })));
  assert.equal(r.message, 'Roles may not be assumed by root accounts.');
  acm.destroy();
  ct.destroy();
});

test('GetFederationToken: the federated user has what both the session policy and its issuer allow', async () => {
  await root.iam.send(new Iam.PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'federate', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' }) }));
  const sts = new Sts.STSClient(cfg(bob));
  const fed = await sts.send(new Sts.GetFederationTokenCommand({ Name: 'partner', Policy: doc({ Effect: 'Allow', Action: ['acm:ListCertificates', 'acm:DeleteCertificate'], Resource: '*' }) }));
  assert.equal(fed.FederatedUser!.Arn, `arn:aws:sts::${ACCOUNT}:federated-user/partner`);
  const c = fed.Credentials!;
  const acm = acmAs({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const listed = await acm.send(new Acm.ListCertificatesCommand({}));
  // DeleteCertificate: the session policy allows it, bob's own policies do not.
  assert.equal((await denied(acm.send(new Acm.DeleteCertificateCommand({ CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000` })))).name, 'AccessDeniedException');
  // DescribeCertificate: bob may, the session policy does not.
  const s = await denied(acm.send(new Acm.DescribeCertificateCommand({ CertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000` })));
  assert.match(s.message, /because no session policy allows the acm:DescribeCertificate action/);
  const e = await waitForEvent(server.dataDir, { requestId: listed.$metadata.requestId });
  assert.equal(e.record.userIdentity.type, 'FederatedUser');
  assert.equal(e.record.userIdentity.principalId, `${ACCOUNT}:partner`);
  assert.equal(e.record.userIdentity.sessionContext.sessionIssuer.type, 'IAMUser');
  assert.equal(e.record.userIdentity.sessionContext.sessionIssuer.userName, 'bob');
  acm.destroy();
});

test('aws:PrincipalTag from the IAM user\'s tags, matched against the certificate\'s tags through a policy variable', async () => {
  await root.iam.send(new Iam.TagUserCommand({ UserName: 'bob', Tags: [{ Key: 'team', Value: 'green' }] }));
  await root.iam.send(new Iam.PutUserPolicyCommand({
    UserName: 'bob', PolicyName: 'own-team-tags',
    PolicyDocument: doc({ Effect: 'Allow', Action: 'acm:RemoveTagsFromCertificate', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }),
  }));
  const tags = (team: string) => [{ Key: 'team', Value: team }, { Key: 'env', Value: 'dev' }];
  const green = (await root.acm.send(new Acm.RequestCertificateCommand({ DomainName: 'green.example.com', ValidationMethod: 'DNS', Tags: tags('green') }))).CertificateArn!;
  const red = (await root.acm.send(new Acm.RequestCertificateCommand({ DomainName: 'red2.example.com', ValidationMethod: 'DNS', Tags: tags('red') }))).CertificateArn!;
  const acm = acmAs(bob);
  await acm.send(new Acm.RemoveTagsFromCertificateCommand({ CertificateArn: green, Tags: [{ Key: 'env' }] }));
  assert.deepEqual((await acm.send(new Acm.ListTagsForCertificateCommand({ CertificateArn: green }))).Tags, [{ Key: 'team', Value: 'green' }]);
  assert.equal((await denied(acm.send(new Acm.RemoveTagsFromCertificateCommand({ CertificateArn: red, Tags: [{ Key: 'env' }] })))).name, 'AccessDeniedException');
  acm.destroy();
});

test('S3 (trail buckets): bucket and object actions by resource', async () => {
  const s3As = (c: Creds) => new S3.S3Client(cfg(c, { forcePathStyle: true }));
  const rootS3 = s3As({ accessKeyId: 'test', secretAccessKey: 'test' });
  await rootS3.send(new S3.CreateBucketCommand({ Bucket: 'authz-logs' }));
  await rootS3.send(new S3.PutObjectCommand({ Bucket: 'authz-logs', Key: 'AWSLogs/a.json', Body: '{}' }));
  const s3 = s3As(bob);
  const list = await denied(s3.send(new S3.ListObjectsV2Command({ Bucket: 'authz-logs' })));
  assert.equal(list.name, 'AccessDenied');
  assert.equal(list.message, `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::authz-logs" because no identity-based policy allows the s3:ListBucket action`);
  await root.iam.send(new Iam.PutUserPolicyCommand({
    UserName: 'bob', PolicyName: 'read-logs',
    PolicyDocument: doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::authz-logs' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::authz-logs/AWSLogs/*' }),
  }));
  assert.equal((await s3.send(new S3.ListObjectsV2Command({ Bucket: 'authz-logs' }))).KeyCount, 1);
  assert.equal(await (await s3.send(new S3.GetObjectCommand({ Bucket: 'authz-logs', Key: 'AWSLogs/a.json' }))).Body!.transformToString(), '{}');
  assert.equal((await denied(s3.send(new S3.PutObjectCommand({ Bucket: 'authz-logs', Key: 'AWSLogs/b.json', Body: 'x' })))).name, 'AccessDenied');
  s3.destroy();
  rootS3.destroy();
});

test('an expired session token is refused (server clock moved past its expiration)', async () => {
  const sts = new Sts.STSClient(cfg(bob));
  const t = (await sts.send(new Sts.GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
  const creds = { accessKeyId: t.AccessKeyId!, secretAccessKey: t.SecretAccessKey!, sessionToken: t.SessionToken! };
  await acmAs(creds).send(new Acm.ListCertificatesCommand({}));
  const dir = server.dataDir;
  assert.equal(await server.stop(), 0);
  server = await startServer({ CERTTRAIL_CLOCK_OFFSET_SECONDS: '1000' }, dir);
  const acm = new Acm.ACMClient(cfg(creds, { systemClockOffset: 1_000_000 }));
  const e = await denied(acm.send(new Acm.ListCertificatesCommand({})));
  assert.equal(e.name, 'ExpiredTokenException');
  assert.equal(e.status, 403);
  acm.destroy();
});
