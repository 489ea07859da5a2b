import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export function s3Client(url: string, creds = { accessKeyId: 'test', secretAccessKey: 'test' }, region = 'us-east-1'): S3Client {
  return new S3Client({ endpoint: url, region, credentials: creds, forcePathStyle: true, maxAttempts: 1 });
}

export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(r.Contents ?? []).map((o) => o.Key!));
    token = r.NextContinuationToken;
  } while (token);
  return keys;
}

export async function getObject(s3: S3Client, bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> }> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await r.Body!.transformToByteArray()), metadata: r.Metadata ?? {} };
}

export interface DeliveredLog {
  key: string;
  records: any[];
}

/** Every log file under the bucket (CloudTrail/ folders only), with its records. */
export async function deliveredLogs(s3: S3Client, bucket: string): Promise<DeliveredLog[]> {
  const keys = (await listKeys(s3, bucket)).filter((k) => /\/CloudTrail\//.test(k));
  return Promise.all(keys.map(async (key) => ({ key, records: JSON.parse(gunzipSync((await getObject(s3, bucket, key)).body).toString('utf8')).Records })));
}

export async function digests(s3: S3Client, bucket: string): Promise<{ key: string; digest: any; metadata: Record<string, string> }[]> {
  const keys = (await listKeys(s3, bucket)).filter((k) => /\/CloudTrail-Digest\//.test(k));
  return Promise.all(
    keys.map(async (key) => {
      const o = await getObject(s3, bucket, key);
      return { key, digest: JSON.parse(gunzipSync(o.body).toString('utf8')), metadata: o.metadata };
    }),
  );
}
