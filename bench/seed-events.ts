/**
 * Synthetic CloudTrail history for the LookupEvents phase, written straight into a stopped
 * server's `certtrail.db` (generating a million events through the API would take too long), or
 * by bench/seed-postgres.ts into a PostgreSQL schema's `events` table.
 *
 * The rows look like certtrail's own (same columns, same record shape as the default `current`
 * profile): account 000000000000, us-east-1, ACM operations in a plausible mix, ~10k
 * certificate ARNs, ~100 IAM users, event times spread evenly over the last 80 days (inside
 * LookupEvents' 90-day window), ~1.2 KB records, ~3 % failed calls. A seeded PRNG makes the
 * values the same on every run. `grow` can be called again on the same file to add more.
 *
 * Three values are deliberately rare and never grow (their events are written once, by the
 * first `grow`, spread over the window): event name ResendValidationEmail, user
 * breakglass-admin and one certificate ARN. A lookup for them has to find a handful of rows
 * across the whole window, the case that exposes a scan. The common values are the heaviest of
 * the mix: DescribeCertificate (~31 % of events), the busiest user and one hot certificate.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
const DAY_MS = 86_400_000;
export const SPAN_MS = 80 * DAY_MS;

export const RARE_EVENT_NAME = 'ResendValidationEmail';
export const RARE_USER = 'breakglass-admin';
/** Events written for each rare value (by the first `grow` only). */
export const RARE_COUNT = 3;
const N_USERS = 100;
const N_CERTS = 10_000;
/** Share of certificate events that concern the one hot certificate. */
const HOT_CERT_SHARE = 0.02;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';
function uuidFrom(rnd: () => number): string {
  let s = '';
  for (let i = 0; i < 32; i++) {
    s += i === 12 ? '4' : HEX[Math.floor(rnd() * 16)];
    if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
  }
  return s;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const keyId = (rnd: () => number, prefix: string) => prefix + Array.from({ length: 16 }, () => ALNUM[Math.floor(rnd() * ALNUM.length)]).join('');

interface User { name: string; principalId: string; accessKeyId: string; ip: string; agent: string }
type Op = { name: string; weight: number; readOnly: boolean; resource: 'input' | 'output' | 'none' };

/** A plausible ACM mix; ResendValidationEmail is only ever written as a rare value. */
const OPS: Op[] = [
  { name: 'DescribeCertificate', weight: 28, readOnly: true, resource: 'input' },
  { name: 'ListCertificates', weight: 12, readOnly: true, resource: 'none' },
  { name: 'ListTagsForCertificate', weight: 10, readOnly: true, resource: 'input' },
  { name: 'GetCertificate', weight: 8, readOnly: true, resource: 'input' },
  { name: 'AddTagsToCertificate', weight: 8, readOnly: false, resource: 'input' },
  { name: 'RequestCertificate', weight: 6, readOnly: false, resource: 'output' },
  { name: 'GetAccountConfiguration', weight: 5, readOnly: true, resource: 'none' },
  { name: 'RemoveTagsFromCertificate', weight: 3, readOnly: false, resource: 'input' },
  { name: 'SearchCertificates', weight: 2, readOnly: true, resource: 'none' },
  { name: 'ImportCertificate', weight: 2, readOnly: false, resource: 'output' },
  { name: 'DeleteCertificate', weight: 2, readOnly: false, resource: 'input' },
  { name: 'ExportCertificate', weight: 1.5, readOnly: false, resource: 'input' },
  { name: 'RenewCertificate', weight: 1, readOnly: false, resource: 'input' },
  { name: 'UpdateCertificateOptions', weight: 1, readOnly: false, resource: 'input' },
  { name: 'RevokeCertificate', weight: 0.3, readOnly: false, resource: 'input' },
  { name: 'PutAccountConfiguration', weight: 0.2, readOnly: false, resource: 'none' },
];
const RARE_OP: Op = { name: RARE_EVENT_NAME, weight: 0, readOnly: false, resource: 'input' };
const OP_TOTAL = OPS.reduce((a, o) => a + o.weight, 0);

const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/acm.',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.12.0 api/acm#3.540.0',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79-99.164.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/acm#1.25.3',
];
const ERRORS = [
  { code: 'ResourceNotFoundException', message: (arn: string) => `Could not find certificate ${arn}.` },
  { code: 'ValidationException', message: () => '1 validation error detected: Value null at \'certificateArn\' failed to satisfy constraint: Member must not be null' },
  { code: 'ThrottlingException', message: () => 'Rate exceeded' },
];
const PEM_BODY = 'MIIDQTCCAimgAwIBAgITBmyfz5m/jAo54vB4ikPmljZbyjANBgkqhkiG9w0BAQsFADA5MQswCQYDVQQGEwJVUzEPMA0GA1UEChMGQW1hem9uMRkwFwYDVQQDExBBbWF6b24gUm9vdCBDQSAxMB4XDTE1MDUyNjAwMDAwMFoXDTM4MDExNzAwMDAwMFowOTELMAkGA1UEBhMCVVMxDzANBgNVBAoTBkFtYXpvbjEZMBcGA1UEAxMQQW1hem9uIFJvb3QgQ0EgMTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBALJ4gHHKeNXjca9HgFB0fW7Y14h29Jlo91ghYPl0hAEvrAIthtOgQ3pOsqTQNroBvo3bSMgHFzZM9O6II8c+6zf1tRn4SWiw3te5djgdYZ6k/oI2peVKVuRF4fn9tBb6dNqcmzU5L/qw';
const pem = (n: number) => `-----BEGIN CERTIFICATE-----\n${PEM_BODY.slice(0, n)}\n-----END CERTIFICATE-----\n`;

export interface GrowResult {
  inserted: number;
  seconds: number;
  total: number;
}

export class EventSeeder {
  private readonly rnd: () => number;
  readonly users: User[];
  readonly rareUser: User;
  readonly certs: string[];
  readonly hotCert: string;
  readonly rareCert: string;
  private readonly userCdf: Float64Array;
  private rareWritten = false;

  constructor(seed = 20131101) {
    this.rnd = mulberry32(seed);
    const rnd = this.rnd;
    const named = ['ci-deployer', 'terraform', 'cert-rotator', 'k8s-cert-manager', 'monitoring', 'platform-admin', 'alice', 'bob', 'carol', 'dave'];
    const mkUser = (name: string): User => ({
      name,
      principalId: keyId(rnd, 'AIDA'),
      accessKeyId: keyId(rnd, 'AKIA'),
      ip: `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`,
      agent: AGENTS[Math.floor(rnd() * AGENTS.length)],
    });
    this.users = Array.from({ length: N_USERS }, (_, i) => mkUser(i < named.length ? named[i] : `dev-user-${String(i).padStart(3, '0')}`));
    this.rareUser = mkUser(RARE_USER);
    // Zipf-like: user i has weight 1/(i+1); the first is about 19 % of all events.
    const w = this.users.map((_, i) => 1 / (i + 1));
    const total = w.reduce((a, b) => a + b, 0);
    this.userCdf = new Float64Array(N_USERS);
    let acc = 0;
    w.forEach((x, i) => (this.userCdf[i] = acc += x / total));
    const arn = () => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${uuidFrom(rnd)}`;
    this.certs = Array.from({ length: N_CERTS }, arn);
    this.hotCert = this.certs[0];
    this.rareCert = arn();
  }

  /** The busiest user of the mix. */
  get commonUser(): string {
    return this.users[0].name;
  }

  private pickUser(): User {
    const x = this.rnd();
    let lo = 0;
    let hi = N_USERS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.userCdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return this.users[lo];
  }

  private pickOp(): Op {
    let x = this.rnd() * OP_TOTAL;
    for (const o of OPS) if ((x -= o.weight) < 0) return o;
    return OPS[0];
  }

  private pickCert(): string {
    return this.rnd() < HOT_CERT_SHARE ? this.hotCert : this.certs[1 + Math.floor(this.rnd() * (N_CERTS - 1))];
  }

  /** One row of `events`, as certtrail's event writer would store it. */
  private row(time: number, op: Op, user: User, cert: string): unknown[] {
    const rnd = this.rnd;
    const failed = rnd() < 0.03 ? ERRORS[op.resource === 'none' ? 2 : Math.floor(rnd() * ERRORS.length)] : undefined;
    const domain = `svc-${Math.floor(rnd() * 5000)}.example.com`;
    let req: Record<string, unknown> | null = { certificateArn: cert };
    let resp: Record<string, unknown> | null = null;
    switch (op.name) {
      case 'ListCertificates':
        req = { certificateStatuses: ['ISSUED', 'PENDING_VALIDATION'], includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] }, maxItems: 100 };
        break;
      case 'SearchCertificates':
        req = { filterStatement: { filter: { domainName: domain } }, maxResults: 100 };
        break;
      case 'GetAccountConfiguration':
        req = null;
        break;
      case 'PutAccountConfiguration':
        req = { expiryEvents: { daysBeforeExpiry: 30 }, idempotencyToken: uuidFrom(rnd).slice(0, 32) };
        break;
      case 'AddTagsToCertificate':
      case 'RemoveTagsFromCertificate':
        req = { certificateArn: cert, tags: [{ key: 'env', value: rnd() < 0.5 ? 'prod' : 'staging' }, { key: 'owner', value: user.name }] };
        break;
      case 'GetCertificate':
        if (!failed) resp = { certificate: pem(180 + Math.floor(rnd() * 60)), certificateChain: pem(200) };
        break;
      case 'RequestCertificate':
        req = { domainName: domain, validationMethod: 'DNS', subjectAlternativeNames: [domain, `www.${domain}`], idempotencyToken: uuidFrom(rnd).slice(0, 32), keyAlgorithm: rnd() < 0.7 ? 'RSA_2048' : 'EC_prime256v1' };
        if (!failed) resp = { certificateArn: cert };
        break;
      case 'ImportCertificate':
        req = { certificate: 'HIDDEN_DUE_TO_SECURITY_REASONS', privateKey: 'HIDDEN_DUE_TO_SECURITY_REASONS', certificateChain: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
        if (!failed) resp = { certificateArn: cert };
        break;
      case 'ExportCertificate':
        req = { certificateArn: cert, passphrase: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
        if (!failed) resp = { certificate: pem(200), certificateChain: pem(200), privateKey: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
        break;
      case 'UpdateCertificateOptions':
        req = { certificateArn: cert, options: { certificateTransparencyLoggingPreference: 'ENABLED' } };
        break;
      case 'RevokeCertificate':
        req = { certificateArn: cert, revocationReason: 'KEY_COMPROMISE' };
        if (!failed) resp = { certificateArn: cert };
        break;
      case RARE_EVENT_NAME:
        req = { certificateArn: cert, domain, validationDomain: domain };
        break;
    }
    const hasResource = op.resource === 'input' || (op.resource === 'output' && resp !== null);
    const eventId = randomUUID();
    const eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const agent = user.agent.endsWith('command/acm.') ? user.agent + op.name.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase()) : user.agent;
    const record: Record<string, unknown> = {
      eventVersion: '1.11',
      userIdentity: { type: 'IAMUser', principalId: user.principalId, arn: `arn:aws:iam::${ACCOUNT}:user/${user.name}`, accountId: ACCOUNT, accessKeyId: user.accessKeyId, userName: user.name },
      eventTime,
      eventSource: 'acm.amazonaws.com',
      eventName: op.name,
      awsRegion: REGION,
      sourceIPAddress: user.ip,
      userAgent: agent,
    };
    if (failed) {
      record.errorCode = failed.code;
      record.errorMessage = failed.message(cert);
    }
    record.requestParameters = req;
    record.responseElements = failed ? null : resp;
    record.requestID = randomUUID();
    record.eventID = eventId;
    record.readOnly = op.readOnly;
    record.eventType = 'AwsApiCall';
    record.managementEvent = true;
    record.recipientAccountId = ACCOUNT;
    record.eventCategory = 'Management';
    record.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `acm.${REGION}.amazonaws.com` };
    return [
      eventId, ACCOUNT, REGION, time, 'acm.amazonaws.com', op.name, op.readOnly ? 1 : 0, user.name, user.accessKeyId,
      hasResource ? 'AWS::ACM::Certificate' : null, hasResource ? cert : null, JSON.stringify(record),
    ];
  }

  /**
   * The rows that take a store holding `have` events to `target`, in batches of `chunk` rows of
   * `events` columns (event_id … record; read_only as 1/0). Every store's writer draws on this one
   * generator, so SQLite and PostgreSQL get the same values from the same seed. New events' times
   * are spread evenly over the 80 days before `now`, in time order within one call.
   */
  *batches(have: number, target: number, now: number, chunk = 10_000): Generator<unknown[][]> {
    const rows: { time: number; op: Op; user: User; cert: string }[] = [];
    if (!this.rareWritten) {
      this.rareWritten = true;
      // Rare values: a few events each, spread from the oldest to the newest part of the window.
      for (let i = 0; i < RARE_COUNT; i++) {
        const at = (k: number) => Math.floor(now - SPAN_MS + ((i + 0.5 + k / 10) / RARE_COUNT) * (SPAN_MS - 60_000));
        rows.push({ time: at(0), op: RARE_OP, user: this.pickUser(), cert: this.pickCert() });
        rows.push({ time: at(1), op: this.pickOp(), user: this.rareUser, cert: this.pickCert() });
        rows.push({ time: at(2), op: OPS.find((o) => o.name === 'DescribeCertificate')!, user: this.pickUser(), cert: this.rareCert });
      }
    }
    const n = Math.max(0, target - have - rows.length);
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = Math.floor(now - SPAN_MS + this.rnd() * (SPAN_MS - 60_000));
    times.sort();
    if (rows.length) yield rows.sort((a, b) => a.time - b.time).map((r) => this.row(r.time, r.op, r.user, r.cert));
    for (let i = 0; i < n; i += chunk) {
      const batch: unknown[][] = [];
      for (let j = i; j < Math.min(n, i + chunk); j++) {
        const op = this.pickOp();
        batch.push(this.row(times[j], op, this.pickUser(), op.resource === 'none' ? '' : this.pickCert()));
      }
      yield batch;
    }
  }

  /**
   * Adds events to `file` (a certtrail database whose server is stopped) until it holds `target`
   * events (see `batches`), then flushes the file to disk (so the kernel's writeback of the new
   * pages does not run into the measurements that follow).
   */
  async grow(file: string, target: number, now: number, chunk = 10_000): Promise<GrowResult> {
    const t0 = performance.now();
    const count = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const have = count();

    // Batches go to the writer thread, at most two in flight: the next one is generated meanwhile.
    const writer = new Worker(new URL('./seed-writer.mjs', import.meta.url), { workerData: { file } });
    const replies: ((m: any) => void)[] = [];
    let failed: Error | undefined;
    writer.on('message', (m) => replies.shift()?.(m));
    writer.on('error', (e) => {
      failed = e;
      for (const r of replies.splice(0)) r({ error: e.message });
    });
    const request = (msg: unknown) =>
      new Promise<any>((resolve, reject) => {
        if (failed) return reject(failed);
        replies.push((m) => (m.error ? reject(new Error(`seeding ${file}: ${m.error}`)) : resolve(m)));
        writer.postMessage(msg);
      });
    const inFlight: Promise<unknown>[] = [];
    try {
      for (const batch of this.batches(have, target, now, chunk)) {
        while (inFlight.length >= 2) await inFlight.shift();
        inFlight.push(request({ rows: batch }));
      }
      await Promise.all(inFlight);
      await request({ close: true });
    } finally {
      await writer.terminate();
    }
    for (const f of [file, dirname(file)]) {
      const fd = openSync(f, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    const total = count();
    return { inserted: total - have, seconds: (performance.now() - t0) / 1000, total };
  }
}
