import { stableUuid } from './bus/dispatcher.js';
import { eventTimeString } from './event.js';
import { PROFILES } from './masks.js';
import type { CertificateRecord, EventRecord } from '../storage/records.js';

/**
 * What ACM does by itself, as CloudTrail records it: an `AwsServiceEvent`, made by no caller
 * (`userIdentity` only `accountId` and `invokedBy: "AWS Internal"`, source and agent "AWS
 * Internal"), the resource in `resources` and the change in `serviceEventDetails` — the shape of
 * AWS's documented service events (KMS's scheduled RotateKey and DeleteExpiredKeyMaterial,
 * CloudTrail user guide "AWS service events"). AWS publishes no sample of ACM's own, so the names
 * follow the same rule as KMS's: the action the service took, RenewCertificate for a managed
 * renewal, ExpireCertificate when a certificate passes NotAfter.
 */
export function serviceEvent(c: CertificateRecord, eventName: string, at: Date, details: Record<string, unknown>, idParts: string[]): EventRecord {
  const eventId = stableUuid('cloudtrail-service', eventName, c.arn, ...idParts);
  const record = {
    eventVersion: PROFILES.current.eventVersion,
    userIdentity: { accountId: c.accountId, invokedBy: 'AWS Internal' },
    eventTime: eventTimeString(at),
    eventSource: 'acm.amazonaws.com',
    eventName,
    awsRegion: c.region,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    eventID: eventId,
    readOnly: false,
    resources: [{ accountId: c.accountId, type: 'AWS::ACM::Certificate', ARN: c.arn }],
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: c.accountId,
    serviceEventDetails: details,
    eventCategory: 'Management',
  };
  return {
    eventId,
    accountId: c.accountId,
    region: c.region,
    eventTime: at,
    eventSource: 'acm.amazonaws.com',
    eventName,
    readOnly: false,
    resourceType: 'AWS::ACM::Certificate',
    resourceName: c.arn,
    record: JSON.stringify(record),
  };
}

/** The CloudTrail record of a lifecycle change ACM made on its own, if it is one CloudTrail shows. */
export function lifecycleServiceEvent(before: CertificateRecord | undefined, after: CertificateRecord, at: Date): EventRecord | undefined {
  const f = after.facts;
  if (!f || !before) return undefined;
  if (before.status === 'ISSUED' && after.status === 'ISSUED' && before.facts && before.facts.serial !== f.serial && after.type !== 'IMPORTED')
    return serviceEvent(after, 'RenewCertificate', at, {
      renewalType: 'MANAGED',
      certificateArn: after.arn,
      renewalStatus: 'SUCCESS',
      previousSerialNumber: before.facts.serial,
      serialNumber: f.serial,
      notBefore: eventTimeString(f.notBefore),
      notAfter: eventTimeString(f.notAfter),
    }, [f.serial]);
  if (before.status !== 'EXPIRED' && after.status === 'EXPIRED')
    return serviceEvent(after, 'ExpireCertificate', at, {
      certificateArn: after.arn,
      certificateType: after.type,
      serialNumber: f.serial,
      notAfter: eventTimeString(f.notAfter),
      ...(after.renewal ? { renewalStatus: after.renewal.status } : {}),
    }, [f.serial]);
  return undefined;
}
