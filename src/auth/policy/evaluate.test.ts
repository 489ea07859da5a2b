/**
 * The evaluator on the cases the IAM User Guide spells out (evaluation logic, condition
 * operators, IfExists, set qualifiers, policy variables); the differential test covers breadth.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessDeniedMessage } from './denied.js';
import { evaluate } from './evaluate.js';
import { PolicyError, parsePolicy } from './parse.js';
import type { AuthzRequest, ContextValues, NamedPolicy, PolicySet } from './types.js';

const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/0b3c2d1e-1111-4222-8333-444455556666';
const USER = 'arn:aws:iam::111122223333:user/alice';
const policy = (name: string, statements: unknown[], version = '2012-10-17'): NamedPolicy => ({ name, document: parsePolicy(JSON.stringify({ Version: version, Statement: statements })) });
const allowAll = policy('allow-all', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
const req = (action: string, context: ContextValues = {}, resource = CERT): AuthzRequest => ({ action, resource, context: { 'aws:username': 'alice', ...context } });
const decide = (p: Partial<PolicySet>, r: AuthzRequest) => evaluate({ identity: [], ...p }, r).decision;

test('default deny, allow, explicit deny over allow; root allowed', () => {
  assert.equal(decide({}, req('acm:DescribeCertificate')), 'ImplicitDeny');
  assert.equal(decide({ identity: [allowAll] }, req('acm:DescribeCertificate')), 'Allow');
  const deny = policy('deny-delete', [{ Effect: 'Deny', Action: 'acm:DeleteCertificate', Resource: '*' }]);
  assert.equal(decide({ identity: [allowAll, deny] }, req('acm:DeleteCertificate')), 'ExplicitDeny');
  assert.equal(decide({ identity: [allowAll, deny] }, req('acm:DescribeCertificate')), 'Allow');
  assert.equal(decide({ isRoot: true }, req('acm:DeleteCertificate')), 'Allow');
});

test('actions match case-insensitively with wildcards; NotAction and NotResource invert', () => {
  const p = policy('p', [{ Effect: 'Allow', Action: ['ACM:describe*', 'acm:List?ertificates'], Resource: 'arn:aws:acm:us-east-1:111122223333:certificate/*' }]);
  assert.equal(decide({ identity: [p] }, req('acm:DescribeCertificate')), 'Allow');
  assert.equal(decide({ identity: [p] }, req('acm:ListCertificates')), 'Allow');
  assert.equal(decide({ identity: [p] }, req('acm:DeleteCertificate')), 'ImplicitDeny');
  assert.equal(decide({ identity: [p] }, req('acm:DescribeCertificate', {}, CERT.replace('111122223333', '999988887777'))), 'ImplicitDeny');
  const not = policy('n', [{ Effect: 'Allow', NotAction: 'acm:Delete*', NotResource: 'arn:aws:acm:*:*:certificate/secret-*' }]);
  assert.equal(decide({ identity: [not] }, req('acm:DescribeCertificate')), 'Allow');
  assert.equal(decide({ identity: [not] }, req('acm:DeleteCertificate')), 'ImplicitDeny');
  assert.equal(decide({ identity: [not] }, req('acm:DescribeCertificate', {}, 'arn:aws:acm:us-east-1:1:certificate/secret-1')), 'ImplicitDeny');
});

test('conditions: all blocks must hold, any value of a key; negated operators hold when no value matches', () => {
  const p = policy('c', [{
    Effect: 'Allow', Action: 'acm:RequestCertificate', Resource: '*',
    Condition: { StringEquals: { 'acm:KeyAlgorithm': ['EC_prime256v1', 'EC_secp384r1'] }, StringNotEquals: { 'acm:ValidationMethod': 'EMAIL' } },
  }]);
  assert.equal(decide({ identity: [p] }, req('acm:RequestCertificate', { 'acm:keyalgorithm': 'EC_prime256v1', 'acm:validationmethod': 'DNS' })), 'Allow');
  assert.equal(decide({ identity: [p] }, req('acm:RequestCertificate', { 'acm:keyalgorithm': 'RSA_2048', 'acm:validationmethod': 'DNS' })), 'ImplicitDeny');
  assert.equal(decide({ identity: [p] }, req('acm:RequestCertificate', { 'acm:keyalgorithm': 'EC_prime256v1', 'acm:validationmethod': 'EMAIL' })), 'ImplicitDeny');
  // "If the key … is not present … StringNotLike or ArnNotLike … the condition is true" (IAM guide).
  assert.equal(decide({ identity: [p] }, req('acm:RequestCertificate', { 'acm:keyalgorithm': 'EC_prime256v1' })), 'Allow');
  assert.equal(decide({ identity: [p] }, req('acm:RequestCertificate', {})), 'ImplicitDeny');
});

test('IfExists, Null and the set qualifiers on a missing or multivalued key', () => {
  const ifExists = policy('i', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:RequestTag/env': 'dev' } } }]);
  assert.equal(decide({ identity: [ifExists] }, req('acm:AddTagsToCertificate')), 'Allow');
  assert.equal(decide({ identity: [ifExists] }, req('acm:AddTagsToCertificate', { 'aws:requesttag/env': 'prod' })), 'ImplicitDeny');
  const requireTag = policy('n', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Null: { 'aws:RequestTag/env': 'false' } } }]);
  assert.equal(decide({ identity: [requireTag] }, req('acm:RequestCertificate')), 'ImplicitDeny');
  assert.equal(decide({ identity: [requireTag] }, req('acm:RequestCertificate', { 'aws:requesttag/env': 'x' })), 'Allow');
  const all = policy('a', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } }]);
  assert.equal(decide({ identity: [all] }, req('acm:AddTagsToCertificate', { 'aws:tagkeys': ['env'] })), 'Allow');
  assert.equal(decide({ identity: [all] }, req('acm:AddTagsToCertificate', { 'aws:tagkeys': ['env', 'owner'] })), 'ImplicitDeny');
  // ForAllValues is true when the key is missing (IAM guide: use it with a Null check).
  assert.equal(decide({ identity: [all] }, req('acm:AddTagsToCertificate')), 'Allow');
  const any = policy('y', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'acm:DomainNames': '*.example.com' } } }]);
  assert.equal(decide({ identity: [any] }, req('acm:RequestCertificate', { 'acm:domainnames': ['example.com', 'www.example.com'] })), 'Allow');
  assert.equal(decide({ identity: [any] }, req('acm:RequestCertificate', { 'acm:domainnames': ['example.org'] })), 'ImplicitDeny');
  assert.equal(decide({ identity: [any] }, req('acm:RequestCertificate')), 'ImplicitDeny');
});

test('numeric, date, bool, IP and ARN operators', () => {
  const p = (Condition: object) => policy('p', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition }]);
  const ok = (c: object, ctx: ContextValues) => decide({ identity: [p(c)] }, req('acm:ListCertificates', ctx)) === 'Allow';
  assert.ok(ok({ NumericLessThanEquals: { 'acm:x': '10' } }, { 'acm:x': '9.5' }));
  assert.ok(!ok({ NumericLessThanEquals: { 'acm:x': '10' } }, { 'acm:x': 'ten' }));
  assert.ok(ok({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }, { 'aws:currenttime': '2026-12-07T20:00:00Z' }));
  assert.ok(ok({ DateGreaterThan: { 'aws:CurrentTime': '1700000000' } }, { 'aws:currenttime': '2026-12-07T20:00:00Z' }));
  assert.ok(ok({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:securetransport': 'TRUE' }));
  assert.ok(!ok({ Bool: { 'aws:SecureTransport': 'true' } }, {}));
  assert.ok(ok({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } }, { 'aws:sourceip': '10.1.2.3' }));
  assert.ok(ok({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } }, { 'aws:sourceip': '2001:db8::1' }));
  assert.ok(!ok({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '192.0.2.1' }));
  assert.ok(ok({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': '192.0.2.1' }));
  assert.ok(ok({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/a*' } }, { 'aws:principalarn': USER }));
  assert.ok(!ok({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, { 'aws:principalarn': USER }));
});

test('policy variables in resources and condition values (2012-10-17 only), with defaults and escapes', () => {
  const own = policy('v', [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:acm:*:*:certificate/${aws:username}-*' }]);
  assert.equal(decide({ identity: [own] }, req('acm:DescribeCertificate', {}, 'arn:aws:acm:us-east-1:1:certificate/alice-1')), 'Allow');
  assert.equal(decide({ identity: [own] }, req('acm:DescribeCertificate', {}, 'arn:aws:acm:us-east-1:1:certificate/bob-1')), 'ImplicitDeny');
  const legacy = { name: 'l', document: parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:acm:*:*:certificate/${aws:username}-*' }] })) };
  assert.equal(decide({ identity: [legacy] }, req('acm:DescribeCertificate', {}, 'arn:aws:acm:us-east-1:1:certificate/alice-1')), 'ImplicitDeny');
  const team = policy('t', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'none'}" } } }]);
  assert.equal(decide({ identity: [team] }, req('acm:DescribeCertificate', { 'aws:resourcetag/team': 'blue', 'aws:principaltag/team': 'blue' })), 'Allow');
  assert.equal(decide({ identity: [team] }, req('acm:DescribeCertificate', { 'aws:resourcetag/team': 'none' })), 'Allow');
  const star = policy('s', [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { 'acm:x': 'a${*}b' } } }]);
  assert.equal(decide({ identity: [star] }, req('acm:ListCertificates', { 'acm:x': 'a*b' })), 'Allow');
  assert.equal(decide({ identity: [star] }, req('acm:ListCertificates', { 'acm:x': 'axxb' })), 'ImplicitDeny');
});

test('permissions boundaries and session policies intersect; a deny in either wins', () => {
  const boundary = policy('b', [{ Effect: 'Allow', Action: 'acm:Describe*', Resource: '*' }]);
  assert.equal(decide({ identity: [allowAll], boundary: [boundary] }, req('acm:DescribeCertificate')), 'Allow');
  const d = evaluate({ identity: [allowAll], boundary: [boundary] }, req('acm:DeleteCertificate'));
  assert.deepEqual(d, { decision: 'ImplicitDeny', kind: 'boundary' });
  const session = policy('s', [{ Effect: 'Allow', Action: 'acm:*', Resource: '*' }, { Effect: 'Deny', Action: 'acm:Export*', Resource: '*' }]);
  assert.equal(decide({ identity: [allowAll], session: [session] }, req('acm:ListCertificates')), 'Allow');
  assert.equal(decide({ identity: [allowAll], session: [session] }, req('s3:GetObject', {}, '*')), 'ImplicitDeny');
  assert.deepEqual(evaluate({ identity: [allowAll], session: [session] }, req('acm:ExportCertificate')), { decision: 'ExplicitDeny', kind: 'session', statement: { policy: 's', sid: undefined, index: 1 } });
});

test("AccessDeniedException's message names the principal, action, resource and reason", () => {
  assert.equal(
    accessDeniedMessage(USER, 'acm:DeleteCertificate', CERT, { decision: 'ImplicitDeny', kind: 'identity' }),
    `User: ${USER} is not authorized to perform: acm:DeleteCertificate on resource: ${CERT} because no identity-based policy allows the acm:DeleteCertificate action`,
  );
  assert.equal(
    accessDeniedMessage(USER, 'acm:DeleteCertificate', CERT, { decision: 'ExplicitDeny', kind: 'identity', statement: { policy: 'p', index: 0 } }),
    `User: ${USER} is not authorized to perform: acm:DeleteCertificate on resource: ${CERT} with an explicit deny in an identity-based policy`,
  );
});

test('malformed documents are refused as IAM refuses them', () => {
  for (const [doc, msg] of [
    ['not json', /Syntax errors/],
    [{ Version: '2012-10-17' }, /Statement/],
    [{ Version: '2013-01-01', Statement: [] }, /legacy parsing/],
    [{ Statement: { Effect: 'Permit', Action: '*', Resource: '*' } }, /Effect/],
    [{ Statement: { Effect: 'Allow', Action: '*' } }, /must contain resources/],
    [{ Statement: { Effect: 'Allow', Action: '*', NotAction: 'a:b', Resource: '*' } }, /exactly one of Action/],
    [{ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }, /principal/],
    [{ Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } } }, /Invalid Condition type/],
    [{ Statement: { Effect: 'Allow', Action: 'acm*:x', Resource: '*' } }, /Action/],
  ] as const) assert.throws(() => parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc)), (e: unknown) => e instanceof PolicyError && msg.test(e.message), JSON.stringify(doc));
});

test('resource wildcards stay within their ARN segment unless a * ends it (IAM guide, Resource element)', () => {
  const allow = (Resource: string) => decide({ identity: [policy('r', [{ Effect: 'Allow', Action: '*', Resource }])] }, req('acm:DescribeCertificate'));
  assert.equal(allow('arn:aws:acm:us-east-1?111122223333:certificate/*'), 'ImplicitDeny', '? does not match a colon');
  assert.equal(allow('arn:aws:acm:us-*3:certificate/*'), 'ImplicitDeny', 'a * inside a segment stops at its colon');
  assert.equal(allow('arn:aws:acm:*:certificate/*'), 'Allow', 'a * that ends a segment runs on');
  assert.equal(allow('arn:aws:acm:us-*:111122223333:certificate/*'), 'Allow');
  assert.equal(allow('arn:aws:acm:us-east-?:111122223333:certificate/0b3c2d1e-????-*'), 'Allow');
});
