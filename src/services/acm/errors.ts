import { ServiceError } from '../../kernel/errors.js';

/**
 * ACM's modelled errors (all HTTP 400, member `message`; ../shared/reference/acm.md §1, §5).
 * Messages marked "AWS" are AWS's observed wording; the others are ours, in AWS's style,
 * because AWS's text is not documented (acm.md §11).
 */
const e = (code: string) => (message: string) => new ServiceError(code, message, 400);

export const ResourceNotFoundException = e('ResourceNotFoundException');
export const ResourceInUseException = e('ResourceInUseException');
export const RequestInProgressException = e('RequestInProgressException');
export const InvalidArnException = e('InvalidArnException');
export const InvalidArgsException = e('InvalidArgsException');
export const InvalidParameterException = e('InvalidParameterException');
export const InvalidStateException = e('InvalidStateException');
export const InvalidTagException = e('InvalidTagException');
export const TooManyTagsException = e('TooManyTagsException');
export const TagPolicyException = e('TagPolicyException');
export const InvalidDomainValidationOptionsException = e('InvalidDomainValidationOptionsException');
export const LimitExceededException = e('LimitExceededException');
export const ConflictException = e('ConflictException');
export const ThrottlingException = e('ThrottlingException');

/** AWS: "Could not find certificate arn:… in account 123456789012." */
export function certificateNotFound(arn: string, account: string): ServiceError {
  return ResourceNotFoundException(`Could not find certificate ${arn} in account ${account}.`);
}

/** AWS model text for RequestInProgressException. */
export function notYetIssued(arn: string): ServiceError {
  return RequestInProgressException(`Certificate ${arn} is in the process of being issued and is not yet available.`);
}
