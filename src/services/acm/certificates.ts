import type { RequestContext } from '../../pipeline/context.js';
import type { AcmDeps } from './deps.js';
import { ResourceInUseException, notYetIssued } from './errors.js';
import { loadCertificate } from './lookup.js';
import { describeOutput } from './render.js';

export async function describeCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  const c = await d.store.read((tx) => loadCertificate(tx, ctx, input.CertificateArn));
  return describeOutput(c);
}

/** The leaf and, separately, its issuers (never the leaf itself) — acm.md §2.3 GetCertificate. */
export async function getCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  const c = await d.store.read((tx) => loadCertificate(tx, ctx, input.CertificateArn));
  if (!c.certificatePem) throw notYetIssued(c.arn);
  const answer = { Certificate: c.certificatePem, CertificateChain: c.chainPem || undefined };
  // A load balancer or CDN integration fetching a certificate deploys it: from now on the
  // certificate is in use by that resource (InUseBy, renewal eligibility, no deletion). The
  // write returns the answer: its transaction also records the call's event.
  const user = ctx.principal.invokedBy && ctx.principal.resourceArn;
  if (user && c.status === 'ISSUED' && !c.inUseBy.includes(user))
    return d.store.write(async (tx) => {
      const cur = await loadCertificate(tx, ctx, input.CertificateArn);
      if (!cur.inUseBy.includes(user)) await tx.certificates.put({ ...cur, inUseBy: [...cur.inUseBy, user] });
      return answer;
    });
  return answer;
}

export async function deleteCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.inUseBy.length > 0) throw ResourceInUseException(`Certificate ${c.arn} in account ${c.accountId} is in use.`);
    await tx.certificates.delete(c.accountId, c.region, c.id);
  });
  return {};
}
