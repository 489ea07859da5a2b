import { arnMatch, globBody, ipMatch, literal, parseDate, parseNumber, patternMatch, resourceMatch, substitute } from './match.js';
import type { AuthzRequest, ContextValues, Decision, NamedPolicy, PolicyCondition, PolicyDocument, PolicySet, PolicyStatement } from './types.js';

type Compare = (requestValue: string, policyValue: string) => boolean;

const num = (f: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = parseNumber(a);
  const y = parseNumber(b);
  return x !== undefined && y !== undefined && f(x, y);
};
const date = (f: (a: number, b: number) => boolean): Compare => (a, b) => {
  const x = parseDate(a);
  const y = parseDate(b);
  return x !== undefined && y !== undefined && f(x, y);
};

/**
 * Each operator as a positive comparison and whether the operator negates it (IAM JSON policy
 * elements: Condition operators). Negated operators match when no policy value matches.
 */
const OPERATORS: Record<string, { compare: Compare; negated?: boolean; variables?: boolean }> = {
  StringEquals: { compare: (a, b) => a === literal(b), variables: true },
  StringNotEquals: { compare: (a, b) => a === literal(b), negated: true, variables: true },
  StringEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === literal(b).toLowerCase(), variables: true },
  StringNotEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === literal(b).toLowerCase(), negated: true, variables: true },
  StringLike: { compare: (a, b) => patternMatch(b, a), variables: true },
  StringNotLike: { compare: (a, b) => patternMatch(b, a), negated: true, variables: true },
  NumericEquals: { compare: num((a, b) => a === b) },
  NumericNotEquals: { compare: num((a, b) => a === b), negated: true },
  NumericLessThan: { compare: num((a, b) => a < b) },
  NumericLessThanEquals: { compare: num((a, b) => a <= b) },
  NumericGreaterThan: { compare: num((a, b) => a > b) },
  NumericGreaterThanEquals: { compare: num((a, b) => a >= b) },
  DateEquals: { compare: date((a, b) => a === b) },
  DateNotEquals: { compare: date((a, b) => a === b), negated: true },
  DateLessThan: { compare: date((a, b) => a < b) },
  DateLessThanEquals: { compare: date((a, b) => a <= b) },
  DateGreaterThan: { compare: date((a, b) => a > b) },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b) },
  Bool: { compare: (a, b) => a.toLowerCase() === b.toLowerCase() },
  BinaryEquals: { compare: (a, b) => a === b },
  IpAddress: { compare: (a, b) => ipMatch(b, a) },
  NotIpAddress: { compare: (a, b) => ipMatch(b, a), negated: true },
  ArnEquals: { compare: (a, b) => arnMatch(b, a), variables: true },
  ArnLike: { compare: (a, b) => arnMatch(b, a), variables: true },
  ArnNotEquals: { compare: (a, b) => arnMatch(b, a), negated: true, variables: true },
  ArnNotLike: { compare: (a, b) => arnMatch(b, a), negated: true, variables: true },
};

/** Whether one condition holds for the request's context. */
function conditionHolds(c: PolicyCondition, context: ContextValues, variables: boolean): boolean {
  const raw = context[c.key.toLowerCase()];
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const present = raw !== undefined && values.length > 0;
  if (c.operator === 'Null') {
    // "true": the key must be absent; "false": present.
    return c.values.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false));
  }
  const op = OPERATORS[c.operator]!;
  if (!present) {
    if (c.ifExists) return true;
    if (c.set === 'ForAllValues') return true;
    if (c.set === 'ForAnyValue') return false;
    return !!op.negated;
  }
  const policyValues = op.variables && variables
    ? c.values.map((v) => substitute(v, context)).filter((v): v is string => v !== undefined)
    : c.values;
  const matchesOne = (v: string) => policyValues.some((p) => op.compare(v, p));
  // A negated operator holds for a value when no policy value matches it.
  const holdsFor = (v: string) => (op.negated ? !matchesOne(v) : matchesOne(v));
  if (c.set === 'ForAllValues') return values.every(holdsFor);
  if (c.set === 'ForAnyValue') return values.some(holdsFor);
  return op.negated ? !values.some(matchesOne) : values.some(matchesOne);
}

/**
 * A statement's action patterns as one case-insensitive expression, built once per parsed
 * statement: a call is checked against every statement of every policy of its caller.
 */
const actionSets = new WeakMap<string[], RegExp | true>();

function actionMatches(patterns: string[], action: string): boolean {
  let m = actionSets.get(patterns);
  if (m === undefined) {
    m = patterns.includes('*') ? true : new RegExp(`^(?:${patterns.map((p) => globBody(p)).join('|')})$`, 'i');
    actionSets.set(patterns, m);
  }
  return m === true || m.test(action);
}

function resourceMatches(patterns: string[], resource: string, context: ContextValues, variables: boolean): boolean {
  for (const p of patterns) {
    const pattern = variables ? substitute(p, context) : p;
    if (pattern !== undefined && (pattern === '*' || resourceMatch(pattern, resource))) return true;
  }
  return false;
}

/** Whether the statement applies to the request (its effect then counts). */
export function statementApplies(s: PolicyStatement, r: AuthzRequest, doc: PolicyDocument): boolean {
  // Policy variables are a 2012-10-17 feature; older documents hold them as literal text.
  const variables = doc.version === '2012-10-17';
  if (s.action ? !actionMatches(s.action, r.action) : actionMatches(s.notAction!, r.action)) return false;
  if (s.resource ? !resourceMatches(s.resource, r.resource, r.context, variables) : resourceMatches(s.notResource!, r.resource, r.context, variables)) return false;
  return s.conditions.every((c) => conditionHolds(c, r.context, variables));
}

type Found = { policy: string; sid?: string; index: number };

function find(policies: NamedPolicy[], r: AuthzRequest, effect: 'Allow' | 'Deny'): Found | undefined {
  for (const p of policies)
    for (const [index, s] of p.document.statements.entries())
      if (s.effect === effect && statementApplies(s, r, p.document)) return { policy: p.name, sid: s.sid, index };
  return undefined;
}

/**
 * IAM's evaluation logic for a principal in its own account (IAM User Guide, "Policy evaluation
 * logic"): an explicit Deny in any policy wins; otherwise the identity-based policies must allow,
 * and so must the permissions boundary and the session policies when there are any (the
 * effective permissions are their intersection). The root user is allowed what no policy denies.
 */
export function evaluate(p: PolicySet, r: AuthzRequest): Decision {
  for (const [kind, list] of [['identity', p.identity], ['boundary', p.boundary], ['session', p.session]] as const) {
    const deny = list && find(list, r, 'Deny');
    if (deny) return { decision: 'ExplicitDeny', kind, statement: deny };
  }
  if (p.isRoot) return { decision: 'Allow' };
  const allow = find(p.identity, r, 'Allow');
  if (!allow) return { decision: 'ImplicitDeny', kind: 'identity' };
  if (p.boundary && !find(p.boundary, r, 'Allow')) return { decision: 'ImplicitDeny', kind: 'boundary' };
  if (p.session && !find(p.session, r, 'Allow')) return { decision: 'ImplicitDeny', kind: 'session' };
  return { decision: 'Allow', statement: allow };
}
