import type { Decision } from './types.js';

const WHERE = { identity: 'an identity-based policy', boundary: 'a permissions boundary', session: 'a session policy' } as const;
const NONE = { identity: 'no identity-based policy', boundary: 'no permissions boundary', session: 'no session policy' } as const;

/**
 * AccessDeniedException's message for a refused call, in AWS's words (the examples, the
 * IAM User Guide's "Troubleshoot access denied error messages"): who, what, on what, and why.
 */
export function accessDeniedMessage(principalArn: string, action: string, resource: string, d: Exclude<Decision, { decision: 'Allow' }>): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return d.decision === 'ExplicitDeny' ? `${head} with an explicit deny in ${WHERE[d.kind]}` : `${head} because ${NONE[d.kind]} allows the ${action} action`;
}
