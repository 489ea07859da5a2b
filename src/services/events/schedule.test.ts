import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidSchedule } from './schedule.js';

test('rate expressions: positive values, singular unit for 1 only', () => {
  for (const ok of ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)']) assert.ok(isValidSchedule(ok), ok);
  for (const bad of ['rate(0 minutes)', 'rate(1 minutes)', 'rate(5 minute)', 'rate(5 weeks)', 'rate(5minutes)', 'rate( 5 minutes)', 'rate(-1 day)', 'every 5 minutes'])
    assert.ok(!isValidSchedule(bad), bad);
});

test('cron expressions: six fields, one of day-of-month and day-of-week is ?', () => {
  for (const ok of ['cron(0 12 * * ? *)', 'cron(15 10 ? * 6L 2026-2030)', 'cron(0/15 * * * ? *)', 'cron(0 8 1 * ? *)', 'cron(0 18 ? * MON-FRI *)',
    'cron(0 10 ? * 2#1 *)', 'cron(0 0 L * ? *)', 'cron(0 0 15W * ? *)', 'cron(5,35 14 * JAN,FEB ? *)'])
    assert.ok(isValidSchedule(ok), ok);
  for (const bad of ['cron(0 12 * * * *)', 'cron(0 12 ? * ? *)', 'cron(0 12 * * ?)', 'cron(60 12 * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 12 32 * ? *)',
    'cron(0 12 * 13 ? *)', 'cron(0 12 ? * 8 *)', 'cron(0 12 * * ? 1969)', 'cron(a b c d e f)', 'cron()'])
    assert.ok(!isValidSchedule(bad), bad);
});
