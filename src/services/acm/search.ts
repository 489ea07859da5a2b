import { ValidationException } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { CertificateRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { keyAlgorithmOut, renewalEligibility, usageNames } from './render.js';

/** SearchCertificates' filter language (acm.md §2.3): And/Or/Not over X.509 and metadata filters. */
type Statement = { And?: Statement[]; Or?: Statement[]; Not?: Statement; Filter?: Filter };
type Filter = { CertificateArn?: string; X509AttributeFilter?: X509Filter; AcmCertificateMetadataFilter?: Record<string, unknown> };
type TextFilter = { Value: string; ComparisonOperator: 'CONTAINS' | 'EQUALS' };
type X509Filter = {
  Subject?: { CommonName?: TextFilter };
  SubjectAlternativeName?: { DnsName?: TextFilter };
  ExtendedKeyUsage?: string;
  KeyUsage?: string;
  KeyAlgorithm?: string;
  SerialNumber?: string;
  NotAfter?: { Start?: Date; End?: Date };
  NotBefore?: { Start?: Date; End?: Date };
};

function text(v: string | undefined, f: TextFilter): boolean {
  if (v === undefined) return false;
  const a = v.toLowerCase();
  const b = f.Value.toLowerCase();
  return f.ComparisonOperator === 'EQUALS' ? a === b : a.includes(b);
}

function inRange(d: Date | undefined, r: { Start?: Date; End?: Date }): boolean {
  if (!d) return false;
  return (!r.Start || d >= r.Start) && (!r.End || d <= r.End);
}

function metadata(c: CertificateRecord) {
  return {
    Status: c.status,
    RenewalStatus: c.renewal?.status,
    Type: c.type,
    InUse: c.inUseBy.length > 0,
    Exported: c.exported,
    ExportOption: c.options.export,
    ManagedBy: c.managedBy,
    ValidationMethod: c.validationMethod,
  } as Record<string, unknown>;
}

function matchFilter(c: CertificateRecord, f: Filter): boolean {
  if (f.CertificateArn !== undefined) return c.arn === f.CertificateArn;
  if (f.AcmCertificateMetadataFilter) {
    const [[k, v]] = Object.entries(f.AcmCertificateMetadataFilter);
    return metadata(c)[k] === v;
  }
  const x = f.X509AttributeFilter!;
  const facts = c.facts;
  if (x.Subject?.CommonName) return text(facts ? commonName(facts.subject) : c.domainName, x.Subject.CommonName);
  if (x.SubjectAlternativeName?.DnsName) return c.subjectAlternativeNames.some((n) => text(n, x.SubjectAlternativeName!.DnsName!));
  if (x.ExtendedKeyUsage) return usageNames(c).eku.includes(x.ExtendedKeyUsage);
  if (x.KeyUsage) return usageNames(c).ku.includes(x.KeyUsage);
  if (x.KeyAlgorithm) return c.keyAlgorithm === x.KeyAlgorithm;
  if (x.SerialNumber) return facts?.serial === x.SerialNumber;
  if (x.NotAfter) return inRange(facts?.notAfter, x.NotAfter);
  if (x.NotBefore) return inRange(facts?.notBefore, x.NotBefore);
  return false;
}

function commonName(subject: string): string | undefined {
  return subject.split(',').find((p) => p.startsWith('CN='))?.slice(3);
}

export function matches(c: CertificateRecord, s: Statement | undefined): boolean {
  if (!s) return true;
  if (s.And) return s.And.every((x) => matches(c, x));
  if (s.Or) return s.Or.some((x) => matches(c, x));
  if (s.Not) return !matches(c, s.Not);
  if (s.Filter) return matchFilter(c, s.Filter);
  return true;
}

const SORT_KEYS: Record<string, (c: CertificateRecord) => string | number | boolean | undefined> = {
  CREATED_AT: (c) => c.createdAt.getTime(),
  NOT_AFTER: (c) => c.facts?.notAfter.getTime(),
  NOT_BEFORE: (c) => c.facts?.notBefore.getTime(),
  STATUS: (c) => c.status,
  RENEWAL_STATUS: (c) => c.renewal?.status,
  EXPORTED: (c) => c.exported,
  IN_USE: (c) => c.inUseBy.length > 0,
  KEY_ALGORITHM: (c) => c.keyAlgorithm,
  TYPE: (c) => c.type,
  CERTIFICATE_ARN: (c) => c.arn,
  COMMON_NAME: (c) => c.domainName,
  REVOKED_AT: (c) => c.revokedAt?.getTime(),
  RENEWAL_ELIGIBILITY: (c) => renewalEligibility(c),
  ISSUED_AT: (c) => c.issuedAt?.getTime(),
  MANAGED_BY: (c) => c.managedBy,
  EXPORT_OPTION: (c) => c.options.export,
  VALIDATION_METHOD: (c) => c.validationMethod,
  IMPORTED_AT: (c) => c.importedAt?.getTime(),
};

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return (a as number) < (b as number) ? -1 : 1;
}

function x509Attributes(c: CertificateRecord) {
  const f = c.facts;
  if (!f) return { KeyAlgorithm: keyAlgorithmOut(c.keyAlgorithm), SubjectAlternativeNames: c.subjectAlternativeNames.map((n) => ({ DnsName: n })) };
  return {
    Issuer: dn(f.issuerDn ?? `O=${f.issuer}`),
    Subject: dn(f.subject),
    SubjectAlternativeNames: f.subjectAlternativeNames.map((n) => (/^[\d.:a-fA-F]+$/.test(n) && (n.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(n)) ? { IpAddress: n } : { DnsName: n })),
    ExtendedKeyUsages: f.extendedKeyUsages.map((e) => e.name),
    KeyAlgorithm: keyAlgorithmOut(c.keyAlgorithm),
    KeyUsages: f.keyUsages,
    SerialNumber: f.serial,
    NotAfter: f.notAfter,
    NotBefore: f.notBefore,
  };
}

/** DistinguishedName as the Search API returns it: one member per attribute. */
function dn(s: string) {
  const out: Record<string, string> = {};
  const map: Record<string, string> = { CN: 'CommonName', C: 'Country', O: 'Organization', OU: 'OrganizationalUnit', ST: 'State', L: 'Locality', DC: 'DomainComponent', SERIALNUMBER: 'SerialNumber' };
  for (const part of s.split(',')) {
    const i = part.indexOf('=');
    const k = map[part.slice(0, i).toUpperCase()];
    if (k && out[k] === undefined) out[k] = part.slice(i + 1);
  }
  return out;
}

export async function searchCertificates(
  ctx: RequestContext,
  input: { FilterStatement?: Statement; MaxResults?: number; NextToken?: string; SortBy?: string; SortOrder?: 'ASCENDING' | 'DESCENDING' },
  d: AcmDeps,
) {
  const query = JSON.stringify({ f: input.FilterStatement, s: input.SortBy, o: input.SortOrder });
  const offset = d.paging.offset(input.NextToken, query, (m) => ValidationException(m));
  const all = await d.store.read((tx) => tx.certificates.list(ctx.principal.accountId, ctx.region));
  const key = SORT_KEYS[input.SortBy ?? 'CREATED_AT'];
  const dir = input.SortOrder === 'DESCENDING' ? -1 : 1;
  const rows = all.filter((c) => matches(c, input.FilterStatement)).sort((a, b) => dir * compare(key(a), key(b)) || a.arn.localeCompare(b.arn));
  const size = input.MaxResults ?? 100;
  const page = rows.slice(offset, offset + size);
  return {
    Results: page.map((c) => ({
      CertificateArn: c.arn,
      X509Attributes: x509Attributes(c),
      CertificateMetadata: {
        AcmCertificateMetadata: {
          CreatedAt: c.createdAt,
          Exported: c.exported,
          ImportedAt: c.importedAt,
          InUse: c.inUseBy.length > 0,
          IssuedAt: c.issuedAt,
          RenewalEligibility: renewalEligibility(c),
          RevokedAt: c.revokedAt,
          Status: c.status,
          RenewalStatus: c.renewal?.status,
          Type: c.type,
          ExportOption: c.options.export,
          ManagedBy: c.managedBy,
          ValidationMethod: c.validationMethod,
        },
      },
    })),
    NextToken: offset + size < rows.length ? d.paging.token(offset + size, query) : undefined,
  };
}
