import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicyError } from '../../auth/policy/parse.js';
import { namedIamPrincipals, parseTrustPolicy } from './trust-policy.js';

const doc = (statement: unknown, version = '2012-10-17') => JSON.stringify({ Version: version, Statement: statement });
const fails = (text: string, message: string) => assert.throws(() => parseTrustPolicy(text), (e) => e instanceof PolicyError && e.message === message);

test('principals of each type, one statement or a list, conditions read as in any policy', () => {
  const t = parseTrustPolicy(doc([
    { Sid: 'Ec2', Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
    {
      Effect: 'Allow', Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:role/path/r'] },
      Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
    },
    { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:user/alice' }, Action: 'sts:*' },
    { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' },
  ]));
  assert.equal(t.statements.length, 4);
  assert.deepEqual(t.statements[0].principal, { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] });
  assert.equal(t.statements[0].statement.sid, 'Ec2');
  assert.deepEqual(t.statements[0].statement.resource, ['*'], 'the role stands as the resource');
  assert.equal(t.statements[1].statement.conditions[0].key, 'sts:ExternalId');
  assert.deepEqual(t.statements[2].notPrincipal, { AWS: ['arn:aws:iam::123456789012:user/alice'] });
  assert.deepEqual(parseTrustPolicy(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' })).statements[0].principal, '*');
  assert.deepEqual(namedIamPrincipals(t), ['arn:aws:iam::123456789012:role/path/r', 'arn:aws:iam::123456789012:user/alice']);
});

test('IAM\'s refusals: Resource, no Principal, other services\' actions, malformed principals, bad JSON', () => {
  fails(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }), 'Has prohibited field Resource');
  fails(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'Missing required field Principal');
  fails(doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), 'AssumeRole policy may only specify STS AssumeRole actions.');
  fails(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:GetCallerIdentity' }), 'AssumeRole policy may only specify STS AssumeRole actions.');
  parseTrustPolicy(doc({ Effect: 'Allow', Principal: '*', Action: ['sts:Assume*', '*'] }));
  fails(doc({ Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 'sts:AssumeRole' }), 'Invalid principal in policy: "AWS":"alice"');
  fails(doc({ Effect: 'Allow', Principal: { Service: 'not a service' }, Action: 'sts:AssumeRole' }), 'Invalid principal in policy: "Service":"not a service"');
  fails(doc({ Effect: 'Allow', Principal: { Person: 'x' }, Action: 'sts:AssumeRole' }), 'Invalid principal in policy: "Person":"x"');
  fails('{"Statement": ', 'Syntax errors in policy.');
  // The rest of the grammar is the identity policies' parser's.
  fails(doc({ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }), 'Syntax errors in policy. Effect must be Allow or Deny.');
  fails(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringSorta: { a: 'b' } } }), 'Invalid Condition type : StringSorta.');
});
