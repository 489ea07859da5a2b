import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { systemIds } from '../../kernel/ids.js';
import { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import { SqliteStore } from '../../storage/sqlite/store.js';
import { openConnectionAuth } from './connection-auth.js';
import { createConnection, describeConnection } from './connections.js';
import type { EventsDeps } from './deps.js';
import { EventsPaging } from './paging.js';

const ctx: RequestContext = {
  requestId: 'r', now: new Date(Date.UTC(2026, 0, 1)), sourceIp: '127.0.0.1', userAgent: 'test', tls: false, service: 'events',
  operation: 'CreateConnection', region: 'us-east-1',
  principal: { type: 'Root', accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', principalId: '000000000000', accessKeyId: 'AKIA' },
};

function deps(): EventsDeps {
  return { store: new SqliteStore(':memory:'), ids: systemIds, box: new SecretBox(randomBytes(32)), paging: new EventsPaging(randomBytes(32)) };
}

const SECRET = 'tOp-s3cret';
const stored = async (d: EventsDeps, name: string) => (await d.store.read((tx) => tx.eventConnections.get('000000000000', 'us-east-1', name)))!;

test('credentials are sealed: the stored document and DescribeConnection carry none, openConnectionAuth gives them back', async () => {
  const d = deps();
  await createConnection(ctx, {
    Name: 'key', AuthorizationType: 'API_KEY',
    AuthParameters: {
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRET },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-open', Value: 'visible' }, { Key: 'x-hidden', Value: SECRET, IsValueSecret: true }] },
    },
  }, d);
  const c = await stored(d, 'key');
  const { authSealed, ...doc } = c;
  assert.ok(!JSON.stringify(doc).includes(SECRET));
  assert.ok(!authSealed.toString('latin1').includes(SECRET));
  const described = JSON.stringify(await describeConnection(ctx, { Name: 'key' }, d));
  assert.ok(!described.includes(SECRET));
  assert.match(described, /visible/);
  assert.deepEqual(openConnectionAuth(c, d.box), {
    apiKey: { name: 'x-api-key', value: SECRET },
    invocationHttpParameters: { headerParameters: { 'x-open': 'visible', 'x-hidden': SECRET }, queryStringParameters: {}, bodyParameters: {} },
  });
  // Sealed to this connection: moved to another ARN, it does not open.
  assert.throws(() => openConnectionAuth({ ...c, arn: c.arn.replace('key', 'other') }, d.box));
  await d.store.close();
});

test('basic and OAuth connections open into their own forms', async () => {
  const d = deps();
  await createConnection(ctx, { Name: 'basic', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: SECRET } } }, d);
  const oauth = await createConnection(ctx, {
    Name: 'oauth', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
    AuthParameters: {
      OAuthParameters: {
        ClientParameters: { ClientID: 'id', ClientSecret: SECRET }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST',
        OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'all' }] },
      },
    },
  }, d);
  assert.equal(oauth.ConnectionState, 'AUTHORIZING');
  assert.deepEqual(openConnectionAuth(await stored(d, 'basic'), d.box), { basic: { username: 'u', password: SECRET } });
  assert.deepEqual(openConnectionAuth(await stored(d, 'oauth'), d.box), {
    oauth: {
      authorizationEndpoint: 'https://auth.example.com/token', httpMethod: 'POST', clientId: 'id', clientSecret: SECRET,
      bodyParameters: { scope: 'all' }, headerParameters: {}, queryStringParameters: {},
    },
  });
  const described = await describeConnection(ctx, { Name: 'oauth' }, d);
  assert.deepEqual(described.AuthParameters.OAuthParameters, {
    ClientParameters: { ClientID: 'id' }, AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST',
    OAuthHttpParameters: { HeaderParameters: undefined, QueryStringParameters: undefined, BodyParameters: [{ Key: 'scope', Value: 'all', IsValueSecret: false }] },
  });
  assert.match(described.SecretArn, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/oauth\/[0-9a-f-]{36}-[A-Za-z0-9]{6}$/);
  await d.store.close();
});
