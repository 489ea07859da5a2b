import type { EventEnvelope } from './deps.js';

const field = (r: Record<string, unknown>, k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');

/**
 * The EventBridge event for a CloudTrail record ("AWS API Call via CloudTrail"): source is
 * "aws." + the service prefix (acm.amazonaws.com → aws.acm), account the recipient account,
 * time the event time, resources empty, detail the record itself (EventBridge user guide, ACM's
 * CloudTrail examples; shared/reference/cloudtrail.md §8). `id` is the envelope's own UUID, not
 * the record's eventID.
 */
export function cloudTrailEnvelope(record: object, id: string): EventEnvelope {
  const r = record as Record<string, unknown>;
  const eventSource = field(r, 'eventSource');
  return {
    version: '0',
    id,
    // Service events (renewal, expiry) have their own detail-type (EventBridge user guide).
    'detail-type': r.eventType === 'AwsServiceEvent' ? 'AWS Service Event via CloudTrail' : 'AWS API Call via CloudTrail',
    source: `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`,
    account: field(r, 'recipientAccountId'),
    time: field(r, 'eventTime'),
    region: field(r, 'awsRegion'),
    resources: [],
    detail: r,
  };
}
