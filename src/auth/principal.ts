/** The identity that issued a temporary session (CloudTrail's sessionContext.sessionIssuer). */
export interface SessionIssuer {
  type: 'Role' | 'IAMUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
}

/** What temporary (STS) credentials carry besides the caller: CloudTrail's sessionContext, and what limits the session. */
export interface Session {
  issuer?: SessionIssuer;
  creationDate: Date;
  mfaAuthenticated: boolean;
  expiresAt: Date;
  sourceIdentity?: string;
  /** Session policies (AssumeRole / GetFederationToken Policy and PolicyArns), as JSON documents. */
  policies?: string[];
  /** Session tags (aws:PrincipalTag for the session). */
  tags?: Record<string, string>;
}

/** Who made a request, as CloudTrail's userIdentity will need it. */
export interface Principal {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser';
  accountId: string;
  arn: string;
  /** The account id for root, AIDA… for an IAM user, `AROA…:<session>` for a role session, `<account>:<name>` for a federated user. */
  principalId: string;
  userName?: string;
  accessKeyId: string;
  /** Present for temporary credentials. */
  session?: Session;
  /** An AWS service acting for the account (a certtrail integration): CloudTrail's invokedBy, source and agent. */
  invokedBy?: string;
  /** The integration's resource (a load balancer's ARN): what its certificates are in use by. */
  resourceArn?: string;
}
