import type { QueryService } from '../../pipeline/service.js';
import type { AccessRequest } from '../../auth/authorizer.js';
import { federatedUserArn } from '../../kernel/arn.js';
import type { RequestContext } from '../../pipeline/context.js';
import { getCallerIdentity } from './identity.js';
import { assumeRole, credentialsForEvent, getFederationToken, getSessionToken, type StsDeps } from './sessions.js';

/**
 * AWS STS over the query protocol. One global endpoint: certtrail answers whatever region the
 * scope names (the SDKs and CLI sign STS for us-east-1 unless told to use a regional endpoint).
 */
export function stsService(deps: StsDeps): QueryService<StsDeps> {
  return {
    signingName: 'sts',
    version: '2011-06-15',
    xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    eventSource: 'sts.amazonaws.com',
    operations: {
      GetCallerIdentity: { handler: getCallerIdentity, unauthorized: true },
      // AssumeRole weighs the role's trust policy with the caller's own policies itself.
      AssumeRole: { handler: assumeRole, unauthorized: true, eventOutput: credentialsForEvent },
      // "No permissions are required for users to perform this operation" (STS API reference).
      GetSessionToken: { handler: getSessionToken, unauthorized: true, eventOutput: credentialsForEvent },
      GetFederationToken: { handler: getFederationToken, eventOutput: credentialsForEvent },
    },
    access: stsAccess,
    deps,
  };
}

/** GetFederationToken is asked about the federated user it would create. */
function stsAccess(ctx: RequestContext, params: Record<string, string>): AccessRequest {
  if (ctx.operation === 'GetFederationToken' && params.Name) return { resource: federatedUserArn(ctx.principal.accountId, params.Name), context: {} };
  return { resource: '*', context: {} };
}
