import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillTemplate, selectPath, targetPayload } from './transform.js';

const event = {
  version: '0', id: 'e1', 'detail-type': 'ACM Certificate Approaching Expiration', source: 'aws.acm', account: '111122223333',
  time: '2026-12-01T00:00:00Z', region: 'us-east-1', resources: ['arn:aws:acm:us-east-1:111122223333:certificate/x'],
  detail: { DaysToExpiry: 31, CommonName: 'example.com', tags: ['a', 'b'] },
};
const rule = { arn: 'arn:aws:events:us-east-1:111122223333:rule/r', name: 'r' };

test('InputPath and JSONPath steps', () => {
  assert.deepEqual(selectPath(event, '$.detail'), event.detail);
  assert.equal(selectPath(event, '$.resources[0]'), event.resources[0]);
  assert.equal(selectPath(event, '$.detail.missing'), undefined);
  assert.equal(targetPayload({ inputPath: '$.detail.CommonName' }, event, rule, new Date()), '"example.com"');
  assert.equal(targetPayload({}, event, rule, new Date()), JSON.stringify(event));
  assert.equal(targetPayload({ input: '{"fixed":true}' }, event, rule, new Date()), '{"fixed":true}');
});

test('InputTransformer: quoted placeholders take text, unquoted take JSON (AWS doc examples)', () => {
  const t = { inputPathsMap: { days: '$.detail.DaysToExpiry', name: '$.detail.CommonName', tags: '$.detail.tags' }, inputTemplate: '{"message": "<name> expires in <days> days", "days": <days>, "tags": <tags>, "rule": "<aws.events.rule-name>"}' };
  const out = JSON.parse(targetPayload({ inputTransformer: t }, event, rule, new Date()));
  assert.deepEqual(out, { message: 'example.com expires in 31 days', days: 31, tags: ['a', 'b'], rule: 'r' });
  assert.equal(fillTemplate('"<name> is here"', { name: 'a "quoted" name' }), '"a \\"quoted\\" name is here"');
  assert.equal(fillTemplate('{"a": <x>}', { x: undefined }), '{"a": null}');
  assert.equal(fillTemplate('Instance <name> is in state <n>', { name: 'i-1', n: 3 }), 'Instance i-1 is in state 3');
});
