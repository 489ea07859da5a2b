import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQueryRequest } from './server.js';

const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

test('the query protocol: POST / form-encoded, or GET with Action=, signed for sts or iam; nothing else', () => {
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM, authorization: auth('sts') }), true);
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM, authorization: auth('iam') }), true);
  const presigned = 'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fsts%2Faws4_request';
  assert.equal(isQueryRequest('GET', '/', presigned, {}), true);
  assert.equal(isQueryRequest('GET', '/', 'Action=GetCallerIdentity', { authorization: auth('sts') }), true);

  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM, authorization: auth('acm') }), false, 'JSON services keep their answers');
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM, authorization: auth('s3') }), false, 'S3 POST / stays S3');
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': 'application/x-amz-json-1.1', authorization: auth('sts') }), false);
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM, 'x-amz-target': 'X.Y', authorization: auth('sts') }), false);
  assert.equal(isQueryRequest('POST', '/', '', { 'content-type': FORM }), false, 'unsigned: no scope to route by');
  assert.equal(isQueryRequest('GET', '/', '', { authorization: auth('sts') }), false, 'no Action: ListBuckets-like, S3');
  assert.equal(isQueryRequest('POST', '/bucket', '', { 'content-type': FORM, authorization: auth('sts') }), false);
});
