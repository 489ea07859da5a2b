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
  return { Certificate: c.certificatePem, CertificateChain: c.chainPem || undefined };
}

export async function deleteCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.inUseBy.length > 0) throw ResourceInUseException(`Certificate ${c.arn} in account ${c.accountId} is in use.`);
    await tx.certificates.delete(c.accountId, c.region, c.id);
  });
  return {};
}
