import type { QueryOperation, QueryService } from '../../pipeline/service.js';
import { iamAccess } from './access.js';
import { userAttachments, groupAttachments, roleAttachments } from './attachments.js';
import { deleteRolePermissionsBoundary, deleteUserPermissionsBoundary, putRolePermissionsBoundary, putUserPermissionsBoundary } from './boundaries.js';
import type { IamDeps } from './deps.js';
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup } from './groups.js';
import { groupInlinePolicies, roleInlinePolicies, userInlinePolicies } from './inline-policies.js';
import { createAccessKey, deleteAccessKey, listAccessKeys, updateAccessKey } from './keys.js';
import {
  createPolicy, createPolicyVersion, deletePolicy, deletePolicyVersion, getPolicy, getPolicyVersion, listPolicies, listPolicyVersions, setDefaultPolicyVersion,
} from './managed-policies.js';
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole } from './roles.js';
import { listPolicyTags, listRoleTags, listUserTags, tagPolicy, tagRole, tagUser, untagPolicy, untagRole, untagUser } from './tags.js';
import { createUser, deleteUser, getUser, listUsers } from './users.js';

export const IAM_VERSION = '2010-05-08';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

const op = (handler: QueryOperation<IamDeps>['handler']): QueryOperation<IamDeps> => ({ handler });

/**
 * The IAM API over the query protocol. IAM is global: clients sign for us-east-1 with service
 * `iam`, and its CloudTrail events come from iam.amazonaws.com. Every operation acts within the
 * caller's account. Operations not listed (login profiles, MFA, instance profiles, identity
 * providers, AWS managed policies, simulation…) answer InvalidAction, as for any unknown action.
 */
export function iamOperations(): Record<string, QueryOperation<IamDeps>> {
  return {
    CreateUser: op(createUser),
    GetUser: op(getUser),
    ListUsers: op(listUsers),
    DeleteUser: op(deleteUser),
    TagUser: op(tagUser),
    UntagUser: op(untagUser),
    ListUserTags: op(listUserTags),

    CreateAccessKey: op(createAccessKey),
    ListAccessKeys: op(listAccessKeys),
    UpdateAccessKey: op(updateAccessKey),
    DeleteAccessKey: op(deleteAccessKey),

    PutUserPolicy: op(userInlinePolicies.put),
    GetUserPolicy: op(userInlinePolicies.get),
    DeleteUserPolicy: op(userInlinePolicies.remove),
    ListUserPolicies: op(userInlinePolicies.list),
    PutGroupPolicy: op(groupInlinePolicies.put),
    GetGroupPolicy: op(groupInlinePolicies.get),
    DeleteGroupPolicy: op(groupInlinePolicies.remove),
    ListGroupPolicies: op(groupInlinePolicies.list),
    PutRolePolicy: op(roleInlinePolicies.put),
    GetRolePolicy: op(roleInlinePolicies.get),
    DeleteRolePolicy: op(roleInlinePolicies.remove),
    ListRolePolicies: op(roleInlinePolicies.list),

    CreatePolicy: op(createPolicy),
    GetPolicy: op(getPolicy),
    ListPolicies: op(listPolicies),
    DeletePolicy: op(deletePolicy),
    CreatePolicyVersion: op(createPolicyVersion),
    GetPolicyVersion: op(getPolicyVersion),
    ListPolicyVersions: op(listPolicyVersions),
    SetDefaultPolicyVersion: op(setDefaultPolicyVersion),
    DeletePolicyVersion: op(deletePolicyVersion),
    TagPolicy: op(tagPolicy),
    UntagPolicy: op(untagPolicy),
    ListPolicyTags: op(listPolicyTags),

    AttachUserPolicy: op(userAttachments.attach),
    DetachUserPolicy: op(userAttachments.detach),
    ListAttachedUserPolicies: op(userAttachments.list),
    AttachGroupPolicy: op(groupAttachments.attach),
    DetachGroupPolicy: op(groupAttachments.detach),
    ListAttachedGroupPolicies: op(groupAttachments.list),
    AttachRolePolicy: op(roleAttachments.attach),
    DetachRolePolicy: op(roleAttachments.detach),
    ListAttachedRolePolicies: op(roleAttachments.list),

    CreateGroup: op(createGroup),
    GetGroup: op(getGroup),
    ListGroups: op(listGroups),
    DeleteGroup: op(deleteGroup),
    AddUserToGroup: op(addUserToGroup),
    RemoveUserFromGroup: op(removeUserFromGroup),
    ListGroupsForUser: op(listGroupsForUser),

    CreateRole: op(createRole),
    GetRole: op(getRole),
    ListRoles: op(listRoles),
    UpdateRole: op(updateRole),
    UpdateAssumeRolePolicy: op(updateAssumeRolePolicy),
    DeleteRole: op(deleteRole),
    TagRole: op(tagRole),
    UntagRole: op(untagRole),
    ListRoleTags: op(listRoleTags),

    PutUserPermissionsBoundary: op(putUserPermissionsBoundary),
    DeleteUserPermissionsBoundary: op(deleteUserPermissionsBoundary),
    PutRolePermissionsBoundary: op(putRolePermissionsBoundary),
    DeleteRolePermissionsBoundary: op(deleteRolePermissionsBoundary),
  };
}

export function iamService(deps: IamDeps): QueryService<IamDeps> {
  return {
    signingName: 'iam',
    version: IAM_VERSION,
    xmlns: IAM_XMLNS,
    eventSource: 'iam.amazonaws.com',
    // IAM is global: AWS records its calls in us-east-1 (cloudtrail.md, global service events).
    eventRegion: 'us-east-1',
    operations: iamOperations(),
    access: iamAccess,
    deps,
  };
}
