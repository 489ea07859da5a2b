/**
 * Golden test: AWS's own CloudTrail records for eleven ACM actions (the seed,
 * ../shared/seed/000_f055442862b684ab.txt, the 2016–2018 "ACM API actions supported in
 * CloudTrail logging" page) against what certtrail records for the same calls made through the
 * real AWS CLI v2 (/usr/bin/aws 2.9.19) as IAM user Alice.
 *
 * - `CERTTRAIL_EVENT_PROFILE=2016`: the record must be the seed's record, field by field: the
 *   same keys at every depth, the same top-level key order, every value equal, except the
 *   volatile ones listed in BY_FORMAT below, which are compared by format.
 * - default profile: the seed's record turned into the modern shape by the edits in MODERN
 *   (eventVersion 1.11, readOnly, managementEvent, eventCategory, secrets hidden, certificates
 *   as PEM text), then compared the same way.
 *
 * The records come from test/fixtures/cloudtrail/acm-seed-records.json, checked against the
 * seed document itself wherever that is present (parseSeed). Where the
 * seed contradicts itself, SEED_FIXES says what we expect instead and why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { ACMClient } from '@aws-sdk/client-acm';
import { awsCli, type AwsCli } from '../helpers/aws-cli.ts';
import { ACCOUNT, makeCa, makeCert, scratch, waitStatus, type Scratch } from '../helpers/acm.ts';
import { lastSeq, onlyEvent, type StoredEvent } from '../helpers/events.ts';
import { ROOT, acmClient, startServer, type RunningServer } from '../helpers/server.ts';

// ---- the seed ---------------------------------------------------------------------------

const SEED_FILE = resolve(ROOT, '../shared/seed/000_f055442862b684ab.txt');
/**
 * The eleven records as data, so the golden test runs where the seed document is not present
 * (a CI machine has only the repository). When the seed is present, a test checks that this
 * file is exactly what the seed yields.
 */
const SEED_RECORDS = resolve(ROOT, 'test/fixtures/cloudtrail/acm-seed-records.json');

function loadSeedRecords(): Map<Action, Record<string, any>> {
  const { records } = JSON.parse(readFileSync(SEED_RECORDS, 'utf8')) as { records: Record<string, Record<string, any>> };
  return new Map(Object.entries(records) as [Action, Record<string, any>][]);
}

const ACTIONS = [
  'AddTagsToCertificate', 'DeleteCertificate', 'DescribeCertificate', 'ExportCertificate', 'ImportCertificate', 'ListCertificates',
  'ListTagsForCertificate', 'RemoveTagsFromCertificate', 'RequestCertificate', 'ResendValidationEmail', 'GetCertificate',
] as const;
type Action = (typeof ACTIONS)[number];

/**
 * The seed's examples are not all valid JSON: the GetCertificate and ExportCertificate
 * examples put multi-line PEM placeholders ("-----BEGIN CERTIFICATE-----⏎ base64 certificate ⏎
 * -----END CERTIFICATE-----") inside JSON strings. We normalise by escaping every raw control
 * character that occurs inside a string literal (a newline becomes `\n`, a tab `\t`), tracking
 * string boundaries and backslash escapes, and leave everything outside strings alone. The
 * placeholder strings then parse with their text (and indentation) kept; they are compared by
 * format only (BY_FORMAT, "PEM").
 */
function escapeControlCharsInStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') {
        out += ch + (text[++i] ?? '');
        continue;
      }
      if (ch === '"') inString = false;
      else if (ch.charCodeAt(0) < 0x20) {
        out += ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
        continue;
      }
    } else if (ch === '"') inString = true;
    out += ch;
  }
  return out;
}

/**
 * The eleven records. Three wrappings occur: `{"Records":[record]}` (nine examples), a bare
 * record (ImportCertificate) and `{"Records":[EventBridge envelope]}` whose `detail` is the
 * CloudTrail record (ExportCertificate; the envelope belongs to event streaming, not here).
 */
function parseSeed(): Map<Action, Record<string, any>> {
  const text = readFileSync(SEED_FILE, 'utf8');
  const blocks = [...text.matchAll(/^```\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
  const out = new Map<Action, Record<string, any>>();
  for (const block of blocks) {
    const doc = JSON.parse(escapeControlCharsInStrings(block));
    const items: any[] = Array.isArray(doc.Records) ? doc.Records : [doc];
    for (const item of items) {
      const record = item['detail-type'] === 'AWS API Call via CloudTrail' ? item.detail : item;
      assert.equal(record.eventSource, 'acm.amazonaws.com');
      assert.ok(!out.has(record.eventName), `seed has ${record.eventName} twice`);
      out.set(record.eventName, record);
    }
  }
  return out;
}

// ---- what is compared by format ---------------------------------------------------------

/** Facts about one call, known to the test, that volatile fields are checked against. */
interface CallFacts {
  action: Action;
  region: string;
  account: string;
  userId: string;
  accessKeyId: string;
  /** The certificate ARN sent (requestParameters) and returned (responseElements). */
  arns: Record<string, string>;
  /** Byte length of each blob sent, by member (ImportCertificate's PEM files, the passphrase). */
  sentBytes: Record<string, number>;
  /** PEM text sent or received, by record path. */
  pems: Record<string, string>;
  startedMs: number;
  endedMs: number;
}


interface FormatRule {
  /** The record path (dots; array indices as numbers) this rule decides. */
  at: RegExp;
  /** Only when the expected value looks like this (e.g. a PEM placeholder, not a ByteBuffer). */
  when?: (expected: unknown) => boolean;
  compared: string;
  /** undefined when fine; otherwise what is wrong. */
  check: (ours: unknown, c: CallFacts, path: string) => string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PEM_CERTS = /^(?:-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,76}\n)+-----END CERTIFICATE-----\n?)+$/;
const fails = (ok: boolean, what: string) => (ok ? undefined : what);
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120);

/**
 * Every field that is not compared by value, in one place. Anything not matched here must be
 * equal to the expected (seed) value.
 */
const BY_FORMAT: FormatRule[] = [
  {
    at: /^eventTime$/,
    compared: 'YYYY-MM-DDTHH:MM:SSZ (UTC, no millis), between the start and the end of the call',
    check: (o, c) => {
      if (typeof o !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(o)) return `not YYYY-MM-DDTHH:MM:SSZ: ${show(o)}`;
      const t = Date.parse(o);
      return fails(t >= Math.floor(c.startedMs / 1000) * 1000 && t <= c.endedMs, `${o} is outside the call`);
    },
  },
  { at: /^(requestID|eventID)$/, compared: 'a lower-case UUID', check: (o) => fails(typeof o === 'string' && UUID.test(o), `not a UUID: ${show(o)}`) },
  {
    at: /^(userIdentity\.accountId|recipientAccountId)$/,
    compared: 'our account id (the seed has 123456789012 or 111122223333)',
    check: (o, c) => fails(o === c.account, `${show(o)} is not ${c.account}`),
  },
  {
    at: /^userIdentity\.principalId$/,
    compared: 'AIDA + 16 characters: the user id `certtrail users create` gave Alice',
    check: (o, c) => fails(typeof o === 'string' && /^AIDA[A-Z0-9]{16}$/.test(o) && o === c.userId, `${show(o)} is not ${c.userId}`),
  },
  {
    at: /^userIdentity\.arn$/,
    compared: 'arn:aws:iam::<our account>:user/Alice',
    check: (o, c) => fails(o === `arn:aws:iam::${c.account}:user/Alice`, `unexpected ${show(o)}`),
  },
  {
    at: /^userIdentity\.accessKeyId$/,
    compared: 'AKIA + 16 characters: the key the CLI signed with',
    check: (o, c) => fails(typeof o === 'string' && /^AKIA[A-Z0-9]{16}$/.test(o) && o === c.accessKeyId, `${show(o)} is not ${c.accessKeyId}`),
  },
  {
    at: /^sourceIPAddress$/,
    compared: 'an IP address: 127.0.0.1, the loopback the test connects over (the seed has documentation and AWS addresses)',
    check: (o) => fails(typeof o === 'string' && isIP(o) !== 0 && o === '127.0.0.1', `unexpected ${show(o)}`),
  },
  {
    at: /^userAgent$/,
    compared: "prefix aws-cli/ (the seed's agents are CLI 1.9–1.15, or Coral/Netty for the console's import): here CLI 2's agent, as sent",
    check: (o) => fails(typeof o === 'string' && /^aws-cli\/2\.\d+\.\d+ Python\/\S+ .*command\/acm\.[a-z-]+$/.test(o), `unexpected ${show(o)}`),
  },
  {
    at: /^(requestParameters|responseElements)\.certificateArn$/,
    compared: "an ACM certificate ARN in our account and the call's region, equal to the one the call sent (request) or got back (response)",
    check: (o, c, path) => {
      const re = new RegExp(`^arn:aws:acm:${c.region}:${c.account}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
      return fails(typeof o === 'string' && re.test(o) && o === c.arns[path], `${show(o)} is not ${c.arns[path]}`);
    },
  },
  {
    at: /^requestParameters\.\w+\.(limit|capacity)$/,
    compared: 'ByteBuffer limit/capacity: the byte length of the blob the CLI sent (file size / passphrase length)',
    check: (o, c, path) => {
      const member = path.split('.')[1];
      return fails(typeof o === 'number' && o === c.sentBytes[member], `${show(o)} is not the ${c.sentBytes[member]} bytes sent as ${member}`);
    },
  },
  {
    at: /^(requestParameters|responseElements)\.(certificate|certificateChain)$/,
    when: (e) => typeof e === 'string' && e.startsWith('-----BEGIN CERTIFICATE-----'),
    compared: 'PEM CERTIFICATE blocks (the seed has placeholders), equal to the PEM the CLI sent (request) or received (response)',
    check: (o, c, path) => fails(typeof o === 'string' && PEM_CERTS.test(o) && o === c.pems[path], `not the PEM of the call: ${show(o)}`),
  },
];

// ---- where the seed contradicts itself ----------------------------------------------------

/**
 * Decisions about the seed, applied to the expected record before comparing.
 * - ExportCertificate's example is an EventBridge event; its `detail` lacks
 *   recipientAccountId, which every other record has and which CloudTrail sets on every API
 *   call (cloudtrail.md §1.2). An omission of the envelope's copy: we expect the field, last,
 *   as in the other records.
 * - The same detail says `type: "Root"`, `principalId: "123456789012"`, yet
 *   `arn: "...:user/Alice"` and `userName: "Alice"`: a root identity has the `:root` ARN and no
 *   userName (§2.2). Four of its six fields are Alice's, so we make the call as IAM user Alice
 *   and expect the IAMUser form (type IAMUser; principalId is then checked by BY_FORMAT as
 *   Alice's AIDA… id).
 */
const SEED_FIXES: { action: Action; fix: (r: Record<string, any>) => void; why: string }[] = [
  { action: 'ExportCertificate', fix: (r) => void (r.recipientAccountId = ACCOUNT), why: 'EventBridge detail omits recipientAccountId' },
  { action: 'ExportCertificate', fix: (r) => void (r.userIdentity.type = 'IAMUser'), why: 'Root type with an IAM user ARN and userName' },
];

// ---- the modern shape -----------------------------------------------------------------------

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const PEM_PLACEHOLDER = '-----BEGIN CERTIFICATE-----\n(the PEM sent)\n-----END CERTIFICATE-----';
/** cloudtrail.md §1.4. */
const READ_ONLY = new Set<Action>(['DescribeCertificate', 'GetCertificate', 'ListCertificates', 'ListTagsForCertificate']);

/**
 * The seed record in the default profile's shape (cloudtrail.md §1.3, §3.2): eventVersion
 * 1.11; readOnly after eventID, managementEvent after eventType, eventCategory after
 * recipientAccountId; no tlsDetails (plain HTTP); ImportCertificate's privateKey and
 * ExportCertificate's passphrase and privateKey hidden; ImportCertificate's certificate and
 * chain as the PEM text sent (not ByteBuffers).
 */
function modern(seed: Record<string, any>, action: Action): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(structuredClone(seed))) {
    out[k] = k === 'eventVersion' ? '1.11' : v;
    if (k === 'eventID') out.readOnly = READ_ONLY.has(action);
    if (k === 'eventType') out.managementEvent = true;
    if (k === 'recipientAccountId') out.eventCategory = 'Management';
  }
  if (action === 'ImportCertificate') {
    out.requestParameters.privateKey = HIDDEN;
    out.requestParameters.certificate = PEM_PLACEHOLDER;
    out.requestParameters.certificateChain = PEM_PLACEHOLDER;
  }
  if (action === 'ExportCertificate') {
    out.requestParameters.passphrase = HIDDEN;
    out.responseElements.privateKey = HIDDEN;
  }
  return out;
}

// ---- comparison ------------------------------------------------------------------------------

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every difference between our record and the expected one; empty when they agree. */
function differences(ours: unknown, expected: unknown, c: CallFacts, path = ''): string[] {
  const rule = BY_FORMAT.find((r) => r.at.test(path) && (!r.when || r.when(expected)));
  if (rule) {
    const p = rule.check(ours, c, path);
    return p ? [`${path}: ${p} [compared by format: ${rule.compared}]`] : [];
  }
  const at = path || '(record)';
  if (kind(ours) !== kind(expected)) return [`${at}: expected ${kind(expected)} ${show(expected)}, got ${kind(ours)} ${show(ours)}`];
  if (Array.isArray(expected)) {
    const o = ours as unknown[];
    if (o.length !== expected.length) return [`${at}: expected ${expected.length} items, got ${o.length}: ${show(o)}`];
    return expected.flatMap((e, i) => differences(o[i], e, c, path ? `${path}.${i}` : String(i)));
  }
  if (expected && typeof expected === 'object') {
    const o = ours as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !Object.hasOwn(o, k));
    const extra = Object.keys(o).filter((k) => !Object.hasOwn(e, k));
    const problems = [...missing.map((k) => `${path ? path + '.' : ''}${k}: missing`), ...extra.map((k) => `${path ? path + '.' : ''}${k}: not in the seed (${show(o[k])})`)];
    for (const k of Object.keys(e)) if (Object.hasOwn(o, k)) problems.push(...differences(o[k], e[k], c, path ? `${path}.${k}` : k));
    return problems;
  }
  return ours === expected ? [] : [`${at}: expected ${show(expected)}, got ${show(ours)}`];
}

// ---- the calls -----------------------------------------------------------------------------

const PASSPHRASE = 'Pa55-w0rd!'; // ten bytes, as the seed's ten asterisks
const IMPORT_REGION = 'ap-southeast-2'; // the seed's ImportCertificate was made there

interface Observed {
  event: StoredEvent;
  facts: CallFacts;
}

interface Run {
  server: RunningServer;
  observed: Map<Action, Observed>;
  /** Secrets the calls carried: no record may contain them. */
  secrets: string[];
}

function certtrail(server: RunningServer, ...args: string[]): any {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/certtrail.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, CERTTRAIL_DATA_DIR: server.dataDir },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/**
 * The eleven calls with the seed's parameters, as Alice, each followed by reading the one
 * event it produced. Set-up calls (a private certificate to get and export, a tag to remove)
 * produce events too; they are not compared.
 */
async function runSeedCalls(profile: 'current' | '2016', pki: Scratch): Promise<Run> {
  // Public certificates stay PENDING_VALIDATION (ResendValidationEmail needs that); the
  // private one is issued at once.
  const server = await startServer({
    ...(profile === '2016' ? { CERTTRAIL_EVENT_PROFILE: '2016' } : {}),
    CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600',
  });
  const user = certtrail(server, 'users', 'create', ACCOUNT, 'Alice', '--admin');
  const key = certtrail(server, 'access-keys', 'create', ACCOUNT, 'Alice');
  const creds = { accessKeyId: key.AccessKeyId as string, secretAccessKey: key.SecretAccessKey as string };
  const aws: AwsCli = awsCli(server.url, creds);
  const sdk: ACMClient = acmClient(server.url, creds);
  writeFileSync(join(aws.dir, 'pass.txt'), PASSPHRASE);
  const observed = new Map<Action, Observed>();

  const call = async (action: Action, args: string[], facts: Partial<CallFacts> = {}, region = 'us-east-1'): Promise<any> => {
    const before = await lastSeq(server.dataDir);
    const startedMs = Date.now();
    const out = await aws.json(...args, ...(region === 'us-east-1' ? [] : ['--region', region]));
    const endedMs = Date.now();
    const event = await onlyEvent(server.dataDir, { afterSeq: before, eventName: action });
    observed.set(action, {
      event,
      facts: {
        action, region, account: ACCOUNT, userId: user.UserId, accessKeyId: creds.accessKeyId,
        arns: {}, sentBytes: {}, pems: {}, startedMs, endedMs, ...facts,
      },
    });
    if (out.CertificateArn) observed.get(action)!.facts.arns['responseElements.certificateArn'] = out.CertificateArn;
    return out;
  };
  const on = (arn: string) => ({ arns: { 'requestParameters.certificateArn': arn } });

  try {
    // RequestCertificate: `--domain-validation-options` takes the list in shorthand.
    const { CertificateArn: pending } = await call('RequestCertificate', [
      'acm', 'request-certificate', '--domain-name', 'example.com', '--subject-alternative-names', 'example.net',
      '--domain-validation-options', 'DomainName=example.com,ValidationDomain=example.com', 'DomainName=example.net,ValidationDomain=example.net',
      '--idempotency-token', '8186023d89681c3ad5',
    ]);
    await call('ResendValidationEmail', ['acm', 'resend-validation-email', '--certificate-arn', pending, '--domain', 'example.com', '--validation-domain', 'example.com'], on(pending));
    await call('AddTagsToCertificate', ['acm', 'add-tags-to-certificate', '--certificate-arn', pending, '--tags', 'Key=Admin,Value=Alice'], on(pending));
    await call('ListTagsForCertificate', ['acm', 'list-tags-for-certificate', '--certificate-arn', pending], on(pending));
    await call('DescribeCertificate', ['acm', 'describe-certificate', '--certificate-arn', pending], on(pending));
    // CLI 2's --max-items alone is client-side paging and sends no MaxItems; with
    // --no-paginate it is the API's MaxItems, which is what the seed's call sent.
    await call('ListCertificates', ['acm', 'list-certificates', '--certificate-statuses', 'ISSUED', '--max-items', '1000', '--no-paginate']);

    // A certificate with a key to get and export: CLI 2.9.19 predates Options.Export, so a
    // PRIVATE one from the account's private CA.
    const ca = (await aws.json('acm-pca', 'list-certificate-authorities')).CertificateAuthorities[0].Arn;
    const { CertificateArn: priv } = await aws.json('acm', 'request-certificate', '--domain-name', 'internal.example.com', '--certificate-authority-arn', ca);
    await waitStatus(sdk, priv);
    await aws.json('acm', 'add-tags-to-certificate', '--certificate-arn', priv, '--tags', 'Key=Admin,Value=Bob');
    await call('RemoveTagsFromCertificate', ['acm', 'remove-tags-from-certificate', '--certificate-arn', priv, '--tags', 'Key=Admin,Value=Bob'], on(priv));

    const got = await call('GetCertificate', ['acm', 'get-certificate', '--certificate-arn', priv], on(priv));
    observed.get('GetCertificate')!.facts.pems = { 'responseElements.certificate': got.Certificate, 'responseElements.certificateChain': got.CertificateChain };

    const exported = await call('ExportCertificate', ['acm', 'export-certificate', '--certificate-arn', priv, '--passphrase', 'fileb://pass.txt'], {
      ...on(priv), sentBytes: { passphrase: Buffer.byteLength(PASSPHRASE) },
    });
    observed.get('ExportCertificate')!.facts.pems = { 'responseElements.certificate': exported.Certificate, 'responseElements.certificateChain': exported.CertificateChain };

    // ImportCertificate with a chain, as in the seed, in the seed's region.
    const file = (name: string) => pki.path(name);
    await call('ImportCertificate', [
      'acm', 'import-certificate', '--certificate', `fileb://${file('leaf.crt')}`, '--private-key', `fileb://${file('leaf.key')}`,
      '--certificate-chain', `fileb://${file('ca.crt')}`,
    ], {
      sentBytes: { certificate: statSync(file('leaf.crt')).size, privateKey: statSync(file('leaf.key')).size, certificateChain: statSync(file('ca.crt')).size },
      pems: { 'requestParameters.certificate': pki.read('leaf.crt'), 'requestParameters.certificateChain': pki.read('ca.crt') },
    }, IMPORT_REGION);

    await call('DeleteCertificate', ['acm', 'delete-certificate', '--certificate-arn', pending], on(pending));
    return { server, observed, secrets: [PASSPHRASE, pki.read('leaf.key'), exported.PrivateKey] };
  } catch (e) {
    await server.dispose();
    throw e;
  } finally {
    sdk.destroy();
  }
}

// ---- the tests -------------------------------------------------------------------------------

let seed: Map<Action, Record<string, any>>;
const runs: Partial<Record<'current' | '2016', Run>> = {};
let pki: Scratch;

before(async () => {
  seed = loadSeedRecords();
  pki = scratch('certtrail-golden-');
  makeCa(pki, 'ca', '/CN=Golden Test CA');
  makeCert(pki, 'leaf', { subj: '/CN=imported.example.com', sans: ['imported.example.com'], ca: 'ca' });
  const [a, b] = await Promise.allSettled([runSeedCalls('2016', pki), runSeedCalls('current', pki)]);
  if (a.status === 'fulfilled') runs['2016'] = a.value;
  if (b.status === 'fulfilled') runs.current = b.value;
  for (const r of [a, b]) if (r.status === 'rejected') throw r.reason;
});
after(async () => {
  await Promise.all(Object.values(runs).map((r) => r?.server.dispose()));
  pki?.remove();
});

test('the committed records are exactly what the seed document yields', { skip: existsSync(SEED_FILE) ? false : 'the seed document (../shared/seed) is not on this machine' }, () => {
  assert.deepEqual(Object.fromEntries(parseSeed()), Object.fromEntries(loadSeedRecords()));
});

test('the seed yields the eleven records', () => {
  assert.deepEqual([...seed.keys()].sort(), [...ACTIONS].sort());
  // The normalisation kept the placeholders' text: they are strings, and PEM-looking.
  assert.match(seed.get('GetCertificate')!.responseElements.certificate, /^-----BEGIN CERTIFICATE-----\n\s+Base64-encoded certificate\n\s+-----END CERTIFICATE-----$/);
  assert.equal(seed.get('ImportCertificate')!.awsRegion, IMPORT_REGION);
});

function expectedFor(action: Action, profile: 'current' | '2016'): Record<string, any> {
  const e = structuredClone(seed.get(action)!);
  for (const f of SEED_FIXES) if (f.action === action) f.fix(e);
  return profile === '2016' ? e : modern(e, action);
}

function compare(profile: 'current' | '2016', action: Action): void {
  const run = runs[profile]!;
  const { event, facts } = run.observed.get(action)!;
  const expected = expectedFor(action, profile);
  const problems = differences(event.record, expected, facts);
  // Top-level order is AWS's (consistent across the seed; cloudtrail.md §1.3); nested objects
  // are compared as key sets, since the seed's own order differs between records (tags first
  // in AddTags, last in RemoveTags).
  const order = Object.keys(event.record).join(',');
  if (order !== Object.keys(expected).join(',')) problems.push(`key order: ${order}, expected ${Object.keys(expected).join(',')}`);
  for (const s of run.secrets) if (event.raw.includes(s.trim())) problems.push('the record contains a secret the call carried');
  if (/PRIVATE KEY/.test(event.raw)) problems.push('the record contains a private key');
  assert.deepEqual(problems, [], `${profile} ${action}:\n  ${problems.join('\n  ')}`);
  assert.equal(event.eventName, action);
}

for (const action of ACTIONS) {
  test(`2016 profile: ${action} is the seed's record`, () => compare('2016', action));
}
for (const action of ACTIONS) {
  test(`default profile: ${action} has the modern shape`, () => compare('current', action));
}

test('every by-format rule was needed: each matches some field of some record', () => {
  const used = new Set<FormatRule>();
  const visit = (v: unknown, e: unknown, path: string) => {
    const rule = BY_FORMAT.find((r) => r.at.test(path) && (!r.when || r.when(e)));
    if (rule) return void used.add(rule);
    if (e && typeof e === 'object') for (const [k, x] of Object.entries(e)) visit((v as any)?.[k], x, path ? `${path}.${k}` : k);
  };
  for (const profile of ['2016', 'current'] as const)
    for (const action of ACTIONS) visit(runs[profile]!.observed.get(action)!.event.record, expectedFor(action, profile), '');
  assert.deepEqual(BY_FORMAT.filter((r) => !used.has(r)).map((r) => String(r.at)), []);
});
