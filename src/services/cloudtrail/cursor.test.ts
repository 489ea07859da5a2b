import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventCursor } from './cursor.js';

const cursor = new EventCursor(Buffer.alloc(32, 7));
const rejects = (token: string, query = 'q') =>
  assert.throws(() => cursor.position(token, query), (e: Error) => e.name === 'InvalidNextTokenException');

test('a token carries its position for the same query only', () => {
  const t = cursor.token({ time: 1767225600123, seq: 42 }, 'q');
  assert.deepEqual(cursor.position(t, 'q'), { time: 1767225600123, seq: 42 });
  assert.equal(cursor.position(undefined, 'q'), undefined);
  rejects(t, 'other query');
});

test('forged, tampered, truncated and foreign tokens are InvalidNextTokenException', () => {
  const t = cursor.token({ time: 5, seq: 6 }, 'q');
  const [time, seq, fp, mac] = Buffer.from(t, 'base64url').toString().split('.');
  const enc = (s: string) => Buffer.from(s).toString('base64url');
  rejects(enc(`${time}.7.${fp}.${mac}`));
  rejects(enc(`${time}.${seq}.${fp}`));
  rejects(enc(`-1.${seq}.${fp}.${mac}`));
  rejects('');
  rejects('not a token');
  rejects(new EventCursor(Buffer.alloc(32, 8)).token({ time: 5, seq: 6 }, 'q'));
});
