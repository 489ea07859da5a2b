import { statementApplies } from '../../auth/policy/evaluate.js';
import type { ContextValues } from '../../auth/policy/types.js';
import type { Principal } from '../../auth/principal.js';
import { parseTrustPolicy, type TrustPrincipals } from '../iam/trust-policy.js';

/** What a role's trust policy says about one caller: it names the caller, only the caller's account, or denies. */
export type TrustVerdict = 'caller' | 'account' | 'denied' | 'none';

/**
 * The caller's names as a trust policy may write them: its ARN (for a role session, also the
 * role's), and — standing for the whole account — the account's root ARN or bare id.
 */
function names(caller: Principal): { exact: string[]; account: string[] } {
  const exact = [caller.arn];
  if (caller.session?.issuer?.type === 'Role') exact.push(caller.session.issuer.arn);
  return { exact, account: [`arn:aws:iam::${caller.accountId}:root`, caller.accountId] };
}

/**
 * Evaluates a role's trust policy (parsed as IAM checks it on CreateRole) for sts:AssumeRole by a
 * caller (IAM User Guide, "How IAM roles differ from resource-based policies" and the evaluation
 * logic): a Deny that matches wins; an Allow naming the caller itself lets it in on its own; an
 * Allow naming only the caller's account leaves the decision to the caller's identity-based
 * policies. NotPrincipal statements are not honoured for AssumeRole here (none are needed).
 */
export function trustVerdict(document: string, caller: Principal, action: string, context: ContextValues): TrustVerdict {
  let policy;
  try {
    policy = parseTrustPolicy(document);
  } catch {
    return 'none';
  }
  const { exact, account } = names(caller);
  const doc = { version: policy.version, statements: [] };
  let verdict: TrustVerdict = 'none';
  for (const t of policy.statements) {
    const aws = awsPrincipals(t.principal);
    const namesCaller = aws.includes('*') || aws.some((a) => exact.includes(a));
    const namesAccount = aws.some((a) => account.includes(a));
    if (!namesCaller && !namesAccount) continue;
    if (!statementApplies(t.statement, { action, resource: '*', context }, doc)) continue;
    if (t.statement.effect === 'Deny') return 'denied';
    if (namesCaller) verdict = 'caller';
    else if (verdict === 'none') verdict = 'account';
  }
  return verdict;
}

function awsPrincipals(p: TrustPrincipals | undefined): string[] {
  if (p === undefined) return [];
  return p === '*' ? ['*'] : p.AWS ?? [];
}
