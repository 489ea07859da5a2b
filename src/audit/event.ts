import type { Principal } from '../auth/principal.js';
import type { ServiceError } from '../kernel/errors.js';
import { truncateUtf8 } from '../kernel/text.js';
import type { EventRecord } from '../storage/records.js';
import { HIDDEN, PROFILES, containsKey, type DeepMasker, type EventProfile } from './masks.js';

/** What the event builder needs to know about one call. */
export interface CallFacts {
  requestId: string;
  eventId: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  principal: Principal;
  readOnly: boolean;
  /** Decoded input (blobs as Buffers), or the raw JSON body when decoding failed. */
  input: Record<string, unknown> | undefined;
  output?: unknown;
  error?: ServiceError;
  /** Members of the output that AWS repeats in responseElements of a read-only call. */
  readOnlyResponse?: readonly string[];
  resource?: { type: string; name: string };
  tls?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** AWS member names become lowerCamelCase at every depth; masks apply to top-level members. */
function camel(v: unknown, profile: EventProfile, depth = 0): unknown {
  if (depth > 64) return null;
  if (typeof v === 'string') return containsKey(v) ? HIDDEN : v;
  if (Buffer.isBuffer(v)) return PROFILES[profile].blob(v);
  if (v instanceof Date) return eventTimeString(v);
  if (Array.isArray(v)) return v.map((x) => camel(x, profile, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[lowerFirst(k)] = camel(x, profile, depth + 1);
    return out;
  }
  return v;
}

function elements(
  op: string, value: unknown, masks: Partial<Record<string, (v: Buffer | string) => unknown>>, profile: EventProfile,
  deep?: Partial<Record<string, DeepMasker>>,
): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const mask: ((v: Buffer | string) => unknown) | undefined = masks[`${op}.${k}`];
    const nested = deep?.[`${op}.${k}`];
    out[lowerFirst(k)] = nested ? camel(nested(v), profile) : mask && (typeof v === 'string' || Buffer.isBuffer(v)) ? mask(v) : camel(v, profile);
  }
  return Object.keys(out).length ? out : null;
}

function pick(output: unknown, members: readonly string[]): Record<string, unknown> {
  const o = (output ?? {}) as Record<string, unknown>;
  return Object.fromEntries(members.filter((m) => o[m] !== undefined).map((m) => [m, o[m]]));
}

export function userIdentity(p: Principal) {
  const s = p.session;
  return {
    type: p.type,
    principalId: p.principalId,
    arn: p.arn,
    accountId: p.accountId,
    accessKeyId: p.accessKeyId,
    ...(p.userName ? { userName: p.userName } : {}),
    // Temporary credentials: the issuer (roles and federation), then the session's attributes (cloudtrail.md §2.1).
    ...(s ? {
      sessionContext: {
        ...(s.issuer ? { sessionIssuer: { type: s.issuer.type, principalId: s.issuer.principalId, arn: s.issuer.arn, accountId: s.issuer.accountId, ...(s.issuer.userName ? { userName: s.issuer.userName } : {}) } } : {}),
        ...(p.type === 'AssumedRole' ? { webIdFederationData: {} } : {}),
        attributes: { creationDate: eventTimeString(s.creationDate), mfaAuthenticated: String(s.mfaAuthenticated) },
        ...(s.sourceIdentity ? { sourceIdentity: s.sourceIdentity } : {}),
      },
    } : {}),
    ...(p.invokedBy ? { invokedBy: p.invokedBy } : {}),
  };
}

/** UTC to the second, as CloudTrail writes eventTime. */
export function eventTimeString(d: Date): string {
  const t = d.getTime();
  // Calls arrive many to the second: the text of the last second is kept (toISOString and the
  // regular expression are most of the cost of an event's fixed members otherwise).
  if (t >= lastSecond.from && t < lastSecond.from + 1000) return lastSecond.text;
  const text = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Number.isFinite(t)) lastSecond = { from: t - (((t % 1000) + 1000) % 1000), text };
  return text;
}
let lastSecond = { from: NaN, text: '' };

/** The CloudTrail record of one call, fields in AWS's order (cloudtrail.md §1.3). */
export function buildRecord(f: CallFacts, profile: EventProfile): Record<string, unknown> {
  const t = PROFILES[profile];
  const response = f.error
    ? null
    : f.readOnly
      ? f.readOnlyResponse ? elements(f.eventName, pick(f.output, f.readOnlyResponse), t.response, profile, t.responseDeep) : null
      : elements(f.eventName, f.output, t.response, profile, t.responseDeep);
  const record: Record<string, unknown> = {
    eventVersion: t.eventVersion,
    userIdentity: userIdentity(f.principal),
    eventTime: eventTimeString(f.eventTime),
    eventSource: f.eventSource,
    eventName: f.eventName,
    awsRegion: f.region,
    // A service acting for the account is its own source and agent (cloudtrail.md §2.3).
    sourceIPAddress: f.principal.invokedBy ?? f.sourceIp,
    userAgent: f.principal.invokedBy ?? f.userAgent,
  };
  if (f.error) {
    record.errorCode = f.error.eventCode ?? f.error.code;
    record.errorMessage = truncateUtf8(f.error.message, 1024);
  }
  record.requestParameters = elements(f.eventName, f.input, t.request, profile, t.requestDeep);
  record.responseElements = response;
  record.requestID = f.requestId;
  record.eventID = f.eventId;
  if (t.modernFields) record.readOnly = f.readOnly;
  record.eventType = 'AwsApiCall';
  if (t.modernFields) record.managementEvent = true;
  record.recipientAccountId = f.principal.accountId;
  if (t.modernFields) {
    record.eventCategory = 'Management';
    if (f.tls && !f.principal.invokedBy) record.tlsDetails = f.tls;
  }
  return record;
}

/**
 * The same text as `JSON.stringify(buildRecord(f, profile))` (event.test.ts checks that), written
 * member by member: no record object to build and walk on every call, and the caller's identity
 * written once per principal.
 */
export function recordJson(f: CallFacts, profile: EventProfile): string {
  const t = PROFILES[profile];
  const q = JSON.stringify;
  let s = `{"eventVersion":${q(t.eventVersion)},"userIdentity":${identityJson(f.principal)},"eventTime":${q(eventTimeString(f.eventTime))},"eventSource":${q(f.eventSource)},"eventName":${q(f.eventName)},"awsRegion":${q(f.region)},"sourceIPAddress":${q(f.principal.invokedBy ?? f.sourceIp)},"userAgent":${q(f.principal.invokedBy ?? f.userAgent)}`;
  if (f.error) s += `,"errorCode":${q(f.error.eventCode ?? f.error.code)},"errorMessage":${q(truncateUtf8(f.error.message, 1024))}`;
  const response = f.error
    ? null
    : f.readOnly
      ? f.readOnlyResponse ? elements(f.eventName, pick(f.output, f.readOnlyResponse), t.response, profile, t.responseDeep) : null
      : elements(f.eventName, f.output, t.response, profile, t.responseDeep);
  s += `,"requestParameters":${q(elements(f.eventName, f.input, t.request, profile, t.requestDeep))},"responseElements":${q(response)},"requestID":${q(f.requestId)},"eventID":${q(f.eventId)}`;
  if (t.modernFields) s += `,"readOnly":${f.readOnly}`;
  s += ',"eventType":"AwsApiCall"';
  if (t.modernFields) s += ',"managementEvent":true';
  s += `,"recipientAccountId":${q(f.principal.accountId)}`;
  if (t.modernFields) {
    s += ',"eventCategory":"Management"';
    if (f.tls && !f.principal.invokedBy) s += `,"tlsDetails":${q(f.tls)}`;
  }
  return s + '}';
}

/** Principals are cached with their access key (auth/credentials.ts), so most calls reuse the text. */
const identities = new WeakMap<Principal, string>();
function identityJson(p: Principal): string {
  let s = identities.get(p);
  if (s === undefined) {
    s = JSON.stringify(userIdentity(p));
    identities.set(p, s);
  }
  return s;
}

/**
 * LookupEvents' Username, as Event history shows it: "root" for the root user, the IAM user's
 * name, a role session's or federated user's session name.
 */
function lookupUsername(p: Principal): string {
  if (p.type === 'Root') return 'root';
  if (p.type === 'AssumedRole' || p.type === 'FederatedUser') return p.principalId.slice(p.principalId.indexOf(':') + 1);
  return p.userName ?? p.principalId;
}

export function toEventRecord(f: CallFacts, profile: EventProfile): EventRecord {
  const e: EventRecord = {
    eventId: f.eventId,
    accountId: f.principal.accountId,
    region: f.region,
    eventTime: f.eventTime,
    eventSource: f.eventSource,
    eventName: f.eventName,
    readOnly: f.readOnly,
    username: lookupUsername(f.principal),
    accessKeyId: f.principal.accessKeyId,
    record: recordJson(f, profile),
  };
  // A failed call's "ARN" may be anything the client sent: only real ARNs become lookup keys.
  // (Set afterwards rather than spread into the literal, which V8 builds on its slow path.)
  if (f.resource && /^arn:[^\s]{1,2040}$/.test(f.resource.name) && !containsKey(f.resource.name)) {
    e.resourceType = f.resource.type;
    e.resourceName = f.resource.name;
  }
  return e;
}
