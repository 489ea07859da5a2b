import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Principal } from '../auth/principal.js';
import { ValidationException } from '../kernel/errors.js';
import { buildRecord, eventTimeString, recordJson, type CallFacts } from './event.js';
import type { EventProfile } from './masks.js';

/** Decoded inputs and outputs as handlers see them: JSON values, Buffers (blobs), Dates (timestamps). */
const leaf = fc.oneof(
  fc.string(),
  fc.constantFrom('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', '-----BEGIN PRIVATE KEY-----\nMIIE\n', 'ünïcødé "quoted" \\ \u2028 \u0000'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
  fc.integer({ min: 0, max: 4e12 }).map((n) => new Date(n)),
);
const member = fc.constantFrom('CertificateArn', 'PrivateKey', 'Certificate', 'CertificateChain', 'Passphrase', 'Tags', 'DomainName', 'A', 'constructor', 'x');
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(member, tie('v'), { maxKeys: 4 })),
})).v;
const principal: fc.Arbitrary<Principal> = fc.oneof(
  fc.record({ type: fc.constant('Root' as const), accountId: fc.constant('000000000000'), arn: fc.constant('arn:aws:iam::000000000000:root'), principalId: fc.constant('000000000000'), accessKeyId: fc.string() }),
  fc.record(
    { type: fc.constant('IAMUser' as const), accountId: fc.constant('123456789012'), arn: fc.string(), principalId: fc.string(), userName: fc.string(), accessKeyId: fc.string() },
    { requiredKeys: ['type', 'accountId', 'arn', 'principalId', 'accessKeyId'] },
  ),
);
const facts: fc.Arbitrary<CallFacts> = fc.record(
  {
    requestId: fc.uuid(),
    eventId: fc.uuid(),
    eventTime: fc.integer({ min: 0, max: 4e12 }).map((n) => new Date(n)),
    eventSource: fc.constantFrom('acm.amazonaws.com', 'cloudtrail.amazonaws.com'),
    eventName: fc.constantFrom('DescribeCertificate', 'ImportCertificate', 'ExportCertificate', 'GetCertificate', 'ListCertificates', ''),
    region: fc.string(),
    sourceIp: fc.string(),
    userAgent: fc.string(),
    principal,
    readOnly: fc.boolean(),
    input: fc.option(fc.dictionary(member, value, { maxKeys: 5 }), { nil: undefined }),
    output: fc.oneof(value, fc.dictionary(member, value, { maxKeys: 5 })),
    error: fc.option(fc.string({ maxLength: 1200 }).map((m) => ValidationException(m)), { nil: undefined }),
    readOnlyResponse: fc.option(fc.constant(['Certificate', 'CertificateChain'] as const), { nil: undefined }),
    tls: fc.option(fc.record({ tlsVersion: fc.string(), cipherSuite: fc.string(), clientProvidedHostHeader: fc.string() }), { nil: undefined }),
  },
  { requiredKeys: ['requestId', 'eventId', 'eventTime', 'eventSource', 'eventName', 'region', 'sourceIp', 'userAgent', 'principal', 'readOnly', 'input'] },
);

test('recordJson writes exactly what JSON.stringify(buildRecord(…)) writes', () => {
  fc.assert(
    fc.property(facts, fc.constantFrom<EventProfile>('current', '2016'), (f, profile) => {
      assert.equal(recordJson(f, profile), JSON.stringify(buildRecord(f, profile)));
      // Twice: the second time the principal's identity comes from the cache.
      assert.equal(recordJson(f, profile), JSON.stringify(buildRecord(f, profile)));
    }),
    { numRuns: 2000 },
  );
});

test('eventTimeString: UTC to the second, also when the last second is remembered', () => {
  const plain = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const edges = [0, 999, 1000, -1, -999, -1000, -1001, 1_700_000_000_123, 1_700_000_000_999, 1_700_000_001_000, 8.64e15, -8.64e15];
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...edges), fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 })), { minLength: 1, maxLength: 20 }), (ts) => {
      for (const t of ts) assert.equal(eventTimeString(new Date(t)), plain(new Date(t)));
    }),
    { numRuns: 500 },
  );
});
