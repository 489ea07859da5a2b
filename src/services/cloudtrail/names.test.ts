import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isServiceError } from '../../kernel/errors.js';
import { checkTrailName, parseCloudTrailArn, parseTrailArn } from './names.js';
import { checkBucketName } from './settings.js';

const code = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (isServiceError(e)) return e.code;
    throw e;
  }
  return 'ok';
};

test('trail names: the rules of the InvalidTrailNameException doc', () => {
  for (const ok of ['abc', 'My.Trail_1-x', 'a'.repeat(128), '1.2.3', '1.2.3.4.5', 'a-b.c_d'])
    assert.equal(code(() => checkTrailName(ok)), 'ok', ok);
  for (const bad of ['ab', 'a'.repeat(129), '-abc', '_abc', 'abc.', 'ab--c', 'a._b', 'a b c', 'ümlaut', 'a/b/c', '192.168.5.4', 'arn:aws:x'])
    assert.equal(code(() => checkTrailName(bad)), 'InvalidTrailNameException', bad);
});

test('trail ARNs: any other shape is CloudTrailARNInvalidException', () => {
  assert.deepEqual(parseTrailArn('arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail'), { partition: 'aws', region: 'us-east-2', account: '123456789012', type: 'trail', id: 'MyTrail' });
  assert.equal(parseCloudTrailArn('arn:aws:cloudtrail:us-east-2:123456789012:eventdatastore/EXAMPLE-f852').type, 'eventdatastore');
  for (const bad of ['arn:aws:cloudtrail:us-east-2:123456789012:eventdatastore/x', 'arn:aws:cloudtrail:us-east-2:1234:trail/MyTrail',
    'arn:aws:s3:::bucket', 'arn:aws:cloudtrail:us-east-2:123456789012:trail/a', 'arn:aws:cloudtrail:us-east-2:123456789012:trail/', 'arn:'])
    assert.equal(code(() => parseTrailArn(bad)), 'CloudTrailARNInvalidException', bad);
});

test('S3 bucket names: the general-purpose bucket rules', () => {
  for (const ok of ['abc', 'my-logs.example', 'a'.repeat(63), '1bucket'])
    assert.equal(code(() => checkBucketName(ok)), 'ok', ok);
  for (const bad of ['ab', 'a'.repeat(64), 'Upper', 'under_score', '-abc', 'abc-', 'a..b', '10.0.0.1', 'xn--abc', 'abc-s3alias', 'a b'])
    assert.equal(code(() => checkBucketName(bad)), 'InvalidS3BucketNameException', bad);
});
