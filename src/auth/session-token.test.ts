import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../kernel/secret-box.js';
import { SqliteStore } from '../storage/sqlite/store.js';
import { CredentialCache } from './credentials.js';
import { issueSession, openSession } from './session-token.js';

const box = new SecretBox(randomBytes(32));
const role = {
  type: 'AssumedRole' as const, accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci', principalId: 'AROAEXAMPLE123456789:ci',
};
const session = (expiresAt: number) => ({
  issuer: { type: 'Role' as const, principalId: 'AROAEXAMPLE123456789', arn: 'arn:aws:iam::111122223333:role/Deployer', accountId: '111122223333', userName: 'Deployer' },
  creationDate: new Date(1_000), mfaAuthenticated: false, expiresAt: new Date(expiresAt), sourceIdentity: 'alice', policies: ['{"Version":"2012-10-17","Statement":[]}'],
});

test('a session token holds the session, bound to its key id and sealed against change', () => {
  const c = issueSession(box, role, session(10_000));
  assert.match(c.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c.secretAccessKey.length, 40);
  const opened = openSession(box, c.accessKeyId, c.sessionToken)!;
  assert.equal(opened.secret, c.secretAccessKey);
  assert.equal(opened.principal.arn, role.arn);
  assert.equal(opened.principal.accessKeyId, c.accessKeyId);
  assert.equal(opened.principal.session!.sourceIdentity, 'alice');
  assert.equal(opened.principal.session!.expiresAt.getTime(), 10_000);
  assert.equal(openSession(box, 'ASIAOTHERKEY00000000', c.sessionToken), undefined, 'bound to its key id');
  const bytes = Buffer.from(c.sessionToken, 'base64');
  bytes[bytes.length - 1] ^= 1;
  assert.equal(openSession(box, c.accessKeyId, bytes.toString('base64')), undefined, 'tampering is detected');
  assert.equal(openSession(new SecretBox(randomBytes(32)), c.accessKeyId, c.sessionToken), undefined, 'another master key cannot open it');
  assert.ok(!Buffer.from(c.sessionToken, 'base64').includes(Buffer.from(c.secretAccessKey)), 'the secret is not readable in the token');
});

test('credentials: a temporary key needs its token, and stops working at its expiration', async () => {
  let now = 5_000;
  const store = new SqliteStore(':memory:');
  const creds = new CredentialCache(store, box, () => now);
  const c = issueSession(box, role, session(10_000));
  assert.equal((await creds.resolve(c.accessKeyId, c.sessionToken)).principal.arn, role.arn);
  await assert.rejects(creds.resolve(c.accessKeyId), (e: Error) => e.name === 'UnrecognizedClientException');
  await assert.rejects(creds.resolve(c.accessKeyId, 'bm90IGEgdG9rZW4='), (e: Error) => e.name === 'UnrecognizedClientException');
  now = 10_000;
  assert.equal(creds.cached(c.accessKeyId, c.sessionToken), undefined);
  await assert.rejects(creds.resolve(c.accessKeyId, c.sessionToken), (e: Error) => e.name === 'ExpiredTokenException' && /expired/.test(e.message));
  await store.close();
});
