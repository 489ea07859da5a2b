import type { AdvancedFieldSelectorRecord, EventRecord, TrailRecord } from '../../storage/records.js';

/**
 * Whether a trail logs an event: its account, its region (every region for a multi-region
 * trail), and its event selectors. Every event certtrail records is a management event, so
 * data resources never match; advanced selectors are read field by field.
 */
export function trailWants(t: TrailRecord, e: EventRecord): boolean {
  if (e.accountId !== t.accountId) return false;
  if (!t.isMultiRegionTrail && e.region !== t.homeRegion) return false;
  if (t.advancedEventSelectors?.length) return t.advancedEventSelectors.some((s) => s.fieldSelectors.every((f) => fieldMatches(f, fieldOf(e, f.field))));
  const selectors = t.eventSelectors;
  if (!selectors?.length) return true;
  return selectors.some(
    (s) =>
      s.includeManagementEvents &&
      !s.excludeManagementEventSources.includes(e.eventSource) &&
      (s.readWriteType === 'All' || (s.readWriteType === 'ReadOnly') === e.readOnly),
  );
}

function fieldOf(e: EventRecord, field: string): string | undefined {
  switch (field) {
    case 'eventCategory':
      return 'Management';
    case 'eventSource':
      return e.eventSource;
    case 'eventName':
      return e.eventName;
    case 'readOnly':
      return String(e.readOnly);
  }
  const r = JSON.parse(e.record) as Record<string, any>;
  switch (field) {
    case 'eventType':
      return r.eventType;
    case 'errorCode':
      return r.errorCode;
    case 'userIdentity.arn':
      return r.userIdentity?.arn;
    case 'sessionCredentialFromConsole':
      return r.sessionCredentialFromConsole;
    case 'vpcEndpointId':
      return r.vpcEndpointId;
    case 'resources.type':
      return r.resources?.[0]?.type;
    case 'resources.ARN':
      return r.resources?.[0]?.ARN;
  }
  return undefined;
}

/** AWS: positive operators are ORed within a field, negative ones ANDed, and both must hold. */
function fieldMatches(f: AdvancedFieldSelectorRecord, v: string | undefined): boolean {
  const positive = [
    ...(f.equals ?? []).map((x) => v === x),
    ...(f.startsWith ?? []).map((x) => v !== undefined && v.startsWith(x)),
    ...(f.endsWith ?? []).map((x) => v !== undefined && v.endsWith(x)),
  ];
  if (positive.length && !positive.some(Boolean)) return false;
  if ((f.notEquals ?? []).some((x) => v === x)) return false;
  if ((f.notStartsWith ?? []).some((x) => v !== undefined && v.startsWith(x))) return false;
  if ((f.notEndsWith ?? []).some((x) => v !== undefined && v.endsWith(x))) return false;
  return true;
}
