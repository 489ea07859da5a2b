import type { PolicyCondition, PolicyDocument, PolicyStatement } from './types.js';

/** A policy document IAM would refuse (IAM answers MalformedPolicyDocument with this text). */
export class PolicyError extends Error {}

const VERSIONS = ['2012-10-17', '2008-10-17'] as const;
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
const SET_QUALIFIERS = ['ForAllValues', 'ForAnyValue'] as const;

/** Operators IAM knows (IAM JSON policy elements: Condition operators), without IfExists. */
export const CONDITION_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string or a non-empty list of strings (numbers and booleans are accepted where IAM takes them, as text). */
function strings(v: unknown, what: string, scalarsOk = false): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (scalarsOk && (typeof x === 'number' || typeof x === 'boolean')) return String(x);
    throw new PolicyError(`Syntax errors in policy. ${what} must be a string or a list of strings.`);
  };
  if (Array.isArray(v)) {
    if (v.length === 0 && !scalarsOk) throw new PolicyError(`Syntax errors in policy. ${what} must not be empty.`);
    return v.map(one);
  }
  return [one(v)];
}

function conditionsOf(v: unknown): PolicyCondition[] {
  if (v === undefined) return [];
  if (!isObject(v)) throw new PolicyError('Syntax errors in policy. Condition must be an object.');
  const out: PolicyCondition[] = [];
  for (const [raw, block] of Object.entries(v)) {
    let rest = raw;
    let set: PolicyCondition['set'];
    const colon = rest.indexOf(':');
    if (colon > 0) {
      const q = rest.slice(0, colon);
      if (!(SET_QUALIFIERS as readonly string[]).includes(q)) throw new PolicyError(`Invalid Condition type : ${raw}.`);
      set = q as PolicyCondition['set'];
      rest = rest.slice(colon + 1);
    }
    const ifExists = rest.endsWith('IfExists');
    const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
    if (!CONDITION_OPERATORS.has(operator) || (ifExists && operator === 'Null')) throw new PolicyError(`Invalid Condition type : ${raw}.`);
    if (!isObject(block)) throw new PolicyError(`Syntax errors in policy. Condition ${raw} must map condition keys to values.`);
    for (const [key, values] of Object.entries(block)) out.push({ raw, operator, ifExists, set, key, values: strings(values, `Condition ${raw} ${key}`, true) });
  }
  return out;
}

function statementOf(s: unknown): PolicyStatement {
  if (!isObject(s)) throw new PolicyError('Syntax errors in policy. Statement must be an object.');
  for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) throw new PolicyError(`Syntax errors in policy. Unknown field ${k}.`);
  if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw new PolicyError('Policy document should not specify a principal.');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyError('Syntax errors in policy. Effect must be Allow or Deny.');
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new PolicyError('Syntax errors in policy. A statement must have exactly one of Action and NotAction.');
  if ((s.Resource === undefined) === (s.NotResource === undefined)) throw new PolicyError('Policy statement must contain resources.');
  if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid))) throw new PolicyError('Statement IDs (SID) must be alpha-numeric.');
  const actions = strings(s.Action ?? s.NotAction, 'Action');
  for (const a of actions) if (a !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) throw new PolicyError(`Action vendors must not contain wildcards or be malformed: ${a}.`);
  return {
    sid: s.Sid as string | undefined,
    effect: s.Effect,
    ...(s.Action !== undefined ? { action: actions } : { notAction: actions }),
    ...(s.Resource !== undefined ? { resource: strings(s.Resource, 'Resource') } : { notResource: strings(s.NotResource, 'NotResource') }),
    conditions: conditionsOf(s.Condition),
  };
}

/** A policy document's JSON object, for every kind of policy (identity, session, trust). */
export function readDocument(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyError('Syntax errors in policy.');
  }
  if (!isObject(doc)) throw new PolicyError('Syntax errors in policy.');
  return doc;
}

/** Parses an identity-based (or session / boundary) policy document as IAM reads it. */
export function parsePolicy(text: string): PolicyDocument {
  const doc = readDocument(text);
  const version = doc.Version ?? '2008-10-17';
  if (!(VERSIONS as readonly unknown[]).includes(version)) throw new PolicyError('The policy failed legacy parsing');
  if (doc.Statement === undefined) throw new PolicyError('Syntax errors in policy. Missing required field Statement.');
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { version: version as PolicyDocument['version'], statements: list.map(statementOf) };
}
