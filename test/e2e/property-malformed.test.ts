/**
 * Property: whatever malformed or rule-breaking input reaches any ACM operation, the server
 * answers a well-formed AWS JSON error (HTTP 4xx, `__type` + `message`/`Message`,
 * x-amzn-RequestId), never a 5xx, a reset or a hang; it stays up; and rejected calls leave
 * the stored state exactly as it was.
 *
 * Every generator produces inputs that MUST be rejected, so a 200 is a failure (either the
 * server accepted something it must not, or a generator bug). Shape-level breaks are derived
 * from `inputShapes` (lengths, patterns, enums, list sizes, required members, member types);
 * rule-level breaks come from acm.md §2.3 (unknown/other-account/other-region ARNs, wrong
 * certificate state, unsupported key algorithms, `aws:` tags, …).
 *
 * Reproduce a run: CERTTRAIL_FC_SEED=<seed> node --import tsx --test test/e2e/property-malformed.test.ts
 * (CERTTRAIL_FC_SCALE=<n> multiplies the number of runs).
 */
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import fc from 'fast-check';
import type { Shape } from '../../src/protocol/shape.js';
import {
  CERTIFICATE_STATUSES, DOMAIN_PATTERN, EKU_NAMES, KEY_ALGORITHMS, KEY_USAGE_NAMES, REVOCATION_REASONS, inputShapes,
} from '../../src/services/acm/shapes.js';
import { ACM_NOT_YET_IMPLEMENTED } from '../../src/services/acm/service.js';
import { b64, selfSigned, type KeyAndCert } from '../helpers/pki.js';
import { ok, rawClient, type RawCall, type RawResponse } from '../helpers/raw.js';
import { startServer, waitFor, type RunningServer } from '../helpers/server.js';

const SEED = Number(process.env.CERTTRAIL_FC_SEED ?? 20261201);
/** Multiplies every numRuns (explore locally with e.g. CERTTRAIL_FC_SCALE=20). */
const SCALE = Number(process.env.CERTTRAIL_FC_SCALE ?? 1);
const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const MAX_BODY = 2.5 * 1024 * 1024;

type Op = keyof typeof inputShapes;
const OPS = Object.keys(inputShapes) as Op[];
const T = (op: string) => `CertificateManager.${op}`;

// ---------------------------------------------------------------- the generated request

interface Req {
  family: string;
  target: string | undefined;
  body: string | Uint8Array;
  contentType?: string | null;
  /** Shape-level breaks must be answered by the framework, before any handler runs. */
  expectTypes?: readonly string[];
}

const FRAMEWORK = ['ValidationException', 'SerializationException', 'RequestEntityTooLargeException'] as const;

/** Counterexamples print compactly (bodies can be megabytes). */
function req(r: Req): Req {
  return Object.assign(r, {
    [fc.toStringMethod]: () => {
      const body = typeof r.body === 'string' ? r.body : `<${r.body.length} bytes> ${Buffer.from(r.body).toString('latin1')}`;
      return `{${r.family} ${r.target} ct=${r.contentType === undefined ? 'json1.1' : JSON.stringify(r.contentType)} body(${body.length})=${JSON.stringify(body.slice(0, 400))}${body.length > 400 ? '…' : ''}}`;
    },
  });
}

const jsonReq = (family: string, op: string, input: unknown, expectTypes?: readonly string[]): Req =>
  req({ family, target: T(op), body: JSON.stringify(input), expectTypes });

// ---------------------------------------------------------------- generic JSON junk

const safeKey = fc.string({ maxLength: 12 });
const str = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 10 }));
const num = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const { junk } = fc.letrec((tie) => ({
  junk: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    str, num, fc.boolean(), fc.constant(null),
    fc.array(tie('junk'), { maxLength: 4 }),
    fc.dictionary(safeKey, tie('junk'), { maxKeys: 4 }),
  ),
}));
const junkObject = fc.dictionary(safeKey, junk, { maxKeys: 4 });
const junkArray = fc.array(junk, { maxLength: 4 });
const nonString = fc.oneof(num, fc.boolean(), junkObject, junkArray);
const nonObject = fc.oneof(str, num, fc.boolean(), junkArray);
const nonArray = fc.oneof(str, num, fc.boolean(), junkObject);
const nonNumber = fc.oneof(str, fc.boolean(), junkObject, junkArray);
const nonBool = fc.oneof(str, num, junkObject, junkArray);

// ---------------------------------------------------------------- shape-derived breaks

function resolve(s: Shape): Shape {
  return s.type === 'lazy' ? resolve(s.get()) : s;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cpLen = (s: string) => [...s].length;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isServerBase64 = (s: string) => {
  const t = s.replace(/[\r\n]/g, '');
  return B64.test(t) && t.length % 4 !== 1;
};

function satisfiesString(s: Extract<Shape, { type: 'string' }>, v: string): boolean {
  if (s.enum) return s.enum.includes(v);
  const n = cpLen(v);
  if (s.min !== undefined && n < s.min) return false;
  if (s.max !== undefined && n > s.max) return false;
  return s.pattern === undefined || new RegExp(`^(?:${s.pattern})$`, 'u').test(v);
}

/** Strings that fail most patterns: unicode, spaces, control characters, near-misses. */
const nearMisses = fc.constantFrom(
  '', ' ', 'a b', '\u0000', '\t', 'é', '😀', 'ß.example.com', '-a.example.com', 'a..b', 'example', '*.', '.com', 'arn:aws:s3:::bucket',
  'arn:aws:acm:us-east-1:abc:certificate/x', 'arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/x', '\u202e', 'x\ny', '<script>',
  'aws:', '🙂🙂', 'A'.repeat(64) + '.com', 'rsa_2048', 'issued', 'EMAIL ', '00:0G', 'AA:BB',
);

/** A value for `shape` that the server must reject wherever it appears (never null: null is "absent"). */
function broken(shape: Shape, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(shape);
  const deeper = depth < 3;
  switch (s.type) {
    case 'string': {
      const alts: fc.Arbitrary<unknown>[] = [nonString];
      if (s.enum) {
        const e = s.enum;
        alts.push(
          fc.oneof(str, nearMisses).filter((v) => !e.includes(v)),
          fc.constantFrom(...e).map((v) => v.toLowerCase()).filter((v) => !e.includes(v)),
          fc.constantFrom(...e).map((v) => ` ${v}`),
        );
      } else {
        if (s.min !== undefined && s.min > 0) alts.push(fc.constant('x'.repeat(s.min - 1)));
        if (s.max !== undefined) {
          const max = s.max;
          alts.push(fc.tuple(fc.integer({ min: max + 1, max: max + 40 }), fc.constantFrom('a', '9', 'é', '😀', '-')).map(([n, c]) => c.repeat(n)));
        }
        alts.push(fc.oneof(nearMisses, str).filter((v) => !satisfiesString(s, v)));
      }
      return fc.oneof(...alts);
    }
    case 'integer': {
      const alts: fc.Arbitrary<unknown>[] = [nonNumber];
      if (s.min !== undefined) alts.push(fc.integer({ min: -1_000_000_000, max: s.min - 1 }));
      if (s.max !== undefined) alts.push(fc.integer({ min: s.max + 1, max: 2 ** 40 }));
      return fc.oneof(...alts);
    }
    case 'boolean':
      return fc.oneof(nonBool, fc.constantFrom('true', 'false', 0, 1));
    case 'timestamp':
      return fc.oneof(fc.boolean(), junkObject, junkArray, fc.oneof(str, nearMisses).filter((v) => Number.isNaN(Date.parse(v))));
    case 'blob': {
      const alts: fc.Arbitrary<unknown>[] = [
        fc.oneof(num, fc.boolean(), junkObject, junkArray),
        fc.oneof(str, fc.constantFrom('-_-_', 'abc=d', '====', 'A', 'abcde', 'QUJD\u0000', 'QUJD QUJD', 'LS0tLS1CRUdJTi*')).filter((v) => !isServerBase64(v)),
      ];
      if (s.min !== undefined && s.min > 0) alts.push(fc.uint8Array({ maxLength: s.min - 1 }).map(b64));
      if (s.max !== undefined && s.max <= 100_000) alts.push(fc.integer({ min: s.max + 1, max: s.max + 64 }).map((n) => b64(Buffer.alloc(n, 0x41))));
      return fc.oneof(...alts);
    }
    case 'list': {
      const alts: fc.Arbitrary<unknown>[] = [nonArray];
      if (s.min !== undefined && s.min > 0) alts.push(fc.constant([]));
      if (s.max !== undefined) alts.push(fc.array(fc.oneof(junk, str), { minLength: s.max + 1, maxLength: s.max + 3 }).map((a) => a.map((x) => x ?? 'x')));
      alts.push(fc.array(fc.oneof(str, junkObject), { maxLength: 2 }).map((a) => [...a, null]));
      if (deeper) alts.push(fc.array(broken(s.member, depth + 1), { minLength: 1, maxLength: 2 }));
      return fc.oneof(...alts);
    }
    case 'structure':
    case 'union': {
      const names = Object.keys(s.members);
      const alts: fc.Arbitrary<unknown>[] = [nonObject];
      if (s.type === 'union') alts.push(fc.constant({}));
      if (s.type === 'structure' && s.required?.length) {
        const req = s.required;
        alts.push(junkObject.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => !req.includes(k)))));
      }
      if (names.length && deeper)
        alts.push(fc.constantFrom(...names).chain((m) => broken(s.members[m], depth + 1).map((v) => ({ [m]: v }))));
      if (s.type === 'union' && names.length > 1 && deeper)
        alts.push(fc.shuffledSubarray(names, { minLength: 2, maxLength: 2 }).chain(([a, b]) =>
          fc.tuple(broken(s.members[a], depth + 1), broken(s.members[b], depth + 1)).map(([x, y]) => ({ [a]: x, [b]: y }))));
      return fc.oneof(...alts);
    }
    default:
      throw new Error(`unexpected shape ${s.type}`);
  }
}

/** `value` (a valid input for `shape`) with exactly one place broken. */
function mutate(shape: Shape, value: unknown, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(shape);
  const replace = broken(s, depth);
  if ((s.type === 'structure' || s.type === 'union') && isObject(value)) {
    const names = Object.keys(s.members);
    const alts: fc.WeightedArbitrary<unknown>[] = [{ weight: 1, arbitrary: replace }];
    if (names.length)
      alts.push({
        weight: 5,
        arbitrary: fc.constantFrom(...names).chain((m) => {
          const cur = value[m];
          const inner = cur === undefined || cur === null ? broken(s.members[m], depth + 1) : mutate(s.members[m], cur, depth + 1);
          return inner.map((v) => ({ ...value, [m]: v }));
        }),
      });
    if (s.type === 'structure' && s.required?.length) {
      const required = s.required;
      alts.push({
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...required), fc.boolean()).map(([r, asNull]) => {
          const o: Record<string, unknown> = { ...value };
          if (asNull) o[r] = null;
          else delete o[r];
          return o;
        }),
      });
    }
    if (s.type === 'union') alts.push({ weight: 1, arbitrary: fc.constant({}) });
    return fc.oneof(...alts);
  }
  if (s.type === 'list' && Array.isArray(value) && value.length) {
    return fc.oneof(
      { weight: 1, arbitrary: replace },
      { weight: 3, arbitrary: fc.nat(value.length - 1).chain((i) => mutate(s.member, value[i], depth + 1).map((v) => value.map((x, j) => (j === i ? v : x)))) },
      { weight: 1, arbitrary: fc.nat(value.length).map((i) => [...value.slice(0, i), null, ...value.slice(i)]) },
    );
  }
  return replace;
}

// ---------------------------------------------------------------- valid-looking building blocks

const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_PATTERN})$`, 'u');
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'net', 'io'))
  .map(([wild, labels, tld]) => `${wild ? '*.' : ''}${[...labels, tld].join('.')}`)
  .filter((d) => DOMAIN_RE.test(d) && d.length <= 64);
const token = fc.stringMatching(/^\w{1,32}$/);
const tagKey = fc.stringMatching(/^[A-Za-z0-9_.:/=+@-]{1,20}$/).filter((k) => !k.toLowerCase().startsWith('aws:'));
const tagValue = fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,20}$/);
const tags = fc.uniqueArray(fc.record({ Key: tagKey, Value: tagValue }, { requiredKeys: ['Key'] }), { minLength: 1, maxLength: 3, selector: (t) => t.Key });
const passphrase = fc.stringMatching(/^[A-Za-z0-9!&*()_+=.-]{4,24}$/);
const nextToken = fc.stringMatching(/^[A-Za-z0-9+/=_-]{1,64}$/);
const pcaArn = fc.uuid().map((id) => `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/${id}`);
const unknownArn = fc.uuid().map((id) => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${id}`);

interface Fixtures {
  caArn: string;
  pendingDns: string;
  pendingEmail: string;
  pendingExportable: string;
  privateExported: string;
  privateIssued: string;
  failed: string;
  imported: string;
  importedEc: string;
  /** Certificates with at least 2 tags. */
  tagged: string[];
  rsa: KeyAndCert;
  ec: KeyAndCert;
  otherRsaKeyPem: string;
}

function arbitraries(fx: Fixtures) {
  const real = [fx.pendingDns, fx.pendingEmail, fx.pendingExportable, fx.privateExported, fx.privateIssued, fx.failed, fx.imported, fx.importedEc];
  const realId = fc.constantFrom(...real.map((a) => a.split('/').pop()!));
  const idOrReal = fc.oneof(fc.uuid(), realId);
  const otherAccountArn = fc
    .tuple(fc.stringMatching(/^[0-9]{12}$/).filter((a) => a !== ACCOUNT), idOrReal)
    .map(([acct, id]) => `arn:aws:acm:${REGION}:${acct}:certificate/${id}`);
  const otherRegionArn = fc
    .tuple(fc.constantFrom('eu-west-1', 'us-west-2', 'ap-southeast-2', 'us-east-2', 'US-EAST-1', 'us-east-1x', ''), idOrReal)
    .map(([region, id]) => `arn:aws:acm:${region}:${ACCOUNT}:certificate/${id}`);
  const notCertificateArn = fc.constantFrom(
    `arn:aws:acm:${REGION}:${ACCOUNT}:acme-endpoint/0e5e0e5e-0000-4000-8000-000000000000`,
    `arn:aws:acm:${REGION}:${ACCOUNT}:certificates/0e5e0e5e-0000-4000-8000-000000000000`,
    `arn:aws:acm:${REGION}:${ACCOUNT}:x`.padEnd(40, 'y'),
  );
  /** ARNs that match the Arn pattern but can name no certificate of this caller. */
  const badArn = fc.oneof(unknownArn, otherAccountArn, otherRegionArn, notCertificateArn);
  const anyArn = fc.oneof(fc.constantFrom(...real), badArn);

  const filterText = fc.record({ Value: fc.string({ minLength: 1, maxLength: 20 }), ComparisonOperator: fc.constantFrom('CONTAINS', 'EQUALS') });
  const searchFilter = fc.oneof(
    anyArn.map((a) => ({ CertificateArn: a })),
    filterText.map((f) => ({ X509AttributeFilter: { Subject: { CommonName: f } } })),
    filterText.map((f) => ({ X509AttributeFilter: { SubjectAlternativeName: { DnsName: f } } })),
    fc.constantFrom(...KEY_ALGORITHMS).map((k) => ({ X509AttributeFilter: { KeyAlgorithm: k } })),
    fc.constantFrom(...EKU_NAMES).map((k) => ({ X509AttributeFilter: { ExtendedKeyUsage: k } })),
    fc.constantFrom(...KEY_USAGE_NAMES).map((k) => ({ X509AttributeFilter: { KeyUsage: k } })),
    fc.constantFrom('0a:1b', '00:11:22:33').map((k) => ({ X509AttributeFilter: { SerialNumber: k } })),
    fc.integer({ min: 0, max: 2_000_000_000 }).map((t) => ({ X509AttributeFilter: { NotAfter: { Start: t } } })),
    fc.constantFrom(...CERTIFICATE_STATUSES).map((v) => ({ AcmCertificateMetadataFilter: { Status: v } })),
    fc.boolean().map((v) => ({ AcmCertificateMetadataFilter: { Exported: v } })),
    fc.constantFrom('IMPORTED', 'AMAZON_ISSUED', 'PRIVATE').map((v) => ({ AcmCertificateMetadataFilter: { Type: v } })),
  );
  const { statement } = fc.letrec((tie) => ({
    statement: fc.oneof(
      { maxDepth: 3, depthSize: 'small', withCrossShrink: true },
      searchFilter.map((f) => ({ Filter: f })),
      tie('statement').map((s) => ({ Not: s })),
      fc.array(tie('statement'), { minLength: 1, maxLength: 3 }).map((a) => ({ And: a })),
      fc.array(tie('statement'), { minLength: 1, maxLength: 3 }).map((a) => ({ Or: a })),
    ),
  }));

  const importBase = fc
    .record({
      material: fc.constantFrom(fx.rsa, fx.ec),
      arn: fc.option(anyArn, { nil: undefined }),
      tags: fc.option(tags, { nil: undefined }),
      chain: fc.boolean(),
    })
    .map(({ material, arn, tags, chain }) => ({
      Certificate: b64(material.certPem),
      PrivateKey: b64(material.keyPem),
      ...(chain ? { CertificateChain: b64(material.certPem) } : {}),
      ...(arn ? { CertificateArn: arn } : {}),
      ...(tags ? { Tags: tags } : {}),
    }));

  /** Inputs that are valid for the shape (the handler may still reject them). */
  const base: Record<Op, fc.Arbitrary<Record<string, unknown>>> = {
    AddTagsToCertificate: fc.record({ CertificateArn: anyArn, Tags: tags }),
    DeleteCertificate: fc.record({ CertificateArn: anyArn }),
    DescribeCertificate: fc.record({ CertificateArn: anyArn }),
    ExportCertificate: fc.record({ CertificateArn: anyArn, Passphrase: passphrase.map(b64) }),
    GetAccountConfiguration: fc.constant({}),
    GetCertificate: fc.record({ CertificateArn: anyArn }),
    ImportCertificate: importBase,
    ListCertificates: fc.record(
      {
        CertificateStatuses: fc.subarray([...CERTIFICATE_STATUSES], { minLength: 1 }),
        Includes: fc.record(
          {
            keyTypes: fc.subarray([...KEY_ALGORITHMS], { minLength: 1 }),
            keyUsage: fc.subarray([...KEY_USAGE_NAMES], { minLength: 1 }),
            extendedKeyUsage: fc.subarray([...EKU_NAMES], { minLength: 1 }),
            exportOption: fc.constantFrom('ENABLED', 'DISABLED'),
            managedBy: fc.constant('CLOUDFRONT'),
          },
          { requiredKeys: [] },
        ),
        MaxItems: fc.integer({ min: 1, max: 1000 }),
        SortBy: fc.constant('CREATED_AT'),
        SortOrder: fc.constantFrom('ASCENDING', 'DESCENDING'),
      },
      { requiredKeys: [] },
    ),
    ListTagsForCertificate: fc.record({ CertificateArn: anyArn }),
    ListCertificateDomainValidations: fc.record({ CertificateArn: anyArn, MaxItems: fc.integer({ min: 1, max: 1000 }) }, { requiredKeys: ['CertificateArn'] }),
    PutAccountConfiguration: fc.record({ IdempotencyToken: token, ExpiryEvents: fc.record({ DaysBeforeExpiry: fc.integer({ min: 1, max: 365 }) }) }),
    RemoveTagsFromCertificate: fc.record({ CertificateArn: anyArn, Tags: tags }),
    RenewCertificate: fc.record({ CertificateArn: anyArn }),
    RequestCertificate: fc.record(
      {
        DomainName: domain,
        ValidationMethod: fc.constantFrom('EMAIL', 'DNS'),
        SubjectAlternativeNames: fc.array(domain, { minLength: 1, maxLength: 3 }),
        IdempotencyToken: token,
        Options: fc.record({ CertificateTransparencyLoggingPreference: fc.constantFrom('ENABLED', 'DISABLED') }),
        CertificateAuthorityArn: pcaArn,
        Tags: tags,
        KeyAlgorithm: fc.constantFrom('RSA_2048', 'EC_prime256v1', 'EC_secp384r1'),
      },
      { requiredKeys: ['DomainName'] },
    ),
    ResendValidationEmail: fc.record({ CertificateArn: anyArn, Domain: domain, ValidationDomain: domain }),
    RevokeCertificate: fc.record({ CertificateArn: anyArn, RevocationReason: fc.constantFrom(...REVOCATION_REASONS) }),
    SearchCertificates: fc.record(
      {
        FilterStatement: statement,
        MaxResults: fc.integer({ min: 1, max: 500 }),
        SortBy: fc.constantFrom('CREATED_AT', 'STATUS', 'COMMON_NAME'),
        SortOrder: fc.constantFrom('ASCENDING', 'DESCENDING'),
      },
      { requiredKeys: [] },
    ),
    UpdateCertificateOptions: fc.record({
      CertificateArn: anyArn,
      Options: fc.record({ CertificateTransparencyLoggingPreference: fc.constantFrom('ENABLED', 'DISABLED') }),
    }),
  };
  const anyOp = fc.constantFrom(...OPS);
  const anyValidish = anyOp.chain((op) => base[op].map((input) => ({ op, input })));

  // ------------------------------------------------------------ family: one shape constraint broken
  const topJunk = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: junkObject },
    // Huge members the shape does not know (dropped by the decoder, but they must not hurt).
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50_000, max: 600_000 }), fc.constantFrom('x', 'é', '€', '😀')).map(([n, c]) => ({ Padding: c.repeat(n) })) },
  );
  const shapeBroken = fc.tuple(anyOp, topJunk).chain(([op, extra]) =>
    base[op].chain((v) => mutate(inputShapes[op], v)).map((b) => {
      const members = Object.keys((inputShapes[op] as { members: object }).members);
      const junkOnly = Object.fromEntries(Object.entries(extra).filter(([k]) => !members.includes(k)));
      return jsonReq('shape-broken', op, isObject(b) ? { ...junkOnly, ...b } : b, FRAMEWORK);
    }),
  );

  // ------------------------------------------------------------ family: body is JSON but not an object
  const notAnObject = fc
    .tuple(anyOp, fc.oneof(nonObject, fc.constant(null), fc.array(junkObject, { minLength: 1, maxLength: 3 }), anyValidish.map((x) => [x.input])))
    .map(([op, v]) => req({ family: 'not-an-object', target: T(op), body: JSON.stringify(v), expectTypes: FRAMEWORK }));

  // ------------------------------------------------------------ family: bytes that are not JSON
  const parsesAsObject = (b: string | Uint8Array) => {
    const text = typeof b === 'string' ? b : Buffer.from(b).toString('utf8');
    if (Buffer.byteLength(text) === 0) return true; // empty body = {}
    try {
      return isObject(JSON.parse(text));
    } catch {
      return false;
    }
  };
  const notJson = fc
    .tuple(
      anyOp,
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        anyValidish.chain(({ input }) => {
          const s = JSON.stringify(input);
          return fc.integer({ min: 1, max: s.length - 1 }).map((n) => s.slice(0, n));
        }),
        fc.tuple(anyValidish, fc.constantFrom('x', ',', '}', ' {}', '\u0000', ']', '"', 'null')).map(([{ input }, tail]) => JSON.stringify(input) + tail),
        anyValidish.map(({ input }) => JSON.stringify(input).replaceAll('"', "'")),
        anyValidish.map(({ input }) => `{${JSON.stringify(input)}}`),
        fc.constantFrom('{"MaxItems": NaN}', '{"a": undefined}', '{/* c */}', '{,}', '{"a" 1}', '\uFEFF\uFEFF{}', '{"CertificateArn":"\\x41"}', '{"a":"\\ud800', '\u0000'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }),
      ),
    )
    .filter(([, b]) => !parsesAsObject(b))
    .map(([op, body]) => req({ family: 'not-json', target: T(op), body, expectTypes: FRAMEWORK }));

  // ------------------------------------------------------------ family: unknown and not-implemented targets
  const protoNames = new Set(Object.getOwnPropertyNames(Object.prototype));
  const isDispatchable = (t: string) => {
    const dot = t.lastIndexOf('.');
    return dot > 0 && t.slice(0, dot) === 'CertificateManager' && (OPS.includes(t.slice(dot + 1) as Op) || protoNames.has(t.slice(dot + 1)));
  };
  const unknownTarget = fc.oneof(
    fc.constantFrom(...ACM_NOT_YET_IMPLEMENTED).map(T),
    anyOp.chain((op) => fc.constantFrom(op.toLowerCase(), op.toUpperCase(), `${op}s`, `${op}V2`, `${op}.${op}`, `${op}_`, op.slice(1)).map(T)),
    anyOp.chain((op) => fc.constantFrom('certificatemanager', 'CertificateManagerV2', 'ACM', 'AWSCertificateManager', 'CertificateManager_20151208', 'CertificateManager.', '').map((p) => `${p}.${op}`)),
    fc.constantFrom('CertificateManager', 'CertificateManager.', '.', '..', 'ACMPrivateCA.ListCertificateAuthorities', 'ACMPrivateCA.Nope', 'Route53.ListHostedZones', 'ACM.ListCertificates'),
    fc.stringMatching(/^[A-Za-z0-9._:/-]{1,60}$/).map((s) => (s.includes('.') ? s : T(s))),
  ).filter((t) => !isDispatchable(t));
  const unknownOps = fc
    .tuple(fc.option(unknownTarget, { nil: undefined, freq: 12 }), fc.oneof(anyValidish.map((x) => JSON.stringify(x.input)), junkObject.map((o) => JSON.stringify(o)), fc.constant('')))
    .map(([target, body]) => req({ family: 'unknown-target', target, body }));

  // ------------------------------------------------------------ family: content types
  const contentTypes = fc
    .tuple(
      anyValidish,
      fc.constantFrom('text/plain', 'application/xml', 'application/x-amz-json-1.2', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', null, 'application/x-amz-json-1.1x', 'application/x-amz-json', 'application/x-amz-cbor-1.1', 'application/json-seq'),
    )
    .map(([{ op, input }, ct]) => req({ family: 'content-type', target: T(op), body: JSON.stringify(input), contentType: ct, expectTypes: FRAMEWORK }));

  // ------------------------------------------------------------ family: deep FilterStatement with a broken leaf
  const searchShape = inputShapes.SearchCertificates as Extract<Shape, { type: 'structure' }>;
  const leaf = searchFilter.chain((f) => mutate(searchShape.members.FilterStatement, { Filter: f }));
  const deepSearch = fc
    .tuple(leaf, fc.array(fc.tuple(fc.constantFrom('Not', 'And', 'Or'), fc.boolean()), { minLength: 10, maxLength: 150 }), statement)
    .map(([bottom, path, sibling]) => {
      let s: unknown = bottom;
      for (const [kind, withSibling] of path) s = kind === 'Not' ? { Not: s } : { [kind]: withSibling ? [sibling, s] : [s] };
      return jsonReq('deep-filter', 'SearchCertificates', { FilterStatement: s }, FRAMEWORK);
    });

  // ------------------------------------------------------------ family: bodies over the size limit
  const oversize = fc
    .tuple(anyValidish, fc.integer({ min: MAX_BODY + 1, max: MAX_BODY * 1.5 }))
    .map(([{ op, input }, n]) => {
      const body = JSON.stringify({ ...input, Padding: '' });
      return req({ family: 'oversize', target: T(op), body: body.replace('"Padding":""', `"Padding":"${'p'.repeat(n - body.length)}"`), expectTypes: ['RequestEntityTooLargeException'] });
    });

  // ------------------------------------------------------------ family: valid shape, rule broken (acm.md §2.3)
  const bareArnOps = ['DeleteCertificate', 'DescribeCertificate', 'GetCertificate', 'ListTagsForCertificate', 'ListCertificateDomainValidations', 'RenewCertificate'] as const;
  const arnOps = [...bareArnOps, 'AddTagsToCertificate', 'ExportCertificate', 'RemoveTagsFromCertificate', 'ResendValidationEmail', 'RevokeCertificate', 'UpdateCertificateOptions', 'ImportCertificate'] as const;
  const pending = [fx.pendingDns, fx.pendingEmail, fx.pendingExportable];
  const notExported = [fx.pendingDns, fx.pendingEmail, fx.pendingExportable, fx.privateIssued, fx.failed, fx.imported, fx.importedEc];
  const awsKey = fc.tuple(fc.constantFrom('aws:', 'AWS:', 'Aws:', 'aWs:'), fc.stringMatching(/^[a-z0-9]{0,10}$/)).map(([p, k]) => p + k);
  const withAwsTag = fc.tuple(tags, awsKey, fc.option(tagValue, { nil: undefined })).map(([t, k, v]) => [...t, v === undefined ? { Key: k } : { Key: k, Value: v }]);
  const badPassphrase = fc.oneof(
    fc.tuple(passphrase, fc.constantFrom('#', '$', '%'), fc.nat(30)).map(([p, c, i]) => b64(p.slice(0, i % p.length) + c + p.slice(i % p.length))),
    fc.tuple(passphrase, fc.constantFrom(0x00, 0x0a, 0x7f, 0x80, 0xe9, 0xff)).map(([p, byte]) => b64(Buffer.concat([Buffer.from(p), Buffer.from([byte])]))),
  );
  const longDomain = fc.integer({ min: 65, max: 253 }).map((n) => {
    const labels: string[] = [];
    let remaining = n - '.com'.length;
    for (; remaining > 61; remaining -= 61) labels.push('d'.repeat(60));
    labels.push('e'.repeat(remaining));
    return `${labels.join('.')}.com`;
  });
  const other = (material: KeyAndCert) => ({ Certificate: b64(material.certPem), PrivateKey: b64(material.keyPem) });
  const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const encryptedKey = createPrivateKey(fx.rsa.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
  const ed25519Key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  const rule = (name: string, op: Op, input: fc.Arbitrary<Record<string, unknown>>) => input.map((i) => jsonReq(`rule:${name}`, op, i));
  const ruleBroken = fc.oneof(
    // ARNs naming no certificate of this caller, on every operation that takes one.
    { weight: 6, arbitrary: fc.constantFrom(...arnOps).chain((op) => fc.tuple(base[op], badArn).map(([i, arn]) => jsonReq('rule:bad-arn', op, { ...i, CertificateArn: arn }))) },
    // RequestCertificate
    { weight: 1, arbitrary: rule('unsupported-key-algorithm', 'RequestCertificate', fc.tuple(base.RequestCertificate, fc.constantFrom('RSA_1024', 'RSA_3072', 'RSA_4096', 'EC_secp521r1')).map(([i, k]) => ({ ...i, KeyAlgorithm: k }))) },
    { weight: 1, arbitrary: rule('cn-over-64', 'RequestCertificate', fc.tuple(base.RequestCertificate, longDomain).map(([i, d]) => ({ ...i, DomainName: d }))) },
    { weight: 1, arbitrary: rule('http-without-cloudfront', 'RequestCertificate', base.RequestCertificate.map(({ CertificateAuthorityArn: _, ...i }) => ({ ...i, ValidationMethod: 'HTTP' }))) },
    { weight: 1, arbitrary: rule('dvo-not-a-name', 'RequestCertificate', fc.tuple(base.RequestCertificate, domain).map(([{ CertificateAuthorityArn: _, ...i }, d]) => ({ ...i, DomainName: 'a.example.com', SubjectAlternativeNames: ['b.example.com'], DomainValidationOptions: [{ DomainName: `x${d}`.replace('*.', 'w.').replace(/\.(com|org|net|io)$/, '.net'), ValidationDomain: 'example.net' }] }))) },
    { weight: 1, arbitrary: rule('dvo-not-superdomain', 'RequestCertificate', fc.tuple(base.RequestCertificate, label).map(([{ CertificateAuthorityArn: _, ...i }, l]) => ({ ...i, DomainName: 'www.example.com', SubjectAlternativeNames: undefined, DomainValidationOptions: [{ DomainName: 'www.example.com', ValidationDomain: `${l}.elsewhere.org` }] }))) },
    { weight: 1, arbitrary: rule('private-with-export', 'RequestCertificate', fc.tuple(base.RequestCertificate, fc.constantFrom('ENABLED', 'DISABLED')).map(([i, e]) => ({ ...i, CertificateAuthorityArn: fx.caArn, Options: { Export: e } }))) },
    { weight: 1, arbitrary: rule('aws-tag', 'RequestCertificate', fc.tuple(base.RequestCertificate, withAwsTag).map(([i, t]) => ({ ...i, Tags: t }))) },
    { weight: 1, arbitrary: rule('too-many-domains', 'RequestCertificate', fc.tuple(base.RequestCertificate, fc.uniqueArray(label, { minLength: 11, maxLength: 40 })).map(([i, ls]) => ({ ...i, DomainName: 'many.example.com', SubjectAlternativeNames: ls.map((l) => `${l}.many.example.com`) }))) },
    // ImportCertificate
    { weight: 3, arbitrary: rule('bad-material', 'ImportCertificate', fc.tuple(
      fc.option(fc.constantFrom(fx.imported, fx.importedEc), { nil: undefined }),
      fc.oneof(
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(fx.otherRsaKeyPem) }),
        fc.constant({ Certificate: b64(fx.rsa.keyPem), PrivateKey: b64(fx.rsa.certPem) }),
        fc.constant({ Certificate: b64(der(fx.rsa.certPem)), PrivateKey: b64(fx.rsa.keyPem) }),
        fc.constant({ Certificate: b64(fx.rsa.certPem + fx.ec.certPem), PrivateKey: b64(fx.rsa.keyPem) }),
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(encryptedKey) }),
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(ed25519Key) }),
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(fx.rsa.keyPem + fx.otherRsaKeyPem) }),
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(der(fx.rsa.keyPem)) }),
        fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => ({ Certificate: b64(b), PrivateKey: b64(fx.rsa.keyPem) })),
        fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => ({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(b) })),
        fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 500 }).map((b) => Buffer.from(b)), fc.constant(Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n')), fc.constant(Buffer.from(fx.otherRsaKeyPem)))
          .map((chain) => ({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(fx.rsa.keyPem), CertificateChain: b64(chain) })),
        fc.constant({ Certificate: b64(fx.rsa.certPem), PrivateKey: b64(fx.rsa.keyPem), CertificateChain: b64(fx.ec.certPem) }),
      ),
    ).map(([arn, m]) => ({ ...m, ...(arn ? { CertificateArn: arn } : {}) }))) },
    { weight: 1, arbitrary: rule('aws-tag', 'ImportCertificate', withAwsTag.map((t) => ({ ...other(fx.rsa), Tags: t }))) },
    { weight: 1, arbitrary: rule('reimport-with-tags', 'ImportCertificate', tags.map((t) => ({ ...other(fx.rsa), CertificateArn: fx.imported, Tags: t }))) },
    { weight: 1, arbitrary: rule('reimport-not-imported', 'ImportCertificate', fc.constantFrom(fx.pendingDns, fx.privateIssued, fx.privateExported, fx.failed).map((arn) => ({ ...other(fx.rsa), CertificateArn: arn }))) },
    { weight: 1, arbitrary: rule('reimport-other-algorithm', 'ImportCertificate', fc.constantFrom({ ...other(fx.ec), CertificateArn: fx.imported }, { ...other(fx.rsa), CertificateArn: fx.importedEc })) },
    // ExportCertificate
    { weight: 1, arbitrary: rule('not-exportable', 'ExportCertificate', fc.tuple(fc.constantFrom(fx.imported, fx.importedEc, fx.pendingDns, fx.pendingEmail, fx.pendingExportable, fx.failed), passphrase).map(([arn, p]) => ({ CertificateArn: arn, Passphrase: b64(p) }))) },
    { weight: 1, arbitrary: rule('bad-passphrase', 'ExportCertificate', fc.tuple(fc.constantFrom(fx.privateIssued, fx.privateExported), badPassphrase).map(([arn, p]) => ({ CertificateArn: arn, Passphrase: p }))) },
    // State-dependent operations
    { weight: 1, arbitrary: rule('not-issued', 'GetCertificate', fc.constantFrom(...pending, fx.failed).map((arn) => ({ CertificateArn: arn }))) },
    { weight: 1, arbitrary: rule('not-renewable', 'RenewCertificate', fc.constantFrom(...notExported).map((arn) => ({ CertificateArn: arn }))) },
    { weight: 1, arbitrary: rule('not-revocable', 'RevokeCertificate', fc.tuple(fc.constantFrom(...notExported), fc.constantFrom(...REVOCATION_REASONS)).map(([arn, r]) => ({ CertificateArn: arn, RevocationReason: r }))) },
    { weight: 1, arbitrary: rule('resend-wrong-state', 'ResendValidationEmail', fc.tuple(fc.constantFrom(fx.pendingDns, fx.pendingExportable, fx.privateIssued, fx.imported, fx.failed), domain).map(([arn, d]) => ({ CertificateArn: arn, Domain: d, ValidationDomain: d }))) },
    { weight: 1, arbitrary: rule('resend-wrong-domain', 'ResendValidationEmail', fc.oneof(
      domain.filter((d) => d !== 'mail.example.org').map((d) => ({ CertificateArn: fx.pendingEmail, Domain: d, ValidationDomain: d })),
      // Neither the domain nor a superdomain of it (API doc).
      fc.constantFrom('other.example.org', 'sub.mail.example.org', 'example.net', 'mail.example.org.uk', 'ail.example.org').map((v) => ({ CertificateArn: fx.pendingEmail, Domain: 'mail.example.org', ValidationDomain: v })),
    )) },
    { weight: 1, arbitrary: rule('options-wrong-state', 'UpdateCertificateOptions', fc.tuple(fc.constantFrom(...pending, fx.failed), base.UpdateCertificateOptions).map(([arn, i]) => ({ ...i, CertificateArn: arn }))) },
    { weight: 1, arbitrary: rule('options-change-export', 'UpdateCertificateOptions', fc.constantFrom(fx.privateIssued, fx.privateExported, fx.imported).map((arn) => ({ CertificateArn: arn, Options: { Export: 'ENABLED' } }))) },
    // Tags
    { weight: 1, arbitrary: rule('aws-tag', 'AddTagsToCertificate', fc.tuple(fc.constantFrom(...real), withAwsTag).map(([arn, t]) => ({ CertificateArn: arn, Tags: t }))) },
    { weight: 1, arbitrary: rule('aws-tag', 'RemoveTagsFromCertificate', fc.tuple(fc.constantFrom(...real), withAwsTag).map(([arn, t]) => ({ CertificateArn: arn, Tags: t }))) },
    { weight: 1, arbitrary: rule('too-many-tags', 'AddTagsToCertificate', fc.tuple(fc.constantFrom(...fx.tagged), fc.integer({ min: 49, max: 50 })).map(([arn, n]) => ({ CertificateArn: arn, Tags: Array.from({ length: n }, (_, i) => ({ Key: `bulk-${i}`, Value: 'v' })) }))) },
    // Listing, search, account configuration
    { weight: 1, arbitrary: rule('sort-half', 'ListCertificates', fc.oneof(fc.constant({ SortBy: 'CREATED_AT' }), fc.constantFrom('ASCENDING', 'DESCENDING').map((o) => ({ SortOrder: o })))) },
    { weight: 1, arbitrary: rule('forged-token', 'ListCertificates', nextToken.map((t) => ({ NextToken: t }))) },
    { weight: 1, arbitrary: rule('forged-token', 'SearchCertificates', nextToken.map((t) => ({ NextToken: t }))) },
    { weight: 1, arbitrary: rule('no-expiry-events', 'PutAccountConfiguration', fc.tuple(token, fc.boolean()).map(([t, empty]) => (empty ? { IdempotencyToken: t, ExpiryEvents: {} } : { IdempotencyToken: t }))) },
  );

  return { shapeBroken, notAnObject, notJson, unknownOps, contentTypes, deepSearch, oversize, ruleBroken };
}

// ---------------------------------------------------------------- checking one answer

const seen = new Map<string, number>();
const opsSeen = new Set<string>();

function checkRejected(r: RawResponse, rq: Req): void {
  assert.equal(r.error, undefined, `no response (${r.error})`);
  assert.ok(r.status >= 400 && r.status < 500, `expected HTTP 4xx, got ${r.status}: ${r.text.slice(0, 300)}`);
  const id = r.headers.get('x-amzn-requestid');
  assert.ok(id && id.length > 0, 'x-amzn-RequestId header missing');
  assert.match(r.headers.get('content-type') ?? '', /json/, 'error content type is not JSON');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(r.text);
  } catch {
    assert.fail(`error body is not JSON: ${r.text.slice(0, 300)}`);
  }
  assert.ok(isObject(body), 'error body is not a JSON object');
  assert.ok(typeof body.__type === 'string' && body.__type.length > 0, `__type missing: ${r.text.slice(0, 300)}`);
  const message = body.message ?? body.Message;
  assert.equal(typeof message, 'string', `message/Message missing: ${r.text.slice(0, 300)}`);
  if (rq.expectTypes) assert.ok(rq.expectTypes.includes(body.__type), `expected one of ${rq.expectTypes.join('|')}, got ${body.__type}: ${String(message).slice(0, 300)}`);
  const k = `${rq.family.startsWith('rule:') ? 'rule' : rq.family} → ${r.status} ${body.__type}`;
  seen.set(k, (seen.get(k) ?? 0) + 1);
  if (rq.target) opsSeen.add(rq.target);
}

// ---------------------------------------------------------------- the server and its state

let server: RunningServer;
let call: RawCall;
let fx: Fixtures;
let before_: unknown;

async function snapshot(): Promise<unknown> {
  const list = await ok(call, T('ListCertificates'), { CertificateStatuses: [...CERTIFICATE_STATUSES], Includes: { keyTypes: [...KEY_ALGORITHMS] } });
  const arns: string[] = list.CertificateSummaryList.map((c: { CertificateArn: string }) => c.CertificateArn).sort();
  const certificates: Record<string, unknown> = {};
  for (const arn of arns) {
    certificates[arn] = {
      describe: await ok(call, T('DescribeCertificate'), { CertificateArn: arn }),
      tags: await ok(call, T('ListTagsForCertificate'), { CertificateArn: arn }),
    };
  }
  return {
    list,
    certificates,
    search: await ok(call, T('SearchCertificates'), {}),
    config: await ok(call, T('GetAccountConfiguration'), {}),
  };
}

async function status(arn: string): Promise<string> {
  return (await ok(call, T('DescribeCertificate'), { CertificateArn: arn })).Certificate.Status;
}

before(async () => {
  // A long validation delay keeps the AMAZON_ISSUED certificates pending for the whole run.
  server = await startServer({ CERTTRAIL_AUTO_VALIDATION_DELAY_SECONDS: '3600' });
  call = rawClient(server.url);
  const pca = new ACMPCAClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const ca = (await pca.send(new ListCertificateAuthoritiesCommand({}))).CertificateAuthorities![0];
  pca.destroy();
  const caAlg = ca.CertificateAuthorityConfiguration!.KeyAlgorithm!.startsWith('RSA') ? 'RSA_2048' : 'EC_prime256v1';

  const request = async (input: Record<string, unknown>) => (await ok(call, T('RequestCertificate'), input)).CertificateArn as string;
  const rsa = selfSigned('imported.example.com', { kind: 'rsa' });
  const ec = selfSigned('imported-ec.example.com', { kind: 'ec' });
  const otherRsaKeyPem = selfSigned('other.example.com', { kind: 'rsa' }).keyPem;

  const pendingDns = await request({
    DomainName: 'pending.example.com', ValidationMethod: 'DNS', SubjectAlternativeNames: ['www.pending.example.com'],
    IdempotencyToken: 'setup1', Tags: [{ Key: 'env', Value: 'test' }, { Key: 'flag' }],
  });
  const pendingEmail = await request({
    DomainName: 'mail.example.org', ValidationMethod: 'EMAIL', KeyAlgorithm: 'EC_prime256v1',
    DomainValidationOptions: [{ DomainName: 'mail.example.org', ValidationDomain: 'example.org' }],
    Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }],
  });
  const pendingExportable = await request({ DomainName: 'exp.example.net', ValidationMethod: 'DNS', Options: { Export: 'ENABLED' } });
  const privateExported = await request({ DomainName: 'private.internal.example', CertificateAuthorityArn: ca.Arn, KeyAlgorithm: caAlg });
  const privateIssued = await request({ DomainName: 'private2.internal.example', CertificateAuthorityArn: ca.Arn, KeyAlgorithm: caAlg, Tags: [{ Key: 'team', Value: 'x' }, { Key: 'cost', Value: '1' }] });
  const failed = await request({ DomainName: 'failed.example.com', CertificateAuthorityArn: `arn:aws:acm-pca:${REGION}:111122223333:certificate-authority/00000000-0000-4000-8000-000000000000` });
  const imported = (await ok(call, T('ImportCertificate'), { Certificate: b64(rsa.certPem), PrivateKey: b64(rsa.keyPem), Tags: [{ Key: 'imported', Value: 'yes' }, { Key: 'owner', Value: 'me' }] })).CertificateArn as string;
  const importedEc = (await ok(call, T('ImportCertificate'), { Certificate: b64(ec.certPem), PrivateKey: b64(ec.keyPem) })).CertificateArn as string;
  await ok(call, T('PutAccountConfiguration'), { ExpiryEvents: { DaysBeforeExpiry: 30 }, IdempotencyToken: 'setupcfg' });
  await waitFor(async () => ((await status(privateExported)) === 'ISSUED' && (await status(privateIssued)) === 'ISSUED' ? true : undefined));
  await ok(call, T('ExportCertificate'), { CertificateArn: privateExported, Passphrase: b64('setup-passphrase') });
  assert.equal(await status(failed), 'FAILED');
  for (const arn of [pendingDns, pendingEmail, pendingExportable]) assert.equal(await status(arn), 'PENDING_VALIDATION');

  fx = { caArn: ca.Arn!, pendingDns, pendingEmail, pendingExportable, privateExported, privateIssued, failed, imported, importedEc, tagged: [pendingDns, pendingEmail, privateIssued, imported], rsa, ec, otherRsaKeyPem };
  before_ = await snapshot();
  // The snapshot must be stable on its own, or the final comparison means nothing.
  assert.deepEqual(await snapshot(), before_, 'state changed without any request');
});

after(async () => {
  await server?.dispose();
});

// ---------------------------------------------------------------- the properties

const families: [name: keyof ReturnType<typeof arbitraries>, numRuns: number][] = [
  ['shapeBroken', 200],
  ['ruleBroken', 150],
  ['notJson', 40],
  ['notAnObject', 25],
  ['unknownOps', 40],
  ['contentTypes', 20],
  ['deepSearch', 25],
  ['oversize', 3],
];

for (const [i, [family, numRuns]] of families.entries()) {
  test(`malformed input (${family}) is rejected with a well-formed 4xx`, { timeout: 60_000 }, async () => {
    const arb = arbitraries(fx)[family];
    const seed = SEED + i;
    try {
      await fc.assert(
        fc.asyncProperty(arb, async (rq) => {
          const r = await call(rq.target, rq.body, { contentType: rq.contentType });
          checkRejected(r, rq);
        }),
        { seed, numRuns: Math.max(1, Math.round(numRuns * SCALE)) },
      );
    } catch (e) {
      throw new Error(`property ${family} failed (seed ${seed}; rerun with CERTTRAIL_FC_SEED=${SEED}): ${(e as Error).message}`);
    }
  });
}

// ---------------------------------------------------------------- bugs this test found once (kept as regressions)

test('operation names inherited from Object.prototype are unknown operations, not 500s', async () => {
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    const rq = req({ family: 'proto-target', target: T(name), body: '{}', expectTypes: ['UnknownOperationException'] });
    checkRejected(await call(rq.target, rq.body), rq);
  }
});

test('constraint messages survive members named toString', async () => {
  const cases = [
    { op: 'AddTagsToCertificate', input: { CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/x`, Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: i === 0 ? { toString: 1 } : 'v' })) } },
    { op: 'SearchCertificates', input: { FilterStatement: { Filter: { CertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/x` }, Not: { toString: 'x' } } } },
    { op: 'SearchCertificates', input: { FilterStatement: { And: [], Or: [{ toString: [] }] } } },
  ];
  for (const c of cases) {
    const rq = jsonReq('toString-member', c.op, c.input, FRAMEWORK);
    checkRejected(await call(rq.target, rq.body), rq);
  }
});

test('a deeply nested FilterStatement is rejected, not a stack overflow', async () => {
  for (const [kind, depth] of [['Not', 3000], ['And', 1500]] as const) {
    let s: unknown = { Filter: { CertificateArn: 'bad' } };
    for (let i = 0; i < depth; i++) s = kind === 'Not' ? { Not: s } : { And: [s] };
    const rq = jsonReq('very-deep-filter', 'SearchCertificates', { FilterStatement: s }, FRAMEWORK);
    checkRejected(await call(rq.target, rq.body), rq);
  }
});

test('a body over 4× the size limit still gets a 413 answer', async () => {
  for (const n of [11_000_000, 20_000_000, 40_000_000, 20_000_000]) {
    const rq = req({ family: 'huge', target: T('ListCertificates'), body: JSON.stringify({ NextToken: 'a'.repeat(n) }), expectTypes: ['RequestEntityTooLargeException'] });
    checkRejected(await call(rq.target, rq.body), rq);
  }
});

test('an ARN with another partition does not name this account\'s certificate', async () => {
  for (const partition of ['aws-cn', 'aws-us-gov', 'foo']) {
    const arn = fx.imported.replace(/^arn:aws:/, `arn:${partition}:`);
    for (const op of ['DescribeCertificate', 'ListTagsForCertificate', 'GetCertificate']) {
      const rq = jsonReq('partition', op, { CertificateArn: arn });
      checkRejected(await call(rq.target, rq.body), rq);
    }
  }
});

// ---------------------------------------------------------------- afterwards

test('the server is still up and rejected calls changed no stored state', async (t) => {
  assert.equal(server.proc.exitCode, null, 'server process exited');
  assert.equal((await fetch(`${server.url}/_certtrail/health`)).status, 200);
  assert.deepEqual(await snapshot(), before_, 'stored state changed');
  for (const [k, n] of [...seen].sort()) t.diagnostic(`${k}: ${n}`);
  const missing = OPS.filter((op) => !opsSeen.has(T(op)));
  assert.deepEqual(missing, [], 'operations never exercised');
});
