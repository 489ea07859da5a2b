/**
 * S3ObjectStore against a real S3-protocol server: a second certtrail, started here as a child
 * process, serving its own buckets. The same contract as the local store, plus what only the
 * remote path has: paging past S3's 1000 keys per ListObjectsV2 and errors from the far side.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, type RunningServer } from '../../test/helpers/server.js';
import { objectStoreContract } from './contract.js';
import { ObjectStoreError } from './ports.js';
import { S3ObjectStore } from './remote.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: RunningServer;
let store: S3ObjectStore;
let admin: S3Client;

before(async () => {
  server = await startServer();
  store = new S3ObjectStore({ endpoint: server.url, region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test', maxAttempts: 1 });
  admin = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
after(async () => {
  store?.close();
  admin?.destroy();
  await server?.dispose();
});

objectStoreContract('external S3 store (a second certtrail)', async () => ({
  store,
  createBucket: async (name) => void (await admin.send(new CreateBucketCommand({ Bucket: name }))),
}));

test('external S3 store: list pages past 1000 keys per request', async () => {
  await admin.send(new CreateBucketCommand({ Bucket: 'many-keys' }));
  const keys = Array.from({ length: 1010 }, (_, i) => `k/${String(i).padStart(5, '0')}`);
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put('many-keys', k, Buffer.from(k))));
  const all = await store.list('many-keys', { limit: 5000 });
  assert.deepEqual(all.map((o) => o.key), keys);
  const tail = await store.list('many-keys', { after: keys[995], limit: 10 });
  assert.deepEqual(tail.map((o) => o.key), keys.slice(996, 1006));
});

test('external S3 store: the far side\'s refusals become ObjectStoreErrors with S3\'s code', async () => {
  const wrong = new S3ObjectStore({ endpoint: server.url, region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'not-the-secret', maxAttempts: 1 });
  try {
    await assert.rejects(wrong.put('many-keys', 'x', Buffer.from('x')), (e: unknown) => e instanceof ObjectStoreError && e.code === 'SignatureDoesNotMatch');
  } finally {
    wrong.close();
  }
  const unreachable = new S3ObjectStore({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b', maxAttempts: 1 });
  try {
    await assert.rejects(unreachable.put('b', 'k', Buffer.from('x')), (e: unknown) => !(e instanceof ObjectStoreError));
  } finally {
    unreachable.close();
  }
});
