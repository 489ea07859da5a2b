import { DAY_MS, isoSeconds } from '../../kernel/clock.js';
import type { Repositories, Store } from '../../storage/ports.js';
import type { BusEventRecord, CertificateRecord } from '../../storage/records.js';
import { stableUuid } from './dispatcher.js';

/** ACM's own events on the bus (acm.md §8), with the fields every detail carries. */
const iso = isoSeconds;
const DEFAULT_DAYS_BEFORE_EXPIRY = 45;

function certificateType(c: CertificateRecord): string {
  return c.type === 'IMPORTED' ? 'IMPORTED' : c.type === 'PRIVATE' ? 'PRIVATE' : 'AMAZON_ISSUED';
}

function common(c: CertificateRecord): Record<string, unknown> {
  const f = c.facts;
  return {
    CommonName: c.domainName,
    FirstSubjectAlternativeName: c.subjectAlternativeNames[0] ?? c.domainName,
    ValidityInDays: f ? Math.round((f.notAfter.getTime() - f.notBefore.getTime()) / DAY_MS) : undefined,
    CertificateKeyPairOrigin: c.type === 'IMPORTED' ? 'CUSTOMER_PROVIDED' : 'AWS_MANAGED',
  };
}

export function acmEvent(c: CertificateRecord, detailType: string, detail: Record<string, unknown>, at: Date, idParts: string[]): BusEventRecord {
  const envelope = {
    version: '0',
    id: stableUuid('acm', detailType, c.arn, ...idParts),
    'detail-type': detailType,
    source: 'aws.acm',
    account: c.accountId,
    time: iso(at),
    region: c.region,
    resources: [c.arn],
    detail: { ...detail, ...common(c) },
  };
  return { accountId: c.accountId, region: c.region, createdAt: at, envelope: JSON.stringify(envelope) };
}

const daysToExpiry = (c: CertificateRecord, now: Date) => (c.facts ? Math.max(0, Math.floor((c.facts.notAfter.getTime() - now.getTime()) / DAY_MS)) : undefined);

/** The event a change of a certificate gives, if any: issuance, renewal or import (Available), expiry (Expired), revocation (Revoked). */
export function lifecycleEvent(before: CertificateRecord | undefined, after: CertificateRecord, now: Date): BusEventRecord | undefined {
  const f = after.facts;
  if (!f) return undefined;
  if (after.status === 'ISSUED' && (before?.status !== 'ISSUED' || before.facts?.serial !== f.serial)) {
    const action = after.type === 'IMPORTED' ? (before ? 'REIMPORT' : 'IMPORT') : before?.status === 'ISSUED' ? 'RENEWAL' : 'ISSUANCE';
    return acmEvent(after, 'ACM Certificate Available', {
      Action: action,
      CertificateType: certificateType(after),
      DomainValidationMethod: after.type === 'AMAZON_ISSUED' ? after.validationMethod : undefined,
      CertificateCreatedDate: iso(after.createdAt),
      CertificateExpirationDate: iso(f.notAfter),
      DaysToExpiry: daysToExpiry(after, now),
      InUse: after.inUseBy.length > 0,
      Exported: after.exported,
    }, now, [f.serial]);
  }
  if (after.status === 'EXPIRED' && before?.status !== 'EXPIRED' && after.type !== 'IMPORTED')
    return acmEvent(after, 'ACM Certificate Expired', {
      CertificateType: certificateType(after),
      DomainValidationMethod: after.validationMethod,
      CertificateCreatedDate: iso(after.createdAt),
      CertificateExpirationDate: iso(f.notAfter),
      InUse: after.inUseBy.length > 0,
      Exported: after.exported,
    }, now, [f.serial]);
  if (after.status === 'REVOKED' && before?.status !== 'REVOKED')
    return acmEvent(after, 'ACM Certificate Revoked', {
      CertificateType: certificateType(after),
      CertificateExpirationDate: iso(f.notAfter),
      Exportable: after.options.export === 'ENABLED',
    }, now, [f.serial]);
  return undefined;
}

/**
 * "ACM Certificate Approaching Expiration": once a day for every issued or imported certificate
 * within its account's DaysBeforeExpiry (PutAccountConfiguration; default 45) of NotAfter.
 */
export async function approachingExpiration(tx: Repositories, certificates: CertificateRecord[], now: Date): Promise<BusEventRecord[]> {
  const day = iso(now).slice(0, 10);
  const out: BusEventRecord[] = [];
  const windows = new Map<string, number>();
  for (const c of certificates) {
    if (c.status !== 'ISSUED' || !c.facts) continue;
    const key = `${c.accountId}\0${c.region}`;
    if (!windows.has(key)) windows.set(key, (await tx.accountConfig.get(c.accountId, c.region))?.daysBeforeExpiry ?? DEFAULT_DAYS_BEFORE_EXPIRY);
    const days = daysToExpiry(c, now)!;
    if (days > windows.get(key)! || c.facts.notAfter <= now) continue;
    const mark = `acm-expiry:${c.arn}`;
    if ((await tx.bus.getState<string>(mark)) === day) continue;
    await tx.bus.putState(mark, day);
    out.push(acmEvent(c, 'ACM Certificate Approaching Expiration', { DaysToExpiry: days }, now, [day]));
  }
  return out;
}

/**
 * "ACM Certificate Renewal Action Required": managed renewal is waiting for its owner (a CNAME
 * gone, mail not yet approved, CAA forbidding). Sent when the wait reaches each of the days ACM
 * names — 45 (private only), 30, 15, 3 and 1 days before expiry (acm.md §8) — once per day mark
 * and certificate version.
 */
export async function renewalActionRequired(tx: Repositories, certificates: CertificateRecord[], now: Date): Promise<BusEventRecord[]> {
  const out: BusEventRecord[] = [];
  for (const c of certificates) {
    const f = c.facts;
    if (c.status !== 'ISSUED' || !f || c.type === 'IMPORTED' || c.renewal?.status !== 'PENDING_VALIDATION' || f.notAfter <= now) continue;
    const days = daysToExpiry(c, now)!;
    const mark = (c.type === 'PRIVATE' ? [1, 3, 15, 30, 45] : [1, 3, 15, 30]).find((m) => days <= m);
    if (mark === undefined) continue;
    const key = `acm-renewal-action:${c.arn}`;
    const value = `${f.serial}:${mark}`;
    if ((await tx.bus.getState<string>(key)) === value) continue;
    await tx.bus.putState(key, value);
    out.push(acmEvent(c, 'ACM Certificate Renewal Action Required', {
      CertificateType: certificateType(c),
      DomainValidationMethod: c.validationMethod,
      RenewalStatusReason: c.renewal.reason ?? 'PENDING_DOMAIN_VALIDATION',
      DaysToExpiry: days,
      CertificateExpirationDate: iso(f.notAfter),
      InUse: c.inUseBy.length > 0,
      Exported: c.exported,
    }, now, [value]));
  }
  return out;
}

/** One pass of ACM's scheduled notices (expiry approaching, renewal waiting), committed with their marks. */
export async function publishScheduledNotices(store: { read: Store['read']; write: Store['write'] }, now: Date): Promise<number> {
  const issued = await store.read((tx) => tx.certificates.listByStatus(['ISSUED'], 100_000));
  return store.write(async (tx) => {
    const events = [...(await approachingExpiration(tx, issued, now)), ...(await renewalActionRequired(tx, issued, now))];
    await tx.bus.publish(events);
    return events.length;
  });
}
