import { EncodedOutput, encodeJson } from '../../protocol/json11.js';
import { deepFreeze } from '../../storage/doc-cache.js';
import type { CertificateRecord, DomainValidationRecord } from '../../storage/records.js';

/**
 * Wire shapes from domain records (acm.md §3). KeyAlgorithm is printed with a hyphen
 * ("RSA-2048", "EC-prime256v1") in responses although requests use the underscore enum (§3.3).
 */
export function keyAlgorithmOut(alg: string): string {
  return alg.replace('_', '-');
}

/** "Amazon" is what AWS reports as Issuer for AMAZON_ISSUED certificates, even while pending. */
const AMAZON_ISSUER = 'Amazon';

const SIGNATURE_BY_KEY: Record<string, string> = { RSA: 'SHA256WITHRSA', EC: 'SHA256WITHECDSA' };

export function renewalEligibility(c: CertificateRecord): 'ELIGIBLE' | 'INELIGIBLE' {
  if (c.type === 'IMPORTED' || c.status !== 'ISSUED') return 'INELIGIBLE';
  return c.exported || c.inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE';
}

function dvo(d: DomainValidationRecord, includeStatus: boolean) {
  return {
    DomainName: d.domainName,
    ValidationDomain: d.validationDomain,
    ValidationStatus: includeStatus ? d.status : undefined,
    ValidationMethod: d.validationMethod,
    ...(d.validationMethod === 'DNS' && d.resourceRecord
      ? { ResourceRecord: { Name: d.resourceRecord.name, Type: d.resourceRecord.type, Value: d.resourceRecord.value } }
      : {}),
    ...(d.validationMethod === 'EMAIL' ? { ValidationEmails: d.validationEmails ?? [] } : {}),
  };
}

function keyUsages(c: CertificateRecord): string[] {
  if (!c.facts) return [];
  if (c.type === 'IMPORTED' && c.facts.keyUsages.length === 0) return ['ANY'];
  return c.facts.keyUsages;
}

function extendedKeyUsages(c: CertificateRecord): { Name: string; OID?: string }[] {
  if (!c.facts) return [];
  if (c.type === 'IMPORTED' && c.facts.extendedKeyUsages.length === 0) return [{ Name: 'NONE' }];
  return c.facts.extendedKeyUsages.map((e) => ({ Name: e.name, OID: e.oid }));
}

export function certificateDetail(c: CertificateRecord) {
  const f = c.facts;
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNames: c.subjectAlternativeNames,
    // Imported certificates list one bare {DomainName} per SAN, as recorded from AWS (acm.md §3.1).
    DomainValidationOptions:
      c.type === 'IMPORTED'
        ? c.subjectAlternativeNames.map((d) => ({ DomainName: d }))
        : c.type === 'PRIVATE' ? undefined : c.domainValidations.map((d) => dvo(d, true)),
    Serial: f?.serial,
    Subject: f?.subject ?? `CN=${c.domainName}`,
    Issuer: c.type === 'AMAZON_ISSUED' ? AMAZON_ISSUER : f?.issuer,
    CreatedAt: c.createdAt,
    IssuedAt: c.issuedAt,
    ImportedAt: c.importedAt,
    Status: c.status,
    RevokedAt: c.revokedAt,
    RevocationReason: c.revocationReason,
    NotBefore: f?.notBefore,
    NotAfter: f?.notAfter,
    KeyAlgorithm: keyAlgorithmOut(c.keyAlgorithm),
    SignatureAlgorithm: f?.signatureAlgorithm ?? SIGNATURE_BY_KEY[c.keyAlgorithm.startsWith('EC') ? 'EC' : 'RSA'],
    InUseBy: c.inUseBy,
    FailureReason: c.failureReason,
    Type: c.type,
    RenewalSummary: c.renewal && {
      RenewalStatus: c.renewal.status,
      DomainValidationOptions: c.type === 'AMAZON_ISSUED' ? (c.renewal.domainValidations ?? c.domainValidations).map((d) => dvo(d, true)) : [],
      RenewalStatusReason: c.renewal.reason,
      UpdatedAt: c.renewal.updatedAt,
    },
    KeyUsages: keyUsages(c).map((Name) => ({ Name })),
    ExtendedKeyUsages: extendedKeyUsages(c),
    CertificateAuthorityArn: c.certificateAuthorityArn,
    RenewalEligibility: renewalEligibility(c),
    UpdateSummary: c.update && {
      Status: c.update.status,
      Type: c.update.type,
      DomainValidationMethodUpdateSummary: { From: c.update.from, To: c.update.to },
      RequestedAt: c.update.requestedAt,
      UpdatedAt: c.update.updatedAt,
    },
    Options: { CertificateTransparencyLoggingPreference: c.options.certificateTransparencyLoggingPreference, Export: c.options.export },
    ManagedBy: c.managedBy,
    CertificateKeyPairOrigin: c.type === 'IMPORTED' ? 'CUSTOMER_PROVIDED' : 'AWS_MANAGED',
  };
}

export function certificateSummary(c: CertificateRecord) {
  const f = c.facts;
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNameSummaries: c.subjectAlternativeNames.slice(0, 100),
    HasAdditionalSubjectAlternativeNames: c.subjectAlternativeNames.length > 100,
    Status: c.status,
    Type: c.type,
    KeyAlgorithm: keyAlgorithmOut(c.keyAlgorithm),
    KeyUsages: keyUsages(c),
    ExtendedKeyUsages: extendedKeyUsages(c).map((e) => e.Name),
    ExportOption: c.options.export,
    InUse: c.inUseBy.length > 0,
    // Recorded from AWS: an imported certificate's summary has no Exported member (acm.md §3.4).
    Exported: c.type === 'IMPORTED' ? undefined : c.exported,
    RenewalEligibility: renewalEligibility(c),
    NotBefore: f?.notBefore,
    NotAfter: f?.notAfter,
    CreatedAt: c.createdAt,
    IssuedAt: c.issuedAt,
    ImportedAt: c.importedAt,
    RevokedAt: c.revokedAt,
    ManagedBy: c.managedBy,
    CertificateKeyPairOrigin: c.type === 'IMPORTED' ? 'CUSTOMER_PROVIDED' : 'AWS_MANAGED',
  };
}

/** KeyUsages/EKU names of a record for filters (ListCertificates Includes, SearchCertificates). */
export function usageNames(c: CertificateRecord): { ku: string[]; eku: string[] } {
  return { ku: keyUsages(c), eku: extendedKeyUsages(c).map((e) => e.Name) };
}

/**
 * Renderings memoised by record. The store hands out one frozen object per unchanged row
 * (storage/doc-cache.ts), so a frozen record is a value: what is rendered from it never changes,
 * and a changed row is another object. Records that are not frozen (built by a handler) are
 * rendered afresh every time. Weak keys: an entry goes with its record.
 */
const describeOutputs = new WeakMap<CertificateRecord, EncodedOutput>();
const summaries = new WeakMap<CertificateRecord, { value: ReturnType<typeof certificateSummary>; json: string }>();

/** DescribeCertificate's whole output for a record, written once per record. */
export function describeOutput(c: CertificateRecord): EncodedOutput {
  let out = describeOutputs.get(c);
  if (out === undefined) {
    const value = { Certificate: certificateDetail(c) };
    out = new EncodedOutput(deepFreeze(value), encodeJson(value));
    if (Object.isFrozen(c)) describeOutputs.set(c, out);
  }
  return out;
}

/** A record's ListCertificates summary and its AWS JSON text. */
export function renderedSummary(c: CertificateRecord): { value: ReturnType<typeof certificateSummary>; json: string } {
  let r = summaries.get(c);
  if (r === undefined) {
    const value = certificateSummary(c);
    r = { value: deepFreeze(value), json: encodeJson(value) };
    if (Object.isFrozen(c)) summaries.set(c, r);
  }
  return r;
}
