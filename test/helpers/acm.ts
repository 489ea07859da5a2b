/**
 * Shared pieces of the SDK end-to-end tests (test/e2e/sdk-*.test.ts): error assertions, waiting
 * for a status, the openssl CLI in a scratch directory, extra accounts and the private CA.
 * Nothing here prints key material: openssl's stdout is returned, never put in a message.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeCertificateCommand, type ACMClient, type CertificateDetail } from '@aws-sdk/client-acm';
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { ROOT, waitFor, type RunningServer } from './server.js';

// The SDK warns once per process that it will need Node 22 from 2027; noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const CERT_ARN = new RegExp(`^arn:aws:acm:${REGION}:${ACCOUNT}:certificate/[0-9a-f-]{36}$`);
export const SERIAL = /^[0-9a-f]{2}(:[0-9a-f]{2})+$/;
export const DAY_MS = 86_400_000;

/** The ARN pattern of the model, as Coral quotes it in validation messages. */
export const ARN_PATTERN = 'arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*';
export const DOMAIN_PATTERN = '(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])';

export function unknownArn(id = '11111111-2222-4333-8444-555555555555', account = ACCOUNT, region = REGION): string {
  return `arn:aws:acm:${region}:${account}:certificate/${id}`;
}

export interface AwsError extends Error {
  $metadata: { httpStatusCode?: number };
  $fault?: string;
}

/**
 * Awaits a call that must fail and checks the error code (`__type`), the HTTP status and, when
 * given, the message (exact string or pattern). Returns the error for further checks.
 */
export async function expectError(call: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<AwsError> {
  let err: AwsError | undefined;
  try {
    await call;
  } catch (e) {
    err = e as AwsError;
  }
  assert.ok(err, `expected ${name}, but the call succeeded`);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, status, `${name}: HTTP status`);
  if (typeof message === 'string') assert.equal(err.message, message);
  else if (message) assert.match(err.message, message);
  return err;
}

export async function describeCert(client: ACMClient, arn: string): Promise<CertificateDetail> {
  return (await client.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
}

/** Polls DescribeCertificate until the status is reached (auto-validation takes about a second). */
export async function waitStatus(client: ACMClient, arn: string, status = 'ISSUED', timeoutMs = 20_000): Promise<CertificateDetail> {
  return waitFor(async () => {
    const c = await describeCert(client, arn);
    return c.Status === status ? c : undefined;
  }, timeoutMs);
}

/** Polls DescribeCertificate until the certificate has left PENDING_VALIDATION, whatever it became. */
export async function waitSettled(client: ACMClient, arn: string, timeoutMs = 20_000): Promise<CertificateDetail> {
  return waitFor(async () => {
    const c = await describeCert(client, arn);
    return c.Status !== 'PENDING_VALIDATION' ? c : undefined;
  }, timeoutMs);
}

export const blocks = (pem: string | undefined): string[] => (pem ?? '').match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g) ?? [];

// ---- openssl -----------------------------------------------------------------------------

export interface Scratch {
  dir: string;
  path(name: string): string;
  write(name: string, data: string | Uint8Array): string;
  read(name: string): string;
  /** Runs openssl in the scratch dir; throws (with stderr only) when it fails. */
  openssl(args: string[], input?: string | Buffer): string;
  /** Runs openssl and returns status and output without throwing. */
  run(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

export function scratch(prefix = 'certtrail-e2e-'): Scratch {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const run = (args: string[], input?: string | Buffer) => {
    const r = spawnSync('openssl', args, { cwd: dir, input });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('latin1') };
  };
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, data) {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    },
    read: (name) => readFileSync(join(dir, name), 'latin1'),
    run,
    openssl(args, input) {
      const r = run(args, input);
      if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
      return r.stdout;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** "0A0B0C" (openssl's serial=) → "0a:0b:0c" (ACM's form). */
export function colonSerial(hex: string): string {
  let h = hex.trim().toLowerCase();
  if (h.length % 2) h = '0' + h;
  return h.match(/../g)!.join(':');
}

/**
 * A self-signed certificate (or, with `ca`, one signed by that CA) and its key, written as
 * `<name>.crt` / `<name>.key`. `key` is an openssl -newkey argument (rsa:2048, ec -pkeyopt …).
 */
export function makeCert(
  s: Scratch,
  name: string,
  o: { subj: string; sans?: string[]; days?: number; key?: string[]; serial?: string; ca?: string; ext?: string[] },
): { cert: string; key: string } {
  const key = o.key ?? ['-newkey', 'rsa:2048'];
  const sanExt = o.sans?.length ? [`subjectAltName=${o.sans.map((n) => `DNS:${n}`).join(',')}`] : [];
  const exts = [...sanExt, ...(o.ext ?? [])];
  if (!o.ca) {
    s.openssl([
      'req', '-x509', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', o.subj,
      '-days', String(o.days ?? 30), ...(o.serial ? ['-set_serial', o.serial] : []), ...exts.flatMap((e) => ['-addext', e]),
    ]);
  } else {
    s.openssl(['req', ...key, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', o.subj]);
    s.write(`${name}.ext`, exts.join('\n') + '\n');
    s.openssl([
      'x509', '-req', '-in', `${name}.csr`, '-CA', `${o.ca}.crt`, '-CAkey', `${o.ca}.key`, '-out', `${name}.crt`,
      '-days', String(o.days ?? 30), ...(o.serial ? ['-set_serial', o.serial] : ['-CAcreateserial']), '-extfile', `${name}.ext`,
    ]);
  }
  return { cert: s.read(`${name}.crt`), key: s.read(`${name}.key`) };
}

/** A CA certificate for signing test leaves (`<name>.crt`/`.key`). */
export function makeCa(s: Scratch, name: string, subj: string): { cert: string; key: string } {
  return makeCert(s, name, {
    subj,
    days: 365,
    ext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
}

/** A v3 certificate whose validity ended in 2020 (`openssl ca` is the CLI that takes explicit dates). */
export function makeExpiredCert(s: Scratch, name: string, cn: string): { cert: string; key: string } {
  s.write(`${name}.index`, '');
  s.write(`${name}.serial`, '01\n');
  s.write(`${name}.cnf`, [
    '[ca]', 'default_ca = d', '[d]', `database = ${name}.index`, 'new_certs_dir = .', `serial = ${name}.serial`,
    'default_md = sha256', 'policy = p', 'unique_subject = no', 'x509_extensions = e', '[p]', 'commonName = supplied',
    '[e]', `subjectAltName = DNS:${cn}`, 'basicConstraints = CA:FALSE', '',
  ].join('\n'));
  s.openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  s.openssl(['ca', '-batch', '-config', `${name}.cnf`, '-selfsign', '-keyfile', `${name}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-notext']);
  return { cert: s.read(`${name}.crt`), key: s.read(`${name}.key`) };
}

/** The certificate's public key (SPKI PEM) as openssl prints it. */
export function certPublicKey(s: Scratch, certFile: string): string {
  return s.openssl(['x509', '-in', certFile, '-pubkey', '-noout']);
}

// ---- accounts and the private CA -----------------------------------------------------------

export interface AccountKey {
  AccountId: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

/** `certtrail accounts create` against the server's data dir (SQLite WAL, or the PostgreSQL its database-url names, lets both share it). */
export function createAccount(server: RunningServer): AccountKey {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/certtrail.js'), 'accounts', 'create'], {
    cwd: ROOT,
    env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir },
    encoding: 'utf8',
  });
  return JSON.parse(out) as AccountKey;
}

export function credsOf(k: AccountKey) {
  return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey };
}

export function pcaClient(url: string, creds = { accessKeyId: 'test', secretAccessKey: 'test' }, region = REGION): ACMPCAClient {
  return new ACMPCAClient({ endpoint: url, region, credentials: creds, maxAttempts: 1 });
}

/** The ARN of the account's private CA (the AWS Private CA stand-in), found the way a client would. */
export async function privateCaArn(url: string, creds?: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const r = await pcaClient(url, creds).send(new ListCertificateAuthoritiesCommand({}));
  assert.equal(r.CertificateAuthorities?.length, 1);
  return r.CertificateAuthorities![0].Arn!;
}

export async function fetchBytes(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const r = await fetch(url);
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

/** Extension URLs of a leaf from `openssl x509 -text`. */
export function extensionUrls(text: string): { crl?: string; caIssuers?: string } {
  const crl = /X509v3 CRL Distribution Points:[\s\S]*?URI:(\S+)/.exec(text)?.[1];
  const caIssuers = /CA Issuers - URI:(\S+)/.exec(text)?.[1];
  return { crl, caIssuers };
}
