import type { RequestContext } from '../../pipeline/context.js';
import { trailArn } from '../../kernel/arn.js';
import type { AccessRequest } from '../../auth/authorizer.js';
import type { ContextValues } from '../../auth/policy/types.js';
import type { JsonService, Operation } from '../../pipeline/service.js';
import type { CloudTrailDeps } from './deps.js';
import { getTrailStatus, startLogging, stopLogging } from './logging.js';
import { lookupEvents } from './lookup.js';
import { listPublicKeys } from './public-keys.js';
import { getEventSelectors, putEventSelectors } from './selectors.js';
import { inputShapes, type CloudTrailOperation } from './shapes.js';
import { addTags, listTags, removeTags } from './tags.js';
import { createTrail, deleteTrail, describeTrails, getTrail, listTrails, updateTrail } from './trails.js';

const handlers: Record<CloudTrailOperation, Operation<CloudTrailDeps>['handler']> = {
  AddTags: addTags,
  CreateTrail: createTrail,
  DeleteTrail: deleteTrail,
  DescribeTrails: describeTrails,
  GetEventSelectors: getEventSelectors,
  GetTrail: getTrail,
  GetTrailStatus: getTrailStatus,
  ListPublicKeys: listPublicKeys,
  ListTags: listTags,
  ListTrails: listTrails,
  LookupEvents: lookupEvents,
  PutEventSelectors: putEventSelectors,
  RemoveTags: removeTags,
  StartLogging: startLogging,
  StopLogging: stopLogging,
  UpdateTrail: updateTrail,
};

/** Operations of the CloudTrail model (and @aws-sdk/client-cloudtrail) that certtrail has not built. */
export const CLOUDTRAIL_NOT_YET_IMPLEMENTED = [
  'CancelQuery', 'CreateChannel', 'CreateDashboard', 'CreateEventDataStore', 'DeleteChannel', 'DeleteDashboard',
  'DeleteEventDataStore', 'DeleteResourcePolicy', 'DeregisterOrganizationDelegatedAdmin', 'DescribeQuery', 'DisableFederation',
  'EnableFederation', 'GenerateQuery', 'GetChannel', 'GetDashboard', 'GetEventConfiguration', 'GetEventDataStore', 'GetImport',
  'GetInsightSelectors', 'GetQueryResults', 'GetResourcePolicy', 'ListChannels', 'ListDashboards', 'ListEventDataStores',
  'ListImportFailures', 'ListImports', 'ListInsightsData', 'ListInsightsMetricData', 'ListQueries', 'PutEventConfiguration',
  'PutInsightSelectors', 'PutResourcePolicy', 'RegisterOrganizationDelegatedAdmin', 'RestoreEventDataStore', 'SearchSampleQueries',
  'StartDashboardRefresh', 'StartEventDataStoreIngestion', 'StartImport', 'StartQuery', 'StopEventDataStoreIngestion', 'StopImport',
  'UpdateChannel', 'UpdateDashboard', 'UpdateEventDataStore',
] as const;

/**
 * The CloudTrail API (JSON 1.1, `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Op>`,
 * signing name `cloudtrail`; cloudtrail.md §7). Its own calls are events like any other's,
 * with eventSource cloudtrail.amazonaws.com.
 */
export function cloudtrailService(deps: CloudTrailDeps): JsonService<CloudTrailDeps> {
  const operations: Record<string, Operation<CloudTrailDeps>> = Object.fromEntries(
    (Object.keys(handlers) as CloudTrailOperation[]).map((name) => [name, { input: inputShapes[name], handler: handlers[name] }]),
  );
  return {
    signingName: 'cloudtrail',
    // botocore (the AWS CLI) sends the namespaced target; the JS SDK v3 sends the Smithy
    // service shape name alone (its awsJson1_1 protocol writes `${serviceTarget}.${operation}`).
    targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
    targetPrefixes: ['CloudTrail_20131101'],
    eventSource: 'cloudtrail.amazonaws.com',
    operations,
    notYetImplemented: CLOUDTRAIL_NOT_YET_IMPLEMENTED,
    resourceOf: trailResource,
    access: trailAccess,
    deps,
  };
}

/**
 * LookupEvents' resource for CloudTrail calls: the trail (AWS::CloudTrail::Trail) by ARN, from
 * the response when it names one, else from the input when that is an ARN. A call naming the
 * trail by name alone has no resource (the event builder keeps only real ARNs).
 */
function trailResource(input: Record<string, unknown> | undefined, output: unknown) {
  const o = (output ?? {}) as { TrailARN?: unknown; Trail?: { TrailARN?: unknown } };
  const arn = o.TrailARN ?? o.Trail?.TrailARN ?? input?.Name ?? input?.TrailName ?? input?.ResourceId;
  return typeof arn === 'string' && arn.startsWith('arn:') ? { type: 'AWS::CloudTrail::Trail', name: arn } : undefined;
}

/**
 * IAM's view of a CloudTrail call: the trail it names (by name or ARN), `*` for account-wide
 * calls (LookupEvents, DescribeTrails, ListTrails, ListPublicKeys); tags a call sets.
 */
function trailAccess(ctx: RequestContext, input: Record<string, unknown>): AccessRequest {
  const named = input.Name ?? input.TrailName ?? input.ResourceId;
  const resource = typeof named !== 'string' ? '*' : named.startsWith('arn:') ? named : trailArn(ctx.region, ctx.principal.accountId, named);
  const context: ContextValues = {};
  const tags = (input.TagsList ?? []) as { Key: string; Value?: string }[];
  for (const t of tags) if (t.Value !== undefined) context[`aws:requesttag/${t.Key.toLowerCase()}`] = t.Value;
  if (tags.length) context['aws:tagkeys'] = tags.map((t) => t.Key);
  return { resource, context };
}
