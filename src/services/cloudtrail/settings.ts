import { partitionOf } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { TrailRecord } from '../../storage/records.js';
import {
  InvalidCloudWatchLogsLogGroupArnException, InvalidCloudWatchLogsRoleArnException, InvalidKmsKeyIdException,
  InvalidParameterCombinationException, InvalidS3BucketNameException, InvalidS3PrefixException, InvalidSnsTopicNameException,
  OrganizationsNotInUseException,
} from './errors.js';
import type { TrailSettingsInput } from './shapes.js';

/** The settings CreateTrail and UpdateTrail share, as stored. */
export type TrailSettings = Pick<TrailRecord,
  's3BucketName' | 's3KeyPrefix' | 'snsTopicName' | 'snsTopicArn' | 'includeGlobalServiceEvents' | 'isMultiRegionTrail'
  | 'logFileValidationEnabled' | 'cloudWatchLogsLogGroupArn' | 'cloudWatchLogsRoleArn' | 'kmsKeyId' | 'isOrganizationTrail'>;

/**
 * S3's bucket naming rules (general purpose buckets). Whether the bucket exists and lets
 * CloudTrail write is the log-file issue's (S3BucketDoesNotExistException); until then any
 * well-formed name is accepted.
 */
export function checkBucketName(b: string): void {
  const bad = (why: string) => InvalidS3BucketNameException(`Bucket name '${b.slice(0, 256)}' is not valid: ${why}.`);
  if (b.length < 3 || b.length > 63) throw bad('it must be between 3 and 63 characters long');
  if (!/^[a-z0-9.-]+$/.test(b)) throw bad('it can contain only lowercase letters, numbers, periods (.) and hyphens (-)');
  if (!/^[a-z0-9]/.test(b) || !/[a-z0-9]$/.test(b)) throw bad('it must begin and end with a letter or number');
  if (b.includes('..')) throw bad('it must not contain two adjacent periods');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(b)) throw bad('it must not be formatted as an IP address');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(b)) throw bad('it must not start with a reserved prefix');
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(b)) throw bad('it must not end with a reserved suffix');
}

const SNS_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;
const KMS = /^(alias\/[A-Za-z0-9/_-]{1,250}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]{1,64}|alias\/[A-Za-z0-9/_-]{1,250}))$/;
const LOG_GROUP = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w.\-/#]{1,512}:\*$/;
const ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;

/**
 * Applies CreateTrail/UpdateTrail input to settings. An empty string clears an optional
 * setting (prefix, topic, KMS key, CloudWatch Logs), as UpdateTrail is used to remove them.
 */
export function applySettings(ctx: RequestContext, base: TrailSettings, input: TrailSettingsInput): TrailSettings {
  const s: TrailSettings = { ...base };
  const region = ctx.region;
  const account = ctx.principal.accountId;
  const clear = (v: string | undefined) => (v === '' ? undefined : v);

  if (input.S3BucketName !== undefined) {
    checkBucketName(input.S3BucketName);
    s.s3BucketName = input.S3BucketName;
  }
  if (input.S3KeyPrefix !== undefined) {
    if (input.S3KeyPrefix.length > 200) throw InvalidS3PrefixException(`The S3 key prefix is ${input.S3KeyPrefix.length} characters long; the maximum length is 200 characters.`);
    s.s3KeyPrefix = clear(input.S3KeyPrefix);
  }
  if (input.SnsTopicName !== undefined) {
    const t = input.SnsTopicName;
    if (t === '') {
      s.snsTopicName = s.snsTopicArn = undefined;
    } else {
      const arn = SNS_ARN.exec(t);
      if (!arn && !SNS_NAME.test(t)) throw InvalidSnsTopicNameException(`SNS topic name '${t.slice(0, 300)}' is not valid.`);
      s.snsTopicName = arn ? arn[1] : t;
      s.snsTopicArn = arn ? t : `arn:${partitionOf(region)}:sns:${region}:${account}:${t}`;
    }
  }
  if (input.KmsKeyId !== undefined) {
    const k = input.KmsKeyId;
    if (k !== '' && !KMS.test(k)) throw InvalidKmsKeyIdException(`KMS key ID '${k.slice(0, 300)}' is not valid. Specify a key ID, key ARN, alias name or alias ARN.`);
    // AWS shows the key as a full ARN whatever form it was given in.
    s.kmsKeyId = k === '' ? undefined : k.startsWith('arn:') ? k : `arn:${partitionOf(region)}:kms:${region}:${account}:${k.startsWith('alias/') ? k : `key/${k}`}`;
  }
  if (input.CloudWatchLogsLogGroupArn !== undefined) {
    const v = input.CloudWatchLogsLogGroupArn;
    if (v !== '' && !LOG_GROUP.test(v)) throw InvalidCloudWatchLogsLogGroupArnException(`CloudWatch Logs log group ARN '${v.slice(0, 600)}' is not valid.`);
    s.cloudWatchLogsLogGroupArn = clear(v);
  }
  if (input.CloudWatchLogsRoleArn !== undefined) {
    const v = input.CloudWatchLogsRoleArn;
    if (v !== '' && !ROLE.test(v)) throw InvalidCloudWatchLogsRoleArnException(`CloudWatch Logs role ARN '${v.slice(0, 600)}' is not valid.`);
    s.cloudWatchLogsRoleArn = clear(v);
  }
  if ((s.cloudWatchLogsLogGroupArn === undefined) !== (s.cloudWatchLogsRoleArn === undefined))
    throw InvalidParameterCombinationException('You must specify both a CloudWatch Logs log group ARN and a role ARN, or neither.');
  if (input.IncludeGlobalServiceEvents !== undefined) s.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) s.isMultiRegionTrail = input.IsMultiRegionTrail;
  if (input.EnableLogFileValidation !== undefined) s.logFileValidationEnabled = input.EnableLogFileValidation;
  if (input.IsOrganizationTrail) throw OrganizationsNotInUseException('This account is not a member of an organization in AWS Organizations, so it cannot have an organization trail.');
  if (s.isMultiRegionTrail && !s.includeGlobalServiceEvents)
    throw InvalidParameterCombinationException('A multi-region trail must include global service events.');
  return s;
}
