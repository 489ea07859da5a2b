import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sdk from '@aws-sdk/client-iam';
import * as E from './errors.js';
import { iamOperations } from './service.js';

/** The SDK's schema of an error: [kind, namespace, name, { awsQueryError: [code, status], error, httpError }, …]. */
type ErrorSchema = [number, string, string, { awsQueryError?: [string, number]; error?: string }];

const modelled = new Map(
  Object.entries(sdk)
    .filter(([k, v]) => k.endsWith('Exception$') && Array.isArray(v))
    .map(([, v]) => (v as unknown as ErrorSchema)[3])
    .filter((t) => t.awsQueryError)
    .map((t) => [t.awsQueryError![0], { status: t.awsQueryError![1], fault: t.error }] as const),
);

test('the catalogue\'s codes and statuses are the IAM model\'s (the query protocol\'s ValidationError aside)', () => {
  for (const code of E.IAM_ERROR_CODES) {
    const e = (E as unknown as Record<string, (m: string) => { code: string; status: number; fault: string }>)[code]('m');
    assert.equal(e.code, code);
    if (code === 'ValidationError') {
      assert.equal(e.status, 400);
      continue;
    }
    const m = modelled.get(code);
    assert.ok(m, `${code} is not an IAM error`);
    assert.equal(e.status, m.status, code);
    assert.equal(e.fault, m.fault, code);
  }
});

test('every operation served is an IAM operation of the SDK\'s model, under its own name', () => {
  for (const name of Object.keys(iamOperations())) assert.ok((sdk as Record<string, unknown>)[`${name}Command`], `${name} is not an IAM operation`);
});
