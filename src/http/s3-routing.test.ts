import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isS3Request } from './server.js';

const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

test('X-Amz-Target, or POST / not signed for s3, goes to the JSON services; everything else is S3', () => {
  assert.equal(isS3Request('POST', '/', '', { 'x-amz-target': 'CertificateManager.ListCertificates', authorization: auth('acm') }), false);
  assert.equal(isS3Request('GET', '/', '', { 'x-amz-target': 'CertificateManager.ListCertificates' }), false);
  assert.equal(isS3Request('POST', '/', '', { authorization: auth('acm') }), false);
  assert.equal(isS3Request('POST', '/', '', {}), false, 'unsigned POST / keeps its JSON UnknownOperation answer');
  assert.equal(isS3Request('POST', '/', 'X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fsts%2Faws4_request', {}), false);
  assert.equal(isS3Request('POST', '/', '', { authorization: auth('s3') }), true);
  assert.equal(isS3Request('POST', '/', 'X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fs3%2Faws4_request', {}), true);
  assert.equal(isS3Request('GET', '/', '', {}), true, 'ListBuckets');
  assert.equal(isS3Request('PUT', '/bucket', '', { authorization: auth('s3') }), true);
  assert.equal(isS3Request('POST', '/bucket', 'delete', { authorization: auth('s3') }), true);
  assert.equal(isS3Request('HEAD', '/bucket/key', '', {}), true);
});
