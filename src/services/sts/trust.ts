import { statementApplies } from '../../auth/policy/evaluate.js';
import { parsePolicy } from '../../auth/policy/parse.js';
import type { ContextValues } from '../../auth/policy/types.js';
import type { Principal } from '../../auth/principal.js';

/** What a role's trust policy says about one caller: it names the caller, only the caller's account, or denies. */
export type TrustVerdict = 'caller' | 'account' | 'denied' | 'none';

type Statement = { Effect?: unknown; Principal?: unknown; NotPrincipal?: unknown; Action?: unknown; NotAction?: unknown; Condition?: unknown; Sid?: unknown };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/**
 * The caller's names as a trust policy may write them: its ARN (for a role session, also the
 * role's), `*`, and — standing for the whole account — the account's root ARN or bare id.
 */
function names(caller: Principal): { exact: string[]; account: string[] } {
  const exact = [caller.arn];
  if (caller.session?.issuer?.type === 'Role') exact.push(caller.session.issuer.arn);
  return { exact, account: [`arn:aws:iam::${caller.accountId}:root`, caller.accountId] };
}

/**
 * Evaluates a role's trust policy (a resource-based policy with Principal) for sts:AssumeRole
 * by a caller (IAM User Guide, "How IAM roles differ from resource-based policies" and the
 * evaluation logic): a Deny that matches wins; an Allow naming the caller itself lets it in on
 * its own; an Allow naming only the caller's account leaves the decision to the caller's
 * identity-based policies.
 */
export function trustVerdict(document: string, caller: Principal, action: string, context: ContextValues): TrustVerdict {
  let doc: { Version?: unknown; Statement?: unknown };
  try {
    doc = JSON.parse(document);
  } catch {
    return 'none';
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
  const { exact, account } = names(caller);
  let verdict: TrustVerdict = 'none';
  for (const s of statements) {
    if (!s || typeof s !== 'object') continue;
    const aws = s.Principal === '*' ? ['*'] : list((s.Principal as { AWS?: unknown } | undefined)?.AWS);
    const namesCaller = aws.includes('*') || aws.some((a) => exact.includes(a));
    const namesAccount = aws.some((a) => account.includes(a));
    if (!namesCaller && !namesAccount) continue;
    // The rest of the statement (Action, Condition) is judged as an identity policy's would be.
    const { Principal: _p, NotPrincipal: _n, ...rest } = s;
    let applies = false;
    try {
      const parsed = parsePolicy(JSON.stringify({ Version: doc.Version ?? '2012-10-17', Statement: [{ ...rest, Resource: '*' }] }));
      applies = statementApplies(parsed.statements[0]!, { action, resource: '*', context }, parsed);
    } catch {
      applies = false;
    }
    if (!applies) continue;
    if (s.Effect === 'Deny') return 'denied';
    if (namesCaller) verdict = 'caller';
    else if (verdict === 'none') verdict = 'account';
  }
  return verdict;
}
