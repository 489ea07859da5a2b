import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceError } from '../kernel/errors.js';
import { map, str, struct } from './shape.js';
import { decodeInput, looseDecode } from './validate.js';

const shape = struct({ M: map(str({ min: 1, max: 3, pattern: '[a-z]+' }), str({ max: 2 }), { max: 2 }), A: str({ pattern: '^arn:aws([a-z]|\\-)*:x$' }) });

function reject(body: unknown): ServiceError {
  try {
    decodeInput(shape, body);
  } catch (e) {
    return e as ServiceError;
  }
  assert.fail('expected a rejection');
}

test('maps: entries kept, value constraints at the entry, key constraints as "Map keys must satisfy"', () => {
  assert.deepEqual(decodeInput(shape, { M: { ab: 'xy' } }), { M: { ab: 'xy' } });
  assert.match(reject({ M: { ab: 'xyz' } }).message, /^1 validation error detected: Value 'xyz' at 'm\.ab' failed to satisfy constraint: Member must have length less than or equal to 2$/);
  assert.match(reject({ M: { ABCD: 'x' } }).message, /at 'm' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 3, Member must satisfy regular expression pattern: \[a-z\]\+\]$/);
  assert.match(reject({ M: { a: 'x', b: 'y', c: 'z' } }).message, /at 'm' failed to satisfy constraint: Member must have length less than or equal to 2$/);
  assert.equal(reject({ M: ['a'] }).code, 'SerializationException');
  assert.equal(reject({ M: { a: 1 } }).code, 'SerializationException');
  assert.deepEqual(looseDecode(shape, { M: { a: 'x', b: null } }), { M: { a: 'x' } });
});

test("model patterns written for Java's regex syntax (identity escapes outside classes) still apply", () => {
  assert.deepEqual(decodeInput(shape, { A: 'arn:aws-cn:x' }), { A: 'arn:aws-cn:x' });
  assert.match(reject({ A: 'arn:gcp:x' }).message, /Member must satisfy regular expression pattern: \^arn:aws\(\[a-z\]\|\\-\)\*:x\$$/);
});
