import { ADMIN_POLICY } from '../services/identity/admin.js';
import { identityPolicies } from '../services/iam/policies.js';
import type { Store } from '../storage/ports.js';
import { parsePolicy } from './policy/parse.js';
import type { NamedPolicy, PolicySet } from './policy/types.js';
import type { Principal } from './principal.js';

/** Root's permissions as a policy (AdministratorAccess), for a root-issued federation session to intersect with. */
const ALLOW_ALL: NamedPolicy = { name: 'root', document: parsePolicy(ADMIN_POLICY) };

/**
 * Every policy that bears on a principal's calls (IAM User Guide, policy evaluation logic): its
 * identity-based policies and boundary (src/services/iam/policies.ts), read now, and for
 * temporary credentials the session policies they were issued with (checked when issued). A
 * federated user has only what its session policies grant within its issuer's permissions —
 * none passed, nothing granted.
 */
export async function policySetFor(store: Store, p: Principal): Promise<PolicySet> {
  const [policies, user] = await store.read(async (tx) => [await identityPolicies(tx, p), p.type === 'IAMUser' && p.userName ? await tx.users.get(p.accountId, p.userName) : undefined] as const);
  const base = user?.tags?.length ? { ...policies, principalTags: Object.fromEntries(user.tags.map((t) => [t.key, t.value])) } : policies;
  const session = (p.session?.policies ?? []).map((text, i) => ({ name: `session/${i}`, document: parsePolicy(text) }));
  if (p.type === 'FederatedUser') return base.isRoot ? { identity: [ALLOW_ALL], session } : { ...base, session };
  return p.session?.policies ? { ...base, session } : base;
}
