import type { Config } from '../../config.js';
import type { CertificateRecord, DomainValidationRecord } from '../../storage/records.js';
import { LookupFailed, caaAllows, cnameAnswers, type DnsLookups } from './dns-checks.js';
import { APPROVAL_TOKEN_TTL_MS, newApprovalToken } from './approval.js';
import type { Mailer } from './mailer.js';

/** What one look at a pending certificate's domains found. */
export interface ValidationCheck {
  domainValidations: DomainValidationRecord[];
  outcome: 'issue' | 'pending' | 'failed';
  failureReason?: string;
  /** When to look again; none while only an owner's approval (e-mail) can move it on. */
  nextCheckAt?: Date;
}

/** Where a managed renewal stands after a look at the domains it must revalidate. */
export interface RenewalCheck {
  status: 'PENDING_AUTO_RENEWAL' | 'PENDING_VALIDATION';
  /** RenewalStatusReason, when something forbids renewing (CAA_ERROR). */
  reason?: string;
  /** The renewal's own view of each domain (RenewalSummary.DomainValidationOptions). */
  domainValidations: DomainValidationRecord[];
}

/**
 * The seam between ACM and domain control validation (acm.md §3.2, §4). `auto` approves every
 * domain once a delay has passed, for local development; `real` asks DNS for the CNAMEs ACM
 * handed out and waits for the owner's approval of e-mailed domains, and checks CAA before
 * issuing, as a public CA must.
 */
export interface DomainValidator {
  /** When the lifecycle should first look at a new request. */
  firstCheckAt(isPrivate: boolean, now: Date): Date;
  check(c: CertificateRecord, now: Date): Promise<ValidationCheck>;
  /**
   * Whether managed renewal can go ahead (acm.md §4): DNS-validated domains while their CNAMEs
   * answer, e-mailed domains once the owner approved this attempt's mail, and CAA allowing.
   */
  renewalCheck(c: CertificateRecord, now: Date): Promise<RenewalCheck>;
}

const approved = (dvs: DomainValidationRecord[]) => dvs.map((v) => ({ ...v, status: 'SUCCESS' as const }));

export function autoValidator(delaySeconds: number): DomainValidator {
  return {
    firstCheckAt: (isPrivate, now) => new Date(now.getTime() + (isPrivate ? 0 : delaySeconds * 1000)),
    check: async (c) => ({ domainValidations: approved(c.domainValidations), outcome: 'issue' }),
    renewalCheck: async (c) => ({ status: 'PENDING_AUTO_RENEWAL', domainValidations: approved(c.domainValidations) }),
  };
}

export interface ValidationMailing {
  mailer: Mailer;
  /** Base of the approval links (certtrail's public URL). */
  publicUrl: string;
}

export function realValidator(dns: DnsLookups, retrySeconds: number, mail?: ValidationMailing): DomainValidator {
  /** Whether the domain's validation CNAME answers now; a lookup that fails is simply "not yet". */
  const cnameInPlace = (v: DomainValidationRecord): Promise<boolean> =>
    v.resourceRecord
      ? cnameAnswers(dns, v.resourceRecord.name, v.resourceRecord.value).catch((e) => {
          if (e instanceof LookupFailed) return false;
          throw e;
        })
      : Promise.resolve(false);
  /** Whether CAA lets certtrail issue for every name; 'unknown' when CAA could not be read. */
  const caaVerdict = async (names: string[]): Promise<'allowed' | 'unknown' | { forbidden: string }> => {
    try {
      for (const name of names) if (!(await caaAllows(dns, name))) return { forbidden: name };
      return 'allowed';
    } catch (e) {
      if (e instanceof LookupFailed) return 'unknown';
      throw e;
    }
  };
  /** Mails each address of the domain a link to approve it; a failure leaves it due for the next look. */
  const mailDomain = async (c: CertificateRecord, v: DomainValidationRecord, index: number, now: Date, renewal = false): Promise<DomainValidationRecord> => {
    if (!mail) return v;
    const { token, hash } = newApprovalToken(c, index);
    const approveUrl = `${mail.publicUrl}/_certtrail/approve?token=${encodeURIComponent(token)}`;
    try {
      for (const to of v.validationEmails ?? [])
        await mail.mailer.send({ to, domain: v.domainName, validationDomain: v.validationDomain, accountId: c.accountId, region: c.region, certificateId: c.id, approveUrl, renewal });
    } catch {
      return v;
    }
    return { ...v, emailDue: false, emailTokenHash: hash, emailSentAt: now };
  };
  return {
    // At once: DNS records may already be in place, and e-mail domains have mail to send.
    firstCheckAt: (_isPrivate, now) => now,
    async check(c, now) {
      const later = new Date(now.getTime() + retrySeconds * 1000);
      const dvs: DomainValidationRecord[] = [];
      for (const [i, v] of c.domainValidations.entries()) {
        if (v.status === 'PENDING_VALIDATION' && v.validationMethod === 'EMAIL' && v.emailDue) {
          dvs.push(await mailDomain(c, v, i, now));
          continue;
        }
        const dnsPending = v.status === 'PENDING_VALIDATION' && v.validationMethod === 'DNS';
        dvs.push(dnsPending && (await cnameInPlace(v)) ? { ...v, status: 'SUCCESS' } : v);
      }
      // Look again for missing CNAMEs and for mail that could not be sent; approvals wake the lifecycle themselves.
      const lookAgain = dvs.some((v) => v.status === 'PENDING_VALIDATION' && (v.validationMethod === 'DNS' || (v.emailDue && mail)));
      if (dvs.some((v) => v.status !== 'SUCCESS')) return { domainValidations: dvs, outcome: 'pending', nextCheckAt: lookAgain ? later : undefined };
      // Every domain is validated: CAA is checked right before issuing (RFC 8659 §3).
      const caa = await caaVerdict(c.subjectAlternativeNames);
      // A CA may not issue when CAA cannot be read: try again later.
      if (caa === 'unknown') return { domainValidations: dvs, outcome: 'pending', nextCheckAt: later };
      if (caa !== 'allowed') {
        const failed = dvs.map((v) => (v.domainName.toLowerCase() === caa.forbidden.toLowerCase() ? { ...v, status: 'FAILED' as const } : v));
        return { domainValidations: failed, outcome: 'failed', failureReason: 'CAA_ERROR' };
      }
      return { domainValidations: dvs, outcome: 'issue' };
    },
    // DNS-validated domains renew while their CNAMEs stay in DNS; e-mailed ones need the owner
    // to approve this attempt's mail; private certificates need no validation at all.
    async renewalCheck(c, now) {
      if (c.type === 'PRIVATE') return { status: 'PENDING_AUTO_RENEWAL', domainValidations: [] };
      const prior = c.renewal?.status === 'PENDING_VALIDATION' || c.renewal?.status === 'PENDING_AUTO_RENEWAL' ? c.renewal.domainValidations : undefined;
      const dvs: DomainValidationRecord[] = [];
      for (const [i, v] of c.domainValidations.entries()) {
        if (v.validationMethod !== 'EMAIL') {
          dvs.push({ ...v, status: (await cnameInPlace(v)) ? 'SUCCESS' : 'PENDING_VALIDATION' });
          continue;
        }
        const was = prior?.[i];
        // "A renewal attempt times out after 72 hours and restarts from the beginning" (acm.md §4):
        // mail still current is waited on; after that, or when sending failed, the domain is mailed again.
        const current = was?.emailSentAt && now.getTime() - was.emailSentAt.getTime() < APPROVAL_TOKEN_TTL_MS;
        if (was && (was.status === 'SUCCESS' || current)) dvs.push(was);
        else dvs.push(await mailDomain(c, { ...v, status: 'PENDING_VALIDATION', emailTokenHash: undefined, emailSentAt: undefined, emailDue: true }, i, now, true));
      }
      if (dvs.some((v) => v.status !== 'SUCCESS')) return { status: 'PENDING_VALIDATION', domainValidations: dvs };
      const caa = await caaVerdict(c.subjectAlternativeNames);
      if (caa === 'allowed') return { status: 'PENDING_AUTO_RENEWAL', domainValidations: dvs };
      return { status: 'PENDING_VALIDATION', reason: caa === 'unknown' ? undefined : 'CAA_ERROR', domainValidations: dvs };
    },
  };
}

export function validatorFor(config: Config, dns: () => DnsLookups, mailer?: () => Mailer): DomainValidator {
  if (config.validation !== 'real') return autoValidator(config.autoValidationDelaySeconds);
  return realValidator(dns(), config.dnsRetrySeconds, mailer && { mailer: mailer(), publicUrl: config.publicUrl });
}
