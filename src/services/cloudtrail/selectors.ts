import type { RequestContext } from '../../pipeline/context.js';
import type { AdvancedEventSelectorRecord, EventSelectorRecord } from '../../storage/records.js';
import type { CloudTrailDeps } from './deps.js';
import { InvalidEventSelectorsException } from './errors.js';
import { eventSelectorsShape } from './render.js';
import { findTrail, requireHome } from './resolve.js';

interface WireSelector {
  ReadWriteType?: string;
  IncludeManagementEvents?: boolean;
  DataResources?: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources?: string[];
}
type Operator = 'Equals' | 'StartsWith' | 'EndsWith' | 'NotEquals' | 'NotStartsWith' | 'NotEndsWith';
interface WireAdvanced {
  Name?: string;
  FieldSelectors: ({ Field: string } & Partial<Record<Operator, string[]>>)[];
}

/** Limits from the InvalidEventSelectorsException doc and the PutEventSelectors request doc. */
const MAX_SELECTORS = 5;
const MAX_DATA_RESOURCES = 250;
const MAX_ADVANCED_VALUES = 500;
const READ_WRITE = ['ReadOnly', 'WriteOnly', 'All'];
const DATA_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'];
const EXCLUDABLE = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];
const OPERATORS: readonly Operator[] = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];
/** The fields advanced event selectors filter on (AdvancedFieldSelector doc). */
const FIELDS = ['eventCategory', 'eventSource', 'eventName', 'eventType', 'readOnly', 'resources.type', 'resources.ARN', 'errorCode', 'sessionCredentialFromConsole', 'userIdentity.arn', 'vpcEndpointId', 'eventTypeName'];

const bad = (m: string) => InvalidEventSelectorsException(m);

function basic(list: WireSelector[]): EventSelectorRecord[] {
  if (list.length < 1 || list.length > MAX_SELECTORS) throw bad(`A trail can have from 1 to ${MAX_SELECTORS} event selectors; ${list.length} were specified.`);
  let resources = 0;
  const out = list.map((s) => {
    const rw = s.ReadWriteType ?? 'All';
    if (!READ_WRITE.includes(rw)) throw bad(`ReadWriteType '${rw}' is not valid. Valid values: ReadOnly, WriteOnly, All.`);
    const dataResources = (s.DataResources ?? []).map((r) => {
      if (!r.Type || !DATA_TYPES.includes(r.Type)) throw bad(`Data resource type '${r.Type ?? ''}' is not valid. Valid types: ${DATA_TYPES.join(', ')}.`);
      resources += Math.max(1, r.Values?.length ?? 0);
      return { type: r.Type, values: r.Values ?? [] };
    });
    for (const src of s.ExcludeManagementEventSources ?? [])
      if (!EXCLUDABLE.includes(src)) throw bad(`Management event source '${src}' cannot be excluded. Only ${EXCLUDABLE.join(' and ')} can.`);
    return {
      readWriteType: rw as EventSelectorRecord['readWriteType'],
      includeManagementEvents: s.IncludeManagementEvents ?? true,
      dataResources,
      excludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
    };
  });
  if (resources > MAX_DATA_RESOURCES) throw bad(`A trail is limited to ${MAX_DATA_RESOURCES} data resources; ${resources} were specified.`);
  return out;
}

function advanced(list: WireAdvanced[]): AdvancedEventSelectorRecord[] {
  if (list.length < 1) throw bad('Specify at least one advanced event selector.');
  let values = 0;
  const out = list.map((s) => {
    if (s.Name !== undefined && s.Name.length > 1000) throw bad('An advanced event selector name can be at most 1000 characters long.');
    if (!s.FieldSelectors.length) throw bad('An advanced event selector needs at least one field selector.');
    const fieldSelectors = s.FieldSelectors.map((f) => {
      if (!FIELDS.includes(f.Field)) throw bad(`Field '${f.Field.slice(0, 1000)}' is not valid for advanced event selectors.`);
      const ops = OPERATORS.filter((o) => f[o] !== undefined);
      if (!ops.length) throw bad(`Field selector '${f.Field}' needs at least one operator (${OPERATORS.join(', ')}).`);
      const rec: AdvancedEventSelectorRecord['fieldSelectors'][number] = { field: f.Field };
      for (const o of ops) {
        const v = f[o]!;
        if (!v.length || v.some((x) => x.length < 1 || x.length > 2048)) throw bad(`Each ${o} value of field '${f.Field}' must be between 1 and 2048 characters, and at least one is needed.`);
        values += v.length;
        rec[(o.charAt(0).toLowerCase() + o.slice(1)) as keyof typeof rec] = v as never;
      }
      return rec;
    });
    if (!fieldSelectors.some((f) => f.field === 'eventCategory' && f.equals?.length)) throw bad('Each advanced event selector must have an eventCategory field with the Equals operator.');
    return { name: s.Name, fieldSelectors };
  });
  if (values > MAX_ADVANCED_VALUES) throw bad(`Advanced event selectors can have at most ${MAX_ADVANCED_VALUES} values in all; ${values} were specified.`);
  return out;
}

/** Basic or advanced selectors, not both; each kind replaces the other (PutEventSelectors doc). */
export async function putEventSelectors(ctx: RequestContext, input: { TrailName: string; EventSelectors?: WireSelector[]; AdvancedEventSelectors?: WireAdvanced[] }, d: CloudTrailDeps) {
  if (input.EventSelectors && input.AdvancedEventSelectors) throw bad('You can use either EventSelectors or AdvancedEventSelectors in a PutEventSelectors request, but not both.');
  if (!input.EventSelectors && !input.AdvancedEventSelectors) throw bad('Specify EventSelectors or AdvancedEventSelectors.');
  const eventSelectors = input.EventSelectors && basic(input.EventSelectors);
  const advancedEventSelectors = input.AdvancedEventSelectors && advanced(input.AdvancedEventSelectors);
  return d.store.write(async (tx) => {
    const t = await findTrail(tx, ctx, input.TrailName);
    requireHome(t, ctx);
    const updated = { ...t, eventSelectors, advancedEventSelectors };
    await tx.trails.put(updated);
    return eventSelectorsShape(updated);
  });
}

export async function getEventSelectors(ctx: RequestContext, input: { TrailName: string }, d: CloudTrailDeps) {
  return eventSelectorsShape(await d.store.read((tx) => findTrail(tx, ctx, input.TrailName, { quoteArn: true })));
}
