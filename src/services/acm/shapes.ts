import { blob, bool, enumOf, int, lazy, list, str, struct, timestamp, union, type Shape } from '../../protocol/shape.js';

/** ACM input shapes, constraints from the botocore model (../shared/reference/acm.md §2.2). */
export const Arn = str({ min: 20, max: 2048, pattern: 'arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*' });
const PcaArn = str({ min: 20, max: 2048, pattern: 'arn:[\\w+=/,.@-]+:acm-pca:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*' });
export const DOMAIN_PATTERN = '(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])';
const DomainNameString = str({ min: 1, max: 253, pattern: DOMAIN_PATTERN });
const IdempotencyToken = str({ min: 1, max: 32, pattern: '\\w+' });
const TAG_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*';
export const Tag = struct({ Key: str({ min: 1, max: 128, pattern: TAG_PATTERN }), Value: str({ min: 0, max: 256, pattern: TAG_PATTERN }) }, ['Key']);
const TagList = list(Tag, { min: 1, max: 50 });
const NextToken = str({ min: 1, max: 10000, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]*' });

export const CERTIFICATE_STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'] as const;
export const KEY_ALGORITHMS = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;
export const KEY_USAGE_NAMES = ['DIGITAL_SIGNATURE', 'NON_REPUDIATION', 'KEY_ENCIPHERMENT', 'DATA_ENCIPHERMENT', 'KEY_AGREEMENT', 'CERTIFICATE_SIGNING', 'CRL_SIGNING', 'ENCIPHER_ONLY', 'DECIPHER_ONLY', 'ANY', 'CUSTOM'] as const;
export const EKU_NAMES = ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION', 'CODE_SIGNING', 'EMAIL_PROTECTION', 'TIME_STAMPING', 'OCSP_SIGNING', 'IPSEC_END_SYSTEM', 'IPSEC_TUNNEL', 'IPSEC_USER', 'ANY', 'NONE', 'CUSTOM'] as const;
export const REVOCATION_REASONS = ['UNSPECIFIED', 'KEY_COMPROMISE', 'CA_COMPROMISE', 'AFFILIATION_CHANGED', 'SUPERCEDED', 'SUPERSEDED', 'CESSATION_OF_OPERATION', 'CERTIFICATE_HOLD', 'REMOVE_FROM_CRL', 'PRIVILEGE_WITHDRAWN', 'A_A_COMPROMISE'] as const;
export const CERTIFICATE_TYPES = ['IMPORTED', 'AMAZON_ISSUED', 'PRIVATE'] as const;
export const RENEWAL_STATUSES = ['PENDING_AUTO_RENEWAL', 'PENDING_VALIDATION', 'SUCCESS', 'FAILED'] as const;
export const VALIDATION_METHODS = ['EMAIL', 'DNS', 'HTTP'] as const;

const CertificateOptions = struct({
  CertificateTransparencyLoggingPreference: enumOf(['ENABLED', 'DISABLED']),
  Export: enumOf(['ENABLED', 'DISABLED']),
});

/** UpdateCertificateOptions' Options: the same members plus the validation method to migrate to. */
const UpdateOptions = struct({
  CertificateTransparencyLoggingPreference: enumOf(['ENABLED', 'DISABLED']),
  Export: enumOf(['ENABLED', 'DISABLED']),
  ValidationMethod: enumOf(VALIDATION_METHODS),
});

const ArnOnly = struct({ CertificateArn: Arn }, ['CertificateArn']);

const SEARCH_SORT_BY = ['CREATED_AT', 'NOT_AFTER', 'STATUS', 'RENEWAL_STATUS', 'EXPORTED', 'IN_USE', 'NOT_BEFORE', 'KEY_ALGORITHM', 'TYPE', 'CERTIFICATE_ARN', 'COMMON_NAME', 'REVOKED_AT', 'RENEWAL_ELIGIBILITY', 'ISSUED_AT', 'MANAGED_BY', 'EXPORT_OPTION', 'VALIDATION_METHOD', 'IMPORTED_AT'];
const FilterString = str({ min: 1, max: 256 });
const Comparison = enumOf(['CONTAINS', 'EQUALS']);
const CommonNameFilter = struct({ Value: FilterString, ComparisonOperator: Comparison }, ['Value', 'ComparisonOperator']);
const TimeRange = struct({ Start: timestamp, End: timestamp });
const X509AttributeFilter = union({
  Subject: union({ CommonName: CommonNameFilter }),
  SubjectAlternativeName: union({ DnsName: CommonNameFilter }),
  ExtendedKeyUsage: enumOf(EKU_NAMES),
  KeyUsage: enumOf(KEY_USAGE_NAMES),
  KeyAlgorithm: enumOf(KEY_ALGORITHMS),
  SerialNumber: str({ min: 2, max: 59, pattern: '[0-9a-f]{2}(:[0-9a-f]{2}){1,19}' }),
  NotAfter: TimeRange,
  NotBefore: TimeRange,
});
const MetadataFilter = union({
  Status: enumOf(CERTIFICATE_STATUSES),
  RenewalStatus: enumOf(RENEWAL_STATUSES),
  Type: enumOf(CERTIFICATE_TYPES),
  InUse: bool,
  Exported: bool,
  ExportOption: enumOf(['ENABLED', 'DISABLED']),
  ManagedBy: enumOf(['CLOUDFRONT']),
  ValidationMethod: enumOf(VALIDATION_METHODS),
});
const SearchFilter = union({ CertificateArn: Arn, X509AttributeFilter, AcmCertificateMetadataFilter: MetadataFilter });
const FilterStatement: Shape = union({
  And: list(lazy(() => FilterStatement), { min: 1, max: 15 }),
  Or: list(lazy(() => FilterStatement), { min: 1, max: 15 }),
  Not: lazy(() => FilterStatement),
  Filter: SearchFilter,
});

export const inputShapes = {
  AddTagsToCertificate: struct({ CertificateArn: Arn, Tags: TagList }, ['CertificateArn', 'Tags']),
  DeleteCertificate: ArnOnly,
  DescribeCertificate: ArnOnly,
  ExportCertificate: struct({ CertificateArn: Arn, Passphrase: blob({ min: 4, max: 128, sensitive: true }) }, ['CertificateArn', 'Passphrase']),
  GetAccountConfiguration: struct({}),
  GetCertificate: ArnOnly,
  ImportCertificate: struct({
    CertificateArn: Arn,
    Certificate: blob({ min: 1, max: 32768 }),
    PrivateKey: blob({ min: 1, max: 5120, sensitive: true }),
    CertificateChain: blob({ min: 1, max: 2097152 }),
    Tags: TagList,
  }, ['Certificate', 'PrivateKey']),
  ListCertificates: struct({
    CertificateStatuses: list(enumOf(CERTIFICATE_STATUSES)),
    Includes: struct({
      extendedKeyUsage: list(enumOf(EKU_NAMES)),
      keyUsage: list(enumOf(KEY_USAGE_NAMES)),
      keyTypes: list(enumOf(KEY_ALGORITHMS)),
      exportOption: enumOf(['ENABLED', 'DISABLED']),
      managedBy: enumOf(['CLOUDFRONT']),
    }),
    NextToken,
    MaxItems: int({ min: 1, max: 1000 }),
    SortBy: enumOf(['CREATED_AT']),
    SortOrder: enumOf(['ASCENDING', 'DESCENDING']),
  }),
  ListTagsForCertificate: ArnOnly,
  PutAccountConfiguration: struct({ ExpiryEvents: struct({ DaysBeforeExpiry: int({ min: 1 }) }), IdempotencyToken }, ['IdempotencyToken']),
  RemoveTagsFromCertificate: struct({ CertificateArn: Arn, Tags: TagList }, ['CertificateArn', 'Tags']),
  RenewCertificate: ArnOnly,
  RequestCertificate: struct({
    DomainName: DomainNameString,
    ValidationMethod: enumOf(VALIDATION_METHODS),
    SubjectAlternativeNames: list(DomainNameString, { min: 1, max: 100 }),
    IdempotencyToken,
    DomainValidationOptions: list(struct({ DomainName: DomainNameString, ValidationDomain: DomainNameString }, ['DomainName', 'ValidationDomain']), { min: 1, max: 100 }),
    Options: CertificateOptions,
    CertificateAuthorityArn: PcaArn,
    Tags: TagList,
    KeyAlgorithm: enumOf(KEY_ALGORITHMS),
    ManagedBy: enumOf(['CLOUDFRONT']),
  }, ['DomainName']),
  ResendValidationEmail: struct({ CertificateArn: Arn, Domain: DomainNameString, ValidationDomain: DomainNameString }, ['CertificateArn', 'Domain', 'ValidationDomain']),
  RevokeCertificate: struct({ CertificateArn: Arn, RevocationReason: enumOf(REVOCATION_REASONS) }, ['CertificateArn', 'RevocationReason']),
  SearchCertificates: struct({
    FilterStatement,
    MaxResults: int({ min: 1, max: 500 }),
    NextToken,
    SortBy: enumOf(SEARCH_SORT_BY),
    SortOrder: enumOf(['ASCENDING', 'DESCENDING']),
  }),
  UpdateCertificateOptions: struct({ CertificateArn: Arn, Options: UpdateOptions }, ['CertificateArn', 'Options']),
  ListCertificateDomainValidations: struct({ CertificateArn: Arn, NextToken, MaxItems: int({ min: 1, max: 1000 }) }, ['CertificateArn']),
} satisfies Record<string, Shape>;

export type AcmOperation = keyof typeof inputShapes;
