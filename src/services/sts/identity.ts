import type { RequestContext } from '../../pipeline/context.js';

/**
 * Who signed the call: root's ARN and the account id as UserId, or the IAM user's ARN and its
 * AIDA… id (STS API reference, GetCallerIdentity). Needs no permission, so no policy check.
 */
export async function getCallerIdentity(ctx: RequestContext): Promise<Record<string, unknown>> {
  const p = ctx.principal;
  return { Arn: p.arn, UserId: p.principalId, Account: p.accountId };
}
