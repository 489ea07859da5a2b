/**
 * The `certtrail` administration CLI (`node bin/certtrail.js …`) working on the data dir of a
 * running server: accounts, root keys, IAM users and their keys (checked end to end with the
 * real AWS CLI v2), the CA listing and root, and usage errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ROOT, startServer, type RunningServer } from '../helpers/server.ts';
import { assertCliError, awsCli, type AwsCli } from '../helpers/aws-cli.ts';

let server: RunningServer;
let defaultAws: AwsCli;
let defaultCertArn: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function certtrail(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], {
      cwd: ROOT,
      // Same data dir and port as the server, so URLs the CLI prints match the server's.
      env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir, PORT: String(server.port), CERTTRAIL_MASTER_KEY: '' },
      timeout: 30_000,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function certtrailJson(...args: string[]): Promise<any> {
  const r = await certtrail(...args);
  assert.equal(r.code, 0, `certtrail ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(async () => {
  server = await startServer();
  defaultAws = awsCli(server.url);
  defaultCertArn = (await defaultAws.json('acm', 'request-certificate', '--domain-name', 'default.example.com')).CertificateArn;
});
after(async () => {
  await server?.dispose();
});

const ALL_KEY_TYPES = 'keyTypes=RSA_1024,RSA_2048,RSA_3072,RSA_4096,EC_prime256v1,EC_secp384r1,EC_secp521r1';
let account: { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
let accountAws: AwsCli;
let accountCertArn: string;

test('accounts create: a new account whose root key works with the AWS CLI and sees only its own certificates', async () => {
  account = await certtrailJson('accounts', 'create');
  assert.deepEqual(Object.keys(account).sort(), ['AccessKeyId', 'AccountId', 'SecretAccessKey']);
  assert.match(account.AccountId, /^\d{12}$/);
  assert.notEqual(account.AccountId, '000000000000');
  assert.match(account.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.match(account.SecretAccessKey, /^[A-Za-z0-9/+]{40}$/);

  accountAws = awsCli(server.url, { accessKeyId: account.AccessKeyId, secretAccessKey: account.SecretAccessKey });
  const [empty, foreign, foreignDelete, pca] = await Promise.all([
    accountAws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES),
    accountAws.run('acm', 'describe-certificate', '--certificate-arn', defaultCertArn),
    accountAws.run('acm', 'delete-certificate', '--certificate-arn', defaultCertArn),
    accountAws.json('acm-pca', 'list-certificate-authorities'),
  ]);
  assert.deepEqual(empty.CertificateSummaryList, []);
  // Another account's certificate is refused, and not deleted.
  assert.notEqual(foreign.code, 0);
  assert.match(foreign.stderr, /An error occurred \((AccessDeniedException|ResourceNotFoundException)\) when calling the DescribeCertificate operation: /);
  assert.notEqual(foreignDelete.code, 0);
  assert.match(foreignDelete.stderr, /An error occurred \((AccessDeniedException|ResourceNotFoundException)\) when calling the DeleteCertificate operation: /);
  assert.equal((await defaultAws.json('acm', 'describe-certificate', '--certificate-arn', defaultCertArn)).Certificate.CertificateArn, defaultCertArn);
  // The account has its own private CA.
  assert.equal(pca.CertificateAuthorities.length, 1);
  assert.equal(pca.CertificateAuthorities[0].OwnerAccount, account.AccountId);

  accountCertArn = (await accountAws.json('acm', 'request-certificate', '--domain-name', 'tenant.example.com')).CertificateArn;
  assert.match(accountCertArn, new RegExp(`^arn:aws:acm:us-east-1:${account.AccountId}:certificate/[0-9a-f-]{36}$`));
  const [mine, theirs] = await Promise.all([
    accountAws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES),
    defaultAws.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES),
  ]);
  assert.deepEqual(mine.CertificateSummaryList.map((s: any) => s.CertificateArn), [accountCertArn]);
  assert.deepEqual(theirs.CertificateSummaryList.map((s: any) => s.CertificateArn), [defaultCertArn]);
});

test('accounts create --account-id, accounts list, accounts root-key', async () => {
  const fixed = await certtrailJson('accounts', 'create', '--account-id', '123456789012');
  assert.equal(fixed.AccountId, '123456789012');
  const [dup, badId, list, rootKey, noAccount] = await Promise.all([
    certtrail('accounts', 'create', '--account-id', '123456789012'),
    certtrail('accounts', 'create', '--account-id', '1234'),
    certtrailJson('accounts', 'list'),
    certtrailJson('accounts', 'root-key', account.AccountId),
    certtrail('accounts', 'root-key', '999999999999'),
  ]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  assert.equal(badId.code, 1);
  assert.match(badId.stderr, /12 digits/);
  assert.equal(noAccount.code, 1);
  assert.match(noAccount.stderr, /999999999999 does not exist/);

  const ids = list.Accounts.map((a: any) => a.AccountId).sort();
  assert.deepEqual(ids, ['000000000000', '123456789012', account.AccountId].sort());
  for (const a of list.Accounts) assert.ok(!Number.isNaN(Date.parse(a.CreatedAt)));

  // A second root key for the same account: different key, same certificates.
  assert.equal(rootKey.AccountId, account.AccountId);
  assert.match(rootKey.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.notEqual(rootKey.AccessKeyId, account.AccessKeyId);
  const second = awsCli(server.url, { accessKeyId: rootKey.AccessKeyId, secretAccessKey: rootKey.SecretAccessKey }, accountAws.dir);
  const seen = await second.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES);
  assert.deepEqual(seen.CertificateSummaryList.map((s: any) => s.CertificateArn), [accountCertArn]);
});

test('users create + access-keys create: an IAM user key works with the AWS CLI', async () => {
  const user = await certtrailJson('users', 'create', account.AccountId, 'alice', '--admin');
  assert.equal(user.AccountId, account.AccountId);
  assert.equal(user.UserName, 'alice');
  assert.match(user.UserId, /^AIDA[A-Z0-9]{16}$/);
  assert.equal(user.Arn, `arn:aws:iam::${account.AccountId}:user/alice`);

  const [key, dupUser, noUser, badName] = await Promise.all([
    certtrailJson('access-keys', 'create', account.AccountId, 'alice'),
    certtrail('users', 'create', account.AccountId, 'alice'),
    certtrail('access-keys', 'create', account.AccountId, 'bob'),
    certtrail('users', 'create', account.AccountId, 'no spaces please'),
  ]);
  assert.equal(key.AccountId, account.AccountId);
  assert.equal(key.UserName, 'alice');
  assert.match(key.AccessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.match(key.SecretAccessKey, /^[A-Za-z0-9/+]{40}$/);
  assert.equal(dupUser.code, 1);
  assert.match(dupUser.stderr, /alice already exists/);
  assert.equal(noUser.code, 1);
  assert.match(noUser.stderr, /bob does not exist/);
  assert.equal(badName.code, 1);

  const alice = awsCli(server.url, { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, accountAws.dir);
  const [seen, users, keys] = await Promise.all([
    alice.json('acm', 'list-certificates', '--includes', ALL_KEY_TYPES),
    certtrailJson('users', 'list', account.AccountId),
    certtrailJson('access-keys', 'list', account.AccountId),
  ]);
  assert.deepEqual(seen.CertificateSummaryList.map((s: any) => s.CertificateArn), [accountCertArn]);
  assert.deepEqual(users.Users.map((u: any) => [u.UserName, u.UserId, u.Arn]), [['alice', user.UserId, user.Arn]]);
  const aliceKeys = keys.AccessKeyMetadata.filter((k: any) => k.UserName === 'alice');
  assert.deepEqual(aliceKeys.map((k: any) => [k.AccessKeyId, k.Status]), [[key.AccessKeyId, 'Active']]);
  assert.ok(keys.AccessKeyMetadata.some((k: any) => k.AccessKeyId === account.AccessKeyId && !k.UserName));
  // Secrets are never listed.
  assert.ok(!JSON.stringify(keys).includes(key.SecretAccessKey));
  assert.ok(!JSON.stringify(keys).includes(account.SecretAccessKey));
});

test('ca root is the PEM served at /_certtrail/ca/root.pem; ca list shows the hierarchy and private CAs', async () => {
  const [root, served, list] = await Promise.all([
    certtrail('ca', 'root'),
    fetch(`${server.url}/_certtrail/ca/root.pem`).then((r) => r.text()),
    certtrailJson('ca', 'list'),
  ]);
  assert.equal(root.code, 0, root.stderr);
  assert.equal(root.stdout, served);
  assert.match(served, /^-----BEGIN CERTIFICATE-----\n/);
  const rootCert = new X509Certificate(served);
  assert.ok(rootCert.ca);
  assert.equal(rootCert.subject, rootCert.issuer);

  const cas = list.CertificateAuthorities;
  const kinds = new Set(cas.map((c: any) => c.Kind));
  assert.ok(kinds.has('private'), JSON.stringify(cas));
  assert.ok(cas.length >= 3, 'root, intermediate and at least one private CA');
  const privateCas = cas.filter((c: any) => c.Kind === 'private');
  assert.ok(privateCas.some((c: any) => c.AccountId === account.AccountId && c.Arn.startsWith(`arn:aws:acm-pca:us-east-1:${account.AccountId}:certificate-authority/`)));
  // The root is listed, and the URLs the CLI prints are served by the running server.
  const rootEntry = cas.find((c: any) => BigInt('0x' + c.Serial) === BigInt('0x' + rootCert.serialNumber));
  assert.ok(rootEntry, 'root CA listed');
  for (const c of cas) {
    const crt = await fetch(c.CertificateUrl);
    assert.equal(crt.status, 200, c.CertificateUrl);
    assert.equal(new X509Certificate(Buffer.from(await crt.arrayBuffer())).serialNumber.toLowerCase().replace(/^0+/, ''), c.Serial.toLowerCase().replace(/^0+/, ''));
    const crl = await fetch(c.CrlUrl);
    assert.equal(crl.status, 200, c.CrlUrl);
    assert.equal(crl.headers.get('content-type'), 'application/pkix-crl');
  }

  // --account-id/--region makes that account's private CA in the region, the one acm-pca then shows.
  const eu = await certtrailJson('ca', 'list', '--account-id', account.AccountId, '--region', 'eu-west-1');
  const euCa = eu.CertificateAuthorities.find((c: any) => c.Region === 'eu-west-1');
  assert.ok(euCa, JSON.stringify(eu));
  assert.ok(eu.CertificateAuthorities.every((c: any) => c.AccountId === account.AccountId));
  const viaAws = await accountAws.json('acm-pca', 'list-certificate-authorities', '--region', 'eu-west-1');
  assert.deepEqual(viaAws.CertificateAuthorities.map((c: any) => c.Arn), [euCa.Arn]);
});

test('bad arguments: non-zero exit and a usage message', async () => {
  const runs = await Promise.all([
    certtrail(),
    certtrail('frobnicate'),
    certtrail('accounts'),
    certtrail('accounts', 'delete'),
    certtrail('accounts', 'root-key'),
    certtrail('users', 'create', account.AccountId),
    certtrail('access-keys'),
    certtrail('ca', 'burn'),
  ]);
  for (const [i, r] of runs.entries()) {
    assert.notEqual(r.code, 0, `case ${i}: ${r.stderr}`);
    assert.match(r.stderr, /usage: certtrail/, `case ${i}`);
    assert.equal(r.stdout, '', `case ${i}`);
  }
  const help = await certtrail('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout + help.stderr, /usage: certtrail <command>/);

  // Nothing above broke the server.
  assertCliError(await defaultAws.run('acm', 'describe-certificate', '--certificate-arn', defaultCertArn.replace(/.{12}$/, '000000000000')),
    'ResourceNotFoundException', 'DescribeCertificate');
});
