import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError, InvalidSignatureException, UnrecognizedClientException } from '../kernel/errors.js';
import { decodeQuery, encodeQueryError, encodeQueryResponse, isFormContentType, structuredParams, toQueryError } from './query.js';

test('decodeQuery: Action, Version, the rest by name; + is a space; SigV4 query parameters left out', () => {
  const q = decodeQuery('Action=AssumeRole&Version=2011-06-15&RoleSessionName=a+b%2Bc&Tags.member.1.Key=k&X-Amz-Signature=ff&X-Amz-Credential=x');
  assert.equal(q.action, 'AssumeRole');
  assert.equal(q.version, '2011-06-15');
  assert.deepEqual({ ...q.params }, { RoleSessionName: 'a b+c', 'Tags.member.1.Key': 'k' });
  const empty = decodeQuery('');
  assert.deepEqual([empty.action, empty.version, Object.keys(empty.params)], [undefined, undefined, []]);
  assert.throws(() => decodeQuery('Action=%zz'), (e: ServiceError) => e.code === 'MalformedQueryString');
});

test('isFormContentType: the form type with or without a charset, nothing else', () => {
  assert.ok(isFormContentType('application/x-www-form-urlencoded; charset=utf-8'));
  assert.ok(isFormContentType('Application/X-WWW-Form-Urlencoded'));
  assert.ok(!isFormContentType('application/x-amz-json-1.1'));
  assert.ok(!isFormContentType(undefined));
});

test('encodings escape text; errors carry Sender or Receiver', () => {
  assert.equal(
    encodeQueryResponse('GetCallerIdentity', 'urn:x', { Arn: 'a<&>', UserId: undefined }, 'r1'),
    '<GetCallerIdentityResponse xmlns="urn:x"><GetCallerIdentityResult><Arn>a&lt;&amp;&gt;</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>\n',
  );
  assert.match(encodeQueryError('urn:x', new ServiceError('InternalFailure', 'x', 500), 'r'), /<Type>Receiver<\/Type>/);
  assert.match(encodeQueryError('urn:x', new ServiceError('InvalidAction', '"q"', 400), 'r'), /<Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>&quot;q&quot;<\/Message>/);
});

test('toQueryError: the query names and statuses of the shared steps\' errors', () => {
  const unknown = toQueryError(UnrecognizedClientException('The security token included in the request is invalid.'));
  assert.deepEqual([unknown.code, unknown.status], ['InvalidClientTokenId', 403]);
  const sig = toQueryError(InvalidSignatureException("Bad.\n\nThe Canonical String for this request should have been\n'x'"));
  assert.deepEqual([sig.code, sig.status, sig.message], ['SignatureDoesNotMatch', 403, 'Bad.']);
  const expired = toQueryError(InvalidSignatureException('Signature expired: a is now earlier than b'));
  assert.equal(expired.message, 'Signature expired: a is now earlier than b');
});

test('query parameters become the structure CloudTrail records (lists of members, integers as numbers)', () => {
  assert.deepEqual(
    structuredParams({
      UserName: 'bob', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue', 'Tags.member.2.Key': 'env', 'Tags.member.2.Value': '',
      'TagKeys.member.1': 'a', 'TagKeys.member.2': 'b', DurationSeconds: '900', 'PolicyArns.member.1.arn': 'arn:aws:iam::1:policy/p', RoleSessionName: '123',
    }),
    {
      UserName: 'bob', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: '' }], TagKeys: ['a', 'b'], DurationSeconds: 900,
      PolicyArns: [{ arn: 'arn:aws:iam::1:policy/p' }], RoleSessionName: '123',
    },
  );
});
