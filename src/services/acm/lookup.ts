import { AccessDeniedException } from '../../kernel/errors.js';
import { parseArn, partitionOf } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Repositories } from '../../storage/ports.js';
import type { CertificateRecord } from '../../storage/records.js';
import { InvalidArnException, certificateNotFound } from './errors.js';

/**
 * Turns a CertificateArn (already pattern-checked by validation) into this caller's id.
 * Another region's or service's ARN is InvalidArnException; another account's is refused as
 * IAM would refuse it, since ACM certificates have no resource policies.
 */
export function certificateIdFrom(ctx: RequestContext, arn: string): string {
  const p = parseArn(arn);
  if (!p || p.service !== 'acm' || !p.resource.startsWith('certificate/') || p.resource.length <= 'certificate/'.length)
    throw InvalidArnException(`String '${arn}' is not a valid certificate ARN.`);
  if (p.partition !== partitionOf(ctx.region)) throw InvalidArnException(`String '${arn}' is not a valid certificate ARN.`);
  if (p.region !== ctx.region) throw InvalidArnException(`Certificate ARN ${arn} is not in region ${ctx.region}.`);
  if (p.account !== ctx.principal.accountId)
    throw AccessDeniedException(`User: ${ctx.principal.arn} is not authorized to perform: acm:${ctx.operation} on resource: ${arn}`);
  return p.resource.slice('certificate/'.length);
}

export async function loadCertificate(tx: Repositories, ctx: RequestContext, arn: string): Promise<CertificateRecord> {
  const id = certificateIdFrom(ctx, arn);
  const c = await tx.certificates.get(ctx.principal.accountId, ctx.region, id);
  if (!c) throw certificateNotFound(arn, ctx.principal.accountId);
  return c;
}
