import { bool, int, list, str, struct, timestamp, type Shape } from '../../protocol/shape.js';

/**
 * CloudTrail input shapes (botocore cloudtrail/2013-11-01). The model's few constraints
 * (LookupAttributeKey and EventCategory enums, MaxResults 1–50, AttributeValue 1–2000, tag
 * lengths, ReadWriteType, selector patterns) are checked by the handlers, because CloudTrail
 * answers them with its own modelled errors (InvalidLookupAttributesException,
 * InvalidMaxResultsException, InvalidEventCategoryException, InvalidTagParameterException,
 * InvalidEventSelectorsException), not with a generic ValidationException. Types and required
 * members are checked by the decoder as for every service.
 */
const S = str();
const Tag = struct({ Key: S, Value: S }, ['Key']);
const TagsList = list(Tag);

const trailSettings = {
  S3BucketName: S,
  S3KeyPrefix: S,
  SnsTopicName: S,
  IncludeGlobalServiceEvents: bool,
  IsMultiRegionTrail: bool,
  EnableLogFileValidation: bool,
  CloudWatchLogsLogGroupArn: S,
  CloudWatchLogsRoleArn: S,
  KmsKeyId: S,
  IsOrganizationTrail: bool,
};

const Operator = list(S);
const AdvancedEventSelector = struct({
  Name: S,
  FieldSelectors: list(struct({ Field: S, Equals: Operator, StartsWith: Operator, EndsWith: Operator, NotEquals: Operator, NotStartsWith: Operator, NotEndsWith: Operator }, ['Field'])),
}, ['FieldSelectors']);
const EventSelector = struct({
  ReadWriteType: S,
  IncludeManagementEvents: bool,
  DataResources: list(struct({ Type: S, Values: list(S) })),
  ExcludeManagementEventSources: list(S),
});

const Name = struct({ Name: S }, ['Name']);
const TrailName = struct({ TrailName: S }, ['TrailName']);

export const inputShapes = {
  LookupEvents: struct({
    LookupAttributes: list(struct({ AttributeKey: S, AttributeValue: S }, ['AttributeKey', 'AttributeValue'])),
    StartTime: timestamp,
    EndTime: timestamp,
    EventCategory: S,
    MaxResults: int(),
    NextToken: S,
  }),
  CreateTrail: struct({ Name: S, ...trailSettings, TagsList }, ['Name', 'S3BucketName']),
  GetTrail: Name,
  DescribeTrails: struct({ trailNameList: list(S), includeShadowTrails: bool }),
  ListTrails: struct({ NextToken: S }),
  GetTrailStatus: Name,
  StartLogging: Name,
  StopLogging: Name,
  UpdateTrail: struct({ Name: S, ...trailSettings }, ['Name']),
  DeleteTrail: Name,
  PutEventSelectors: struct({ TrailName: S, EventSelectors: list(EventSelector), AdvancedEventSelectors: list(AdvancedEventSelector) }, ['TrailName']),
  GetEventSelectors: TrailName,
  AddTags: struct({ ResourceId: S, TagsList }, ['ResourceId', 'TagsList']),
  RemoveTags: struct({ ResourceId: S, TagsList }, ['ResourceId', 'TagsList']),
  ListTags: struct({ ResourceIdList: list(S), NextToken: S }, ['ResourceIdList']),
  ListPublicKeys: struct({ StartTime: timestamp, EndTime: timestamp, NextToken: S }),
} satisfies Record<string, Shape>;

export type CloudTrailOperation = keyof typeof inputShapes;

export interface WireTag { Key: string; Value?: string }

export interface TrailSettingsInput {
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicName?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  EnableLogFileValidation?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail?: boolean;
}
