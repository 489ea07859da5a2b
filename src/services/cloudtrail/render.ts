import type { AdvancedEventSelectorRecord, EventSelectorRecord, TagRecord, TrailRecord } from '../../storage/records.js';

/** CreateTrail/UpdateTrail's response: the settings, without HomeRegion or status (cloudtrail.md §7). */
export function trailSettings(t: TrailRecord) {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    S3KeyPrefix: t.s3KeyPrefix,
    SnsTopicName: t.snsTopicName,
    SnsTopicARN: t.snsTopicArn,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn,
    KmsKeyId: t.kmsKeyId,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

/** The Trail shape of GetTrail and DescribeTrails. */
export function trailShape(t: TrailRecord) {
  const { IsOrganizationTrail, ...rest } = trailSettings(t);
  return {
    ...rest,
    HomeRegion: t.homeRegion,
    HasCustomEventSelectors: t.eventSelectors !== undefined || t.advancedEventSelectors !== undefined,
    HasInsightSelectors: false,
    IsOrganizationTrail,
  };
}

/** A new trail logs all read and write management events and no data events (PutEventSelectors doc). */
export const DEFAULT_SELECTORS: EventSelectorRecord[] = [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [], excludeManagementEventSources: [] }];

export function eventSelectorsShape(t: TrailRecord) {
  if (t.advancedEventSelectors) return { TrailARN: t.arn, AdvancedEventSelectors: t.advancedEventSelectors.map(advancedShape) };
  return { TrailARN: t.arn, EventSelectors: (t.eventSelectors ?? DEFAULT_SELECTORS).map(selectorShape) };
}

function selectorShape(s: EventSelectorRecord) {
  return {
    ReadWriteType: s.readWriteType,
    IncludeManagementEvents: s.includeManagementEvents,
    DataResources: s.dataResources.map((r) => ({ Type: r.type, Values: r.values })),
    ExcludeManagementEventSources: s.excludeManagementEventSources,
  };
}

function advancedShape(s: AdvancedEventSelectorRecord) {
  return {
    Name: s.name,
    FieldSelectors: s.fieldSelectors.map((f) => ({
      Field: f.field, Equals: f.equals, StartsWith: f.startsWith, EndsWith: f.endsWith,
      NotEquals: f.notEquals, NotStartsWith: f.notStartsWith, NotEndsWith: f.notEndsWith,
    })),
  };
}

export function tagsShape(tags: TagRecord[]) {
  return tags.map((t) => (t.value === undefined ? { Key: t.key } : { Key: t.key, Value: t.value }));
}

/** GetTrailStatus's string-typed times: ISO 8601 to the second, or "" when never (as moto shows). */
export function isoOrEmpty(d: Date | undefined): string {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}
