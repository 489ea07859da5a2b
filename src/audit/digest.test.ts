import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  buildDigest, digestKey, digestStringToSign, digestTime, gunzipFirstMember, GzipFormatError, gzip, logFileBody, logFileKey,
  packLogFile, publicKeyFingerprint, sha256Hex, signDigest, uniqueString, verifyDigest, type DigestFields,
} from './digest.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const der = publicKey.export({ type: 'pkcs1', format: 'der' });

test('log file key: AWS layout, delivery time to the minute (UG/cloudtrail-log-file-examples)', () => {
  const deliveredAt = new Date(Date.UTC(2015, 7, 1, 2, 10, 59, 999));
  assert.equal(
    logFileKey({ accountId: '111122223333', region: 'us-east-2', deliveredAt, unique: 'Mu0KsOhtH1ar15ZZ' }),
    'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
  );
  assert.equal(
    logFileKey({ prefix: 'my/pfx', accountId: '111122223333', region: 'eu-west-1', deliveredAt, unique: 'A'.repeat(16), organizationId: 'o-abc123' }),
    'my/pfx/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2015/08/01/111122223333_CloudTrail_eu-west-1_20150801T0210Z_AAAAAAAAAAAAAAAA.json.gz',
  );
});

test('uniqueString: 16 alphanumerics from 16 random bytes', () => {
  const s = uniqueString(Buffer.from(Array.from({ length: 16 }, (_, i) => i * 17)));
  assert.match(s, /^[A-Za-z0-9]{16}$/);
  assert.equal(uniqueString(Buffer.alloc(16, 255)), 'H'.repeat(16), '255 % 62 = 7: the eighth letter');
  assert.throws(() => uniqueString(Buffer.alloc(15)), RangeError);
});

test('digest key: source region folder, trail and home region in the name, end time to the second (§5.1)', () => {
  const end = new Date(Date.UTC(2024, 4, 1, 15, 1, 31, 500));
  const key = digestKey({ accountId: '111122223333', sourceRegion: 'eu-west-1', trailName: 'acm-trail', homeRegion: 'us-east-1', end });
  assert.equal(key, 'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/05/01/111122223333_CloudTrail-Digest_eu-west-1_acm-trail_us-east-1_20240501T150131Z.json.gz');
  // The CLI reads the timestamp back as key[-24:-8] and matches this pattern (validation.py).
  assert.equal(key.slice(-24, -8), '20240501T150131Z');
  const prefixed = digestKey({ prefix: 'p', accountId: '111122223333', sourceRegion: 'us-east-1', trailName: 't', homeRegion: 'us-east-1', end });
  assert.match(prefixed, /^p\/AWSLogs\/111122223333\/CloudTrail-Digest\/us-east-1\/\d+\/\d+\/\d+\/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_.+\.json\.gz$/);
});

const base: DigestFields = {
  awsAccountId: '111122223333',
  digestStartTime: new Date(Date.UTC(2015, 7, 17, 14, 1, 31, 900)),
  digestEndTime: new Date(Date.UTC(2015, 7, 17, 15, 1, 31)),
  digestS3Bucket: 'bucket',
  digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_t_us-east-2_20150817T150131Z.json.gz',
  digestPublicKeyFingerprint: '4435ba4b31dd0b34ef81cb8543e1a4c2',
  logFiles: [],
};

test('digest JSON: AWS field order, compact, times to the second, nulls of a starting and an empty digest', () => {
  const { body, hashValue, stringToSign } = buildDigest(base);
  assert.equal(
    body.toString(),
    '{"awsAccountId":"111122223333","digestStartTime":"2015-08-17T14:01:31Z","digestEndTime":"2015-08-17T15:01:31Z",' +
      `"digestS3Bucket":"bucket","digestS3Object":"${base.digestS3Object}","digestPublicKeyFingerprint":"4435ba4b31dd0b34ef81cb8543e1a4c2",` +
      '"digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"oldestEventTime":null,"previousDigestS3Bucket":null,' +
      '"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[]}',
  );
  assert.equal(hashValue, sha256Hex(body));
  assert.equal(stringToSign.toString(), `2015-08-17T15:01:31Z\nbucket/${base.digestS3Object}\n${hashValue}\nnull`);
});

test('digest JSON with a previous digest and log files: newest/oldest across all files', () => {
  const logFiles = [
    { s3Bucket: 'bucket', s3Object: 'a.json.gz', hashValue: 'aa'.repeat(32), oldestEventTime: new Date(Date.UTC(2015, 7, 17, 13, 0, 0)), newestEventTime: new Date(Date.UTC(2015, 7, 17, 14, 10, 0)) },
    { s3Bucket: 'bucket', s3Object: 'b.json.gz', hashValue: 'bb'.repeat(32), oldestEventTime: new Date(Date.UTC(2015, 7, 17, 14, 20, 0)), newestEventTime: new Date(Date.UTC(2015, 7, 17, 14, 52, 27, 999)) },
  ];
  const previous = { s3Bucket: 'old-bucket', s3Object: 'prev.json.gz', hashValue: 'cc'.repeat(32), signature: 'dd'.repeat(256) };
  const { body } = buildDigest({ ...base, previous, logFiles });
  const doc = JSON.parse(body.toString());
  assert.deepEqual(Object.keys(doc), [
    'awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint', 'digestSignatureAlgorithm',
    'newestEventTime', 'oldestEventTime', 'previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestHashValue', 'previousDigestHashAlgorithm',
    'previousDigestSignature', 'logFiles',
  ]);
  assert.equal(doc.newestEventTime, '2015-08-17T14:52:27Z');
  assert.equal(doc.oldestEventTime, '2015-08-17T13:00:00Z');
  assert.deepEqual([doc.previousDigestS3Bucket, doc.previousDigestS3Object, doc.previousDigestHashValue, doc.previousDigestHashAlgorithm, doc.previousDigestSignature],
    ['old-bucket', 'prev.json.gz', 'cc'.repeat(32), 'SHA-256', 'dd'.repeat(256)]);
  assert.deepEqual(Object.keys(doc.logFiles[0]), ['s3Bucket', 's3Object', 'hashValue', 'hashAlgorithm', 'newestEventTime', 'oldestEventTime']);
  assert.deepEqual(doc.logFiles[1], { s3Bucket: 'bucket', s3Object: 'b.json.gz', hashValue: 'bb'.repeat(32), hashAlgorithm: 'SHA-256', newestEventTime: '2015-08-17T14:52:27Z', oldestEventTime: '2015-08-17T14:20:00Z' });
});

test('signature: lowercase hex SHA256withRSA over the §5.3 string, deterministic, verifiable, bound to every signed member', () => {
  const previous = { s3Bucket: 'bucket', s3Object: 'prev.json.gz', hashValue: 'cc'.repeat(32), signature: 'ab'.repeat(256) };
  const fields = { ...base, previous };
  const built = buildDigest(fields);
  const sig = signDigest(built.body, fields, privateKey);
  assert.match(sig, /^[0-9a-f]{512}$/);
  assert.equal(signDigest(built.body, fields, privateKey), sig, 'PKCS#1 v1.5 is deterministic: a re-signed digest is byte-identical');
  assert.equal(signDigest(built.body, fields, { sign: (d) => (assert.deepEqual(d, built.stringToSign), 'x') }), 'x');
  const doc = JSON.parse(built.body.toString());
  assert.equal(verifyDigest(built.body, doc, sig, der), true);
  assert.equal(verifyDigest(built.body, doc, sig.toUpperCase(), publicKey), true, 'the CLI unhexlifies: case does not matter');
  assert.equal(verifyDigest(Buffer.concat([built.body, Buffer.from(' ')]), doc, sig, der), false, 'body changed');
  assert.equal(verifyDigest(built.body, { ...doc, digestS3Object: 'moved.json.gz' }, sig, der), false, 'location changed');
  assert.equal(verifyDigest(built.body, { ...doc, previousDigestSignature: null }, sig, der), false, 'chain link changed');
  assert.equal(verifyDigest(built.body, doc, sig.slice(1), der), false, 'not hex');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  assert.equal(verifyDigest(built.body, doc, sig, spki), true, 'SubjectPublicKeyInfo DER loads too');
  assert.equal(digestStringToSign(doc, built.body), built.stringToSign.toString());
  assert.equal(digestTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))), '2026-01-02T03:04:05Z');
});

test('fingerprint: MD5 of the DER PKCS#1 key, as for the key in awscli examples/cloudtrail/list-public-keys.rst', () => {
  const sample =
    'MIIBCgKCAQEAlSS3cl92HDycr/MTj0moOhas8habjrraXw+KzlWF0axSI2tcF+3iJ9BKQAVSKxGwxwu3m0wG3J+kUl1xboEcEPHYoIYMbgfSw7KGnuDKwkLzsQWhUJ0cIbOHASox1vv/5fNXkrHhGbDCHeVXm804c83nvHUEFYThr1PfyP/8HwrCtR3FX5OANtQCP61C1nJtSSkC8JSQUOrIP4CuwJjc+4WGDk+BGH5m9iuiAKkipEHWmUl8/P7XpfpWQuk4h8g3pXZOrNXr08lbh4d39svj7UqdhvOXoBISp9t/EXYuePGEtBdrKD9Dz+VHwyUPtBQvYr9BnkF88qBnaPNhS44rzwIDAQAB';
  assert.equal(publicKeyFingerprint(Buffer.from(sample, 'base64')), '7f3f401420072e50a65a141430817ab3');
  assert.equal(der.length, 270);
  assert.deepEqual([...der.subarray(0, 4)], [0x30, 0x82, 0x01, 0x0a]);
});

test('log file body: {"Records":[…]} of the serialised records, single-member gzip, hash of the uncompressed bytes', () => {
  assert.equal(logFileBody([]).toString(), '{"Records":[]}');
  const records = ['{"eventVersion":"1.11","eventName":"A"}', '{"eventName":"B"}'];
  const packed = packLogFile(records);
  assert.equal(packed.body.toString(), '{"Records":[{"eventVersion":"1.11","eventName":"A"},{"eventName":"B"}]}');
  assert.deepEqual(JSON.parse(gunzipSync(packed.gzipped).toString()).Records.map((r: { eventName: string }) => r.eventName), ['A', 'B']);
  assert.equal(packed.hashValue, sha256Hex(packed.body));
  assert.deepEqual(gunzipFirstMember(gzip(packed.body)), packed.body);
});

test('gunzipFirstMember reads as Python zlib.decompressobj(MAX_WBITS|16): first member only, truncation tolerated, corruption refused', () => {
  const a = gzipSync('first member');
  const b = gzipSync('second');
  assert.equal(gunzipFirstMember(Buffer.concat([a, b])).toString(), 'first member');
  assert.equal(gunzipFirstMember(Buffer.concat([a, Buffer.from('trailing junk')])).toString(), 'first member');
  assert.equal(gunzipFirstMember(Buffer.alloc(0)).length, 0);
  const big = gzipSync(Buffer.alloc(100_000, 'x'));
  const part = gunzipFirstMember(big.subarray(0, big.length - 20));
  assert.ok(part.length < 100_000 && part.every((c) => c === 0x78), 'a truncated file gives what could be inflated');
  const badCrc = Buffer.from(a);
  badCrc[badCrc.length - 8] ^= 1;
  assert.throws(() => gunzipFirstMember(badCrc), GzipFormatError);
  assert.throws(() => gunzipFirstMember(Buffer.from('{"Records":[]} not gzip')), GzipFormatError);
  const badDeflate = Buffer.from(a);
  badDeflate[10] = 0xff;
  assert.throws(() => gunzipFirstMember(badDeflate), GzipFormatError);
  // Optional header fields (FNAME) are skipped.
  const named = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]), Buffer.from('name\0'), a.subarray(10)]);
  assert.equal(gunzipFirstMember(named).toString(), 'first member');
});

test('gunzipFirstMember(whole) reads as Python zlib.decompress: a truncated or empty file is an error', () => {
  const a = gzipSync('digest');
  assert.equal(gunzipFirstMember(Buffer.concat([a, gzipSync('x')]), true).toString(), 'digest');
  assert.throws(() => gunzipFirstMember(a.subarray(0, a.length - 3), true), GzipFormatError);
  assert.throws(() => gunzipFirstMember(Buffer.alloc(0), true), GzipFormatError);
  assert.equal(gunzipFirstMember(a.subarray(0, a.length - 3)).toString(), 'digest', 'the lenient form keeps what it inflated');
});
