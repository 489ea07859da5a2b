import type { AccessRequest } from '../../auth/authorizer.js';
import type { ContextValues } from '../../auth/policy/types.js';
import { parseArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { AcmDeps } from './deps.js';

interface WireTag {
  Key: string;
  Value?: string;
}

/** aws:RequestTag/<key> for each tag a call sets and aws:TagKeys for the keys it names (IAM: tag-based access). */
function requestTags(tags: WireTag[] | undefined, out: ContextValues): void {
  if (!tags?.length) return;
  for (const t of tags) if (t.Value !== undefined) out[`aws:requesttag/${t.Key.toLowerCase()}`] = t.Value;
  out['aws:tagkeys'] = tags.map((t) => t.Key);
}

/**
 * What IAM is asked about an ACM call (Service Authorization Reference, AWS Certificate
 * Manager): the certificate's ARN for calls on one certificate, `*` for the rest; ACM's
 * condition keys on RequestCertificate; the tags a call sets or removes; and the certificate's
 * own tags (aws:ResourceTag) when it names one of the caller's certificates.
 */
export async function acmAccess(ctx: RequestContext, input: Record<string, unknown>, d: AcmDeps): Promise<AccessRequest> {
  const context: ContextValues = {};
  const arn = typeof input.CertificateArn === 'string' ? input.CertificateArn : undefined;
  const tags = input.Tags as WireTag[] | undefined;
  // Removing tags sets none: only the keys it names are asked about.
  if (ctx.operation === 'RemoveTagsFromCertificate') {
    if (tags?.length) context['aws:tagkeys'] = tags.map((t) => t.Key);
  } else requestTags(tags, context);
  if (ctx.operation === 'RequestCertificate') {
    const i = input as { DomainName: string; SubjectAlternativeNames?: string[]; KeyAlgorithm?: string; ValidationMethod?: string; CertificateAuthorityArn?: string; Options?: { CertificateTransparencyLoggingPreference?: string } };
    context['acm:domainnames'] = [...new Set([i.DomainName, ...(i.SubjectAlternativeNames ?? [])])];
    context['acm:keyalgorithm'] = i.KeyAlgorithm ?? 'RSA_2048';
    if (i.CertificateAuthorityArn) context['acm:certificateauthority'] = i.CertificateAuthorityArn;
    else context['acm:validationmethod'] = i.ValidationMethod ?? 'EMAIL';
    context['acm:certificatetransparencylogging'] = i.Options?.CertificateTransparencyLoggingPreference ?? 'ENABLED';
  }
  const p = arn ? parseArn(arn) : undefined;
  if (arn && p && p.account === ctx.principal.accountId && p.region === ctx.region && p.resource.startsWith('certificate/')) {
    const c = await d.store.read((tx) => tx.certificates.get(p.account, p.region, p.resource.slice('certificate/'.length)));
    for (const t of c?.tags ?? []) if (t.value !== undefined) context[`aws:resourcetag/${t.key.toLowerCase()}`] = t.value;
  }
  return { resource: arn ?? '*', context };
}
