/**
 * IAM's errors, all of them: codes and statuses as the IAM model gives them to the query
 * protocol (awsQueryError: NoSuchEntity 404, EntityAlreadyExists/DeleteConflict/LimitExceeded
 * 409, MalformedPolicyDocument/InvalidInput 400; errors.test.ts checks them against the SDK's
 * model), and ValidationError 400, the query protocol's common error for a parameter that breaks
 * its constraints. Messages are IAM's own text as its answers show it (quoted in the issue
 * threads cited beside each); where IAM's text is not known, the message says plainly what is
 * wrong in IAM's style.
 */
import { ServiceError } from '../../kernel/errors.js';
import type { IamPrincipalKind } from '../../storage/records.js';

const make = (code: string, status: number) => (message: string) => new ServiceError(code, message, status);

export const NoSuchEntity = make('NoSuchEntity', 404);
export const EntityAlreadyExists = make('EntityAlreadyExists', 409);
export const DeleteConflict = make('DeleteConflict', 409);
export const LimitExceeded = make('LimitExceeded', 409);
export const MalformedPolicyDocument = make('MalformedPolicyDocument', 400);
export const InvalidInput = make('InvalidInput', 400);
export const ValidationError = make('ValidationError', 400);

/** Every code above, for the catalogue test. */
export const IAM_ERROR_CODES = ['NoSuchEntity', 'EntityAlreadyExists', 'DeleteConflict', 'LimitExceeded', 'MalformedPolicyDocument', 'InvalidInput', 'ValidationError'] as const;

const KIND_NAME: Record<IamPrincipalKind, string> = { user: 'user', group: 'group', role: 'role' };
const KIND_TITLE: Record<IamPrincipalKind, string> = { user: 'User', group: 'Group', role: 'Role' };

// NoSuchEntity: "The user with name … cannot be found." (mattermost-cloud-monitoring#501), "The role
// policy with name … cannot be found." (aws-cli#6139), "Policy … does not exist or is not
// attachable." (getmoto/moto#6482 quoting AWS).
export const noSuchEntity = (kind: IamPrincipalKind, name: string) => NoSuchEntity(`The ${KIND_NAME[kind]} with name ${name} cannot be found.`);
export const noSuchInlinePolicy = (kind: IamPrincipalKind, policyName: string) => NoSuchEntity(`The ${KIND_NAME[kind]} policy with name ${policyName} cannot be found.`);
export const noSuchPolicy = (arn: string) => NoSuchEntity(`Policy ${arn} was not found.`);
export const notAttachable = (arn: string) => NoSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const noSuchPolicyVersion = (arn: string, versionId: string) => NoSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
export const noSuchBoundary = (arn: string) => NoSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
export const noSuchAccessKey = (id: string) => NoSuchEntity(`The Access Key with id ${id} cannot be found.`);

// EntityAlreadyExists: "A policy called … already exists. Duplicate names are not allowed." (kubefirst#855).
export const alreadyExists = (kind: IamPrincipalKind, name: string) => EntityAlreadyExists(`${KIND_TITLE[kind]} with name ${name} already exists.`);
export const policyAlreadyExists = (name: string) => EntityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);

// DeleteConflict texts as IAM sends them (userplex#17, cloud-custodian#7484, aws-orbit-workbench#633,
// serverless/components#312, redradrat/aws-iam-operator#13); the access-key one in the same form
// as the MFA-device one (aws-nuke#281: "Cannot delete entity, must delete MFA device first.").
export const MUST_DELETE_KEYS = 'Cannot delete entity, must delete access keys first.';
export const MUST_DELETE_POLICIES = 'Cannot delete entity, must delete policies first.';
export const MUST_DETACH_POLICIES = 'Cannot delete entity, must detach all policies first.';
export const MUST_REMOVE_FROM_GROUPS = 'Cannot delete entity, must remove users from group first.';
export const POLICY_ATTACHED = 'Cannot delete a policy attached to entities.';
export const POLICY_HAS_VERSIONS = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.";
export const DEFAULT_VERSION = 'Cannot delete the default version of a policy.';

// LimitExceeded: AWS's quotas ("IAM and AWS STS quotas"), with IAM's texts where known
// (99designs/iamy#21 for policy versions).
export const quota = (name: string, n: number) => LimitExceeded(`Cannot exceed quota for ${name}: ${n}`);
export const TOO_MANY_VERSIONS = 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.';
export const policySize = (kind: IamPrincipalKind, name: string, max: number) => LimitExceeded(`Maximum policy size of ${max} bytes exceeded for ${KIND_NAME[kind]} ${name}`);

// ValidationError: IAM's own text for a bad name or path (app-sre/qontract-reconcile#2640,
// aws-cloudformation/cfn-lint#722, aws/aws-cli#5860), the model's for lengths and ranges.
export const invalidName = (member: string) =>
  ValidationError(`The specified value for ${member} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`);
export const invalidPath = (member: string) =>
  ValidationError(`The specified value for ${member} is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
export const invalidPathPrefix = (member: string) =>
  ValidationError(`The specified value for ${member} is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.`);
export const constraint = (member: string, value: string | null, rule: string) =>
  ValidationError(`1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${rule}`);
export const required = (member: string) => constraint(member, null, 'Member must not be null');
/** A call that defaults to the calling user, made with a role's or federated user's credentials. */
export const NOT_A_USER = 'Must specify userName when calling with non-User credentials';
export const tooLong = (member: string, value: string, max: number) => constraint(member, value, `Member must have length less than or equal to ${max}`);
export const tooShort = (member: string, value: string, min: number) => constraint(member, value, `Member must have length greater than or equal to ${min}`);

// InvalidInput: "ARN … is not valid." and the case-insensitive duplicate tag text (kops#11727).
export const invalidArn = (arn: string) => InvalidInput(`ARN ${arn} is not valid.`);
export const DUPLICATE_TAG_KEYS = 'Duplicate tag keys found. Please note that Tag keys are case insensitive.';
