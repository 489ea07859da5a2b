import type { RequestContext } from '../../pipeline/context.js';
import { eventBusArn, eventRuleArn } from '../../kernel/arn.js';
import type { AccessRequest } from '../../auth/authorizer.js';
import type { JsonService, Operation } from '../../pipeline/service.js';
import { createApiDestination, deleteApiDestination, describeApiDestination, listApiDestinations } from './api-destinations.js';
import { describeEventBus } from './bus.js';
import { createConnection, deleteConnection, describeConnection, listConnections } from './connections.js';
import type { EventsDeps } from './deps.js';
import { putEvents } from './put-events.js';
import { deleteRule, describeRule, disableRule, enableRule, listRules, putRule } from './rules.js';
import { inputShapes, type EventsOperation } from './shapes.js';
import { listTargetsByRule, putTargets, removeTargets } from './targets.js';
import { testEventPattern } from './test-pattern.js';

const handlers: Record<EventsOperation, Operation<EventsDeps>['handler']> = {
  CreateApiDestination: createApiDestination,
  CreateConnection: createConnection,
  DeleteApiDestination: deleteApiDestination,
  DeleteConnection: deleteConnection,
  DeleteRule: deleteRule,
  DescribeApiDestination: describeApiDestination,
  DescribeConnection: describeConnection,
  DescribeEventBus: describeEventBus,
  DescribeRule: describeRule,
  DisableRule: disableRule,
  EnableRule: enableRule,
  ListApiDestinations: listApiDestinations,
  ListConnections: listConnections,
  ListRules: listRules,
  ListTargetsByRule: listTargetsByRule,
  PutEvents: putEvents,
  PutRule: putRule,
  PutTargets: putTargets,
  RemoveTargets: removeTargets,
  TestEventPattern: testEventPattern,
};

/** Operations of the EventBridge model (and @aws-sdk/client-eventbridge) that certtrail has not built. */
export const EVENTS_NOT_YET_IMPLEMENTED = [
  'ActivateEventSource', 'CancelReplay', 'CreateArchive', 'CreateEndpoint', 'CreateEventBus', 'CreatePartnerEventSource',
  'DeactivateEventSource', 'DeauthorizeConnection', 'DeleteArchive', 'DeleteEndpoint', 'DeleteEventBus', 'DeletePartnerEventSource',
  'DescribeArchive', 'DescribeEndpoint', 'DescribeEventSource', 'DescribePartnerEventSource', 'DescribeReplay', 'ListArchives',
  'ListEndpoints', 'ListEventBuses', 'ListEventSources', 'ListPartnerEventSourceAccounts', 'ListPartnerEventSources', 'ListReplays',
  'ListRuleNamesByTarget', 'ListTagsForResource', 'PutPartnerEvents', 'PutPermission', 'RemovePermission', 'StartReplay', 'TagResource',
  'UntagResource', 'UpdateApiDestination', 'UpdateArchive', 'UpdateConnection', 'UpdateEndpoint', 'UpdateEventBus',
] as const;

/**
 * The EventBridge API (JSON 1.1, `AWSEvents.<Op>`, signing name `events`) on the account's
 * default bus of each region. Its calls are CloudTrail events with eventSource
 * events.amazonaws.com; Describe/List and TestEventPattern are read-only.
 */
export function eventsService(deps: EventsDeps): JsonService<EventsDeps> {
  const operations: Record<string, Operation<EventsDeps>> = Object.fromEntries(
    (Object.keys(handlers) as EventsOperation[]).map((name) => [name, { input: inputShapes[name], handler: handlers[name] }]),
  );
  // TestEventPattern reads nothing and changes nothing (IAM's access level for it: Read).
  operations.TestEventPattern.readOnly = true;
  return {
    signingName: 'events',
    // botocore and the JS SDK v3 both send the model's targetPrefix.
    targetPrefix: 'AWSEvents',
    eventSource: 'events.amazonaws.com',
    operations,
    notYetImplemented: EVENTS_NOT_YET_IMPLEMENTED,
    resourceOf: eventsResource,
    access: eventsAccess,
    deps,
  };
}

const RESOURCE_TYPES: Record<string, string> = {
  rule: 'AWS::Events::Rule',
  connection: 'AWS::Events::Connection',
  'api-destination': 'AWS::Events::ApiDestination',
  'event-bus': 'AWS::Events::EventBus',
};

/**
 * LookupEvents' resource for EventBridge calls: the ARN the response names (RuleArn,
 * ConnectionArn, ApiDestinationArn, DescribeRule's and DescribeEventBus's Arn), else an ARN
 * in the input (CreateApiDestination's ConnectionArn). A call naming its resource by name
 * alone has none, as for CloudTrail's own calls.
 */
function eventsResource(input: Record<string, unknown> | undefined, output: unknown) {
  const o = (output ?? {}) as Record<string, unknown>;
  const arn = o.RuleArn ?? o.ApiDestinationArn ?? o.ConnectionArn ?? o.Arn ?? input?.ConnectionArn;
  if (typeof arn !== 'string') return undefined;
  const type = /^arn:[^:]+:events:[^:]*:\d{12}:([a-z-]+)\//.exec(arn)?.[1];
  return type && RESOURCE_TYPES[type] ? { type: RESOURCE_TYPES[type], name: arn } : undefined;
}

/** IAM's view of an EventBridge call: the rule it names (default bus), the bus for PutEvents, else `*`. */
function eventsAccess(ctx: RequestContext, input: Record<string, unknown>): AccessRequest {
  const rule = input.Rule ?? (ctx.operation.endsWith('Rule') ? input.Name : undefined);
  const bus = typeof input.EventBusName === 'string' ? input.EventBusName : 'default';
  if (typeof rule === 'string') return { resource: eventRuleArn(ctx.region, ctx.principal.accountId, bus, rule), context: {} };
  if (ctx.operation === 'PutEvents') return { resource: eventBusArn(ctx.region, ctx.principal.accountId, 'default'), context: {} };
  return { resource: '*', context: {} };
}
