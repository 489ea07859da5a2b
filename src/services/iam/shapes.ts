/**
 * Records as IAM's wire shapes, members in the IAM model's order (User, Group, Role, Policy,
 * AccessKeyMetadata…). Listings leave out what the reference says they do not return (a user's
 * or role's tags and permissions boundary; a policy's description and tags).
 */
import { iamGroupArn, iamRoleArn, iamUserArn } from '../../kernel/arn.js';
import type { GroupRecord, IamTagRecord, ManagedPolicyRecord, RoleRecord, UserRecord } from '../../storage/records.js';

/** IAM returns policy documents URL-encoded (RFC 3986), as it stores them: the CLI decodes them, the SDKs do not. */
export const encodedDocument = (text: string) => encodeURIComponent(text);

export const tagsShape = (tags: readonly IamTagRecord[] | undefined) => (tags?.length ? tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined);

export const boundaryShape = (arn: string | undefined) =>
  arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;

export function userShape(u: UserRecord, full = false) {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: iamUserArn(u.accountId, u.userName, u.path),
    CreateDate: u.createdAt,
    PermissionsBoundary: full ? boundaryShape(u.permissionsBoundary) : undefined,
    Tags: full ? tagsShape(u.tags) : undefined,
  };
}

export function groupShape(g: GroupRecord) {
  return { Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: iamGroupArn(g.accountId, g.groupName, g.path), CreateDate: g.createdAt };
}

export function roleShape(r: RoleRecord, full = false) {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: iamRoleArn(r.accountId, r.roleName, r.path),
    CreateDate: r.createdAt,
    AssumeRolePolicyDocument: encodedDocument(r.assumeRolePolicyDocument),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    PermissionsBoundary: full ? boundaryShape(r.permissionsBoundary) : undefined,
    Tags: full ? tagsShape(r.tags) : undefined,
  };
}

export function policyShape(p: ManagedPolicyRecord, usage: { attachments: number; boundaries: number }, full = false) {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: usage.attachments,
    PermissionsBoundaryUsageCount: usage.boundaries,
    IsAttachable: true,
    Description: full ? p.description : undefined,
    CreateDate: p.createdAt,
    UpdateDate: p.updatedAt,
    Tags: full ? tagsShape(p.tags) : undefined,
  };
}
