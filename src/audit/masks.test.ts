import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRecord, recordJson, type CallFacts } from './event.js';
import { HIDDEN, hidePaths, type EventProfile } from './masks.js';

const facts = (input: Record<string, unknown>): CallFacts => ({
  requestId: 'r', eventId: 'e', eventTime: new Date(0), eventSource: 'events.amazonaws.com', eventName: 'CreateConnection',
  region: 'us-east-1', sourceIp: '127.0.0.1', userAgent: 'ua', readOnly: false, input,
  principal: { type: 'Root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', principalId: '000000000000', accessKeyId: 'AKIA' },
});

const params = (secret: string) => ({
  HeaderParameters: [{ Key: 'x-h', Value: secret, IsValueSecret: true }, { Key: 'x-open', Value: secret, IsValueSecret: false }],
  QueryStringParameters: [{ Key: 'q', Value: secret }],
  BodyParameters: [{ Key: 'b', Value: secret }],
});

test('CreateConnection events never show the credentials, in any profile, and keep the rest', () => {
  const secret = 'sUp3r-s3cret';
  const input = {
    Name: 'c',
    AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
    AuthParameters: {
      BasicAuthParameters: { Username: 'u', Password: secret },
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: secret },
      OAuthParameters: { ClientParameters: { ClientID: 'id', ClientSecret: secret }, AuthorizationEndpoint: 'https://a', HttpMethod: 'POST', OAuthHttpParameters: params(secret) },
      InvocationHttpParameters: params(secret),
    },
  };
  for (const profile of ['current', '2016'] as EventProfile[]) {
    const json = recordJson(facts(input), profile);
    assert.ok(!json.includes(secret), `${profile}: a secret reached the event`);
    assert.equal(json, JSON.stringify(buildRecord(facts(input), profile)));
    const a = JSON.parse(json).requestParameters.authParameters;
    assert.deepEqual(a.basicAuthParameters, { username: 'u', password: HIDDEN });
    assert.deepEqual(a.apiKeyAuthParameters, { apiKeyName: 'x-api-key', apiKeyValue: HIDDEN });
    assert.deepEqual(a.oAuthParameters.clientParameters, { clientID: 'id', clientSecret: HIDDEN });
    assert.equal(a.oAuthParameters.authorizationEndpoint, 'https://a');
    assert.deepEqual(a.invocationHttpParameters.headerParameters[0], { key: 'x-h', value: HIDDEN, isValueSecret: true });
    assert.equal(a.oAuthParameters.oAuthHttpParameters.bodyParameters[0].value, HIDDEN);
  }
  // The input itself is not changed (the handler reads it after the event may have been built).
  assert.equal(input.AuthParameters.BasicAuthParameters.Password, secret);
});

test('hidePaths: leaves what is not on a path, steps into lists with []', () => {
  const mask = hidePaths(['A.B', 'L.[].V']);
  assert.deepEqual(mask({ A: { B: 1, C: 2 }, L: [{ V: 1, W: 2 }, { W: 3 }], X: 'x' }), { A: { B: HIDDEN, C: 2 }, L: [{ V: HIDDEN, W: 2 }, { W: 3 }], X: 'x' });
  assert.equal(mask('text'), 'text');
  assert.deepEqual(mask({ A: 'not a structure' }), { A: 'not a structure' });
});

test('PutTargets events hide the model-sensitive target parameters', () => {
  const input = { Rule: 'r', Targets: [{ Id: 'a', Arn: 'arn:aws:redshift:us-east-1:000000000000:cluster:c', RedshiftDataParameters: { Database: 'db', Sql: 'SELECT secret', Sqls: ['SELECT 1'] } }, { Id: 'b', Arn: 'x' }] };
  const rec = JSON.parse(recordJson({ ...facts(input), eventName: 'PutTargets' }, 'current'));
  assert.deepEqual(rec.requestParameters.targets[0].redshiftDataParameters, { database: 'db', sql: HIDDEN, sqls: HIDDEN });
  assert.deepEqual(rec.requestParameters.targets[1], { id: 'b', arn: 'x' });
});

test('IAM CreateAccessKey events show the new key without its secret, as AWS records it, in any profile', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const output = { AccessKey: { UserName: 'alice', AccessKeyId: 'AKIAEXAMPLE', Status: 'Active', SecretAccessKey: secret, CreateDate: new Date(0) } };
  const f: CallFacts = { ...facts({ UserName: 'alice' }), eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', output };
  for (const profile of ['current', '2016'] as EventProfile[]) {
    const json = recordJson(f, profile);
    assert.ok(!json.includes(secret), `${profile}: the secret reached the event`);
    assert.equal(json, JSON.stringify(buildRecord(f, profile)));
    assert.deepEqual(JSON.parse(json).responseElements, {
      accessKey: { userName: 'alice', accessKeyId: 'AKIAEXAMPLE', status: 'Active', createDate: '1970-01-01T00:00:00Z' },
    });
  }
  assert.deepEqual(output.AccessKey.SecretAccessKey, secret, 'the answer itself keeps it');
});
