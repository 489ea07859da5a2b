import { accessDenied, type Authorizer } from '../../auth/authorizer.js';
import { PolicyError, parsePolicy } from '../../auth/policy/parse.js';
import type { Principal, Session } from '../../auth/principal.js';
import { issueSession, type TemporaryCredentials } from '../../auth/session-token.js';
import { assumedRoleArn, federatedUserArn, iamRoleArn, parseArn } from '../../kernel/arn.js';
import { isoSeconds, type Clock } from '../../kernel/clock.js';
import { ServiceError } from '../../kernel/errors.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import type { RequestContext } from '../../pipeline/context.js';
import type { Store } from '../../storage/ports.js';
import { trustVerdict } from './trust.js';

export interface StsDeps {
  store: Store;
  box: SecretBox;
  clock: Clock;
  authorizer?: Authorizer;
}

type Params = Record<string, string>;

const ValidationError = (m: string) => new ServiceError('ValidationError', m, 400);
const MalformedPolicyDocument = (m: string) => new ServiceError('MalformedPolicyDocument', m, 400);
const PackedPolicyTooLarge = (m: string) => new ServiceError('PackedPolicyTooLarge', m, 400);

/** "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …" (STS's ValidationError text). */
const constraint = (member: string, value: string, rule: string) => ValidationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);

function name(p: Params, param: string, min: number, max: number, pattern: RegExp, patternText: string): string {
  const member = param.charAt(0).toLowerCase() + param.slice(1);
  const v = p[param];
  if (v === undefined) throw constraint(member, 'null', 'Member must not be null');
  if (v.length < min) throw constraint(member, v, `Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw constraint(member, v, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(v)) throw constraint(member, v, `Member must satisfy regular expression pattern: ${patternText}`);
  return v;
}

function duration(p: Params, min: number, max: number, fallback: number, tooLong?: string): number {
  const raw = p.DurationSeconds;
  if (raw === undefined) return Math.min(fallback, max);
  const n = Number(raw);
  if (!Number.isInteger(n)) throw ValidationError(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`);
  if (n < min) throw constraint('durationSeconds', raw, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw tooLong ? ValidationError(tooLong) : constraint('durationSeconds', raw, `Member must have value less than or equal to ${max}`);
  return n;
}

/** Session policies: the inline Policy (≤ 2048 characters) and up to 10 managed PolicyArns, read now. */
async function sessionPolicies(p: Params, d: StsDeps, accountId: string): Promise<string[] | undefined> {
  const out: string[] = [];
  if (p.Policy !== undefined) {
    if (p.Policy.length > 2048) throw PackedPolicyTooLarge('Packed policy consumes more than 100 percent of the allotted size.');
    try {
      parsePolicy(p.Policy);
    } catch (e) {
      if (e instanceof PolicyError) throw MalformedPolicyDocument(e.message);
      throw e;
    }
    out.push(p.Policy);
  }
  const arns = Object.keys(p).filter((k) => /^PolicyArns\.member\.\d+\.arn$/.test(k)).map((k) => p[k]!);
  if (arns.length > 10) throw constraint('policyArns', `[${arns.join(', ')}]`, 'Member must have length less than or equal to 10');
  for (const arn of arns) {
    const found = await d.store.read(async (tx) => {
      const pol = await tx.iamPolicies.get(arn);
      return pol && pol.accountId === accountId ? tx.iamPolicies.getVersion(arn, pol.defaultVersionId) : undefined;
    });
    if (!found) throw new ServiceError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
    out.push(found.document);
  }
  return out.length ? out : undefined;
}

function sessionTags(p: Params): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  for (const k of Object.keys(p)) {
    const m = /^Tags\.member\.(\d+)\.Key$/.exec(k);
    if (m) tags[p[k]!] = p[`Tags.member.${m[1]}.Value`] ?? '';
  }
  if (Object.keys(tags).length > 50) throw constraint('tags', '[…]', 'Member must have length less than or equal to 50');
  return Object.keys(tags).length ? tags : undefined;
}

/** The Credentials member as STS returns it (the SDKs read Expiration as an ISO timestamp). */
const credentialsOut = (c: TemporaryCredentials) => ({
  AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken,
  Expiration: isoSeconds(c.expiration),
});

/**
 * AssumeRole: a role session (AssumedRole principal, `AROA…:<session>`) for as long as asked
 * (900 s to the role's MaxSessionDuration; role chaining 1 hour), limited by the session
 * policies passed. The role's trust policy must let the caller in: naming the caller suffices,
 * naming its account needs the caller's own policies to allow sts:AssumeRole on the role too.
 */
export async function assumeRole(ctx: RequestContext, p: Params, d: StsDeps) {
  const roleArn = p.RoleArn;
  if (roleArn === undefined) throw constraint('roleArn', 'null', 'Member must not be null');
  if (roleArn.length < 20 || roleArn.length > 2048) throw constraint('roleArn', roleArn, 'Member must have length greater than or equal to 20');
  const sessionName = name(p, 'RoleSessionName', 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  const caller = ctx.principal;
  // STS's answer to root credentials (AccessDenied 403, as quoted in kubeflow/testing#961 and
  // cloudposse/terraform-aws-vpc-peering-multi-account#106).
  if (caller.type === 'Root') throw accessDenied('Roles may not be assumed by root accounts.', 'AccessDenied');
  const refused = () => accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 'AccessDenied');
  const arn = parseArn(roleArn);
  const roleName = arn && arn.service === 'iam' && arn.resource.startsWith('role/') ? arn.resource.slice(arn.resource.lastIndexOf('/') + 1) : undefined;
  const role = roleName && arn ? await d.store.read((tx) => tx.iamRoles.get(arn.account, roleName)) : undefined;
  if (!role || !arn) throw refused();
  const sourceIdentity = p.SourceIdentity === undefined ? caller.session?.sourceIdentity : name(p, 'SourceIdentity', 2, 64, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  const tags = sessionTags(p);
  const context: Record<string, string | string[]> = { 'sts:rolesessionname': sessionName };
  if (sourceIdentity) context['sts:sourceidentity'] = sourceIdentity;
  if (p.ExternalId !== undefined) context['sts:externalid'] = p.ExternalId;
  if (tags) {
    for (const [k, v] of Object.entries(tags)) context[`aws:requesttag/${k.toLowerCase()}`] = v;
    context['aws:tagkeys'] = Object.keys(tags);
  }
  const trust = trustVerdict(role.assumeRolePolicyDocument, caller, 'sts:AssumeRole', { ...context, 'aws:principalarn': caller.arn, 'aws:principalaccount': caller.accountId, 'aws:sourceip': ctx.sourceIp });
  if (trust === 'denied' || trust === 'none') throw refused();
  // Across accounts both sides must allow; in the account, a trust policy naming the caller suffices.
  if (trust === 'account' || arn.account !== caller.accountId) {
    const own = d.authorizer ? await d.authorizer.decide(ctx, 'sts:AssumeRole', { resource: roleArn, context }) : { decision: 'Allow' };
    if (own.decision !== 'Allow') throw refused();
  }
  const chained = caller.type === 'AssumedRole';
  const seconds = duration(p, 900, chained ? 3600 : role.maxSessionDuration, 3600,
    chained ? undefined : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policies = await sessionPolicies(p, d, arn.account);
  const now = d.clock.now();
  const principal: Omit<Principal, 'accessKeyId'> = {
    type: 'AssumedRole',
    accountId: role.accountId,
    arn: assumedRoleArn(role.accountId, role.roleName, sessionName),
    principalId: `${role.roleId}:${sessionName}`,
  };
  const session: Session = {
    issuer: { type: 'Role', principalId: role.roleId, arn: iamRoleArn(role.accountId, role.roleName, role.path), accountId: role.accountId, userName: role.roleName },
    creationDate: now, mfaAuthenticated: false, expiresAt: new Date(now.getTime() + seconds * 1000), sourceIdentity, policies,
    tags: { ...Object.fromEntries(role.tags.map((t) => [t.key, t.value])), ...tags },
  };
  const c = issueSession(d.box, principal, session);
  return {
    Credentials: credentialsOut(c),
    AssumedRoleUser: { AssumedRoleId: principal.principalId, Arn: principal.arn },
    ...(p.Policy !== undefined ? { PackedPolicySize: Math.ceil((p.Policy.length / 2048) * 100) } : {}),
    ...(sourceIdentity ? { SourceIdentity: sourceIdentity } : {}),
  };
}

/** Temporary credentials are not for minting more of these (STS: "Cannot call … with session credentials"). */
function longTermOnly(ctx: RequestContext, op: string): void {
  if (ctx.principal.session) throw accessDenied(`Cannot call ${op} with session credentials`, 'AccessDenied');
}

/** GetSessionToken: the caller itself (IAM user or root), on temporary credentials; 15 min to 36 h (root: 1 h). */
export async function getSessionToken(ctx: RequestContext, p: Params, d: StsDeps) {
  longTermOnly(ctx, 'GetSessionToken');
  const caller = ctx.principal;
  const seconds = duration(p, 900, caller.type === 'Root' ? 3600 : 129_600, 43_200);
  const now = d.clock.now();
  const { accessKeyId: _k, session: _s, ...who } = caller;
  const c = issueSession(d.box, who, { creationDate: now, mfaAuthenticated: false, expiresAt: new Date(now.getTime() + seconds * 1000) });
  return { Credentials: credentialsOut(c) };
}

/**
 * GetFederationToken: a federated user (`<account>:<name>`) whose permissions are the caller's
 * intersected with the session policies passed — none passed, none granted (STS API reference).
 */
export async function getFederationToken(ctx: RequestContext, p: Params, d: StsDeps) {
  longTermOnly(ctx, 'GetFederationToken');
  const caller = ctx.principal;
  const fedName = name(p, 'Name', 2, 32, /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  const seconds = duration(p, 900, caller.type === 'Root' ? 3600 : 129_600, 43_200);
  const policies = await sessionPolicies(p, d, caller.accountId);
  const tags = sessionTags(p);
  const now = d.clock.now();
  const principal: Omit<Principal, 'accessKeyId'> = {
    type: 'FederatedUser',
    accountId: caller.accountId,
    arn: federatedUserArn(caller.accountId, fedName),
    principalId: `${caller.accountId}:${fedName}`,
  };
  const issuer = caller.type === 'Root'
    ? { type: 'Root' as const, principalId: caller.accountId, arn: caller.arn, accountId: caller.accountId }
    : { type: 'IAMUser' as const, principalId: caller.principalId, arn: caller.arn, accountId: caller.accountId, userName: caller.userName };
  const c = issueSession(d.box, principal, { issuer, creationDate: now, mfaAuthenticated: false, expiresAt: new Date(now.getTime() + seconds * 1000), policies: policies ?? [], tags });
  return {
    Credentials: credentialsOut(c),
    FederatedUser: { FederatedUserId: principal.principalId, Arn: principal.arn },
    ...(p.Policy !== undefined ? { PackedPolicySize: Math.ceil((p.Policy.length / 2048) * 100) } : {}),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * CloudTrail writes STS credentials' expiration as Java's default date text, not ISO 8601
 * ("Dec 7, 2026, 9:00:00 PM" in public AssumeRole records; older ones omit the comma after the
 * year — the current form is kept).
 */
function javaDate(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** What CloudTrail shows of issued credentials: the key id, token and expiration — never the secret. */
export function credentialsForEvent(out: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const c = out?.Credentials as ReturnType<typeof credentialsOut> | undefined;
  if (!out || !c) return out;
  return { ...out, Credentials: { AccessKeyId: c.AccessKeyId, SessionToken: c.SessionToken, Expiration: javaDate(c.Expiration) } };
}
