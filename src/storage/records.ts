import type { CertificateFacts, KeyAlgorithm } from '../pki/types.js';

/** Domain records: camelCase, storage-agnostic. Wire shapes are built from them by the handlers. */
export interface AccountRecord {
  accountId: string;
  createdAt: Date;
}

export interface UserRecord {
  accountId: string;
  userName: string;
  userId: string; // AIDA…
  path: string;
  createdAt: Date;
  /** The ARN of the managed policy bounding what the user may do, if any. */
  permissionsBoundary?: string;
  tags?: IamTagRecord[];
}

/** An IAM tag. Unlike ACM's, it always has a value (possibly empty); keys compare regardless of case. */
export interface IamTagRecord {
  key: string;
  value: string;
}

export interface GroupRecord {
  accountId: string;
  groupName: string;
  groupId: string; // AGPA…
  path: string;
  createdAt: Date;
}

export interface RoleRecord {
  accountId: string;
  roleName: string;
  roleId: string; // AROA…
  path: string;
  createdAt: Date;
  /** The trust policy as the client sent it. */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTagRecord[];
}

/** A customer managed policy; its documents are its versions. */
export interface ManagedPolicyRecord {
  accountId: string;
  arn: string;
  policyName: string;
  policyId: string; // ANPA…
  path: string;
  description?: string;
  defaultVersionId: string;
  /** The number the next version gets: IAM never gives a deleted version's id again. */
  nextVersion: number;
  createdAt: Date;
  updatedAt: Date;
  tags: IamTagRecord[];
}

export interface PolicyVersionRecord {
  policyArn: string;
  versionId: string; // v1, v2, …
  /** As the client sent it. */
  document: string;
  createdAt: Date;
}

/** Who an inline policy or an attachment belongs to. */
export type IamPrincipalKind = 'user' | 'group' | 'role';

export interface InlinePolicyRecord {
  accountId: string;
  kind: IamPrincipalKind;
  principalName: string;
  policyName: string;
  document: string;
}

export interface PolicyAttachmentRecord {
  accountId: string;
  kind: IamPrincipalKind;
  principalName: string;
  policyArn: string;
  attachedAt: Date;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  /** Sealed with the master key (AAD = access key id). */
  secretSealed: Buffer;
  accountId: string;
  /** Absent for the account's root user. */
  userName?: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
}

export interface DomainValidationRecord {
  domainName: string;
  validationDomain: string;
  validationMethod: 'DNS' | 'EMAIL' | 'HTTP';
  status: 'PENDING_VALIDATION' | 'SUCCESS' | 'FAILED';
  resourceRecord?: { name: string; type: 'CNAME'; value: string };
  validationEmails?: string[];
  /** When e-mail validation mail was last (re)sent. */
  emailSentAt?: Date;
  /** Real e-mail validation: the mail is still to be sent (new request, ResendValidationEmail). */
  emailDue?: boolean;
  /** SHA-256 (hex) of the single-use approval token the last mail carried; cleared once used. */
  emailTokenHash?: string;
}

export interface TagRecord {
  key: string;
  value?: string;
}

export type CertificateStatus = 'PENDING_VALIDATION' | 'ISSUED' | 'INACTIVE' | 'EXPIRED' | 'VALIDATION_TIMED_OUT' | 'REVOKED' | 'FAILED';
export type CertificateType = 'IMPORTED' | 'AMAZON_ISSUED' | 'PRIVATE';

export interface RenewalRecord {
  status: 'PENDING_AUTO_RENEWAL' | 'PENDING_VALIDATION' | 'SUCCESS' | 'FAILED';
  reason?: string;
  updatedAt: Date;
  /** This renewal's own validation of each domain (RenewalSummary.DomainValidationOptions); e-mail tokens live here while it waits. */
  domainValidations?: DomainValidationRecord[];
}

/** A change of validation method under way or done (UpdateCertificateOptions → CertificateDetail.UpdateSummary). */
export interface CertificateUpdateRecord {
  status: 'PENDING_DOMAIN_VALIDATION' | 'SUCCESS' | 'FAILED';
  type: 'DOMAIN_VALIDATION_METHOD';
  from: DomainValidationRecord['validationMethod'];
  to: DomainValidationRecord['validationMethod'];
  requestedAt: Date;
  updatedAt: Date;
  /** The requested validation of each domain (ListCertificateDomainValidations' RequestedValidationConfiguration). */
  domainValidations: DomainValidationRecord[];
  /** When the lifecycle looks at the requested records again. */
  nextCheckAt?: Date;
}

export interface CertificateRecord {
  id: string;
  arn: string;
  accountId: string;
  region: string;
  type: CertificateType;
  status: CertificateStatus;
  domainName: string;
  subjectAlternativeNames: string[];
  validationMethod?: 'DNS' | 'EMAIL' | 'HTTP';
  domainValidations: DomainValidationRecord[];
  keyAlgorithm: KeyAlgorithm;
  options: { certificateTransparencyLoggingPreference: 'ENABLED' | 'DISABLED'; export: 'ENABLED' | 'DISABLED' };
  createdAt: Date;
  issuedAt?: Date;
  importedAt?: Date;
  revokedAt?: Date;
  revocationReason?: string;
  failureReason?: string;
  /** When the automatic validator approves the pending domains. */
  validationDueAt?: Date;
  certificatePem?: string;
  chainPem?: string;
  facts?: CertificateFacts;
  /** Sealed PKCS#8 (AAD = arn). Never leaves storage unsealed except for signing/export. */
  privateKeySealed?: Buffer;
  /** The CA (ca_authorities.id) that signed it, for CRLs. */
  issuerCaId?: string;
  certificateAuthorityArn?: string;
  tags: TagRecord[];
  exported: boolean;
  inUseBy: string[];
  renewal?: RenewalRecord;
  update?: CertificateUpdateRecord;
  managedBy?: 'CLOUDFRONT';
}

/** `intermediate` signs RSA leaves, `intermediate-ec` EC leaves (as ACM uses RSA and ECDSA intermediates). */
export type CaKind = 'root' | 'intermediate' | 'intermediate-ec' | 'private';

export interface CaRecord {
  id: string;
  kind: CaKind;
  accountId?: string;
  region?: string;
  arn?: string;
  certificatePem: string;
  privateKeySealed: Buffer;
  keyAlgorithm: KeyAlgorithm;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  createdAt: Date;
  /** Parent CA id (intermediate → root). */
  parentId?: string;
}

export interface IdempotencyRecord {
  scope: string;
  token: string;
  /** Fingerprint of the request so a reused token with other parameters can be told apart. */
  requestHash: string;
  result: string;
  expiresAt: Date;
}

export interface AccountConfigRecord {
  accountId: string;
  region: string;
  daysBeforeExpiry: number;
}

/** A stored CloudTrail event: the record as JSON plus the columns LookupEvents filters on. */
export interface EventRecord {
  /** Storage order (outbox position); assigned by the store. */
  seq?: number;
  eventId: string;
  accountId: string;
  region: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  resourceType?: string;
  resourceName?: string;
  /** The CloudTrail record, serialised exactly as it is delivered. */
  record: string;
}

export type LookupAttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface EventQuery {
  accountId: string;
  region: string;
  attribute?: { key: LookupAttributeKey; value: string };
  startTime?: Date;
  endTime?: Date;
  /** Continue strictly before this (eventTime, seq), newest first. */
  before?: { time: number; seq: number };
  limit: number;
}

/** A basic event selector (CloudTrail PutEventSelectors), with AWS's defaults filled in. */
export interface EventSelectorRecord {
  readWriteType: 'ReadOnly' | 'WriteOnly' | 'All';
  includeManagementEvents: boolean;
  dataResources: { type: string; values: string[] }[];
  excludeManagementEventSources: string[];
}

export interface AdvancedFieldSelectorRecord {
  field: string;
  equals?: string[];
  startsWith?: string[];
  endsWith?: string[];
  notEquals?: string[];
  notStartsWith?: string[];
  notEndsWith?: string[];
}

export interface AdvancedEventSelectorRecord {
  name?: string;
  fieldSelectors: AdvancedFieldSelectorRecord[];
}

/**
 * A CloudTrail trail, stored once in its home region. A multi-region trail is seen from the
 * other regions as a shadow trail; that is a reading of this record, not a copy.
 */
export interface TrailRecord {
  accountId: string;
  homeRegion: string;
  name: string;
  arn: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  snsTopicArn?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  isOrganizationTrail: boolean;
  /** Set by PutEventSelectors; absent means AWS's default (all management events). */
  eventSelectors?: EventSelectorRecord[];
  advancedEventSelectors?: AdvancedEventSelectorRecord[];
  isLogging: boolean;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
  tags: TagRecord[];
  createdAt: Date;
}

/** A log file a delivery session wrote, as its digest lists it. */
export interface DeliveredLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Lowercase hex SHA-256 of the uncompressed bytes. */
  hashValue: string;
  oldestEventTime: Date;
  newestEventTime: Date;
  deliveredAt: Date;
}

/** One source region's digest chain within a session. */
export interface DigestChainRecord {
  /** The next digest covers log files delivered after this (the previous digest's end). */
  windowStart: Date;
  previous?: { s3Bucket: string; s3Object: string; hashValue: string; signature: string };
  /** Delivered since windowStart, not yet in a digest. */
  files: DeliveredLogFile[];
}

/**
 * One logging session of a trail, StartLogging to StopLogging (or DeleteTrail): where delivery
 * stands. Delivery is a restartable reader of the stored events: `cursor` is the last event
 * position considered, and `pending` the log files being written (keys fixed before any byte
 * is written, so a restart rewrites the same objects instead of adding new ones).
 */
export interface DeliverySessionRecord {
  id: string;
  trailArn: string;
  accountId: string;
  homeRegion: string;
  trailName: string;
  /** The trail's settings as last seen; used once the trail is gone (DeleteTrail). */
  trail: TrailRecord;
  startedAt: Date;
  cursor: number;
  /** Logging stopped by this call (StopLogging or DeleteTrail): deliver up to and including its event, then finish. */
  stop?: { requestId: string; at: Date };
  /** Once the stop's event was delivered: the end of the final digests. */
  finalAt?: Date;
  finished: boolean;
  pending?: { upto: number; deliveredAt: Date; bucket: string; files: { region: string; key: string }[] };
  /** Digest chains by source region, while log file validation is on. */
  digests?: Record<string, DigestChainRecord>;
  latestDeliveryTime?: Date;
  latestDeliveryAttemptTime?: Date;
  latestDeliveryAttemptSucceeded?: Date;
  latestDeliveryError?: string;
  latestDigestDeliveryTime?: Date;
  latestDigestAttemptTime?: Date;
  latestDigestAttemptSucceeded?: Date;
  latestDigestDeliveryError?: string;
}

/**
 * A CloudTrail digest signing key pair of one region (ListPublicKeys; cloudtrail.md §5.4).
 * Keys are never changed or replaced once stored: digests signed with one must stay valid.
 */
export interface DigestKeyRecord {
  region: string;
  /** Lowercase hex MD5 of `publicKey`. */
  fingerprint: string;
  /** DER PKCS#1 RSAPublicKey, the bytes ListPublicKeys serves as `Value`. */
  publicKey: Buffer;
  /** The PKCS#8 PEM private key, sealed with the SecretBox (aad `digest-key:<region>:<fingerprint>`). */
  privateKeySealed: Buffer;
  validFrom: Date;
  validTo: Date;
  createdAt: Date;
}

/** An event put on a bus that is not a CloudTrail event (PutEvents, ACM's own events). */
export interface BusEventRecord {
  seq?: number;
  accountId: string;
  region: string;
  createdAt: Date;
  /** The EventBridge envelope, serialised. */
  envelope: string;
}

/** One target's delivery of one event, until it succeeds or runs out of retries. */
export interface BusInvocationRecord {
  /** Stable for (event, rule, target): enqueueing twice is a no-op. */
  id: string;
  accountId: string;
  region: string;
  ruleArn: string;
  targetId: string;
  /** The event id (envelope `id`). */
  eventId: string;
  /** What the target receives (after InputPath / InputTransformer). */
  payload: string;
  /** When the event was put on the bus (MaximumEventAgeInSeconds counts from here). */
  eventAt: Date;
  attempts: number;
  dueAt: Date;
  lastError?: string;
}

export interface DeadLetterRecord {
  id: string;
  queueArn: string;
  createdAt: Date;
  invocation: BusInvocationRecord;
  /** Why it gave up (AWS's dead-letter message attributes: ERROR_CODE, ERROR_MESSAGE, RULE_ARN, TARGET_ARN). */
  errorCode: string;
  errorMessage: string;
  targetArn: string;
}

/** An EventBridge rule state (PutRule's `State`). */
export type EventRuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/**
 * One target of an EventBridge rule (PutTargets' Target). What delivery needs is camelCase;
 * the parameters of target types certtrail does not deliver to (EcsParameters,
 * KinesisParameters, …) are kept wire-shaped in `otherParameters`, only to be listed back.
 */
export interface EventTargetRecord {
  id: string;
  arn: string;
  roleArn?: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
  /** As given; absent members mean AWS's defaults (185 attempts, 86400 s). */
  retryPolicy?: { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number };
  deadLetterConfig?: { arn?: string };
  httpParameters?: { pathParameterValues?: string[]; headerParameters?: Record<string, string>; queryStringParameters?: Record<string, string> };
  sqsParameters?: { messageGroupId?: string };
  otherParameters?: Record<string, unknown>;
}

/** An EventBridge rule with its targets (at most 5), on an event bus of an account and region. */
export interface EventRuleRecord {
  accountId: string;
  region: string;
  /** Always `default` for now. */
  eventBusName: string;
  name: string;
  arn: string;
  /** The pattern exactly as given (DescribeRule returns it unchanged). */
  eventPattern?: string;
  scheduleExpression?: string;
  state: EventRuleState;
  description?: string;
  roleArn?: string;
  /** The account that created the rule. */
  createdBy: string;
  managedBy?: string;
  tags: TagRecord[];
  targets: EventTargetRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export type ConnectionAuthorizationType = 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';
export type ConnectionState =
  | 'CREATING' | 'UPDATING' | 'DELETING' | 'AUTHORIZED' | 'DEAUTHORIZED' | 'AUTHORIZING' | 'DEAUTHORIZING' | 'ACTIVE' | 'FAILED_CONNECTIVITY';

/** A connection's extra header, query string or body parameter. `value` is absent in the public view when secret. */
export interface ConnectionParameterRecord {
  key: string;
  value?: string;
  isValueSecret: boolean;
}

export interface ConnectionHttpParametersRecord {
  headerParameters: ConnectionParameterRecord[];
  queryStringParameters: ConnectionParameterRecord[];
  bodyParameters: ConnectionParameterRecord[];
}

/**
 * A connection's authorization parameters. In `EventConnectionRecord.authParameters` (the
 * public view, what DescribeConnection shows) the secrets are left out: the API key value,
 * the password, the client secret and secret parameter values. The whole of it, secrets
 * included, is sealed in `authSealed`.
 */
export interface ConnectionAuthParametersRecord {
  apiKey?: { apiKeyName: string; apiKeyValue?: string };
  basic?: { username: string; password?: string };
  oauth?: {
    authorizationEndpoint: string;
    httpMethod: 'GET' | 'POST' | 'PUT';
    clientId: string;
    clientSecret?: string;
    oauthHttpParameters?: ConnectionHttpParametersRecord;
  };
  invocationHttpParameters?: ConnectionHttpParametersRecord;
}

/** An EventBridge connection (the authorization an API destination's requests carry). */
export interface EventConnectionRecord {
  accountId: string;
  region: string;
  name: string;
  /** `arn:aws:events:<region>:<account>:connection/<name>/<uuid>`. */
  arn: string;
  description?: string;
  authorizationType: ConnectionAuthorizationType;
  state: ConnectionState;
  stateReason?: string;
  /** Without secrets. */
  authParameters: ConnectionAuthParametersRecord;
  /** The full ConnectionAuthParametersRecord as JSON, sealed with the SecretBox (aad `events-connection:<arn>`). */
  authSealed: Buffer;
  /** Where AWS would keep the secrets (Secrets Manager, `events!connection/<name>/<uuid>-<suffix>`); nothing is stored there. */
  secretArn: string;
  createdAt: Date;
  lastModifiedAt: Date;
  lastAuthorizedAt?: Date;
}

export type ApiDestinationHttpMethod = 'POST' | 'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'PATCH' | 'DELETE';

/** An EventBridge API destination: an HTTP endpoint a rule target can call, with a connection's auth. */
export interface ApiDestinationRecord {
  accountId: string;
  region: string;
  name: string;
  /** `arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>`. */
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: ApiDestinationHttpMethod;
  /** Invocations per second at most (AWS's default 300). */
  invocationRateLimitPerSecond: number;
  state: 'ACTIVE' | 'INACTIVE';
  createdAt: Date;
  lastModifiedAt: Date;
}
