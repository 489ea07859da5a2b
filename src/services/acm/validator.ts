import type { Config } from '../../config.js';
import type { CertificateRecord, DomainValidationRecord } from '../../storage/records.js';
import { LookupFailed, caaAllows, cnameAnswers, type DnsLookups } from './dns-checks.js';
import { newApprovalToken } from './approval.js';
import type { Mailer } from './mailer.js';

/** What one look at a pending certificate's domains found. */
export interface ValidationCheck {
  domainValidations: DomainValidationRecord[];
  outcome: 'issue' | 'pending' | 'failed';
  failureReason?: string;
  /** When to look again; none while only an owner's approval (e-mail) can move it on. */
  nextCheckAt?: Date;
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
  /** Whether managed renewal can revalidate every domain without the owner (acm.md §4). */
  canRenewAlone(c: CertificateRecord): Promise<boolean>;
}

const approved = (dvs: DomainValidationRecord[]) => dvs.map((v) => ({ ...v, status: 'SUCCESS' as const }));

export function autoValidator(delaySeconds: number): DomainValidator {
  return {
    firstCheckAt: (isPrivate, now) => new Date(now.getTime() + (isPrivate ? 0 : delaySeconds * 1000)),
    check: async (c) => ({ domainValidations: approved(c.domainValidations), outcome: 'issue' }),
    canRenewAlone: async () => true,
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
  /** Mails each address of the domain a link to approve it; a failure leaves it due for the next look. */
  const mailDomain = async (c: CertificateRecord, v: DomainValidationRecord, index: number, now: Date): Promise<DomainValidationRecord> => {
    if (!mail) return v;
    const { token, hash } = newApprovalToken(c, index);
    const approveUrl = `${mail.publicUrl}/_certtrail/approve?token=${encodeURIComponent(token)}`;
    try {
      for (const to of v.validationEmails ?? [])
        await mail.mailer.send({ to, domain: v.domainName, validationDomain: v.validationDomain, accountId: c.accountId, region: c.region, certificateId: c.id, approveUrl });
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
      let forbidden: string | undefined;
      try {
        for (const name of c.subjectAlternativeNames) {
          if (!(await caaAllows(dns, name))) {
            forbidden = name;
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof LookupFailed)) throw e;
        // A CA may not issue when CAA cannot be read: try again later.
        return { domainValidations: dvs, outcome: 'pending', nextCheckAt: later };
      }
      if (forbidden !== undefined) {
        const failed = dvs.map((v) => (v.domainName.toLowerCase() === forbidden!.toLowerCase() ? { ...v, status: 'FAILED' as const } : v));
        return { domainValidations: failed, outcome: 'failed', failureReason: 'CAA_ERROR' };
      }
      return { domainValidations: dvs, outcome: 'issue' };
    },
    // DNS-validated certificates renew while their CNAMEs stay in DNS; e-mail-validated ones
    // need the owner to approve again; private ones need no validation at all.
    async canRenewAlone(c) {
      if (c.type === 'PRIVATE') return true;
      for (const v of c.domainValidations) if (v.validationMethod !== 'DNS' || !(await cnameInPlace(v))) return false;
      return true;
    },
  };
}

export function validatorFor(config: Config, dns: () => DnsLookups, mailer?: () => Mailer): DomainValidator {
  if (config.validation !== 'real') return autoValidator(config.autoValidationDelaySeconds);
  return realValidator(dns(), config.dnsRetrySeconds, mailer && { mailer: mailer(), publicUrl: config.publicUrl });
}
