import { createHmac } from 'node:crypto';
import type { DomainValidationRecord } from '../../storage/records.js';

/**
 * DNS and e-mail validation details as ACM hands them out (acm.md §3.2). The CNAME is derived
 * from (account, base domain) with a keyed hash, so the same domain always gets the same record
 * in an account, a wildcard shares its apex's record, and nobody can predict another account's.
 */
export class ValidationRecords {
  constructor(private readonly key: Buffer) {}

  dnsRecord(accountId: string, domain: string): NonNullable<DomainValidationRecord['resourceRecord']> {
    const base = baseDomain(domain);
    const h = createHmac('sha256', this.key).update(`${accountId}\n${base}`).digest();
    const name = h.subarray(0, 16).toString('hex');
    const value = createHmac('sha256', this.key).update(`value\n${accountId}\n${base}`).digest();
    const letters = [...value.subarray(16, 26)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
    return { name: `_${name}.${base}.`, type: 'CNAME', value: `_${value.subarray(0, 16).toString('hex')}.${letters}.acm-validations.aws.` };
  }

  /** The five addresses ACM mails for a validation domain (WHOIS contacts are deprecated). */
  emails(validationDomain: string): string[] {
    const d = baseDomain(validationDomain).replace(/^www\./, '');
    return ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@${d}`);
  }
}

export function baseDomain(domain: string): string {
  return domain.toLowerCase().replace(/^\*\./, '');
}

/** ValidationDomain must be the domain itself or one of its superdomains (not a bare TLD). */
export function isSameOrSuperdomain(domain: string, validationDomain: string): boolean {
  const d = baseDomain(domain);
  const v = baseDomain(validationDomain);
  return (d === v || d.endsWith('.' + v)) && v.includes('.');
}
