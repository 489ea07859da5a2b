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
 * The renewal status a certificate should move to now, if it should change: PENDING_AUTO_RENEWAL
 * when ACM can renew it by itself (the lifecycle then issues), PENDING_VALIDATION when the owner
 * must act first (a validation CNAME gone, an e-mail to approve). Undefined: leave it alone — not
 * yet in its window, not eligible (it will simply expire), or renewal already under way.
 */
export function nextRenewalStatus(c: CertificateRecord, now: Date, canRenewAlone: boolean): 'PENDING_AUTO_RENEWAL' | 'PENDING_VALIDATION' | undefined {
  const start = renewalStartsAt(c);
  if (!start || now < start || c.status !== 'ISSUED' || c.facts!.notAfter <= now) return undefined;
  if (renewalEligibility(c) !== 'ELIGIBLE') return undefined;
  if (c.renewal?.status === 'PENDING_AUTO_RENEWAL') return undefined;
  const next = canRenewAlone ? 'PENDING_AUTO_RENEWAL' : 'PENDING_VALIDATION';
  return c.renewal?.status === next ? undefined : next;
}
