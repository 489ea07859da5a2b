import { ServiceError } from '../../kernel/errors.js';

/**
 * CloudTrail's modelled errors (botocore cloudtrail/2013-11-01, all HTTP 400). Their shapes
 * have no members; CloudTrail writes the text as `Message` (as seen in real responses, e.g.
 * `{"__type":"TrailNotFoundException","Message":"Unknown trail: … for the user: …"}`,
 * aws-sdk-go-v2#1957). Wording marked AWS is AWS's observed text; the rest is ours, in its
 * style, because AWS does not document it.
 */
const e = (code: string) => (message: string) => new ServiceError(code, message, 400, { messageMember: 'Message' });

export const InvalidLookupAttributesException = e('InvalidLookupAttributesException');
export const InvalidTimeRangeException = e('InvalidTimeRangeException');
export const InvalidMaxResultsException = e('InvalidMaxResultsException');
export const InvalidNextTokenException = e('InvalidNextTokenException');
export const InvalidEventCategoryException = e('InvalidEventCategoryException');

export const TrailNotFoundException = e('TrailNotFoundException');
export const TrailAlreadyExistsException = e('TrailAlreadyExistsException');
export const InvalidTrailNameException = e('InvalidTrailNameException');
export const CloudTrailARNInvalidException = e('CloudTrailARNInvalidException');
export const InvalidHomeRegionException = e('InvalidHomeRegionException');
export const MaximumNumberOfTrailsExceededException = e('MaximumNumberOfTrailsExceededException');
export const InvalidS3BucketNameException = e('InvalidS3BucketNameException');
export const InvalidS3PrefixException = e('InvalidS3PrefixException');
export const InvalidSnsTopicNameException = e('InvalidSnsTopicNameException');
export const InvalidKmsKeyIdException = e('InvalidKmsKeyIdException');
export const InvalidCloudWatchLogsLogGroupArnException = e('InvalidCloudWatchLogsLogGroupArnException');
export const InvalidCloudWatchLogsRoleArnException = e('InvalidCloudWatchLogsRoleArnException');
export const InvalidParameterCombinationException = e('InvalidParameterCombinationException');
export const OrganizationsNotInUseException = e('OrganizationsNotInUseException');
export const InvalidEventSelectorsException = e('InvalidEventSelectorsException');

export const ResourceNotFoundException = e('ResourceNotFoundException');
export const ResourceTypeNotSupportedException = e('ResourceTypeNotSupportedException');
export const EventDataStoreNotFoundException = e('EventDataStoreNotFoundException');
export const ChannelNotFoundException = e('ChannelNotFoundException');
export const TagsLimitExceededException = e('TagsLimitExceededException');
export const InvalidTagParameterException = e('InvalidTagParameterException');
export const OperationNotPermittedException = e('OperationNotPermittedException');

/** AWS: "Unknown trail: <name or ARN> for the user: <account>" (aws-cli#3048, aws-sdk-go-v2#1957). */
export function trailNotFound(nameOrArn: string, account: string): ServiceError {
  return TrailNotFoundException(`Unknown trail: ${nameOrArn} for the user: ${account}`);
}
