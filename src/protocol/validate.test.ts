import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeInput } from './validate.js';
import { inputShapes } from '../services/acm/shapes.js';
import type { ServiceError } from '../kernel/errors.js';

function reject(op: keyof typeof inputShapes, body: unknown): ServiceError {
  try {
    decodeInput(inputShapes[op], body);
  } catch (e) {
    return e as ServiceError;
  }
  assert.fail('expected a rejection');
}

test('required member missing: Coral wording with lowerCamel path', () => {
  const e = reject('PutAccountConfiguration', { ExpiryEvents: { DaysBeforeExpiry: 3 } });
  assert.equal(e.code, 'ValidationException');
  assert.equal(e.message, "1 validation error detected: Value null at 'idempotencyToken' failed to satisfy constraint: Member must not be null");
});

test('pattern failure quotes the model regex (terraform#24470 form)', () => {
  const e = reject('DescribeCertificate', { CertificateArn: 'arn:aws:acm:us-east-1:123:nope nope' });
  assert.match(e.message, /^1 validation error detected: Value 'arn:aws:acm:us-east-1:123:nope nope' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:/);
});

test('nested list members use .N.member paths and several errors are counted', () => {
  const e = reject('RequestCertificate', {
    DomainName: 'example.com',
    DomainValidationOptions: [{ DomainName: 'example.com' }],
    IdempotencyToken: 'has space',
  });
  assert.equal(e.code, 'ValidationException');
  assert.match(e.message, /^2 validation errors detected: /);
  assert.match(e.message, /Value null at 'domainValidationOptions\.1\.member\.validationDomain' failed to satisfy constraint: Member must not be null/);
  assert.match(e.message, /Value 'has space' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\w\+/);
});

test('enum and length constraints', () => {
  const e = reject('RequestCertificate', { DomainName: 'example.com', KeyAlgorithm: 'RSA_9999' });
  assert.match(e.message, /Member must satisfy enum value set: \[RSA_1024, RSA_2048/);
  const t = reject('AddTagsToCertificate', { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x', Tags: [] });
  assert.match(t.message, /at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  const n = reject('ListCertificates', { MaxItems: 0 });
  assert.match(n.message, /Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/);
});

test('sensitive values are redacted in messages', () => {
  const e = reject('ExportCertificate', { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x', Passphrase: Buffer.from('ab').toString('base64') });
  assert.match(e.message, /Value '\*\*\* Sensitive Data Redacted \*\*\*' at 'passphrase'/);
  assert.ok(!e.message.includes('ab\''));
});

test('wrong JSON types are SerializationException, not validation', () => {
  assert.equal(reject('RequestCertificate', { DomainName: 5 }).code, 'SerializationException');
  assert.equal(reject('ListCertificates', { CertificateStatuses: 'ISSUED' }).code, 'SerializationException');
  assert.equal(reject('ImportCertificate', { Certificate: '***', PrivateKey: 'AAAA' }).code, 'SerializationException');
});

test('blobs are base64-decoded and measured after decoding', () => {
  const out = decodeInput(inputShapes.ExportCertificate, { CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x', Passphrase: Buffer.from('testpass').toString('base64') });
  assert.ok(Buffer.isBuffer(out.Passphrase));
  assert.equal((out.Passphrase as Buffer).toString(), 'testpass');
});

test('unions need exactly one member; recursion through FilterStatement', () => {
  const e = reject('SearchCertificates', { FilterStatement: { And: [{ Filter: {} }] } });
  assert.match(e.message, /at 'filterStatement\.and\.1\.member\.filter' failed to satisfy constraint: Member must have exactly one member set/);
  const ok = decodeInput(inputShapes.SearchCertificates, { FilterStatement: { Not: { Filter: { AcmCertificateMetadataFilter: { Status: 'ISSUED' } } } } });
  assert.deepEqual(ok, { FilterStatement: { Not: { Filter: { AcmCertificateMetadataFilter: { Status: 'ISSUED' } } } } });
});

test('domain names: model pattern accepts wildcards and rejects bare labels', () => {
  assert.doesNotThrow(() => decodeInput(inputShapes.RequestCertificate, { DomainName: '*.example.com' }));
  assert.equal(reject('RequestCertificate', { DomainName: 'localhost' }).code, 'ValidationException');
  assert.equal(reject('RequestCertificate', { DomainName: '-bad.example.com' }).code, 'ValidationException');
});
