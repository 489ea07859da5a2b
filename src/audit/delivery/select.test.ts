import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRecord, TrailRecord } from '../../storage/records.js';
import { trailWants } from './select.js';

const trail = (o: Partial<TrailRecord> = {}): TrailRecord => ({
  accountId: '111122223333', homeRegion: 'us-east-1', name: 't', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', s3BucketName: 'b',
  includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: false, isOrganizationTrail: false,
  isLogging: true, tags: [], createdAt: new Date(0), ...o,
});
const event = (o: Partial<EventRecord> & { errorCode?: string } = {}): EventRecord => {
  const { errorCode, ...rest } = o;
  return {
    eventId: 'e', accountId: '111122223333', region: 'us-east-1', eventTime: new Date(0), eventSource: 'acm.amazonaws.com',
    eventName: 'DescribeCertificate', readOnly: true,
    record: JSON.stringify({ eventType: 'AwsApiCall', userIdentity: { arn: 'arn:aws:iam::111122223333:user/alice' }, ...(errorCode ? { errorCode } : {}) }),
    ...rest,
  };
};

test('account and region: other accounts never; other regions only for a multi-region trail', () => {
  assert.equal(trailWants(trail(), event()), true);
  assert.equal(trailWants(trail(), event({ accountId: '444455556666' })), false);
  assert.equal(trailWants(trail(), event({ region: 'eu-west-1' })), false);
  assert.equal(trailWants(trail({ isMultiRegionTrail: true }), event({ region: 'eu-west-1' })), true);
});

test('basic selectors: ReadOnly / WriteOnly / All, management events off, excluded sources', () => {
  const sel = (readWriteType: 'ReadOnly' | 'WriteOnly' | 'All', includeManagementEvents = true, excludeManagementEventSources: string[] = []) =>
    trail({ eventSelectors: [{ readWriteType, includeManagementEvents, dataResources: [], excludeManagementEventSources }] });
  assert.equal(trailWants(sel('ReadOnly'), event()), true);
  assert.equal(trailWants(sel('WriteOnly'), event()), false);
  assert.equal(trailWants(sel('WriteOnly'), event({ readOnly: false, eventName: 'AddTagsToCertificate' })), true);
  assert.equal(trailWants(sel('All', false), event()), false);
  assert.equal(trailWants(sel('All', true, ['kms.amazonaws.com']), event({ eventSource: 'kms.amazonaws.com' })), false);
});

test('advanced selectors: positive operators OR, negative AND, selectors OR', () => {
  const adv = (...fieldSelectors: any[]) => trail({ advancedEventSelectors: [{ fieldSelectors }] });
  const mgmt = { field: 'eventCategory', equals: ['Management'] };
  assert.equal(trailWants(adv(mgmt), event()), true);
  assert.equal(trailWants(adv(mgmt, { field: 'readOnly', equals: ['false'] }), event()), false);
  assert.equal(trailWants(adv(mgmt, { field: 'eventName', startsWith: ['Describe', 'List'] }), event()), true);
  assert.equal(trailWants(adv(mgmt, { field: 'eventName', notStartsWith: ['Describe'] }), event()), false);
  assert.equal(trailWants(adv(mgmt, { field: 'errorCode', equals: ['AccessDenied'] }), event({ errorCode: 'AccessDenied' })), true);
  assert.equal(trailWants(adv(mgmt, { field: 'errorCode', equals: ['AccessDenied'] }), event()), false);
  assert.equal(trailWants(adv(mgmt, { field: 'userIdentity.arn', endsWith: ['/alice'] }), event()), true);
  assert.equal(trailWants(adv(mgmt, { field: 'eventSource', notEquals: ['acm.amazonaws.com'] }), event()), false);
});
