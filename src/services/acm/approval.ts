import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HOUR_MS } from '../../kernel/clock.js';
import type { Store } from '../../storage/ports.js';
import type { CertificateRecord, DomainValidationRecord } from '../../storage/records.js';

/** "Each email token expires after 72 hours" (acm.md §4). */
export const APPROVAL_TOKEN_TTL_MS = 72 * HOUR_MS;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A single-use approval link's token: where the certificate is (account, region, id, which
 * domain) and a random secret, of which only the hash is stored.
 */
export function newApprovalToken(c: CertificateRecord, domainIndex: number): { token: string; hash: string } {
  const secret = randomBytes(24).toString('base64url');
  return { token: `${c.accountId}.${c.region}.${c.id}.${domainIndex}.${secret}`, hash: sha256(secret) };
}

export interface Approval {
  certificate: CertificateRecord;
  domain: DomainValidationRecord;
  /** A managed renewal's approval rather than the first issuance's. */
  renewal: boolean;
}

/** The domains a token can approve now: the request's while it is pending, a renewal's while that waits for its owner. */
function awaiting(c: CertificateRecord): { list: DomainValidationRecord[]; renewal: boolean } | undefined {
  if (c.status === 'PENDING_VALIDATION') return { list: c.domainValidations, renewal: false };
  if (c.status === 'ISSUED' && c.renewal?.status === 'PENDING_VALIDATION' && c.renewal.domainValidations) return { list: c.renewal.domainValidations, renewal: true };
  return undefined;
}

/** The pending domain a token approves, if the token is current; undefined for anything else (what the page shows). */
export async function lookupApproval(store: Store, token: string, now: Date): Promise<(Approval & { index: number }) | undefined> {
  const m = /^(\d{12})\.([a-z0-9-]{1,32})\.([0-9a-f-]{36})\.(\d{1,3})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return undefined;
  const [, accountId, region, id, i, secret] = m;
  const c = await store.read((tx) => tx.certificates.get(accountId!, region!, id!));
  const index = Number(i);
  const open = c && awaiting(c);
  const v = open?.list[index];
  if (!c || !open || !v || v.status !== 'PENDING_VALIDATION' || !v.emailTokenHash) return undefined;
  if (!v.emailSentAt || now.getTime() - v.emailSentAt.getTime() > APPROVAL_TOKEN_TTL_MS) return undefined;
  if (!timingSafeEqual(Buffer.from(sha256(secret!)), Buffer.from(v.emailTokenHash))) return undefined;
  return { certificate: c, domain: v, index, renewal: open.renewal };
}

/**
 * The owner approved: the domain is validated and the token spent (re-read in the write
 * transaction, so two clicks approve once). The lifecycle issues once every domain is; a
 * renewal whose every domain is approved goes back to ACM (PENDING_AUTO_RENEWAL).
 */
export async function approve(store: Store, token: string, now: Date): Promise<Approval | undefined> {
  const seen = await lookupApproval(store, token, now);
  if (!seen) return undefined;
  return store.write(async (tx) => {
    const c = await tx.certificates.get(seen.certificate.accountId, seen.certificate.region, seen.certificate.id);
    const open = c && awaiting(c);
    const v = open?.list[seen.index];
    if (!c || !open || !v || open.renewal !== seen.renewal || v.emailTokenHash !== seen.domain.emailTokenHash) return undefined;
    const list = open.list.map((x, j) => (j === seen.index ? { ...x, status: 'SUCCESS' as const, emailTokenHash: undefined } : x));
    if (!open.renewal) await tx.certificates.put({ ...c, domainValidations: list, validationDueAt: now });
    else {
      const done = list.every((x) => x.status === 'SUCCESS');
      await tx.certificates.put({ ...c, renewal: { ...c.renewal!, status: done ? 'PENDING_AUTO_RENEWAL' : 'PENDING_VALIDATION', updatedAt: now, domainValidations: list } });
    }
    return { certificate: c, domain: v, renewal: open.renewal };
  });
}
