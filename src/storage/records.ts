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
