import { HOUR_MS } from '../../kernel/clock.js';
import { ValidationException } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { CertificateRecord, CertificateUpdateRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { ConflictException, InvalidDomainValidationOptionsException, InvalidStateException, RequestInProgressException, ResourceInUseException } from './errors.js';
import { loadCertificate } from './lookup.js';
import { isSameOrSuperdomain } from './validation.js';

/** Validation mail can be resent only within 72 hours of the request (model doc). */
const RESEND_WINDOW_MS = 72 * HOUR_MS;

/** Revocation reasons a public (AMAZON_ISSUED) certificate accepts (acm.md §2.2 RevocationReason). */
const PUBLIC_REASONS = ['UNSPECIFIED', 'AFFILIATION_CHANGED', 'SUPERSEDED', 'SUPERCEDED', 'CESSATION_OF_OPERATION'];

/** Only exported certificates (public exportable or private) can be renewed on demand (2025+ doc). */
export async function renewCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.status === 'PENDING_VALIDATION') throw RequestInProgressException(`Certificate ${c.arn} is still being issued and cannot be renewed yet.`);
    if (c.type === 'IMPORTED' || c.status !== 'ISSUED' || !c.exported)
      throw ValidationException(`Certificate ${c.arn} is not eligible for renewal. Only issued certificates that have been exported can be renewed.`);
    if (c.renewal?.status === 'PENDING_AUTO_RENEWAL') throw RequestInProgressException(`A renewal of certificate ${c.arn} is already in progress.`);
    await tx.certificates.put({ ...c, renewal: { status: 'PENDING_AUTO_RENEWAL', updatedAt: ctx.now } });
  });
  d.wake();
  return {};
}

export async function revokeCertificate(ctx: RequestContext, input: { CertificateArn: string; RevocationReason: string }, d: AcmDeps) {
  return d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.type === 'IMPORTED') throw ValidationException(`Certificate ${c.arn} is an imported certificate and cannot be revoked by ACM.`);
    if (c.status === 'REVOKED') throw ValidationException(`Certificate ${c.arn} has already been revoked.`);
    if (!c.exported || !c.certificatePem) throw ValidationException(`Certificate ${c.arn} has not been exported. Only exported certificates can be revoked.`);
    if (c.inUseBy.length) throw ResourceInUseException(`Certificate ${c.arn} in account ${c.accountId} is in use.`);
    if (c.type === 'AMAZON_ISSUED' && !PUBLIC_REASONS.includes(input.RevocationReason))
      throw ValidationException(`Revocation reason ${input.RevocationReason} is not supported for public certificates. Supported reasons: UNSPECIFIED, AFFILIATION_CHANGED, SUPERSEDED, CESSATION_OF_OPERATION.`);
    const revoked: CertificateRecord = { ...c, status: 'REVOKED', revokedAt: ctx.now, revocationReason: input.RevocationReason, renewal: undefined };
    await tx.certificates.put(revoked);
    await d.observe?.(tx, c, revoked);
    return { CertificateArn: c.arn };
  });
}

export async function resendValidationEmail(ctx: RequestContext, input: { CertificateArn: string; Domain: string; ValidationDomain: string }, d: AcmDeps) {
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.validationMethod !== 'EMAIL') throw InvalidStateException(`Certificate ${c.arn} does not use email validation.`);
    if (c.status !== 'PENDING_VALIDATION') throw InvalidStateException(`Certificate ${c.arn} is in state ${c.status}; validation email can only be resent for PENDING_VALIDATION certificates.`);
    if (ctx.now.getTime() - c.createdAt.getTime() > RESEND_WINDOW_MS) throw InvalidStateException(`The validation window of certificate ${c.arn} has expired.`);
    const i = c.domainValidations.findIndex((v) => v.domainName.toLowerCase() === input.Domain.toLowerCase());
    if (i < 0) throw InvalidDomainValidationOptionsException(`The domain ${input.Domain} is not part of certificate ${c.arn}.`);
    const v = c.domainValidations[i];
    // "This must be the same as the Domain value or a superdomain of the Domain value" (API doc):
    // the mail goes to that domain's addresses, which DomainValidation.ValidationDomain then reports.
    if (!isSameOrSuperdomain(v.domainName, input.ValidationDomain))
      throw InvalidDomainValidationOptionsException(`The validation domain ${input.ValidationDomain} must be ${input.Domain} or a superdomain of it.`);
    const sent = { validationDomain: input.ValidationDomain, validationEmails: d.validation.emails(input.ValidationDomain), emailSentAt: ctx.now, emailDue: true, emailTokenHash: undefined };
    const domainValidations = c.domainValidations.map((x, j) => (j === i ? { ...x, ...sent } : x));
    // Real validation mails the domain again from the lifecycle, with a new single-use link that
    // replaces the previous one (AWS does not document whether earlier links stay valid).
    await tx.certificates.put({ ...c, domainValidations, validationDueAt: d.config.validation === 'real' ? ctx.now : c.validationDueAt });
  });
  d.wake();
  return {};
}

export async function updateCertificateOptions(
  ctx: RequestContext,
  input: { CertificateArn: string; Options: { CertificateTransparencyLoggingPreference?: 'ENABLED' | 'DISABLED'; Export?: 'ENABLED' | 'DISABLED'; ValidationMethod?: 'EMAIL' | 'DNS' | 'HTTP' } },
  d: AcmDeps,
) {
  const migrating = await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    // Observed against AWS: a certificate still pending validation answers InvalidStateException.
    if (c.status !== 'ISSUED') throw InvalidStateException(`Certificate ${c.arn} is in state ${c.status}; options can only be updated for issued certificates.`);
    if (input.Options.Export !== undefined && input.Options.Export !== c.options.export)
      throw ValidationException('The Export option cannot be changed after the certificate is created.');
    const method = input.Options.ValidationMethod;
    const update = method !== undefined && method !== c.validationMethod ? migration(ctx, c, method, d) : c.update;
    const ct = input.Options.CertificateTransparencyLoggingPreference ?? c.options.certificateTransparencyLoggingPreference;
    await tx.certificates.put({ ...c, options: { ...c.options, certificateTransparencyLoggingPreference: ct }, update });
    return update !== c.update;
  });
  if (migrating) d.wake();
  return {};
}

/**
 * "Migrate an existing email-validated public certificate to DNS validation. The certificate ARN
 * is preserved … add the records to your DNS configuration within 72 hours" (ACM user guide,
 * Updating a certificate's validation method): the CNAMEs to add, pending until they answer.
 */
function migration(ctx: RequestContext, c: CertificateRecord, to: 'EMAIL' | 'DNS' | 'HTTP', d: AcmDeps): CertificateUpdateRecord {
  if (c.type !== 'AMAZON_ISSUED') throw ValidationException(`The validation method of certificate ${c.arn} cannot be changed: only public certificates issued by ACM are validated.`);
  if (c.validationMethod !== 'EMAIL' || to !== 'DNS') throw ValidationException(`Certificate ${c.arn} uses ${c.validationMethod} validation; only a migration from EMAIL to DNS validation is supported.`);
  if (c.update?.status === 'PENDING_DOMAIN_VALIDATION') throw ConflictException(`A validation method update of certificate ${c.arn} is already in progress.`);
  return {
    status: 'PENDING_DOMAIN_VALIDATION',
    type: 'DOMAIN_VALIDATION_METHOD',
    from: c.validationMethod,
    to,
    requestedAt: ctx.now,
    updatedAt: ctx.now,
    domainValidations: c.domainValidations.map((v) => ({
      domainName: v.domainName,
      validationDomain: v.domainName,
      validationMethod: 'DNS' as const,
      status: 'PENDING_VALIDATION' as const,
      resourceRecord: d.validation.dnsRecord(c.accountId, v.domainName),
    })),
    nextCheckAt: d.validator.firstCheckAt(false, ctx.now),
  };
}
