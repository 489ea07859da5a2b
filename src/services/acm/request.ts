import { DAY_MS } from '../../kernel/clock.js';
import { certificateArn, parseArn } from '../../kernel/arn.js';
import { ValidationException } from '../../kernel/errors.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { KeyAlgorithm } from '../../pki/types.js';
import type { CertificateRecord, DomainValidationRecord } from '../../storage/records.js';
import type { AcmDeps } from './deps.js';
import { InvalidDomainValidationOptionsException, InvalidParameterException, LimitExceededException } from './errors.js';
import { recall, remember } from './idempotency.js';
import { checkTags } from './tags.js';
import { isSameOrSuperdomain } from './validation.js';

interface RequestInput {
  DomainName: string;
  ValidationMethod?: 'EMAIL' | 'DNS' | 'HTTP';
  SubjectAlternativeNames?: string[];
  IdempotencyToken?: string;
  DomainValidationOptions?: { DomainName: string; ValidationDomain: string }[];
  Options?: { CertificateTransparencyLoggingPreference?: 'ENABLED' | 'DISABLED'; Export?: 'ENABLED' | 'DISABLED' };
  CertificateAuthorityArn?: string;
  Tags?: { Key: string; Value?: string }[];
  KeyAlgorithm?: KeyAlgorithm;
  ManagedBy?: 'CLOUDFRONT';
}

/** Key algorithms ACM issues; the rest of the enum is "for imported certificates only" (model doc). */
const REQUESTABLE: KeyAlgorithm[] = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];

/** The subject CN is limited to 64 octets (RFC 5280 ub-common-name); longer names go in SANs. */
const MAX_CN = 64;

export async function requestCertificate(ctx: RequestContext, input: RequestInput, d: AcmDeps) {
  const account = ctx.principal.accountId;
  const alg = input.KeyAlgorithm ?? 'RSA_2048';
  if (!REQUESTABLE.includes(alg)) throw ValidationException(`Encryption Algorithm ${alg} is not supported in ${ctx.region} region`);
  if (input.DomainName.length > MAX_CN)
    // AWS's wording, as quoted in CloudFormation failures.
    throw InvalidParameterException(`The first domain name can be no longer than ${MAX_CN} characters.`);

  // DomainName is always part of the SANs, first; duplicates collapse (acm.md §2.3).
  const names: string[] = [];
  for (const n of [input.DomainName, ...(input.SubjectAlternativeNames ?? [])]) {
    if (!names.some((x) => x.toLowerCase() === n.toLowerCase())) names.push(n);
  }
  if (names.length > d.config.quotas.domainsPerCertificate) throw LimitExceededException('Certificate has too many domains.');

  const isPrivate = input.CertificateAuthorityArn !== undefined;
  if (isPrivate && input.Options?.Export !== undefined)
    throw ValidationException('One or more of the options specified in the request are not supported for PRIVATE certificate types');
  const method = input.ValidationMethod ?? 'EMAIL';
  if (method === 'HTTP' && input.ManagedBy !== 'CLOUDFRONT')
    throw InvalidParameterException('HTTP validation is only supported for certificates managed by CloudFront (ManagedBy=CLOUDFRONT).');

  const validationDomains = new Map<string, string>();
  for (const o of input.DomainValidationOptions ?? []) {
    const match = names.find((n) => n.toLowerCase() === o.DomainName.toLowerCase());
    if (!match) throw InvalidDomainValidationOptionsException(`The domain ${o.DomainName} in DomainValidationOptions is not one of the certificate's domain names.`);
    if (!isSameOrSuperdomain(o.DomainName, o.ValidationDomain))
      throw InvalidDomainValidationOptionsException(`The validation domain ${o.ValidationDomain} must be ${o.DomainName} or a superdomain of it.`);
    validationDomains.set(match.toLowerCase(), o.ValidationDomain);
  }
  const tags = checkTags(input.Tags ?? []);

  return d.store.write(async (tx) => {
    const earlier = await recall(tx, ctx, input.IdempotencyToken);
    if (earlier) return { CertificateArn: earlier };

    const kind = 'requested';
    const existing = await tx.certificates.countByType(account, ctx.region, ['AMAZON_ISSUED']);
    if (!isPrivate && existing >= d.config.quotas.certificates)
      throw LimitExceededException(`Cannot request more certificates in this account. You have reached the limit of ${d.config.quotas.certificates} certificates.`);
    const lastYear = await tx.certificates.countCreatedSince(account, ctx.region, kind, new Date(ctx.now.getTime() - 365 * DAY_MS));
    if (lastYear >= d.config.quotas.requestsPerYear)
      throw LimitExceededException(`Error: you have reached your limit of ${d.config.quotas.requestsPerYear} certificates in the last year.`);

    const id = d.ids.uuid();
    const arn = certificateArn(ctx.region, account, id);
    let failureReason: string | undefined;
    let caArn: string | undefined;
    if (isPrivate) {
      // The PCA is checked when the certificate is issued, as AWS does asynchronously: a wrong
      // ARN gives a FAILED certificate with a PCA_* reason, not a failed request.
      const ca = await tx.cas.getPrivate(account, ctx.region);
      const p = parseArn(input.CertificateAuthorityArn!);
      if (!ca || ca.arn !== input.CertificateAuthorityArn) failureReason = p?.account !== account ? 'PCA_INVALID_ARN' : 'PCA_RESOURCE_NOT_FOUND';
      else if (!alg.startsWith(ca.keyAlgorithm.split('_')[0])) failureReason = 'PCA_INVALID_ARGS';
      caArn = input.CertificateAuthorityArn;
    }

    const domainValidations: DomainValidationRecord[] = isPrivate
      ? []
      : names.map((n) => {
          const validationDomain = validationDomains.get(n.toLowerCase()) ?? n;
          return {
            domainName: n,
            validationDomain,
            validationMethod: method,
            status: 'PENDING_VALIDATION',
            ...(method === 'DNS' ? { resourceRecord: d.validation.dnsRecord(account, n) } : {}),
            ...(method === 'EMAIL' ? { validationEmails: d.validation.emails(validationDomain), emailSentAt: ctx.now, emailDue: true } : {}),
          } satisfies DomainValidationRecord;
        });

    const rec: CertificateRecord = {
      id,
      arn,
      accountId: account,
      region: ctx.region,
      type: isPrivate ? 'PRIVATE' : 'AMAZON_ISSUED',
      status: failureReason ? 'FAILED' : 'PENDING_VALIDATION',
      failureReason,
      domainName: input.DomainName,
      subjectAlternativeNames: names,
      validationMethod: isPrivate ? undefined : method,
      domainValidations,
      keyAlgorithm: alg,
      options: {
        certificateTransparencyLoggingPreference: input.Options?.CertificateTransparencyLoggingPreference ?? 'ENABLED',
        export: input.Options?.Export ?? 'DISABLED',
      },
      createdAt: ctx.now,
      validationDueAt: failureReason ? undefined : d.validator.firstCheckAt(isPrivate, ctx.now),
      certificateAuthorityArn: caArn,
      tags,
      exported: false,
      inUseBy: [],
      managedBy: input.ManagedBy,
    };
    await tx.certificates.put(rec);
    await remember(tx, ctx, input.IdempotencyToken, input, arn);
    return { CertificateArn: arn };
  }).finally(() => d.wake());
}
