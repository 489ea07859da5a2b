import { isoSeconds } from '../kernel/clock.js';
import { ServiceError } from '../kernel/errors.js';
import type { RequestContext } from '../pipeline/context.js';
import { accessDeniedMessage } from './policy/denied.js';
import { evaluate } from './policy/evaluate.js';
import type { ContextValues, Decision, PolicySet } from './policy/types.js';
import type { Principal } from './principal.js';

/** What an operation asks of IAM: the resource it acts on and its service's condition keys. */
export interface AccessRequest {
  resource: string;
  context: ContextValues;
}

/** A refusal: AccessDeniedException on the wire (403), `AccessDenied` in CloudTrail's errorCode. */
export function accessDenied(message: string, wireCode = 'AccessDeniedException'): ServiceError {
  return new ServiceError(wireCode, message, 403, { messageMember: wireCode === 'AccessDeniedException' ? 'Message' : 'message', eventCode: 'AccessDenied' });
}

/** The global condition keys every request carries (IAM User Guide, "AWS global condition context keys"). */
export function globalKeys(ctx: RequestContext, extra: ContextValues = {}, principalTags: Record<string, string> = {}): ContextValues {
  const p = ctx.principal;
  const keys: ContextValues = {
    'aws:currenttime': isoSeconds(ctx.now),
    'aws:epochtime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:sourceip': ctx.sourceIp,
    'aws:securetransport': ctx.tls ? 'true' : 'false',
    'aws:principalarn': p.arn,
    'aws:principalaccount': p.accountId,
    'aws:principaltype': p.type === 'Root' ? 'Account' : p.type === 'IAMUser' ? 'User' : p.type,
    'aws:userid': p.principalId,
    'aws:requestedregion': ctx.region,
    ...extra,
  };
  if (p.userName) keys['aws:username'] = p.userName;
  for (const [k, v] of Object.entries({ ...principalTags, ...p.session?.tags })) keys[`aws:principaltag/${k.toLowerCase()}`] ??= v;
  if (p.session?.sourceIdentity) keys['aws:sourceidentity'] = p.session.sourceIdentity;
  if (p.session) keys['aws:multifactorauthpresent'] = String(p.session.mfaAuthenticated);
  return keys;
}

/**
 * Decides every call by its principal's policies (src/auth/policy). The root user has no
 * policies and no organization to limit it here, so it is never asked about. A principal's
 * policies are read once per second at most, and at once after any IAM change (invalidate).
 */
export class Authorizer {
  private cache = new Map<string, { at: number; set: Promise<PolicySet> }>();

  constructor(
    private readonly policiesOf: (p: Principal) => Promise<PolicySet>,
    private readonly now: () => number,
    private readonly ttlMs = 1000,
  ) {}

  /** Throws AccessDenied unless the policies allow `action` on the request's resource. */
  async check(ctx: RequestContext, action: string, r: AccessRequest, wireCode?: string): Promise<void> {
    const d = await this.decide(ctx, action, r);
    if (d.decision !== 'Allow') throw accessDenied(accessDeniedMessage(ctx.principal.arn, action, r.resource, d), wireCode);
  }

  /** The decision itself, for callers that weigh it with a resource's own policy (a role's trust policy). */
  async decide(ctx: RequestContext, action: string, r: AccessRequest): Promise<Decision> {
    const p = ctx.principal;
    if (p.type === 'Root') return { decision: 'Allow' };
    const set = await this.policies(p);
    return evaluate(set, { action, resource: r.resource, context: globalKeys(ctx, r.context, set.principalTags) });
  }

  /** IAM changed: every principal's policies are read again. */
  invalidate(): void {
    this.cache.clear();
  }

  private policies(p: Principal): Promise<PolicySet> {
    const t = this.now();
    const hit = this.cache.get(p.arn);
    if (hit && t - hit.at < this.ttlMs) return hit.set;
    const set = this.policiesOf(p);
    set.catch(() => this.cache.delete(p.arn));
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(p.arn, { at: t, set });
    return set;
  }
}
