import { accessDenied } from '../../auth/authorizer.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { JsonService } from '../../pipeline/service.js';
import { struct } from '../../protocol/shape.js';
import { acmAccess } from './access.js';
import type { AcmDeps } from './deps.js';
import { loadCertificate } from './lookup.js';
import { certificateResource } from './service.js';
import { Arn } from './shapes.js';

/**
 * A service integration (src/services/identity/integrations.ts) stops using a certificate: its
 * resource leaves InUseBy. ACM has no such public operation — AWS's services tell ACM inside AWS
 * — so certtrail serves it under its own target prefix, signed for `acm` like ACM's calls and
 * recorded in CloudTrail like them, callable only by the integration about its own resource.
 */
async function releaseCertificate(ctx: RequestContext, input: { CertificateArn: string }, d: AcmDeps) {
  const resource = ctx.principal.invokedBy && ctx.principal.resourceArn;
  if (!resource) throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: acm:ReleaseCertificate on resource: ${input.CertificateArn}: only a service integration releases its own use of a certificate`);
  await d.store.write(async (tx) => {
    const c = await loadCertificate(tx, ctx, input.CertificateArn);
    if (c.inUseBy.includes(resource)) await tx.certificates.put({ ...c, inUseBy: c.inUseBy.filter((x) => x !== resource) });
  });
  return {};
}

export function integrationService(deps: AcmDeps): JsonService<AcmDeps> {
  return {
    signingName: 'acm',
    targetPrefix: 'CertTrailIntegration',
    eventSource: 'acm.amazonaws.com',
    operations: { ReleaseCertificate: { input: struct({ CertificateArn: Arn }, ['CertificateArn']), handler: releaseCertificate } },
    notYetImplemented: [],
    resourceOf: certificateResource,
    access: acmAccess,
    deps,
  };
}
