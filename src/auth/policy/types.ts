/**
 * IAM policy documents and the requests they are evaluated against (IAM User Guide, "Policy
 * evaluation logic" and "IAM JSON policy elements reference").
 */

export type Effect = 'Allow' | 'Deny';

/** One condition: `{ "<SetQualifier:><Operator><IfExists>": { "<key>": [values] } }`, one key each. */
export interface PolicyCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  raw: string;
  /** The base operator, e.g. `StringLike`. */
  operator: string;
  ifExists: boolean;
  set?: 'ForAllValues' | 'ForAnyValue';
  /** The condition key as written (keys compare case-insensitively). */
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid?: string;
  effect: Effect;
  /** Exactly one of action / notAction is set. */
  action?: string[];
  notAction?: string[];
  /** Exactly one of resource / notResource is set (identity-based policies require one). */
  resource?: string[];
  notResource?: string[];
  conditions: PolicyCondition[];
}

export interface PolicyDocument {
  version: '2012-10-17' | '2008-10-17';
  statements: PolicyStatement[];
}

/** A policy with where it came from: the statement that decided is reported with it. */
export interface NamedPolicy {
  /** e.g. `arn:aws:iam::123456789012:policy/Admins`, or `user/alice/inline/AllowAcm`. */
  name: string;
  document: PolicyDocument;
}

/** The values of the request's condition keys; keys are lower-cased; multivalued keys are arrays. */
export type ContextValues = Record<string, string | string[]>;

export interface AuthzRequest {
  /** `service:Action`, e.g. `acm:DescribeCertificate`. */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  context: ContextValues;
}

export interface PolicySet {
  /** The root user of the account: allowed everything its account's policies can't deny (no SCPs here). */
  isRoot?: boolean;
  /** Identity-based policies: inline and managed, the user's and its groups', or the role's. */
  identity: NamedPolicy[];
  /** The permissions boundary of the user or role, if any. */
  boundary?: NamedPolicy[];
  /** Session policies passed to AssumeRole / GetFederationToken, if any. */
  session?: NamedPolicy[];
  /** The principal's own tags (an IAM user's), for aws:PrincipalTag; sessions carry theirs. */
  principalTags?: Record<string, string>;
}

export type Decision =
  | { decision: 'Allow'; statement?: { policy: string; sid?: string; index: number } }
  | { decision: 'ExplicitDeny'; kind: 'identity' | 'boundary' | 'session'; statement: { policy: string; sid?: string; index: number } }
  | { decision: 'ImplicitDeny'; kind: 'identity' | 'boundary' | 'session' };
