/**
 * Rows to records, for every backend: the SQLite and PostgreSQL tables have the same columns
 * (times in epoch ms, documents as text), so each record is read one way. Only what differs by
 * dialect (a boolean stored as 0/1 in SQLite) is handled here, not in the backends.
 */
import { decodeDoc } from './doc-codec.js';
import type {
  AccessKeyRecord, CaRecord, CertificateRecord, EventRecord, GroupRecord, IamTagRecord, InlinePolicyRecord, LookupAttributeKey, ManagedPolicyRecord,
  PolicyAttachmentRecord, PolicyVersionRecord, RoleRecord, UserRecord,
} from './records.js';

export type Row = Record<string, any>;

export const ms = (d: Date) => d.getTime();
export const date = (n: number) => new Date(n);
const tagsOf = (text: string): IamTagRecord[] => JSON.parse(text);
/** SQLite keeps booleans as 0/1; PostgreSQL as booleans. */
const bool = (v: unknown) => v === true || v === 1;

/** The events table's column for each LookupEvents attribute. */
export const EVENT_COLUMNS: Record<LookupAttributeKey, string> = {
  EventId: 'event_id', EventName: 'event_name', ReadOnly: 'read_only', Username: 'username',
  ResourceType: 'resource_type', ResourceName: 'resource_name', EventSource: 'event_source', AccessKeyId: 'access_key_id',
};

export const eventRow = (r: Row): EventRecord => ({
  seq: r.seq, eventId: r.event_id, accountId: r.account_id, region: r.region, eventTime: date(r.event_time),
  eventSource: r.event_source, eventName: r.event_name, readOnly: bool(r.read_only),
  username: r.username ?? undefined, accessKeyId: r.access_key_id ?? undefined,
  resourceType: r.resource_type ?? undefined, resourceName: r.resource_name ?? undefined, record: r.record,
});

/** What a certificate row's `doc` holds: the record without the key and PEMs, which have columns of their own. */
export function certificateDoc(c: CertificateRecord): Omit<CertificateRecord, 'privateKeySealed' | 'certificatePem' | 'chainPem'> {
  const { privateKeySealed: _k, certificatePem: _c, chainPem: _ch, ...rest } = c;
  return rest;
}

export const caRow = (r: Row | undefined): CaRecord | undefined => (r ? { ...decodeDoc<CaRecord>(r.doc), privateKeySealed: r.private_key_sealed } : undefined);

export const userRow = (r: Row): UserRecord => {
  const u: UserRecord = { accountId: r.account_id, userName: r.user_name, userId: r.user_id, path: r.path, createdAt: date(r.created_at) };
  if (r.permissions_boundary) u.permissionsBoundary = r.permissions_boundary;
  const tags = tagsOf(r.tags);
  if (tags.length) u.tags = tags;
  return u;
};

export const accessKeyRow = (r: Row): AccessKeyRecord => ({
  accessKeyId: r.access_key_id, secretSealed: r.secret_sealed, accountId: r.account_id, userName: r.user_name ?? undefined, status: r.status, createdAt: date(r.created_at),
});

export const groupRow = (r: Row): GroupRecord => ({ accountId: r.account_id, groupName: r.group_name, groupId: r.group_id, path: r.path, createdAt: date(r.created_at) });

export const roleRow = (r: Row): RoleRecord => {
  const out: RoleRecord = {
    accountId: r.account_id, roleName: r.role_name, roleId: r.role_id, path: r.path, createdAt: date(r.created_at),
    assumeRolePolicyDocument: r.assume_role_policy, maxSessionDuration: r.max_session_duration, tags: tagsOf(r.tags),
  };
  if (r.description !== null) out.description = r.description;
  if (r.permissions_boundary) out.permissionsBoundary = r.permissions_boundary;
  return out;
};

export const policyRow = (r: Row): ManagedPolicyRecord => {
  const p: ManagedPolicyRecord = {
    accountId: r.account_id, arn: r.arn, policyName: r.policy_name, policyId: r.policy_id, path: r.path, defaultVersionId: r.default_version_id,
    nextVersion: r.next_version, createdAt: date(r.created_at), updatedAt: date(r.updated_at), tags: tagsOf(r.tags),
  };
  if (r.description !== null) p.description = r.description;
  return p;
};

export const policyVersionRow = (r: Row): PolicyVersionRecord => ({ policyArn: r.policy_arn, versionId: r.version_id, document: r.document, createdAt: date(r.created_at) });

export const inlinePolicyRow = (r: Row): InlinePolicyRecord => ({ accountId: r.account_id, kind: r.kind, principalName: r.principal_name, policyName: r.policy_name, document: r.document });

export const attachmentRow = (r: Row): PolicyAttachmentRecord => ({ accountId: r.account_id, kind: r.kind, principalName: r.principal_name, policyArn: r.policy_arn, attachedAt: date(r.attached_at) });
