/**
 * The server as a process: graceful SIGTERM (an in-flight request still completes, then exit 0),
 * state surviving a restart on the same data dir, and secrets at rest (master key file mode,
 * no private key or secret in clear in the database (SQLite's files, or the PostgreSQL schema's
 * values), CERTTRAIL_MASTER_KEY instead of a file,
 * a mismatched key refused at startup).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { certtrailCli } from '../helpers/certtrail-cli.ts';
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import {
  ACMClient, AddTagsToCertificateCommand, DescribeCertificateCommand, ExportCertificateCommand, GetCertificateCommand,
  ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, RequestCertificateCommand,
} from '@aws-sdk/client-acm';
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { databaseContents } from '../helpers/backend.ts';
import { ROOT, acmClient, freePort, startServer, testBackend, waitFor, type RunningServer } from '../helpers/server.ts';

const dirs: string[] = [];
const servers: RunningServer[] = [];
const clients: { destroy(): void }[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'certtrail-lifecycle-'));
  dirs.push(d);
  return d;
};
async function start(env: Record<string, string>, dataDir: string): Promise<RunningServer> {
  const s = await startServer(env, dataDir);
  servers.push(s);
  return s;
}
function sdk(url: string): ACMClient {
  const c = acmClient(url);
  clients.push(c);
  return c;
}

let dataDir: string;
let server: RunningServer;

before(async () => {
  dataDir = tempDir();
  server = await start({}, dataDir);
});
after(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const exitOf = (s: RunningServer) =>
  new Promise<number | null>((resolve) => (s.proc.exitCode !== null ? resolve(s.proc.exitCode) : s.proc.once('exit', (code) => resolve(code))));

const ALL_KEY_TYPES = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;

/** State created in the first server and checked after restarts. */
const state: {
  root?: string;
  publicArn?: string;
  publicSerial?: string;
  publicPem?: string;
  importedArn?: string;
  privateArn?: string;
  caArn?: string;
  arns?: string[];
  importedKeyPem?: string;
  exportedKeyDer?: Buffer;
  exportedKeyPkcs1?: Buffer;
  exportedPrime?: Buffer;
  tenantSecret?: string;
  tenantKeyId?: string;
} = {};

function openssl(cwd: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('openssl', args, { cwd }, (err) => (err ? reject(err) : resolve())));
}

test('state is created: public, imported and exported private certificates, tags, a second account', async () => {
  const acm = sdk(server.url);
  state.root = await (await fetch(`${server.url}/_certtrail/ca/root.pem`)).text();

  state.publicArn = (await acm.send(new RequestCertificateCommand({
    DomainName: 'persist.example.com', SubjectAlternativeNames: ['www.persist.example.com'], ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1',
    Tags: [{ Key: 'env', Value: 'prod' }],
  }))).CertificateArn!;
  await acm.send(new AddTagsToCertificateCommand({ CertificateArn: state.publicArn, Tags: [{ Key: 'owner', Value: 'team-a' }, { Key: 'bare' }] }));

  const work = tempDir();
  await openssl(work, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=imported.example.com', '-days', '30', '-keyout', 'key.pem', '-out', 'cert.pem');
  state.importedKeyPem = readFileSync(join(work, 'key.pem'), 'utf8');
  state.importedArn = (await acm.send(new ImportCertificateCommand({
    Certificate: readFileSync(join(work, 'cert.pem')), PrivateKey: Buffer.from(state.importedKeyPem),
  }))).CertificateArn!;

  const pca = new ACMPCAClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  clients.push(pca);
  state.caArn = (await pca.send(new ListCertificateAuthoritiesCommand({}))).CertificateAuthorities![0].Arn!;
  state.privateArn = (await acm.send(new RequestCertificateCommand({ DomainName: 'private.example.com', CertificateAuthorityArn: state.caArn }))).CertificateArn!;

  const issued = async (arn: string) => waitFor(async () => {
    const c = (await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    return c.Status === 'ISSUED' ? c : undefined;
  });
  const [pub] = await Promise.all([issued(state.publicArn), issued(state.privateArn)]);
  state.publicSerial = pub.Serial;
  state.publicPem = (await acm.send(new GetCertificateCommand({ CertificateArn: state.publicArn }))).Certificate;

  const exported = await acm.send(new ExportCertificateCommand({ CertificateArn: state.privateArn, Passphrase: Buffer.from('lifecycle-pass') }));
  const key = createPrivateKey({ key: exported.PrivateKey!, format: 'pem', passphrase: 'lifecycle-pass' });
  state.exportedKeyDer = key.export({ type: 'pkcs8', format: 'der' });
  state.exportedKeyPkcs1 = key.export({ type: 'pkcs1', format: 'der' });
  state.exportedPrime = Buffer.from(key.export({ format: 'jwk' }).p!, 'base64url');

  const list = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: [...ALL_KEY_TYPES] } }));
  state.arns = list.CertificateSummaryList!.map((s) => s.CertificateArn!).sort();
  assert.equal(state.arns.length, 3);

  const tenant = await certtrailCli({ CERTTRAIL_DATA_DIR: dataDir, PORT: String(server.port) }, 'accounts', 'create');
  assert.equal(tenant.code, 0, tenant.stderr);
  state.tenantSecret = JSON.parse(tenant.stdout).SecretAccessKey;
  state.tenantKeyId = JSON.parse(tenant.stdout).AccessKeyId;
});

test('master.key is created with mode 0600', () => {
  const file = join(dataDir, 'master.key');
  assert.ok(existsSync(file));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(readFileSync(file, 'utf8').trim(), /^[0-9a-f]{64}$/);
});

async function dbBytes(dir: string): Promise<Buffer> {
  const parts = await databaseContents(dir);
  const names = parts.map((p) => p.name);
  assert.ok(names.includes(testBackend() === 'sqlite' ? 'certtrail.db' : 'table certificates'), `database parts: ${names}`);
  return Buffer.concat(parts.map((p) => p.bytes));
}

function assertNoSecretsInClear(bytes: Buffer): void {
  assert.equal(bytes.indexOf('PRIVATE KEY'), -1, 'no PEM private key text');
  const pemBody = state.importedKeyPem!.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const importedDer = Buffer.from(pemBody, 'base64');
  assert.equal(bytes.indexOf(pemBody.slice(0, 64)), -1, 'no base64 of the imported key');
  assert.equal(bytes.indexOf(importedDer), -1, 'no DER of the imported key');
  assert.equal(bytes.indexOf(importedDer.subarray(importedDer.length - 200)), -1, 'no tail of the imported key DER');
  assert.equal(bytes.indexOf(state.exportedKeyDer!), -1, 'no PKCS#8 DER of the exported key');
  assert.equal(bytes.indexOf(state.exportedKeyPkcs1!), -1, 'no PKCS#1 DER of the exported key');
  assert.equal(bytes.indexOf(state.exportedPrime!), -1, 'no prime factor of the exported key');
  assert.equal(bytes.indexOf(state.exportedKeyDer!.toString('base64').slice(0, 64)), -1, 'no base64 of the exported key');
  assert.equal(bytes.indexOf(state.tenantSecret!), -1, 'no secret access key in clear');
}

test('private keys and secrets are not stored in clear (running server: db + WAL)', async () => {
  assertNoSecretsInClear(await dbBytes(dataDir));
});

test('SIGTERM: the in-flight request completes, new connections are refused, exit code 0', async () => {
  // A signed request whose body arrives slowly: it is in flight when SIGTERM lands.
  const body = JSON.stringify({ CertificateArn: state.publicArn });
  const signer = new SignatureV4({ service: 'acm', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/',
    headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.DescribeCertificate', 'content-length': String(Buffer.byteLength(body)) },
    body,
  }));
  // A keep-alive connection sitting idle must not hold the shutdown up either.
  const idle = await fetch(`${server.url}/_certtrail/health`);
  assert.equal(idle.status, 200);
  await idle.text();

  const exited = exitOf(server);
  // A keep-alive client: once answered, its connection must not keep the process alive either.
  const agent = new Agent({ keepAlive: true });
  const req = httpRequest(`${server.url}/`, { method: 'POST', headers: signed.headers, agent });
  const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  await sleep(300);
  server.proc.kill('SIGTERM');
  await sleep(700);
  try {
    // Mid-shutdown: still running for the in-flight request, no longer accepting connections.
    assert.equal(server.proc.exitCode, null, 'waits for the in-flight request');
    await assert.rejects(fetch(`${server.url}/_certtrail/health`, { signal: AbortSignal.timeout(2000) }));
  } finally {
    req.end(body.slice(10));
  }
  const r = await reply;
  const answeredAt = Date.now();
  assert.equal(r.status, 200, r.text);
  assert.equal(JSON.parse(r.text).Certificate.CertificateArn, state.publicArn);
  const code = await exited;
  assert.equal(code, 0, server.output());
  assert.ok(Date.now() - answeredAt < 5000, `exited ${Date.now() - answeredAt} ms after the last answer`);
  assert.match(server.output(), /shutting down/);
  agent.destroy();
});

test('after a clean stop the database holds no secrets either', async () => {
  assertNoSecretsInClear(await dbBytes(dataDir));
});

test('restart on the same data dir: certificates, tags, CA root, private CA and accounts survive', async () => {
  server = await start({}, dataDir);
  const acm = sdk(server.url);
  assert.equal(await (await fetch(`${server.url}/_certtrail/ca/root.pem`)).text(), state.root);

  const list = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: [...ALL_KEY_TYPES] } }));
  assert.deepEqual(list.CertificateSummaryList!.map((s) => s.CertificateArn!).sort(), state.arns);

  const pub = (await acm.send(new DescribeCertificateCommand({ CertificateArn: state.publicArn }))).Certificate!;
  assert.equal(pub.Status, 'ISSUED');
  assert.equal(pub.Serial, state.publicSerial);
  assert.deepEqual(pub.SubjectAlternativeNames, ['persist.example.com', 'www.persist.example.com']);
  const got = await acm.send(new GetCertificateCommand({ CertificateArn: state.publicArn }));
  assert.equal(got.Certificate, state.publicPem);
  // The chain still leads to the same root.
  const chain = got.CertificateChain!.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
  const top = new X509Certificate(chain[chain.length - 1]);
  assert.ok(top.checkIssued(new X509Certificate(state.root!)) || top.fingerprint256 === new X509Certificate(state.root!).fingerprint256);

  const tags = (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: state.publicArn }))).Tags!;
  assert.deepEqual([...tags].sort((a, b) => a.Key!.localeCompare(b.Key!)), [{ Key: 'bare' }, { Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'team-a' }]);
  assert.equal((await acm.send(new DescribeCertificateCommand({ CertificateArn: state.importedArn }))).Certificate!.Type, 'IMPORTED');

  // Sealed keys still open with the key file: the private CA signs, the exported key exports again.
  const pca = new ACMPCAClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  clients.push(pca);
  assert.equal((await pca.send(new ListCertificateAuthoritiesCommand({}))).CertificateAuthorities![0].Arn, state.caArn);
  const again = await acm.send(new ExportCertificateCommand({ CertificateArn: state.privateArn, Passphrase: Buffer.from('second-pass') }));
  assert.deepEqual(createPrivateKey({ key: again.PrivateKey!, format: 'pem', passphrase: 'second-pass' }).export({ type: 'pkcs8', format: 'der' }), state.exportedKeyDer);
  const fresh = (await acm.send(new RequestCertificateCommand({ DomainName: 'after-restart.example.com', CertificateAuthorityArn: state.caArn }))).CertificateArn!;
  await waitFor(async () => ((await acm.send(new DescribeCertificateCommand({ CertificateArn: fresh }))).Certificate!.Status === 'ISSUED' ? true : undefined));
  // The account made with the certtrail CLI still authenticates (its sealed secret opens).
  const tenant = acmClient(server.url, { accessKeyId: state.tenantKeyId!, secretAccessKey: state.tenantSecret! });
  clients.push(tenant);
  assert.deepEqual((await tenant.send(new ListCertificatesCommand({}))).CertificateSummaryList, []);
  assert.ok(!server.output().includes('internal failure'), server.output());
});

test('CERTTRAIL_MASTER_KEY: no key file is created, restart with the same key works, another key is refused', async () => {
  const dir = tempDir();
  const key = randomBytes(32).toString('hex');
  let s = await start({ CERTTRAIL_MASTER_KEY: key }, dir);
  const acm = sdk(s.url);
  const arn = (await acm.send(new RequestCertificateCommand({ DomainName: 'envkey.example.com' }))).CertificateArn!;
  assert.ok(!existsSync(join(dir, 'master.key')), 'no master.key with CERTTRAIL_MASTER_KEY');
  assert.equal(await s.stop(), 0);
  assert.ok(!existsSync(join(dir, 'master.key')));

  s = await start({ CERTTRAIL_MASTER_KEY: key }, dir);
  const acm2 = sdk(s.url);
  assert.equal((await acm2.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!.CertificateArn, arn);
  assert.equal(await s.stop(), 0);

  // A different key, or none at all, must not start on this data dir (and must not create a key file).
  await assert.rejects(start({ CERTTRAIL_MASTER_KEY: randomBytes(32).toString('hex') }, dir), /master key .*does not match/);
  await assert.rejects(start({ CERTTRAIL_MASTER_KEY: '' }, dir), /no master\.key/);
  assert.ok(!existsSync(join(dir, 'master.key')));
});

test('SIGTERM with a stalled upload: the connection is cut after the grace period, still exit 0', async () => {
  const s = await start({}, tempDir());
  const exited = exitOf(s);
  const req = httpRequest(`${s.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': '1000' }, agent: false });
  const outcome = new Promise<string>((resolve) => {
    req.on('response', (res) => resolve(`status ${res.statusCode}`));
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
  });
  req.write('{"Certif');
  await sleep(300);
  const t0 = Date.now();
  s.proc.kill('SIGTERM');
  assert.equal(await exited, 0, s.output());
  const took = Date.now() - t0;
  assert.ok(took >= 5_000, `waited for the in-flight request (${took} ms)`);
  assert.ok(took < 20_000, `but not forever (${took} ms)`);
  assert.match(await outcome, /ECONNRESET|socket hang up|status/);
  req.destroy();
});

test('a port already in use is a clean startup failure', async () => {
  const port = await freePort();
  const blocker = (await import('node:net')).createServer();
  await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
  try {
    await assert.rejects(start({ PORT: String(port) }, tempDir()), /exited early \(1\)[\s\S]*certtrail failed to start/);
  } finally {
    blocker.close();
  }
});
