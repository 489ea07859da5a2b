import { HOUR_MS, type Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import { Poller } from '../../kernel/poller.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { issueLeaf, type KeyPool } from '../../pki/index.js';
import type { Repositories, Store } from '../../storage/ports.js';
import type { CertificateRecord, DomainValidationRecord, RenewalRecord } from '../../storage/records.js';
import type { Authorities } from '../ca/authorities.js';
import type { CertificateObserver } from './deps.js';
import { autoValidator, type DomainValidator, type RenewalCheck } from './validator.js';
import { RENEWAL_HORIZON_MS, renewalDue } from './renewal.js';

/** ACM retries validation for 72 hours, then the certificate is VALIDATION_TIMED_OUT (model doc). */
export const VALIDATION_TIMEOUT_MS = 72 * HOUR_MS;
const ISSUE_BATCH = 4;

export interface LifecycleDeps {
  store: Store;
  clock: Clock;
  box: SecretBox;
  logger: Logger;
  authorities: Authorities;
  keys: KeyPool;
  pollMs: number;
  /** How often managed renewal looks for certificates entering their renewal window (default: an hour). */
  renewalScanMs?: number;
  /** Approves pending domains (auto or real validation); auto with no delay when absent. */
  validator?: DomainValidator;
  /** Sees each change of state inside its transaction (ACM's own events go on the bus from here). */
  observe?: CertificateObserver;
}

/**
 * The background side of ACM: issues certificates whose domains the validator approved, renews
 * on request, times out stale requests and expires old certificates. It reads its work from the
 * store each round, so a restart simply resumes.
 */
export class Lifecycle {
  private readonly poller: Poller;
  private inFlight = new Set<string>();
  private readonly validator: DomainValidator;
  private lastRenewalScan?: number;

  constructor(private readonly d: LifecycleDeps) {
    this.validator = d.validator ?? autoValidator(0);
    this.poller = new Poller(() => this.work(), d.pollMs, (e) => d.logger.error('lifecycle round failed', { error: e instanceof Error ? e.message : String(e) }));
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Run a round soon (a new request arrived). */
  wake(): void {
    this.poller.wake();
  }

  /** One pass; exported for tests that drive time by hand. */
  async work(): Promise<void> {
    const now = this.d.clock.now();
    const pending = await this.d.store.read((tx) => tx.certificates.listByStatus(['PENDING_VALIDATION'], 500));
    const due: CertificateRecord[] = [];
    for (const c of pending) {
      if (now.getTime() - c.createdAt.getTime() > VALIDATION_TIMEOUT_MS) await this.update(c.arn, c, (x) => (x.status === 'PENDING_VALIDATION' ? { ...x, status: 'VALIDATION_TIMED_OUT' } : undefined));
      else if (c.validationDueAt && c.validationDueAt <= now) due.push(c);
    }
    for (const c of await this.d.store.read((tx) => tx.certificates.listDue(now, 500))) {
      if (c.facts && c.facts.notAfter < now)
        await this.update(c.arn, c, (x) => {
          if (x.status !== 'ISSUED') return undefined;
          // A renewal still waiting at expiry has failed (RenewalSummary FAILED: "not validated before expiry").
          const failed = x.renewal && x.renewal.status.startsWith('PENDING') ? { renewal: { status: 'FAILED' as const, updatedAt: now } } : {};
          return { ...x, status: 'EXPIRED', ...failed };
        });
      else {
        if (c.renewal?.status === 'PENDING_AUTO_RENEWAL') due.push(c);
        if (c.update?.status === 'PENDING_DOMAIN_VALIDATION' && (!c.update.nextCheckAt || c.update.nextCheckAt <= now)) await this.checkMigration(c, now);
      }
    }
    await this.scanRenewals(now);
    // A few at a time, yielding between: signing is CPU work on the event loop, and API calls
    // arriving during a burst must not wait for the whole burst to be signed.
    for (let i = 0; i < due.length; i += ISSUE_BATCH) {
      await Promise.all(due.slice(i, i + ISSUE_BATCH).map((c) => this.issue(c, c.status === 'ISSUED')));
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Managed renewal: certificates entering their window start renewing by themselves, or wait
   * for their owner. Hourly (renewalScanMs) rather than every round: the window is days wide.
   */
  private async scanRenewals(now: Date): Promise<void> {
    const t = now.getTime();
    if (this.lastRenewalScan !== undefined && t >= this.lastRenewalScan && t - this.lastRenewalScan < (this.d.renewalScanMs ?? HOUR_MS)) return;
    this.lastRenewalScan = t;
    const expiring = await this.d.store.read((tx) => tx.certificates.listExpiringBefore(new Date(t + RENEWAL_HORIZON_MS), 1000));
    let started = false;
    for (const c of expiring) {
      if (!renewalDue(c, now)) continue;
      // PENDING_AUTO_RENEWAL: ACM renews by itself (the lifecycle issues next round); PENDING_VALIDATION: the owner must act first.
      const check = await this.validator.renewalCheck(c, now);
      if (sameRenewal(c.renewal, check)) continue;
      await this.update(c.arn, c, (x) => (renewalDue(x, now) && !sameRenewal(x.renewal, check) ? { ...x, renewal: renewalAfter(x, check, now) } : undefined));
      started ||= check.status === 'PENDING_AUTO_RENEWAL';
    }
    if (started) this.wake();
  }

  private async issue(c: CertificateRecord, renewal: boolean): Promise<void> {
    if (this.inFlight.has(c.arn)) return;
    this.inFlight.add(c.arn);
    try {
      let validated = c.domainValidations;
      let renewalValidations = c.renewal?.domainValidations;
      if (renewal && c.type !== 'PRIVATE') {
        // Looked at again right before issuing: a CNAME removed or a CAA record added since the
        // renewal started stops it, as it would stop a first issuance.
        const check = await this.validator.renewalCheck(c, this.d.clock.now());
        if (check.status !== 'PENDING_AUTO_RENEWAL') {
          const at = this.d.clock.now();
          await this.update(c.arn, c, (x) => (x.status === 'ISSUED' && x.renewal?.status === 'PENDING_AUTO_RENEWAL' ? { ...x, renewal: renewalAfter(x, check, at) } : undefined));
          return;
        }
        renewalValidations = check.domainValidations;
      }
      if (!renewal && c.type !== 'PRIVATE') {
        const check = await this.validator.check(c, this.d.clock.now());
        validated = check.domainValidations;
        if (check.outcome !== 'issue') {
          await this.update(c.arn, c, (x) => {
            if (x.status !== 'PENDING_VALIDATION') return undefined;
            return check.outcome === 'failed'
              ? { ...x, status: 'FAILED', failureReason: check.failureReason, domainValidations: validated, validationDueAt: undefined }
              : { ...x, domainValidations: mergeChecked(x.domainValidations, c.domainValidations, validated), validationDueAt: check.nextCheckAt };
          });
          return;
        }
      }
      const ca = c.type === 'PRIVATE' ? await this.d.authorities.privateCa(c.accountId, c.region) : await this.d.authorities.intermediate(c.keyAlgorithm);
      const signer = this.d.authorities.signing(ca);
      const key = await this.d.keys.take(c.keyAlgorithm);
      const leaf = await issueLeaf({
        profile: c.type === 'PRIVATE' ? 'private' : 'amazon',
        commonName: c.domainName,
        dnsNames: c.subjectAlternativeNames,
        publicKeyPem: key.publicKeyPem,
        keyAlgorithm: c.keyAlgorithm,
        issuer: signer,
        now: this.d.clock.now(),
      });
      const chainPem = ca.kind !== 'private' ? signer.certificatePem.trim() + '\n' + (await this.d.authorities.root()).certificatePem.trim() + '\n' : signer.certificatePem.trim() + '\n';
      const now = this.d.clock.now();
      await this.update(c.arn, c, (x) => {
        if (renewal ? x.status !== 'ISSUED' || x.renewal?.status !== 'PENDING_AUTO_RENEWAL' : x.status !== 'PENDING_VALIDATION') return undefined;
        return {
          ...x,
          status: 'ISSUED',
          issuedAt: now,
          certificatePem: leaf.certificatePem,
          chainPem,
          facts: leaf.facts,
          privateKeySealed: this.d.box.seal(key.privateKeyPem, x.arn),
          issuerCaId: ca.id,
          validationDueAt: undefined,
          domainValidations: renewal ? x.domainValidations : validated,
          // A renewed certificate must be exported again before it is eligible once more.
          ...(renewal ? { renewal: { status: 'SUCCESS' as const, updatedAt: now, domainValidations: renewalValidations }, exported: false } : {}),
        };
      });
    } finally {
      this.inFlight.delete(c.arn);
    }
  }

  /**
   * An EMAIL → DNS migration (UpdateCertificateOptions): the requested CNAMEs are looked for as a
   * new request's are; once all answer the certificate is DNS-validated, after 72 hours the
   * migration has FAILED and the certificate stays as it was.
   */
  private async checkMigration(c: CertificateRecord, now: Date): Promise<void> {
    const u = c.update!;
    const pending = (x: CertificateRecord) => x.update?.status === 'PENDING_DOMAIN_VALIDATION' && x.update.requestedAt.getTime() === u.requestedAt.getTime();
    if (now.getTime() - u.requestedAt.getTime() > VALIDATION_TIMEOUT_MS) {
      await this.update(c.arn, c, (x) => (pending(x) ? { ...x, update: { ...x.update!, status: 'FAILED', updatedAt: now, nextCheckAt: undefined } } : undefined));
      return;
    }
    const check = await this.validator.check({ ...c, domainValidations: u.domainValidations }, now);
    const dvs = check.domainValidations;
    await this.update(c.arn, c, (x) => {
      if (!pending(x)) return undefined;
      if (check.outcome === 'issue')
        return { ...x, validationMethod: u.to, domainValidations: dvs, update: { ...x.update!, status: 'SUCCESS', updatedAt: now, domainValidations: dvs, nextCheckAt: undefined } };
      if (check.outcome === 'failed') return { ...x, update: { ...x.update!, status: 'FAILED', updatedAt: now, domainValidations: dvs, nextCheckAt: undefined } };
      return { ...x, update: { ...x.update!, domainValidations: dvs, nextCheckAt: check.nextCheckAt ?? new Date(now.getTime() + HOUR_MS) } };
    });
  }

  /** Re-reads the certificate inside the transaction: it may have changed or been deleted since. */
  private async update(arn: string, c: CertificateRecord, change: (x: CertificateRecord) => CertificateRecord | undefined): Promise<void> {
    await this.d.store.write(async (tx) => {
      const cur = await tx.certificates.get(c.accountId, c.region, c.id);
      if (!cur || cur.arn !== arn) return;
      const next = change(cur);
      if (!next) return;
      await tx.certificates.put(next);
      await this.d.observe?.(tx, cur, next);
    });
  }
}

/**
 * The domains after a look that found them still pending, merged with what happened meanwhile:
 * an approval (SUCCESS) or a ResendValidationEmail (mail due again) made since the look read the
 * certificate wins over the look's older view.
 */
function mergeChecked(now: DomainValidationRecord[], read: DomainValidationRecord[], checked: DomainValidationRecord[]): DomainValidationRecord[] {
  return now.map((x, j) => {
    const was = read[j];
    if (!was || x.status === 'SUCCESS' || x.emailTokenHash !== was.emailTokenHash || (x.emailDue && !was.emailDue) || x.validationDomain !== was.validationDomain) return x;
    return checked[j] ?? x;
  });
}

/** Whether a renewal check found nothing new: same status and reason, same state and mail for each domain. */
function sameRenewal(r: RenewalRecord | undefined, check: RenewalCheck): boolean {
  if (!r || r.status !== check.status || r.reason !== check.reason) return false;
  const was = r.domainValidations ?? [];
  return was.length === check.domainValidations.length
    && check.domainValidations.every((v, i) => v.status === was[i]!.status && v.emailTokenHash === was[i]!.emailTokenHash);
}

/** The renewal a check leads to, keeping approvals the owner gave since the check read the certificate. */
function renewalAfter(x: CertificateRecord, check: RenewalCheck, now: Date): RenewalRecord {
  // Only an attempt still under way has approvals to keep; a finished renewal's are the last attempt's.
  const current = x.renewal?.status === 'PENDING_VALIDATION' || x.renewal?.status === 'PENDING_AUTO_RENEWAL' ? x.renewal.domainValidations : undefined;
  const domainValidations = check.domainValidations.map((v, i) => (current?.[i]?.status === 'SUCCESS' && v.status !== 'SUCCESS' && v.validationMethod === 'EMAIL' ? current[i]! : v));
  return { status: check.status, reason: check.reason, updatedAt: now, domainValidations };
}
