import { DAY_MS } from '../../kernel/clock.js';
import type { CertificateRecord } from '../../storage/records.js';
import { renewalEligibility } from './render.js';

/**
 * When ACM starts managed renewal (acm.md §4): DNS- and e-mail-validated public certificates 45
 * days before expiry for today's 198-day certificates (60 for legacy 395-day ones), private
 * certificates 60 days before. Imported certificates are never renewed.
 */
export function renewalStartsAt(c: CertificateRecord): Date | undefined {
  if (c.type === 'IMPORTED' || !c.facts) return undefined;
  const validityDays = (c.facts.notAfter.getTime() - c.facts.notBefore.getTime()) / DAY_MS;
  const windowDays = c.type === 'PRIVATE' || validityDays > 200 ? 60 : 45;
  return new Date(c.facts.notAfter.getTime() - windowDays * DAY_MS);
}

/** The furthest any renewal window reaches before NotAfter: what the scan asks the store for. */
export const RENEWAL_HORIZON_MS = 60 * DAY_MS;

/**
 * Whether managed renewal should (re)consider the certificate now: in its window, not expired,
 * eligible (the rest simply expire), and not already being issued (PENDING_AUTO_RENEWAL). One
 * waiting for its owner (PENDING_VALIDATION) is looked at again, in case it can now renew alone.
 */
export function renewalDue(c: CertificateRecord, now: Date): boolean {
  const start = renewalStartsAt(c);
  return !!start && now >= start && c.status === 'ISSUED' && c.facts!.notAfter > now
    && renewalEligibility(c) === 'ELIGIBLE' && c.renewal?.status !== 'PENDING_AUTO_RENEWAL';
}
