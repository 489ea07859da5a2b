/**
 * A role's trust policy (AssumeRolePolicyDocument): a resource-based policy on the role, so
 * unlike an identity policy it names a Principal (or NotPrincipal) and no Resource, and it may
 * only speak of STS's role-assuming actions (IAM User Guide, "IAM JSON policy elements:
 * Principal"; "Modifying a role trust policy"). The rest of each statement (Sid, Effect,
 * Action/NotAction, Condition) follows the same grammar as an identity policy, so it is read by
 * the same parser (auth/policy/parse.ts) once the principal part is taken out.
 *
 * Errors are PolicyError with IAM's texts: "Has prohibited field Resource", "AssumeRole policy
 * may only specify STS AssumeRole actions.", `Invalid principal in policy: "AWS":"…"`.
 */
import { globBody } from '../../auth/policy/match.js';
import { PolicyError, parsePolicy, readDocument } from '../../auth/policy/parse.js';
import type { PolicyDocument, PolicyStatement } from '../../auth/policy/types.js';

export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** `*` (anyone), or principals by type. */
export type TrustPrincipals = '*' | Partial<Record<PrincipalType, string[]>>;

export interface TrustStatement {
  /** Sid, Effect, Action/NotAction and Condition, with `Resource: *` standing for the role. */
  statement: PolicyStatement;
  principal?: TrustPrincipals;
  notPrincipal?: TrustPrincipals;
}

export interface TrustPolicy {
  version: PolicyDocument['version'];
  statements: TrustStatement[];
}

/** The actions a trust policy may allow or deny (STS API reference; IAM User Guide on session tags, source identity). */
const STS_ACTIONS = ['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession', 'sts:setsourceidentity', 'sts:setcontext'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (type: string, value: unknown) => new PolicyError(`Invalid principal in policy: "${type}":"${typeof value === 'string' ? value : JSON.stringify(value)}"`);

const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

function principalsOf(v: unknown): TrustPrincipals {
  if (v === '*') return '*';
  if (!isObject(v) || Object.keys(v).length === 0) throw invalid('Principal', v);
  const out: Partial<Record<PrincipalType, string[]>> = {};
  for (const [type, raw] of Object.entries(v)) {
    if (type !== 'AWS' && type !== 'Service' && type !== 'Federated' && type !== 'CanonicalUser') throw invalid(type, raw);
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw invalid(type, raw);
    for (const x of values) {
      if (typeof x !== 'string' || x === '') throw invalid(type, x);
      if (type === 'AWS' && !AWS_PRINCIPAL.test(x)) throw invalid(type, x);
      if (type === 'Service' && !SERVICE_PRINCIPAL.test(x)) throw invalid(type, x);
    }
    out[type] = values as string[];
  }
  return out;
}

function onlyStsActions(s: PolicyStatement): void {
  for (const a of s.action ?? s.notAction ?? []) {
    const action = a.toLowerCase();
    if (action === '*' || action === 'sts:*') continue;
    const pattern = new RegExp(`^${globBody(action)}$`);
    if (!STS_ACTIONS.some((x) => pattern.test(x))) throw new PolicyError('AssumeRole policy may only specify STS AssumeRole actions.');
  }
}

/** Parses a trust policy as IAM checks one on CreateRole and UpdateAssumeRolePolicy. */
export function parseTrustPolicy(text: string): TrustPolicy {
  const doc = readDocument(text);
  const raw = doc.Statement === undefined ? undefined : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const principals: Pick<TrustStatement, 'principal' | 'notPrincipal'>[] = [];
  const rest = raw?.map((s: unknown) => {
    if (!isObject(s)) return s;
    if (s.Resource !== undefined) throw new PolicyError('Has prohibited field Resource');
    if (s.NotResource !== undefined) throw new PolicyError('Has prohibited field NotResource');
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw new PolicyError('Missing required field Principal');
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw new PolicyError('Syntax errors in policy. A statement must have exactly one of Principal and NotPrincipal.');
    principals.push(s.Principal !== undefined ? { principal: principalsOf(s.Principal) } : { notPrincipal: principalsOf(s.NotPrincipal) });
    const { Principal: _p, NotPrincipal: _np, ...others } = s;
    return { ...others, Resource: '*' };
  });
  const parsed = parsePolicy(JSON.stringify({ ...doc, ...(raw ? { Statement: rest } : {}) }));
  parsed.statements.forEach(onlyStsActions);
  return { version: parsed.version, statements: parsed.statements.map((statement, i) => ({ statement, ...principals[i] })) };
}

/** The user and role ARNs a trust policy names (IAM refuses one naming a user or role that does not exist). */
export function namedIamPrincipals(t: TrustPolicy): string[] {
  const out: string[] = [];
  for (const s of t.statements) {
    const p = s.principal ?? s.notPrincipal;
    if (p && p !== '*') for (const x of p.AWS ?? []) if (/^arn:aws:iam::\d{12}:(user|role)\//.test(x)) out.push(x);
  }
  return out;
}
