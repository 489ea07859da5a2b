import type { RequestContext } from '../../pipeline/context.js';
import type { DomainValidationRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { loadCertificate } from './lookup.js';

const DEFAULT_PAGE = 1000;

/** One ValidationConfiguration: the method, its challenge (a union: DNS record or e-mail addresses) and status. */
function configuration(v: DomainValidationRecord) {
  const challenge = v.validationMethod === 'DNS' && v.resourceRecord
    ? { DnsValidationChallenge: { ResourceRecord: { Name: v.resourceRecord.name, Type: v.resourceRecord.type, Value: v.resourceRecord.value } } }
    : v.validationMethod === 'EMAIL'
      ? { EmailValidationChallenge: { ValidationEmails: v.validationEmails ?? [], ValidationDomain: v.validationDomain } }
      : undefined;
  return { ValidationMethod: v.validationMethod, ValidationChallenge: challenge, ValidationStatus: v.status };
}

/**
 * Each domain's validation in effect and, while a method migration is under way, the one
 * requested (API reference, DomainValidationSummary): how an EMAIL → DNS migration is followed.
 */
export async function listCertificateDomainValidations(ctx: RequestContext, input: { CertificateArn: string; NextToken?: string; MaxItems?: number }, d: AcmDeps) {
  const c = await d.store.read((tx) => loadCertificate(tx, ctx, input.CertificateArn));
  const requested = c.update?.status === 'PENDING_DOMAIN_VALIDATION' ? c.update.domainValidations : undefined;
  const all = c.domainValidations.map((v, i) => ({
    DomainName: v.domainName,
    ActiveValidationConfiguration: configuration(v),
    RequestedValidationConfiguration: requested?.[i] && configuration(requested[i]!),
  }));
  const query = `lcdv\n${c.arn}`;
  const start = d.paging.offset(input.NextToken, query);
  const size = input.MaxItems ?? DEFAULT_PAGE;
  const page = all.slice(start, start + size);
  return { DomainValidationSummaryList: page, NextToken: start + size < all.length ? d.paging.token(start + size, query) : undefined };
}
