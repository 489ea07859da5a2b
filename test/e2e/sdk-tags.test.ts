/**
 * AddTagsToCertificate, ListTagsForCertificate and RemoveTagsFromCertificate through
 * @aws-sdk/client-acm: merge/overwrite, value-matched removal, the 50-tag limit, the reserved
 * `aws:` prefix and the input constraints. acm.md §2.3 (tag operations), §2.2 (Tag shapes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddTagsToCertificateCommand, ListTagsForCertificateCommand, RemoveTagsFromCertificateCommand, RequestCertificateCommand,
  type ACMClient, type Tag,
} from '@aws-sdk/client-acm';
import { acmClient, startServer, type RunningServer } from '../helpers/server.js';
import { ACCOUNT, expectError, unknownArn } from '../helpers/acm.js';

let server: RunningServer;
let acm: ACMClient;

before(async () => {
  server = await startServer();
  acm = acmClient(server.url);
});
after(async () => {
  await server?.dispose();
});

const newCert = async (Tags?: Tag[]) =>
  (await acm.send(new RequestCertificateCommand({ DomainName: 'tags.example.com', ValidationMethod: 'DNS', Tags }))).CertificateArn!;
const add = (CertificateArn: string, Tags: Tag[]) => acm.send(new AddTagsToCertificateCommand({ CertificateArn, Tags }));
const remove = (CertificateArn: string, Tags: Tag[]) => acm.send(new RemoveTagsFromCertificateCommand({ CertificateArn, Tags }));
const tags = async (CertificateArn: string) => (await acm.send(new ListTagsForCertificateCommand({ CertificateArn }))).Tags ?? [];
const byKey = (t: Tag[]) => [...t].sort((a, b) => a.Key!.localeCompare(b.Key!));

describe('add and list', () => {
  test('a new certificate has no tags', async () => {
    assert.deepEqual(await tags(await newCert()), []);
  });

  test('tags are added; a tag without Value is listed without a Value key', async () => {
    const arn = await newCert();
    const out = await add(arn, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }, { Key: 'flag' }, { Key: 'empty', Value: '' }]);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(byKey(await tags(arn)), [{ Key: 'empty', Value: '' }, { Key: 'env', Value: 'prod' }, { Key: 'flag' }, { Key: 'team', Value: 'a' }]);
  });

  test('adding an existing key overwrites its value; other tags stay', async () => {
    const arn = await newCert([{ Key: 'env', Value: 'prod' }, { Key: 'keep', Value: 'me' }]);
    await add(arn, [{ Key: 'env', Value: 'dev' }, { Key: 'new', Value: 'x' }]);
    assert.deepEqual(byKey(await tags(arn)), [{ Key: 'env', Value: 'dev' }, { Key: 'keep', Value: 'me' }, { Key: 'new', Value: 'x' }]);
    await add(arn, [{ Key: 'env' }]);
    assert.deepEqual(byKey(await tags(arn)).find((t) => t.Key === 'env'), { Key: 'env' });
  });

  test('Unicode letters, spaces and the allowed punctuation are accepted', async () => {
    const arn = await newCert();
    const t = [{ Key: 'Kostenstelle Zürich', Value: 'a.b:c/d=e+f-g@h_i' }, { Key: '名前', Value: '値 1' }];
    await add(arn, t);
    assert.deepEqual(byKey(await tags(arn)), byKey(t));
  });
});

describe('remove', () => {
  test('with a Value only on a match; without one whatever the value', async () => {
    const arn = await newCert([{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }, { Key: 'owner', Value: 'bob' }, { Key: 'bare' }]);
    await remove(arn, [{ Key: 'team', Value: 'a' }, { Key: 'owner', Value: 'alice' }]);
    assert.deepEqual(byKey(await tags(arn)), [{ Key: 'bare' }, { Key: 'env', Value: 'prod' }, { Key: 'owner', Value: 'bob' }]);
    await remove(arn, [{ Key: 'owner' }, { Key: 'bare' }]);
    assert.deepEqual(await tags(arn), [{ Key: 'env', Value: 'prod' }]);
    // Removing what is not there is not an error.
    const out = await remove(arn, [{ Key: 'never-there' }]);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.deepEqual(await tags(arn), [{ Key: 'env', Value: 'prod' }]);
  });

  test('the aws: prefix cannot be removed either', async () => {
    const arn = await newCert();
    await expectError(remove(arn, [{ Key: 'aws:cloudformation:stack-name' }]), 'InvalidTagException', 400);
  });
});

describe('limits and errors', () => {
  test('more than 50 tags in total is TooManyTagsException and changes nothing', async () => {
    const arn = await newCert(Array.from({ length: 20 }, (_, i) => ({ Key: `r${i}`, Value: 'x' })));
    await add(arn, Array.from({ length: 30 }, (_, i) => ({ Key: `a${i}`, Value: 'y' })));
    assert.equal((await tags(arn)).length, 50);
    // Overwriting at the limit is fine: the set does not grow.
    await add(arn, [{ Key: 'r0', Value: 'changed' }]);
    await expectError(add(arn, [{ Key: 'one-too-many', Value: 'z' }]), 'TooManyTagsException', 400, /contains too many Tags$/);
    const now = await tags(arn);
    assert.equal(now.length, 50);
    assert.ok(!now.some((t) => t.Key === 'one-too-many'));
    assert.deepEqual(now.find((t) => t.Key === 'r0'), { Key: 'r0', Value: 'changed' });
  });

  test('51 tags in one call fail the TagList constraint', async () => {
    const arn = await newCert();
    await expectError(add(arn, Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}` }))), 'ValidationException', 400,
      /^1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
    await expectError(add(arn, []), 'ValidationException', 400,
      "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await expectError(acm.send(new AddTagsToCertificateCommand({ CertificateArn: arn } as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  });

  test('the aws: prefix is reserved', async () => {
    const arn = await newCert();
    await expectError(add(arn, [{ Key: 'aws:owner', Value: 'me' }]), 'InvalidTagException', 400);
    await expectError(add(arn, [{ Key: 'ok', Value: 'fine' }, { Key: 'aws:x' }]), 'InvalidTagException', 400);
    assert.deepEqual(await tags(arn), [], 'a rejected call adds nothing');
  });

  test('key and value constraints', async () => {
    const arn = await newCert();
    await expectError(add(arn, [{ Key: 'bad#key', Value: 'v' }]), 'ValidationException', 400,
      "1 validation error detected: Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*");
    await expectError(add(arn, [{ Key: 'ok' }, { Key: 'k', Value: 'semi;colon' }]), 'ValidationException', 400,
      /^1 validation error detected: Value 'semi;colon' at 'tags\.2\.member\.value' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    const longKey = 'k'.repeat(129);
    await expectError(add(arn, [{ Key: longKey }]), 'ValidationException', 400,
      `1 validation error detected: Value '${longKey}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`);
    await expectError(add(arn, [{ Key: 'v', Value: 'v'.repeat(257) }]), 'ValidationException', 400,
      /at 'tags\.1\.member\.value' failed to satisfy constraint: Member must have length less than or equal to 256$/);
    await expectError(add(arn, [{ Key: '' }]), 'ValidationException', 400,
      "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await expectError(add(arn, [{ Value: 'no key' } as never]), 'ValidationException', 400,
      "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null");
  });

  test('unknown, malformed and foreign-region ARNs', async () => {
    const arn = unknownArn();
    const msg = `Could not find certificate ${arn} in account ${ACCOUNT}.`;
    await expectError(add(arn, [{ Key: 'k' }]), 'ResourceNotFoundException', 400, msg);
    await expectError(remove(arn, [{ Key: 'k' }]), 'ResourceNotFoundException', 400, msg);
    await expectError(tags(arn), 'ResourceNotFoundException', 400, msg);
    await expectError(add('arn:aws:acm:us-east-1:000000000000', [{ Key: 'k' }]), 'ValidationException', 400, /at 'certificateArn' failed to satisfy constraint/);
    await expectError(tags(unknownArn(undefined, ACCOUNT, 'eu-central-1')), 'InvalidArnException', 400);
  });
});
