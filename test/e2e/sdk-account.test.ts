/**
 * GetAccountConfiguration / PutAccountConfiguration through @aws-sdk/client-acm, and account
 * isolation: a second account (made with `certtrail accounts create` on the server's data dir)
 * sees none of the first account's certificates, configuration, validation records or private
 * CA, and touching the first account's ARNs is AccessDeniedException. acm.md §2.3, §5.2.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddTagsToCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, ExportCertificateCommand, GetAccountConfigurationCommand,
  GetCertificateCommand, ListCertificatesCommand, PutAccountConfigurationCommand, RequestCertificateCommand, SearchCertificatesCommand,
  type ACMClient,
} from '@aws-sdk/client-acm';
import { DescribeCertificateAuthorityCommand } from '@aws-sdk/client-acm-pca';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import { ACCOUNT, createAccount, credsOf, describeCert, expectError, pcaClient, privateCaArn, type AccountKey } from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;
let other: AccountKey;
let acm2: ACMClient;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
  other = createAccount(server);
  acm2 = acmClient(server.url, credsOf(other));
});
after(async () => {
  await server?.dispose();
});

const getConfig = async (client = acm) => (await client.send(new GetAccountConfigurationCommand({}))).ExpiryEvents?.DaysBeforeExpiry;
const putConfig = (input: { IdempotencyToken?: string; ExpiryEvents?: { DaysBeforeExpiry?: number } }, client = acm) =>
  client.send(new PutAccountConfigurationCommand(input as never));

describe('account configuration', () => {
  test('DaysBeforeExpiry defaults to 45', async () => {
    assert.equal(await getConfig(), 45);
  });

  test('Put sets it; Get returns it', async () => {
    const out = await putConfig({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 30 } });
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(await getConfig(), 30);
  });

  test('the same token within the hour is the same request', async () => {
    await putConfig({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 20 } });
    assert.equal(await getConfig(), 30);
    await putConfig({ IdempotencyToken: 'cfg2', ExpiryEvents: { DaysBeforeExpiry: 20 } });
    assert.equal(await getConfig(), 20);
    await putConfig({ IdempotencyToken: 'cfg3', ExpiryEvents: { DaysBeforeExpiry: 30 } });
  });

  test('AWS texts: missing ExpiryEvents, missing token', async () => {
    await expectError(putConfig({ IdempotencyToken: 'cfg4' }), 'ValidationException', 400, 'Configuration for events is empty.');
    await expectError(putConfig({ IdempotencyToken: 'cfg5', ExpiryEvents: {} }), 'ValidationException', 400, 'Configuration for events is empty.');
    // The SDK does not check required members client-side, so this reaches the server as is.
    await expectError(putConfig({ ExpiryEvents: { DaysBeforeExpiry: 10 } }), 'ValidationException', 400,
      "1 validation error detected: Value null at 'idempotencyToken' failed to satisfy constraint: Member must not be null");
    assert.equal(await getConfig(), 30);
  });

  test('constraint messages', async () => {
    await expectError(putConfig({ IdempotencyToken: 'cfg6', ExpiryEvents: { DaysBeforeExpiry: 0 } }), 'ValidationException', 400,
      "1 validation error detected: Value '0' at 'expiryEvents.daysBeforeExpiry' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await expectError(putConfig({ IdempotencyToken: 'not a word', ExpiryEvents: { DaysBeforeExpiry: 5 } }), 'ValidationException', 400,
      "1 validation error detected: Value 'not a word' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\w+");
    assert.equal(await getConfig(), 30);
  });

  test('each account (and region) has its own configuration', async () => {
    assert.equal(await getConfig(acm2), 45);
    await putConfig({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 7 } }, acm2);
    assert.equal(await getConfig(acm2), 7, 'tokens are per account');
    assert.equal(await getConfig(), 30);
    assert.equal(await getConfig(acmClient(server.url, undefined, 'eu-west-1')), 45);
  });
});

describe('account isolation', () => {
  test('the second account is a distinct 12-digit account', () => {
    assert.match(other.AccountId, /^\d{12}$/);
    assert.notEqual(other.AccountId, ACCOUNT);
  });

  test('lists and searches show only the caller’s certificates', async () => {
    const { CertificateArn: mine } = await acm.send(new RequestCertificateCommand({ DomainName: 'mine.example.com', ValidationMethod: 'DNS' }));
    const { CertificateArn: theirs } = await acm2.send(new RequestCertificateCommand({ DomainName: 'theirs.example.com', ValidationMethod: 'DNS' }));
    assert.ok(mine!.includes(`:${ACCOUNT}:`));
    assert.ok(theirs!.includes(`:${other.AccountId}:`));
    const l1 = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList!.map((c) => c.CertificateArn);
    const l2 = (await acm2.send(new ListCertificatesCommand({}))).CertificateSummaryList!.map((c) => c.CertificateArn);
    assert.ok(l1.includes(mine) && !l1.includes(theirs));
    assert.deepEqual(l2, [theirs]);
    const s2 = (await acm2.send(new SearchCertificatesCommand({}))).Results!.map((r) => r.CertificateArn);
    assert.deepEqual(s2, [theirs]);
    assert.equal((await describeCert(acm2, theirs!)).DomainName, 'theirs.example.com');
  });

  test('another account’s ARN is AccessDeniedException (403), for every operation', async () => {
    const { CertificateArn: mine } = await acm.send(new RequestCertificateCommand({ DomainName: 'private-to-me.example.com', ValidationMethod: 'DNS' }));
    const denied = /is not authorized to perform: acm:\w+ on resource: arn:aws:acm:us-east-1:000000000000:certificate\//;
    const e = await expectError(acm2.send(new DescribeCertificateCommand({ CertificateArn: mine })), 'AccessDeniedException', 403, denied);
    assert.match(e.message, new RegExp(`^User: arn:aws:iam::${other.AccountId}:root `));
    await expectError(acm2.send(new GetCertificateCommand({ CertificateArn: mine })), 'AccessDeniedException', 403, denied);
    await expectError(acm2.send(new AddTagsToCertificateCommand({ CertificateArn: mine, Tags: [{ Key: 'k' }] })), 'AccessDeniedException', 403, denied);
    await expectError(acm2.send(new ExportCertificateCommand({ CertificateArn: mine, Passphrase: Buffer.from('passphrase') })), 'AccessDeniedException', 403, denied);
    await expectError(acm2.send(new DeleteCertificateCommand({ CertificateArn: mine })), 'AccessDeniedException', 403, denied);
    // Still there for its owner.
    assert.equal((await describeCert(acm, mine!)).CertificateArn, mine);
  });

  test('DNS validation records differ between accounts for the same domain', async () => {
    const record = async (client: ACMClient) => {
      const { CertificateArn } = await client.send(new RequestCertificateCommand({ DomainName: 'shared.example.com', ValidationMethod: 'DNS' }));
      return (await describeCert(client, CertificateArn!)).DomainValidationOptions![0].ResourceRecord!;
    };
    const a1 = await record(acm);
    const a2 = await record(acm);
    const b1 = await record(acm2);
    assert.deepEqual(a2, a1, 'stable within an account');
    assert.notEqual(b1.Name, a1.Name);
    assert.notEqual(b1.Value, a1.Value);
  });

  test('each account has its own private CA; another’s is not found', async () => {
    const ca1 = await privateCaArn(server.url);
    const ca2 = await privateCaArn(server.url, credsOf(other));
    assert.notEqual(ca1, ca2);
    assert.ok(ca2.includes(`:${other.AccountId}:`));
    await expectError(pcaClient(server.url, credsOf(other)).send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: ca1 })), 'ResourceNotFoundException', 400);
    // A PRIVATE request naming another account's CA fails asynchronously, as a FAILED certificate.
    const { CertificateArn } = await acm2.send(new RequestCertificateCommand({ DomainName: 'svc.internal.example', CertificateAuthorityArn: ca1 }));
    const c = await describeCert(acm2, CertificateArn!);
    assert.equal(c.Status, 'FAILED');
    assert.match(c.FailureReason!, /^PCA_/);
  });

  test('unknown credentials are refused before any operation runs', async () => {
    const stranger = acmClient(server.url, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' });
    const e = await expectError(stranger.send(new ListCertificatesCommand({})), 'UnrecognizedClientException', 403);
    assert.ok(e.message.length > 0);
  });
});
