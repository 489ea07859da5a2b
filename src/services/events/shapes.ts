import { bool, enumOf, int, list, map, str, struct, timestamp, type Shape } from '../../protocol/shape.js';

/**
 * EventBridge input shapes (botocore events/2015-10-07), constraints transcribed from the
 * model: EventBridge answers them with Coral's ValidationException, as the decoder does for
 * every service ("Value 'x' at 'targets.1.member.id' failed to satisfy constraint: …").
 * Enum sets are listed in the order AWS prints them in those messages where it was observed
 * (HttpMethod: localstack's AWS-validated snapshots), else in the model's order.
 */
const S = str();
const NAME = '[\\.\\-_A-Za-z0-9]+';
const RuleName = str({ min: 1, max: 64, pattern: NAME });
const BusNameOrArn = str({ min: 1, max: 1600, pattern: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+' });
const NonPartnerBusNameOrArn = str({ min: 1, max: 1600, pattern: '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+' });
const NextToken = str({ min: 1, max: 2048 });
const Limit = int({ min: 1, max: 100 });
const EventPattern = str({ max: 4096 });
const RoleArn = str({ min: 1, max: 1600 });
export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
const Tag = struct({ Key: str({ min: 1, max: 128 }), Value: str({ min: 0, max: 256 }) }, ['Key', 'Value']);

const TargetInputPath = str({ max: 256 });
const HeaderKey = str({ max: 512, pattern: "^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$" });
const HeaderValue = str({ max: 512, pattern: '^[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*$' });
const QueryKey = str({ max: 512, pattern: '[^\\x00-\\x1F\\x7F]+' });
const QueryValue = str({ max: 512, pattern: '[^\\x00-\\x09\\x0B\\x0C\\x0E-\\x1F\\x7F]+' });

/** Target: the members certtrail uses, and the others as loosely typed structures to be listed back. */
const Target = struct({
  Id: str({ min: 1, max: 64, pattern: NAME }),
  Arn: str({ min: 1, max: 1600 }),
  RoleArn,
  Input: str({ max: 8192 }),
  InputPath: TargetInputPath,
  InputTransformer: struct({
    InputPathsMap: map(str({ min: 1, max: 256, pattern: '[A-Za-z0-9\\_\\-]+' }), TargetInputPath, { max: 100 }),
    InputTemplate: str({ min: 1, max: 8192 }),
  }, ['InputTemplate']),
  KinesisParameters: struct({ PartitionKeyPath: str({ max: 256 }) }, ['PartitionKeyPath']),
  RunCommandParameters: struct({
    RunCommandTargets: list(struct({ Key: str({ min: 1, max: 128 }), Values: list(str({ min: 1, max: 256 }), { min: 1, max: 50 }) }, ['Key', 'Values']), { min: 1, max: 5 }),
  }, ['RunCommandTargets']),
  EcsParameters: struct({
    TaskDefinitionArn: str({ min: 1, max: 1600 }),
    TaskCount: int({ min: 1 }),
    LaunchType: enumOf(['EC2', 'FARGATE', 'EXTERNAL']),
    NetworkConfiguration: struct({ awsvpcConfiguration: struct({ Subnets: list(S), SecurityGroups: list(S), AssignPublicIp: enumOf(['ENABLED', 'DISABLED']) }, ['Subnets']) }),
    PlatformVersion: S,
    Group: S,
    CapacityProviderStrategy: list(struct({ capacityProvider: str({ min: 1, max: 255 }), weight: int({ min: 0, max: 1000 }), base: int({ min: 0, max: 100000 }) }, ['capacityProvider']), { max: 6 }),
    EnableECSManagedTags: bool,
    EnableExecuteCommand: bool,
    PlacementConstraints: list(struct({ type: enumOf(['distinctInstance', 'memberOf']), expression: str({ max: 2000 }) }), { max: 10 }),
    PlacementStrategy: list(struct({ type: enumOf(['random', 'spread', 'binpack']), field: str({ max: 255 }) }), { max: 5 }),
    PropagateTags: enumOf(['TASK_DEFINITION']),
    ReferenceId: str({ max: 1024 }),
    Tags: list(Tag),
  }, ['TaskDefinitionArn']),
  BatchParameters: struct({ JobDefinition: S, JobName: S, ArrayProperties: struct({ Size: int() }), RetryStrategy: struct({ Attempts: int() }) }, ['JobDefinition', 'JobName']),
  SqsParameters: struct({ MessageGroupId: str({ max: 100 }) }),
  HttpParameters: struct({
    PathParameterValues: list(str({ pattern: '^(?!\\s*$).+' })),
    HeaderParameters: map(HeaderKey, HeaderValue),
    QueryStringParameters: map(QueryKey, QueryValue),
  }),
  RedshiftDataParameters: struct({
    SecretManagerArn: str({ min: 1, max: 1600 }),
    Database: str({ min: 1, max: 64 }),
    DbUser: str({ min: 1, max: 128 }),
    Sql: str({ min: 1, max: 100000, sensitive: true }),
    StatementName: str({ min: 1, max: 500 }),
    WithEvent: bool,
    Sqls: list(str({ min: 1, max: 100000, sensitive: true }), { min: 0, max: 40 }),
  }, ['Database']),
  SageMakerPipelineParameters: struct({
    PipelineParameterList: list(struct({ Name: str({ min: 1, max: 256, pattern: '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$' }), Value: str({ max: 1024 }) }, ['Name', 'Value']), { min: 0, max: 200 }),
  }),
  DeadLetterConfig: struct({ Arn: str({ min: 1, max: 1600 }) }),
  RetryPolicy: struct({ MaximumRetryAttempts: int({ min: 0, max: 185 }), MaximumEventAgeInSeconds: int({ min: 60, max: 86400 }) }),
  AppSyncParameters: struct({ GraphQLOperation: str({ min: 1, max: 1048576, sensitive: true }) }),
}, ['Id', 'Arn']);

const ConnectionName = str({ min: 1, max: 64, pattern: NAME });
const AuthHeader = str({ min: 1, max: 512, pattern: '^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$' });
const AuthHeaderSensitive = str({ min: 1, max: 512, pattern: '^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$', sensitive: true });
export const HTTPS_ENDPOINT = "^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$";
const HttpsEndpoint = str({ min: 1, max: 2048, pattern: HTTPS_ENDPOINT });
const ConnectionArn = str({ min: 1, max: 1600, pattern: '^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$' });
const param = (key: Shape, value: Shape) => list(struct({ Key: key, Value: value, IsValueSecret: bool }), { min: 0, max: 100 });
const ConnectionHttpParameters = struct({
  HeaderParameters: param(HeaderKey, str({ max: 512, pattern: '^[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*$', sensitive: true })),
  QueryStringParameters: param(QueryKey, str({ max: 512, pattern: '[^\\x00-\\x09\\x0B\\x0C\\x0E-\\x1F\\x7F]+', sensitive: true })),
  BodyParameters: param(S, str({ sensitive: true })),
});
const ConnectivityParameters = struct({
  ResourceParameters: struct({ ResourceConfigurationArn: str({ min: 0, max: 2048 }) }, ['ResourceConfigurationArn']),
}, ['ResourceParameters']);
export const CONNECTION_STATES = ['CREATING', 'UPDATING', 'DELETING', 'AUTHORIZED', 'DEAUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING', 'ACTIVE', 'FAILED_CONNECTIVITY'] as const;

export const inputShapes = {
  PutRule: struct({
    Name: RuleName,
    ScheduleExpression: str({ max: 256 }),
    EventPattern,
    State: enumOf(RULE_STATES),
    Description: str({ max: 512 }),
    RoleArn,
    Tags: list(Tag),
    EventBusName: BusNameOrArn,
  }, ['Name']),
  DescribeRule: struct({ Name: RuleName, EventBusName: BusNameOrArn }, ['Name']),
  ListRules: struct({ NamePrefix: RuleName, EventBusName: BusNameOrArn, NextToken, Limit }),
  EnableRule: struct({ Name: RuleName, EventBusName: BusNameOrArn }, ['Name']),
  DisableRule: struct({ Name: RuleName, EventBusName: BusNameOrArn }, ['Name']),
  DeleteRule: struct({ Name: RuleName, EventBusName: BusNameOrArn, Force: bool }, ['Name']),
  PutTargets: struct({ Rule: RuleName, EventBusName: BusNameOrArn, Targets: list(Target, { min: 1, max: 100 }) }, ['Rule', 'Targets']),
  RemoveTargets: struct({ Rule: RuleName, EventBusName: BusNameOrArn, Ids: list(str({ min: 1, max: 64, pattern: NAME }), { min: 1, max: 100 }), Force: bool }, ['Rule', 'Ids']),
  ListTargetsByRule: struct({ Rule: RuleName, EventBusName: BusNameOrArn, NextToken, Limit }, ['Rule']),
  PutEvents: struct({
    Entries: list(struct({
      Time: timestamp,
      Source: S,
      Resources: list(str({ max: 2048 })),
      DetailType: S,
      Detail: S,
      EventBusName: NonPartnerBusNameOrArn,
      TraceHeader: str({ min: 1, max: 500 }),
    }), { min: 1, max: 10 }),
    EndpointId: str({ min: 1, max: 50, pattern: '^[A-Za-z0-9\\-]+[\\.][A-Za-z0-9\\-]+$' }),
  }, ['Entries']),
  TestEventPattern: struct({ EventPattern, Event: S }, ['EventPattern', 'Event']),
  DescribeEventBus: struct({ Name: BusNameOrArn }),
  CreateConnection: struct({
    Name: ConnectionName,
    Description: str({ max: 512, pattern: '.*' }),
    AuthorizationType: enumOf(['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY']),
    AuthParameters: struct({
      BasicAuthParameters: struct({ Username: AuthHeader, Password: AuthHeaderSensitive }, ['Username', 'Password']),
      OAuthParameters: struct({
        ClientParameters: struct({ ClientID: AuthHeader, ClientSecret: AuthHeaderSensitive }, ['ClientID', 'ClientSecret']),
        AuthorizationEndpoint: HttpsEndpoint,
        HttpMethod: enumOf(['GET', 'POST', 'PUT']),
        OAuthHttpParameters: ConnectionHttpParameters,
      }, ['ClientParameters', 'AuthorizationEndpoint', 'HttpMethod']),
      ApiKeyAuthParameters: struct({ ApiKeyName: AuthHeader, ApiKeyValue: AuthHeaderSensitive }, ['ApiKeyName', 'ApiKeyValue']),
      InvocationHttpParameters: ConnectionHttpParameters,
      ConnectivityParameters,
    }),
    InvocationConnectivityParameters: ConnectivityParameters,
    KmsKeyIdentifier: str({ max: 2048, pattern: '^[a-zA-Z0-9_\\-/:]*$' }),
  }, ['Name', 'AuthorizationType', 'AuthParameters']),
  DescribeConnection: struct({ Name: ConnectionName }, ['Name']),
  ListConnections: struct({ NamePrefix: ConnectionName, ConnectionState: enumOf(CONNECTION_STATES), NextToken, Limit }),
  DeleteConnection: struct({ Name: ConnectionName }, ['Name']),
  CreateApiDestination: struct({
    Name: str({ min: 1, max: 64, pattern: NAME }),
    Description: str({ max: 512, pattern: '.*' }),
    ConnectionArn,
    InvocationEndpoint: HttpsEndpoint,
    HttpMethod: enumOf(['HEAD', 'POST', 'PATCH', 'DELETE', 'PUT', 'GET', 'OPTIONS']),
    InvocationRateLimitPerSecond: int({ min: 1 }),
  }, ['Name', 'ConnectionArn', 'InvocationEndpoint', 'HttpMethod']),
  DescribeApiDestination: struct({ Name: str({ min: 1, max: 64, pattern: NAME }) }, ['Name']),
  ListApiDestinations: struct({ NamePrefix: str({ min: 1, max: 64, pattern: NAME }), ConnectionArn, NextToken, Limit }),
  DeleteApiDestination: struct({ Name: str({ min: 1, max: 64, pattern: NAME }) }, ['Name']),
} satisfies Record<string, Shape>;

export type EventsOperation = keyof typeof inputShapes;

export interface WireTag { Key: string; Value: string }

export interface WireTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  HttpParameters?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
  SqsParameters?: { MessageGroupId?: string };
  [other: string]: unknown;
}

export interface WireHttpParameter { Key?: string; Value?: string; IsValueSecret?: boolean }
export interface WireConnectionHttpParameters {
  HeaderParameters?: WireHttpParameter[];
  QueryStringParameters?: WireHttpParameter[];
  BodyParameters?: WireHttpParameter[];
}

export interface WireAuthParameters {
  BasicAuthParameters?: { Username: string; Password: string };
  OAuthParameters?: {
    ClientParameters: { ClientID: string; ClientSecret: string };
    AuthorizationEndpoint: string;
    HttpMethod: 'GET' | 'POST' | 'PUT';
    OAuthHttpParameters?: WireConnectionHttpParameters;
  };
  ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
  InvocationHttpParameters?: WireConnectionHttpParameters;
  ConnectivityParameters?: unknown;
}
